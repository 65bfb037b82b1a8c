// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nslab ping: the system's ping(8), run inside one node, aimed at another
 * node by name. The output is ping's own, and so is the exit status.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/labsel.h"
#include "common/errmsg.h"
#include "kernel/netns.h"
#include "lab/desired.h"
#include "topo/topo.h"

#define PING_COUNT_DEFAULT "3"

static void help(void)
{
	printf("Usage: nslab ping [-l LAB] [-c COUNT] [-4|-6] FROM TO [-- PING-OPTIONS...]\n\n"
	       "Run ping(8) inside node FROM towards TO, and exit with ping's status.\n"
	       "TO is a node of the same lab, pinged at its first IPv4 address (its\n"
	       "first IPv6 address with -6, or when IPv6 is the only family FROM and\n"
	       "TO both have; an error when they have none in common), LAB:NODE,\n"
	       "\"host\" (the first gateway address of the lab's switches), \"inet\" (a\n"
	       "sandbox's internet server) or an address. FROM is a node, LAB:NODE,\n"
	       "\"host\" or \"inet\". The options below may also follow FROM and TO;\n"
	       "those after -- go to ping as they are.\n\n"
	       "  -l, --lab LAB      the lab (default: the one FROM is found in)\n"
	       "  -c, --count COUNT  echoes to send (default " PING_COUNT_DEFAULT
	       "; 0: until interrupted)\n"
	       "  -4, -6             IPv4 or IPv6\n"
	       "  -h, --help         this help\n");
}

/* The families node (as labsel_node found it) has addresses of; 0 if
 * none, or its lab cannot be read. */
static unsigned int node_families(const struct labsel_node *n)
{
	struct labsel ls;
	unsigned int fams;

	if (labsel_open(n->lab, &ls)) {
		err_clear();
		return 0;
	}
	fams = labsel_families(&ls, n->is_host ? "host" : n->node);
	labsel_close(&ls);
	return fams;
}

/* The family to ping to in when none was asked for: as pingall, the one
 * both ends have, IPv4 when both; 0 (either) when an end has none.
 * -EADDRNOTAVAIL when they have none in common. */
static int common_family(const struct labsel_node *from, const struct labsel_node *to)
{
	unsigned int a = node_families(from), b = node_families(to);

	if (!a || !b)
		return AF_UNSPEC;
	if (!(a & b))
		return err_msg(-EADDRNOTAVAIL, "%s:%s has only %s addresses and %s:%s only %s: "
				  "they have no address family in common to ping in",
			       from->lab, from->node, a == LABSEL_V4 ? "IPv4" : "IPv6", to->lab,
			       to->node, b == LABSEL_V4 ? "IPv4" : "IPv6");
	return (a & b) & LABSEL_V4 ? AF_INET : AF_INET6;
}

/* The address of node (as labsel_node found it) to ping, into buf. */
static int node_addr(const struct labsel_node *n, int family, bool prefer6, char *buf, size_t len)
{
	struct labsel ls;
	int rc = labsel_open(n->lab, &ls);

	if (rc)
		return rc;
	rc = labsel_addr(&ls, n->is_host ? "host" : n->node, family, prefer6, buf, len);
	if (rc == -EADDRNOTAVAIL)
		rc = err_msg(rc, "%s:%s has no %saddress to ping", n->lab, n->node,
			     family == AF_INET ? "IPv4 " : family == AF_INET6 ? "IPv6 " : "");
	labsel_close(&ls);
	return rc;
}

int ping_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "lab", required_argument, NULL, 'l' }, { "count", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },     { NULL, 0, NULL, 0 },
	};
	const char *lab = NULL, *count = PING_COUNT_DEFAULT;
	char addr[INET6_ADDRSTRLEN + 1];
	struct labsel_node from, to;
	uint8_t bin[16];
	int family = 0, c, rc, nargs, fd, dd;
	bool to_addr;
	char **args;

	/* What follows -- is ping's; our options may come before or after the
	 * node names (nslab ping red blue -c 2), so getopt only sees up to --. */
	for (dd = 1; dd < argc && strcmp(argv[dd], "--") != 0; dd++)
		;
	optind = 1;
	while ((c = getopt_long(dd, argv, "l:c:46h", opts, NULL)) != -1) {
		switch (c) {
		case 'l':
			lab = optarg;
			break;
		case 'c':
			if (strspn(optarg, "0123456789") != strlen(optarg) || !*optarg || strlen(optarg) > 9)
				return cli_usage_error("ping", "-c wants a count, not %s", optarg);
			count = optarg;
			break;
		case '4':
		case '6':
			if (family && family != (c == '4' ? AF_INET : AF_INET6))
				return cli_usage_error("ping", "-4 or -6, not both");
			family = c == '4' ? AF_INET : AF_INET6;
			break;
		case 'h':
			help();
			return EXIT_OK;
		default:
			return cli_bad_option("ping", argv, "l:c:46h");
		}
	}
	if (dd - optind < 2)
		return cli_usage_error("ping", "ping which node from which? (nslab ping red blue)");
	if (dd - optind > 2)
		return cli_usage_error("ping", "too many arguments (ping's own options go after --)");
	to_addr = inet_pton(AF_INET, argv[optind + 1], bin) == 1 ||
		  inet_pton(AF_INET6, argv[optind + 1], bin) == 1;
	rc = labsel_node(argv[optind], lab, &from);
	if (rc == -EINVAL && !lab && !to_addr && !strchr(argv[optind], ':')) {
		/* FROM is in several labs (host is in all): TO may say which. */
		rc = labsel_node(argv[optind + 1], NULL, &to);
		rc = labsel_node(argv[optind], rc ? NULL : to.lab, &from);
	}
	if (rc)
		return cli_fail(rc);
	if (to_addr) {
		snprintf(addr, sizeof(addr), "%s", argv[optind + 1]);
	} else {
		rc = labsel_node(argv[optind + 1], strchr(argv[optind + 1], ':') ? NULL : from.lab, &to);
		if (!rc && !family) {
			family = common_family(&from, &to);
			rc = family < 0 ? family : 0;
		}
		if (!rc)
			rc = node_addr(&to, family, false, addr, sizeof(addr));
		if (rc)
			return cli_fail(rc);
	}
	nargs = dd < argc ? argc - dd - 1 : 0;
	args = calloc((size_t)nargs + 6, sizeof(*args));
	if (!args)
		return cli_fail(-ENOMEM);
	c = 0;
	args[c++] = "ping";
	if (strcmp(count, "0") != 0) {
		args[c++] = "-c";
		args[c++] = (char *)count;
	}
	for (int i = 0; i < nargs; i++)
		args[c++] = argv[dd + 1 + i];
	args[c++] = addr;
	args[c] = NULL;
	if (from.netns[0]) {
		rc = netns_open(from.netns, &fd);
		if (rc) {
			free(args);
			return cli_fail(err_set(rc, "%s: opening network namespace %s", from.node, from.netns));
		}
		if (setns(fd, CLONE_NEWNET)) {
			rc = -errno;
			close(fd);
			free(args);
			return cli_fail(err_set(rc, "%s: entering network namespace %s", from.node, from.netns));
		}
		close(fd);
	}
	fflush(stdout);
	execvp("ping", args);
	rc = errno;
	fprintf(stderr, "nslab ping: ping: %s%s\n", strerror(rc),
		rc == ENOENT ? " (apt-get install iputils-ping)" : "");
	free(args);
	return rc == ENOENT ? 127 : 126;
}
