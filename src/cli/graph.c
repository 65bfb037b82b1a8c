// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nslab graph: a topology as a picture. Hosts are round, switches square,
 * a router (forward: true) a hexagon; an edge per interface, labelled with
 * its name and VLAN (or trunk); direct links join two hosts; each switch
 * shows its kind and gateway; a switch with NAT has an edge to the
 * internet, labelled with the uplink. DOT and Mermaid are written here;
 * SVG is DOT drawn by Graphviz's dot(1), run as a child.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/labsel.h"
#include "common/errmsg.h"
#include "common/strbuf.h"
#include "lab/desired.h"
#include "topo/topo.h"

enum graph_fmt { FMT_DOT, FMT_MERMAID, FMT_SVG };

/* What is drawn besides the topology: where it runs, if it does. */
struct graph_ctx {
	const struct topo *t;
	bool running;
	bool sandbox;
};

static void help(void)
{
	printf("Usage: nslab graph [-l LAB | FILE] [-f dot|mermaid|svg] [-o OUTPUT]\n\n"
	       "Draw a topology: hosts, switches (kind and gateway), the interfaces that\n"
	       "join them (with VLANs), direct links, routers, and NAT to the internet\n"
	       "through the uplink. From a running lab (default: the only one), or from\n"
	       "a topology file (- for standard input), which needs no lab and no root.\n\n"
	       "  -l, --lab LAB        the running lab to draw\n"
	       "  -f, --format FORMAT  dot (Graphviz, the default), mermaid (for Markdown)\n"
	       "                       or svg (drawn by Graphviz's dot: apt-get install\n"
	       "                       graphviz); by default taken from OUTPUT's extension\n"
	       "                       (.svg, .mmd, .dot/.gv)\n"
	       "  -o, --output OUTPUT  write there instead of to standard output\n"
	       "  -h, --help           this help\n\n"
	       "Example: nslab graph -o seed.svg; nslab graph examples/vlans.yaml -f mermaid\n");
}

/* ---- labels ---- */

static void host_lines(const struct topo_host *h, struct strbuf *sb, const char *nl)
{
	char cidr[TOPO_CIDR_STRLEN];

	sb_puts(sb, h->name);
	if (h->forward) {
		sb_puts(sb, nl);
		sb_puts(sb, "router");
	}
	for (size_t i = 0; i < h->n_ifaces; i++)
		for (size_t a = 0; a < h->ifaces[i].n_addrs; a++) {
			sb_puts(sb, nl);
			sb_puts(sb, topo_cidr_str(&h->ifaces[i].addrs[a], cidr, sizeof(cidr)));
		}
}

static void switch_lines(const struct topo_switch *sw, struct strbuf *sb, const char *nl)
{
	char cidr[TOPO_CIDR_STRLEN];

	sb_printf(sb, "%s%s%s switch", sw->name, nl, topo_switch_kind_str(sw->kind));
	for (size_t g = 0; g < sw->n_gateways; g++)
		sb_printf(sb, "%sgateway %s", nl, topo_cidr_str(&sw->gateways[g], cidr, sizeof(cidr)));
}

/* "eth0 trunk 10,20 native 1"; a switch link's port has no name. */
static void port_label(const struct topo_iface *ifc, struct strbuf *sb)
{
	if (ifc->name)
		sb_puts(sb, ifc->name);
	if (sb->len)
		sb_puts(sb, " ");
	if (ifc->n_trunk) {
		sb_puts(sb, "trunk ");
		for (size_t v = 0; v < ifc->n_trunk; v++)
			sb_printf(sb, "%s%u", v ? "," : "", ifc->trunk[v]);
		if (ifc->native_vlan)
			sb_printf(sb, " native %u", ifc->native_vlan);
	} else if (ifc->vlan && ifc->vlan != TOPO_VLAN_DEFAULT) {
		sb_printf(sb, "vlan %u", ifc->vlan);
	} else if (sb->len) {
		sb->s[--sb->len] = '\0';
	}
}

