/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The commands of nslab(8) and what they share. */
#ifndef NSLAB_CLI_H
#define NSLAB_CLI_H

#include <stdbool.h>

/* Exit statuses (DESIGN.md): success, failure at run time, usage/topology error. */
enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

struct cli_command {
	const char *name;
	int (*main)(int argc, char **argv);
	const char *summary;
};

int up_main(int argc, char **argv);
int down_main(int argc, char **argv);
int ls_main(int argc, char **argv);
int show_main(int argc, char **argv);
int exec_main(int argc, char **argv);
int switch_main(int argc, char **argv);
int ping_main(int argc, char **argv);
int pingall_main(int argc, char **argv);
int graph_main(int argc, char **argv);
int doctor_main(int argc, char **argv);
int shell_main(int argc, char **argv);

/* Global options, set by main before a command runs. */
extern bool cli_quiet;
extern int cli_verbose;

/* Print a usage error ("nslab CMD: WHAT; see nslab CMD --help") and return EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* After getopt_long returned '?' for optstring (opterr is off, so getopt
 * said nothing): a usage error naming the option that is unknown or lacks
 * its value. */
int cli_bad_option(const char *cmd, char **argv, const char *optstring);
/* Report rc with its errmsg context and return EXIT_FAIL. */
int cli_fail(int rc);

#endif
