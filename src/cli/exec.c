// SPDX-License-Identifier: GPL-2.0-or-later
/* nslab exec: run a command, or an interactive shell, inside a node. */
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/labsel.h"
#include "common/errmsg.h"
#include "common/fsutil.h"
#include "kernel/netns.h"
#include "lab/state.h"

static void help(void)
{
	printf("Usage: nslab exec [-l LAB] NODE [--] [COMMAND [ARGS...]]\n\n"
	       "Run COMMAND inside NODE's network namespace and exit with its status.\n"
	       "With no COMMAND, open an interactive shell whose prompt names the node\n"
	       "and lab. NODE is a host of a running lab, LAB:NODE, \"host\" (the lab's\n"
	       "host side: the sandbox's host namespace, or the real host), or \"inet\"\n"
	       "(a sandbox's internet). NSLAB_LAB and NSLAB_NODE are set for COMMAND.\n"
	       "/sys shows the node's interfaces, as with `ip netns exec`.\n\n"
	       "  -l, --lab LAB  look for NODE in LAB\n"
	       "  -h, --help     this help\n");
}

/* As `ip netns exec` does: a private mount namespace with /sys remounted,
 * so tools that read /sys/class/net see the node's interfaces. */
static int enter_node(const struct labsel_node *n)
{
	int fd, rc;

	if (!n->netns[0])
		return 0; /* the real host: where we already are */
	rc = netns_open(n->netns, &fd);
	if (rc)
		return err_set(rc, "%s: opening network namespace %s", n->node, n->netns);
	if (setns(fd, CLONE_NEWNET)) {
		rc = -errno;
		close(fd);
		return err_set(rc, "%s: entering network namespace %s", n->node, n->netns);
	}
	close(fd);
	if (unshare(CLONE_NEWNS))
		return err_set(-errno, "%s: making a mount namespace", n->node);
	if (mount(NULL, "/", NULL, MS_SLAVE | MS_REC, NULL))
		return err_set(-errno, "%s: making / a slave mount", n->node);
	if (umount2("/sys", MNT_DETACH) == 0)
		mount(n->netns, "/sys", "sysfs", 0, NULL);
	return 0;
}

static int shell(const struct labsel_node *n)
{
	const char *sh = getenv("SHELL");
	char prompt[256], rc_path[4096], rc_text[1024];

	if (!sh || !*sh)
		sh = "/bin/bash";
	/* Commands piped in (echo ip a | nslab exec red): a plain shell reads
	 * them, without an interactive one's prompts and job-control noise. */
	if (!isatty(STDIN_FILENO)) {
		execl(sh, sh, (char *)NULL);
		fprintf(stderr, "nslab exec: %s: %s\n", sh, strerror(errno));
		return 127;
	}
	snprintf(prompt, sizeof(prompt), "[%s:%s] \\u@\\h:\\w\\$ ", n->lab, n->node);
	setenv("PS1", prompt, 1);
	if (strstr(sh, "bash")) {
		/* bash sets PS1 from ~/.bashrc: give it an rc file that reads that
		 * first and then names the node. */
		snprintf(rc_text, sizeof(rc_text),
			 "[ -f /etc/bash.bashrc ] && . /etc/bash.bashrc\n"
			 "[ -f ~/.bashrc ] && . ~/.bashrc\nPS1='%s'\n",
			 prompt);
		if (!state_path(n->lab, "bashrc", rc_path, sizeof(rc_path)) &&
		    !fs_write_atomic(rc_path, rc_text, strlen(rc_text), 0600)) {
			execl(sh, sh, "--rcfile", rc_path, "-i", (char *)NULL);
		}
	}
	execl(sh, sh, "-i", (char *)NULL);
	fprintf(stderr, "nslab exec: %s: %s\n", sh, strerror(errno));
	return 127;
}

int exec_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "lab", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct labsel_node n;
	const char *lab = NULL;
	int c, rc;

	optind = 1;
	/* "+": stop at the node name, so the command's own options stay its own. */
	while ((c = getopt_long(argc, argv, "+l:h", opts, NULL)) != -1) {
		switch (c) {
		case 'l':
			lab = optarg;
			break;
		case 'h':
			help();
			return EXIT_OK;
		default:
			return cli_bad_option("exec", argv, "+l:h");
		}
	}
	if (optind >= argc)
		return cli_usage_error("exec", "which node?");
	rc = labsel_node(argv[optind++], lab, &n);
	if (rc)
		return cli_fail(rc);
	if (optind < argc && !strcmp(argv[optind], "--"))
		optind++;
	rc = enter_node(&n);
	if (rc)
		return cli_fail(rc);
	setenv("NSLAB_LAB", n.lab, 1);
	setenv("NSLAB_NODE", n.node, 1);
	if (optind >= argc)
		return shell(&n);
	execvp(argv[optind], argv + optind);
	fprintf(stderr, "nslab exec: %s: %s\n", argv[optind], strerror(errno));
	return errno == ENOENT ? 127 : 126;
}