/* A link between switches by its VLAN rule; "link" for plain VLAN 1. */
static void swlink_label(const struct topo_swlink *lk, struct strbuf *sb)
{
	sb_reset(sb);
	port_label(&lk->port[0], sb);
	if (!sb->len)
		sb_puts(sb, "link");
}

static void nat_label(const struct graph_ctx *g, const struct topo_switch *sw, struct strbuf *sb)
{
	if (sw->uplink || (g->running && g->sandbox))
		sb_printf(sb, "NAT via uplink %s", sw->uplink ? sw->uplink : SANDBOX_UPLINK);
	else
		sb_puts(sb, "NAT via the default route's uplink");
}

static bool any_nat(const struct topo *t)
{
	for (size_t s = 0; s < t->n_switches; s++)
		if (t->switches[s].nat)
			return true;
	return false;
}

static void internet_lines(const struct graph_ctx *g, struct strbuf *sb, const char *nl)
{
	sb_puts(sb, "internet");
	if (g->running && g->sandbox)
		sb_printf(sb, "%s(sandbox, %.*s)", nl, (int)strcspn(SANDBOX_SERVER_V4, "/"),
			  SANDBOX_SERVER_V4);
}

/* ---- DOT ---- */

/* A DOT quoted string: names are plain, but escape anyway. */
static void dot_str(struct strbuf *out, const char *s)
{
	sb_puts(out, "\"");
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			sb_puts(out, "\\");
		if (*s == '\n')
			sb_puts(out, "\\n");
		else
			sb_append(out, s, 1);
	}
	sb_puts(out, "\"");
}

static void dot_node(struct strbuf *out, const char *prefix, const char *name, const char *label,
		     const char *attrs)
{
	struct strbuf id = STRBUF_INIT;

	sb_printf(&id, "%s:%s", prefix, name);
	sb_puts(out, "  ");
	dot_str(out, sb_str(&id));
	sb_puts(out, " [label=");
	dot_str(out, label);
	sb_printf(out, ", %s];\n", attrs);
	sb_free(&id);
}

/* An edge between nodes "KIND:NAME" (the ids dot_node gives them). */
static void dot_edge(struct strbuf *out, const char *ka, const char *a, const char *kb,
		     const char *b, const char *label, const char *attrs)
{
	struct strbuf id = STRBUF_INIT;

	sb_printf(&id, "%s:%s", ka, a);
	sb_puts(out, "  ");
	dot_str(out, sb_str(&id));
	sb_puts(out, " -- ");
	sb_reset(&id);
	sb_printf(&id, "%s:%s", kb, b);
	dot_str(out, sb_str(&id));
	sb_puts(out, " [label=");
	dot_str(out, label);
	sb_printf(out, "%s%s];\n", attrs ? ", " : "", attrs ? attrs : "");
	sb_free(&id);
}

