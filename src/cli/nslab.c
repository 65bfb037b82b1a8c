// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nslab: build virtual networks from network namespaces, veth pairs and a
 * virtual switch. This file is the command table and main; each command
 * lives in its own file.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "common/errmsg.h"
#include "common/log.h"

bool cli_quiet;
int cli_verbose;

static const struct cli_command commands[] = {
	{ "up", up_main, "build a lab, or make a running one match its edited file" },
	{ "down", down_main, "take a lab down, leaving nothing behind" },
	{ "ls", ls_main, "list running labs" },
	{ "show", show_main, "show a lab, a node or a switch" },
	{ "exec", exec_main, "run a command (or a shell) inside a node" },
	{ "switch", switch_main, "a switch's ports, MAC table and counters" },
	{ "ping", ping_main, "ping one node from another, by name" },
	{ "pingall", pingall_main, "who reaches whom: every pair, checked against expect:" },
	{ "cli", shell_main, "an interactive shell: red ping blue, pingall, show" },
	{ "graph", graph_main, "the topology as a picture (DOT, Mermaid, SVG)" },
	{ "doctor", doctor_main, "check this machine before building a lab" },
};

static void usage(FILE *f)
{
	fprintf(f, "Usage: nslab [-q|-v] COMMAND [ARGS...]\n\n"
		   "Build virtual networks out of network namespaces, veth pairs and a\n"
		   "virtual switch, with a gateway, routes and NAT.\n\nCommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "  %-8s %s\n", "help", "this help, or a command's: nslab help COMMAND");
	fprintf(f, "\nOptions:\n"
		   "  -q, --quiet     only errors\n"
		   "  -v, --verbose   say what is done (twice: everything)\n"
		   "  -h, --help      this help; `nslab COMMAND --help` for a command's\n"
		   "  --version       print the version\n\n"
		   "`nslab up` with no file builds the seed network: red, blue, green and\n"
		   "yellow on switch v-net-0 (172.16.10.0/24), gateway 172.16.10.254, NAT.\n"
		   "Exit status: 0 success, 1 failure, 2 usage or topology error.\n");
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "nslab %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "; see nslab %s --help\n", cmd);
	return EXIT_USAGE;
}

int cli_bad_option(const char *cmd, char **argv, const char *optstring)
{
	const char *word = optind > 0 ? argv[optind - 1] : "";

	/* getopt leaves optopt the option's letter (a long option's value)
	 * when it lacks its value, has one it does not take (--opt=x), or is
	 * an unknown letter; 0 for an unknown long option. */
	if (!strncmp(word, "--", 2) && optopt)
		return cli_usage_error(cmd, "%s %s", word,
				       strchr(word, '=') ? "takes no value" : "needs a value");
	if (optopt && optopt != ':' && strchr(optstring, optopt))
		return cli_usage_error(cmd, "%s needs a value", word);
	if (optopt)
		return cli_usage_error(cmd, "unknown option -%c", optopt);
	return cli_usage_error(cmd, "unknown option %s", word);
}

int cli_fail(int rc)
{
	/* Most of what nslab does needs root; say so rather than leave a bare
	 * "Permission denied" on some file or namespace. */
	bool not_root = (rc == -EPERM || rc == -EACCES) && geteuid() != 0;

	fprintf(stderr, "nslab: %s%s\n", err_text(rc),
		not_root ? "; nslab needs root: run it with sudo" : "");
	return EXIT_FAIL;
}

/* -q and -v, wherever they stand; true if arg was one. */
static bool global_option(const char *arg)
{
	if (!strcmp(arg, "-q") || !strcmp(arg, "--quiet"))
		cli_quiet = true;
	else if (!strcmp(arg, "-v") || !strcmp(arg, "--verbose"))
		cli_verbose++;
	else if (!strcmp(arg, "-vv"))
		cli_verbose += 2;
	else
		return false;
	return true;
}

/*
 * People write `nslab up -q` as often as `nslab -q up`, so the global
 * options are taken out of a command's arguments too — but never out of a
 * command line a node is to run (after `--`, or after exec's NODE).
 */
static int strip_global_options(int argc, char **argv)
{
	bool is_exec = !strcmp(argv[0], "exec");
	int out = 1;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--") || (is_exec && argv[i][0] != '-')) {
			while (i < argc)
				argv[out++] = argv[i++];
			break;
		}
		if (!global_option(argv[i]))
			argv[out++] = argv[i];
	}
	argv[out] = NULL;
	return out;
}

int main(int argc, char **argv)
{
	int i = 1;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (global_option(argv[i])) {
			continue;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return EXIT_OK;
		} else if (!strcmp(argv[i], "--version")) {
			printf("nslab " NSLAB_VERSION "\n");
			return EXIT_OK;
		} else {
			fprintf(stderr, "nslab: unknown option %s; see nslab --help\n", argv[i]);
			return EXIT_USAGE;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	argc = i + strip_global_options(argc - i, argv + i);
	opterr = 0; /* each command says what is wrong with its options itself */
	log_setup("nslab", cli_quiet ? LOG_LVL_ERR : cli_verbose ? LOG_LVL_DEBUG : LOG_LVL_INFO);
	if (!strcmp(argv[i], "help")) {
		if (i + 2 < argc) {
			fprintf(stderr, "nslab help: one command at a time; see nslab --help\n");
			return EXIT_USAGE;
		}
		if (i + 1 < argc) {
			char *args[] = { argv[i + 1], "--help", NULL };

			for (size_t c = 0; c < sizeof(commands) / sizeof(commands[0]); c++)
				if (!strcmp(commands[c].name, argv[i + 1]))
					return commands[c].main(2, args);
			fprintf(stderr, "nslab help: unknown command '%s'; see nslab --help\n",
				argv[i + 1]);
			return EXIT_USAGE;
		}
		usage(stdout);
		return EXIT_OK;
	}
	for (size_t c = 0; c < sizeof(commands) / sizeof(commands[0]); c++)
		if (!strcmp(commands[c].name, argv[i]))
			return commands[c].main(argc - i, argv + i);
	fprintf(stderr, "nslab: unknown command '%s'; see nslab --help\n", argv[i]);
	return EXIT_USAGE;
}