static void write_dot(const struct graph_ctx *g, struct strbuf *out)
{
	const struct topo *t = g->t;
	struct strbuf l = STRBUF_INIT;

	sb_puts(out, "graph ");
	dot_str(out, t->name);
	sb_puts(out, " {\n  graph [rankdir=LR, fontname=\"sans-serif\", label=");
	sb_reset(&l);
	sb_printf(&l, "lab %s%s", t->name,
		  g->running ? (g->sandbox ? " (running, sandbox)" : " (running)") : "");
	dot_str(out, sb_str(&l));
	sb_puts(out, ", labelloc=t];\n  node [fontname=\"sans-serif\", fontsize=10];\n"
		     "  edge [fontname=\"sans-serif\", fontsize=9];\n");
	for (size_t s = 0; s < t->n_switches; s++) {
		sb_reset(&l);
		switch_lines(&t->switches[s], &l, "\n");
		dot_node(out, "switch", t->switches[s].name, sb_str(&l),
			 "shape=box, style=filled, fillcolor=\"#dde8f5\"");
	}
	for (size_t h = 0; h < t->n_hosts; h++) {
		sb_reset(&l);
		host_lines(&t->hosts[h], &l, "\n");
		dot_node(out, "host", t->hosts[h].name, sb_str(&l),
			 t->hosts[h].forward ? "shape=hexagon, style=filled, fillcolor=\"#f5e6c8\""
					     : "shape=ellipse, style=filled, fillcolor=\"#e6f2e0\"");
	}
	if (any_nat(t)) {
		sb_reset(&l);
		internet_lines(g, &l, "\n");
		dot_node(out, "net", "internet", sb_str(&l), "shape=octagon, style=dashed");
	}
	for (size_t h = 0; h < t->n_hosts; h++) {
		const struct topo_host *host = &t->hosts[h];

		for (size_t i = 0; i < host->n_ifaces; i++) {
			const struct topo_iface *ifc = &host->ifaces[i];

			if (!ifc->sw)
				continue;
			sb_reset(&l);
			port_label(ifc, &l);
			dot_edge(out, "host", host->name, "switch", ifc->sw->name, sb_str(&l),
				 ifc->n_trunk ? "penwidth=2" : NULL);
		}
	}
	for (size_t k = 0; k < t->n_links; k++) {
		const struct topo_link *lk = &t->links[k];

		sb_reset(&l);
		sb_printf(&l, "%s - %s", lk->end[0].iface->name, lk->end[1].iface->name);
		dot_edge(out, "host", lk->end[0].host->name, "host", lk->end[1].host->name,
			 sb_str(&l), "style=bold");
	}
	for (size_t k = 0; k < t->n_swlinks; k++) {
		const struct topo_swlink *lk = &t->swlinks[k];

		swlink_label(lk, &l);
		dot_edge(out, "switch", lk->port[0].sw->name, "switch", lk->port[1].sw->name,
			 sb_str(&l), lk->port[0].n_trunk ? "penwidth=3" : "penwidth=2");
	}
	for (size_t s = 0; s < t->n_switches; s++) {
		const struct topo_switch *sw = &t->switches[s];

		if (!sw->nat)
			continue;
		sb_reset(&l);
		nat_label(g, sw, &l);
		dot_edge(out, "switch", sw->name, "net", "internet", sb_str(&l), "style=dashed");
	}
	sb_puts(out, "}\n");
	sb_free(&l);
}

/* ---- Mermaid ---- */

/* A Mermaid label in quotes: '"' and the characters Mermaid reads as
 * markup become entity codes (Mermaid's #quot; syntax). */
static void mm_str(struct strbuf *out, const char *s)
{
	sb_puts(out, "\"");
	for (; *s; s++) {
		if (*s == '"')
			sb_puts(out, "#quot;");
		else if (*s == '<')
			sb_puts(out, "#lt;");
		else if (*s == '>')
			sb_puts(out, "#gt;");
		else if (*s == '\n')
			sb_puts(out, "<br/>");
		else
			sb_append(out, s, 1);
	}
	sb_puts(out, "\"");
}

static void mm_edge(struct strbuf *out, const char *a, size_t ai, const char *b, size_t bi,
		    const char *line, const char *label)
{
	sb_printf(out, "  %s%zu %s|", a, ai, line);
	mm_str(out, label);
	sb_printf(out, "| %s%zu\n", b, bi);
}

static void write_mermaid(const struct graph_ctx *g, struct strbuf *out)
{
	const struct topo *t = g->t;
	struct strbuf l = STRBUF_INIT;

	/* Ids are positions (s0, h0): names may hold '-' and '.', which
	 * Mermaid ids do not take everywhere; the names are in the labels. */
	sb_printf(out, "%%%% lab %s\nflowchart LR\n", t->name);
	for (size_t s = 0; s < t->n_switches; s++) {
		sb_reset(&l);
		switch_lines(&t->switches[s], &l, "\n");
		sb_printf(out, "  s%zu[", s);
		mm_str(out, sb_str(&l));
		sb_puts(out, "]\n");
	}
	for (size_t h = 0; h < t->n_hosts; h++) {
		bool router = t->hosts[h].forward;

		sb_reset(&l);
		host_lines(&t->hosts[h], &l, "\n");
		sb_printf(out, "  h%zu%s", h, router ? "{{" : "(");
		mm_str(out, sb_str(&l));
		sb_puts(out, router ? "}}\n" : ")\n");
	}
	if (any_nat(t)) {
		sb_reset(&l);
		internet_lines(g, &l, "\n");
		sb_puts(out, "  inet0((");
		mm_str(out, sb_str(&l));
		sb_puts(out, "))\n");
	}
	for (size_t h = 0; h < t->n_hosts; h++) {
		const struct topo_host *host = &t->hosts[h];

		for (size_t i = 0; i < host->n_ifaces; i++) {
			const struct topo_iface *ifc = &host->ifaces[i];

			if (!ifc->sw)
				continue;
			sb_reset(&l);
			port_label(ifc, &l);
			mm_edge(out, "h", h, "s", (size_t)(ifc->sw - t->switches),
				ifc->n_trunk ? "===" : "---", sb_str(&l));
		}
	}
	for (size_t k = 0; k < t->n_links; k++) {
		const struct topo_link *lk = &t->links[k];

		sb_reset(&l);
		sb_printf(&l, "%s - %s", lk->end[0].iface->name, lk->end[1].iface->name);
		mm_edge(out, "h", (size_t)(lk->end[0].host - t->hosts), "h",
			(size_t)(lk->end[1].host - t->hosts), "===", sb_str(&l));
	}
	for (size_t k = 0; k < t->n_swlinks; k++) {
		const struct topo_swlink *lk = &t->swlinks[k];

		swlink_label(lk, &l);
		mm_edge(out, "s", (size_t)(lk->port[0].sw - t->switches), "s",
			(size_t)(lk->port[1].sw - t->switches), "===", sb_str(&l));
	}
	for (size_t s = 0; s < t->n_switches; s++) {
		if (!t->switches[s].nat)
			continue;
		sb_reset(&l);
		nat_label(g, &t->switches[s], &l);
		mm_edge(out, "s", s, "inet", 0, "-.-", sb_str(&l));
	}
	sb_free(&l);
}

/* ---- output ---- */

/* dot(1) on PATH, as execvp would find it. */
static bool have_dot(void)
{
	const char *path = getenv("PATH");
	char buf[4096];

	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path) {
		size_t n = strcspn(path, ":");

		snprintf(buf, sizeof(buf), "%.*s/dot", (int)n, path);
		if (n && access(buf, X_OK) == 0)
			return true;
		path += n + (path[n] == ':');
	}
	return false;
}

static int write_all(int fd, const char *s, size_t len)
{
	while (len) {
		ssize_t n = write(fd, s, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		s += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Feed the DOT text to `dot -Tsvg`, its output to outfd. */
static int run_dot(const char *text, size_t len, int outfd)
{
	int pfd[2], status, rc;
	pid_t pid;

	if (pipe2(pfd, O_CLOEXEC))
		return err_set(-errno, "making a pipe for dot");
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		rc = -errno;
		close(pfd[0]);
		close(pfd[1]);
		return err_set(rc, "starting dot");
	}
	if (pid == 0) {
		dup2(pfd[0], STDIN_FILENO);
		if (outfd != STDOUT_FILENO)
			dup2(outfd, STDOUT_FILENO);
		execlp("dot", "dot", "-Tsvg", (char *)NULL);
		fprintf(stderr, "nslab graph: dot: %s\n", strerror(errno));
		_exit(127);
	}
	close(pfd[0]);
	rc = write_all(pfd[1], text, len);
	close(pfd[1]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return err_set(-errno, "waiting for dot");
	if (rc)
		return err_set(rc, "writing to dot");
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return err_msg(-EIO, "dot failed to draw the graph");
	return 0;
}

/* A format name, or a file extension in any case (G.SVG). */
static int parse_fmt(const char *s, enum graph_fmt *f)
{
	if (!strcasecmp(s, "dot") || !strcasecmp(s, "gv"))
		*f = FMT_DOT;
	else if (!strcasecmp(s, "mermaid") || !strcasecmp(s, "mmd"))
		*f = FMT_MERMAID;
	else if (!strcasecmp(s, "svg"))
		*f = FMT_SVG;
	else
		return -EINVAL;
	return 0;
}

/* DOT for a name without an extension; -EINVAL for one nslab cannot
 * write (x.png would get DOT text under a picture's name). */
static int fmt_of_file(const char *path, enum graph_fmt *f)
{
	const char *dot = strrchr(path, '.');

	*f = FMT_DOT;
	if (!dot || strchr(dot, '/'))
		return 0;
	return parse_fmt(dot + 1, f);
}

static int emit(const struct graph_ctx *g, enum graph_fmt fmt, const char *output)
{
	struct strbuf text = STRBUF_INIT;
	int fd = STDOUT_FILENO, rc;

	if (fmt == FMT_SVG && !have_dot())
		return err_msg(-ENOENT, "SVG is drawn by Graphviz's dot, which is not installed: "
					"apt-get install graphviz (or use -f dot or -f mermaid)");
	if (fmt == FMT_MERMAID)
		write_mermaid(g, &text);
	else
		write_dot(g, &text);
	rc = sb_error(&text);
	if (rc)
		goto out;
	if (output) {
		fd = open(output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd < 0) {
			rc = err_set(-errno, "%s", output);
			goto out;
		}
	}
	fflush(stdout);
	if (fmt == FMT_SVG)
		rc = run_dot(sb_str(&text), text.len, fd);
	else if ((rc = write_all(fd, sb_str(&text), text.len)))
		err_set(rc, "%s", output ? output : "writing the graph");
	if (output && close(fd) && !rc)
		rc = err_set(-errno, "%s", output);
out:
	sb_free(&text);
	return rc;
}

/* A word that can only be a topology file, never a lab's name. */
static bool has_yaml_ext(const char *s)
{
	const char *dot = strrchr(s, '.');

	return dot && (!strcasecmp(dot, ".yaml") || !strcasecmp(dot, ".yml"));
}

int graph_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "lab", required_argument, NULL, 'l' },    { "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *lab = NULL, *file = NULL, *output = NULL;
	struct topo_diag diag = { 0 };
	struct graph_ctx g = { 0 };
	struct topo *t = NULL;
	struct labsel ls = { 0 };
	enum graph_fmt fmt = FMT_DOT;
	bool fmt_given = false;
	struct stat st;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "l:f:o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'l':
			lab = optarg;
			break;
		case 'f':
			if (parse_fmt(optarg, &fmt))
				return cli_usage_error("graph", "-f is dot, mermaid or svg, not %s", optarg);
			fmt_given = true;
			break;
		case 'o':
			/* "-" is standard output, as FILE "-" is standard input. */
			output = strcmp(optarg, "-") ? optarg : NULL;
			break;
		case 'h':
			help();
			return EXIT_OK;
		default:
			return cli_bad_option("graph", argv, "l:f:o:h");
		}
	}
	if (argc - optind > 1)
		return cli_usage_error("graph", "one lab or topology file at most");
	if (optind < argc) {
		/* A path to a file, or else the name of a running lab. */
		if (lab)
			return cli_usage_error("graph", "a lab (-l) or a file, not both");
		if (!strcmp(argv[optind], "-") || stat(argv[optind], &st) == 0 || strchr(argv[optind], '/') ||
		    has_yaml_ext(argv[optind]))
			file = argv[optind];
		else
			lab = argv[optind];
	}
	if (!fmt_given && output && fmt_of_file(output, &fmt))
		return cli_usage_error("graph", "cannot tell a format from OUTPUT's extension: "
						"use .svg, .mmd, .dot or .gv, or say which with -f");
	if (file) {
		rc = topo_parse_file(file, &t, &diag);
		if (rc == -EINVAL && diag.n) {
			topo_diag_print(&diag, stderr);
			topo_diag_free(&diag);
			return EXIT_USAGE;
		}
		topo_diag_free(&diag);
		if (rc) {
			err_print(stderr, "nslab graph", rc);
			return EXIT_USAGE;
		}
		g.t = t;
	} else {
		rc = labsel_open(lab, &ls);
		if (rc)
			return cli_fail(rc);
		g.t = ls.topo;
		g.running = true;
		g.sandbox = ls.meta.sandbox;
	}
	rc = emit(&g, fmt, output);
	topo_free(t);
	labsel_close(&ls);
	return rc ? cli_fail(rc) : EXIT_OK;
}
