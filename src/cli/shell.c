// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nslab cli: an interactive shell on a running lab, in the manner of
 * Mininet's CLI, on libedit (BSD-licensed line editing, history, and
 * completion bound to Tab).
 *
 *   red ping blue       NODE CMD...: CMD runs inside NODE (through `sh -c`),
 *                       with words that are host names replaced by the
 *                       host's first address
 *   pingall, ping A B, show [...], switch SW fdb, graph, ls, exec NODE
 *                       the nslab commands, on this lab
 *   help, exit, quit, end of input
 *
 * Every command runs in a child process: the command functions keep state
 * in globals (getopt's optind, the error message buffer) and may exec or
 * exit, none of which may leak into the shell. While a child runs the
 * shell ignores SIGINT, so Ctrl-C reaches (and ends) the command only; at
 * the prompt it abandons the line being typed.
 */
#include <errno.h>
#include <fcntl.h>
#include <histedit.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <wchar.h>

#include "cli/cli.h"
#include "cli/labsel.h"
#include "common/errmsg.h"
#include "common/strbuf.h"
#include "lab/reach.h"
#include "topo/topo.h"

#define HISTORY_FILE ".nslab_history"
#define HISTORY_SIZE 1000
#define ARGS_MAX 128

/* A built-in: which command function, and how it is told the lab. */
enum lab_arg { LAB_NONE, LAB_OPT, LAB_POSITIONAL };

struct builtin {
	const char *name;
	int (*main)(int argc, char **argv);
	enum lab_arg lab;
	const char *help;
};

static const struct builtin builtins[] = {
	{ "pingall", pingall_main, LAB_OPT, "pingall [-4|-6] [-j] [-t S]   who reaches whom" },
	{ "ping", ping_main, LAB_OPT, "ping [-c N] [-4|-6] A B        ping B from A" },
	{ "show", show_main, LAB_POSITIONAL, "show [NODE|SWITCH|host]      the lab, a node, a switch" },
	{ "switch", switch_main, LAB_OPT, "switch SW [ports|fdb|stats|flows|mdb]  a switch's own state" },
	{ "graph", graph_main, LAB_OPT, "graph [-f dot|mermaid]       the topology as a graph" },
	{ "exec", exec_main, LAB_OPT, "exec NODE [CMD...]           a command or a shell in NODE" },
	{ "ls", ls_main, LAB_NONE, "ls                           running labs" },
};

struct shell {
	char lab[64];
	struct labsel ls;       /* reloaded before each line: the lab may change */
	bool loaded;
	EditLine *el;
	History *hist;
	char hist_path[4096];
	bool hist_save;
};

static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
}

static void help(void)
{
	printf("Usage: nslab cli [-l LAB | LAB]\n\n"
	       "An interactive shell on a running lab (default: the only one), with\n"
	       "history (~/" HISTORY_FILE ") and Tab completion of commands and names:\n"
	       "  NODE CMD...   run CMD inside NODE (a host, \"host\" or \"inet\"); words that\n"
	       "                name a host, \"host\" or \"inet\" become its first address\n"
	       "                (IPv6 with -6 in CMD): red ping -c1 blue\n"
	       "  NODE          an interactive shell inside NODE\n");
	for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
		printf("  %s\n", builtins[i].help);
	printf("  help          this list\n"
	       "  exit, quit    leave (so does Ctrl-D); Ctrl-C stops the running command\n");
}

/* ---- the lab ---- */

static void reload(struct shell *sh)
{
	if (sh->loaded)
		labsel_close(&sh->ls);
	sh->loaded = labsel_open(sh->lab, &sh->ls) == 0;
	if (!sh->loaded) {
		err_print(stderr, "nslab cli", -ENOENT);
		err_clear();
	}
}

static bool is_node(const struct shell *sh, const char *w)
{
	if (!strcmp(w, "host"))
		return true;
	if (!sh->loaded)
		return false;
	if (!strcmp(w, "inet"))
		return sh->ls.meta.sandbox;
	return topo_host_find(sh->ls.topo, w) != NULL;
}

/* ---- running things in a child ---- */

static int run_child(int (*fn)(int, char **), int argc, char **argv)
{
	struct sigaction ign = { .sa_handler = SIG_IGN }, old;
	int status;
	pid_t pid;

	fflush(NULL);
	sigemptyset(&ign.sa_mask);
	sigaction(SIGINT, &ign, &old);
	pid = fork();
	if (pid < 0) {
		sigaction(SIGINT, &old, NULL);
		fprintf(stderr, "nslab cli: fork: %s\n", strerror(errno));
		return EXIT_FAIL;
	}
	if (pid == 0) {
		int rc;

		/* A command's own Ctrl-C: the default, or what it sets up (ping
		 * prints its statistics). SIG_IGN would survive exec. */
		signal(SIGINT, SIG_DFL);
		signal(SIGQUIT, SIG_DFL);
		rc = fn(argc, argv);
		fflush(NULL);
		_exit(rc);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	sigaction(SIGINT, &old, NULL);
	if (WIFSIGNALED(status)) {
		if (WTERMSIG(status) == SIGINT)
			putchar('\n');
		return 128 + WTERMSIG(status);
	}
	return WEXITSTATUS(status);
}

/* Split a line into words: blanks separate, '...' and "..." quote, \ escapes.
 * The words point into buf (the line, modified). */
static int split(char *buf, char **argv, int max)
{
	int argc = 0;
	char *r = buf, *w = buf;

	while (*r) {
		char quote = 0;

		while (*r == ' ' || *r == '\t')
			r++;
		if (!*r)
			break;
		if (argc == max - 1)
			return -E2BIG;
		argv[argc++] = w;
		for (; *r && (quote || (*r != ' ' && *r != '\t')); r++) {
			if (quote && *r == quote)
				quote = 0;
			else if (!quote && (*r == '\'' || *r == '"'))
				quote = *r;
			else if (*r == '\\' && r[1] && quote != '\'')
				*w++ = *++r;
			else
				*w++ = *r;
		}
		if (quote)
			return -EINVAL;
		if (*r)
			r++;
		*w++ = '\0';
	}
	argv[argc] = NULL;
	return argc;
}

static void run_builtin(struct shell *sh, const struct builtin *b, char *rest)
{
	char *words[ARGS_MAX], *argv[ARGS_MAX + 4], opt_l[] = "-l";
	int n = split(rest, words, ARGS_MAX), argc = 0, positional = 0;

	if (n < 0) {
		fprintf(stderr, "nslab cli: %s\n", n == -E2BIG ? "too many words" : "unbalanced quotes");
		return;
	}
	argv[argc++] = (char *)b->name;
	if (b->lab == LAB_OPT) {
		argv[argc++] = opt_l;
		argv[argc++] = sh->lab;
	}
	for (int i = 0; i < n; i++)
		positional += words[i][0] != '-';
	/* show [LAB] [WHAT]: the lab goes first unless both are given. */
	if (b->lab == LAB_POSITIONAL && positional < 2)
		argv[argc++] = sh->lab;
	for (int i = 0; i < n; i++)
		argv[argc++] = words[i];
	argv[argc] = NULL;
	run_child(b->main, argc, argv);
}

/* NODE CMD: words naming hosts become their first address, the rest of the
 * line is kept as typed (so pipes and quotes work), and sh -c runs it. */
/* The address family a node's command asks for: -4 or -6 among its words,
 * or a program whose name ends in 6 (ping6, traceroute6); AF_UNSPEC. */
static int cmd_family(const char *cmd)
{
	size_t first = strcspn(cmd + strspn(cmd, " \t"), " \t");
	const char *p = cmd + strspn(cmd, " \t");

	if (first && p[first - 1] == '6')
		return AF_INET6;
	for (const char *w = p; *w; w += strcspn(w, " \t"), w += strspn(w, " \t")) {
		size_t n = strcspn(w, " \t");

		if (n == 2 && !strncmp(w, "-6", 2))
			return AF_INET6;
		if (n == 2 && !strncmp(w, "-4", 2))
			return AF_INET;
	}
	return AF_UNSPEC;
}

static void run_in_node(struct shell *sh, const char *node, const char *cmd)
{
	struct strbuf line = STRBUF_INIT;
	char opt_l[] = "-l", dd[] = "--", shell[] = "/bin/sh", opt_c[] = "-c", exec_[] = "exec";
	char *argv[10];
	int argc = 0;

	int family = cmd_family(cmd);
	/* A node with IPv6 addresses only reaches others at theirs, as
	 * nslab ping and pingall choose. */
	bool prefer6 = !family && sh->loaded && labsel_families(&sh->ls, node) == LABSEL_V6;

	while (*cmd) {
		size_t blank = strspn(cmd, " \t"), len;
		char word[TOPO_HOST_MAX + 2], addr[TOPO_CIDR_STRLEN];

		sb_append(&line, cmd, blank);
		cmd += blank;
		len = strcspn(cmd, " \t");
		if (!len)
			break;
		word[0] = '\0';
		if (len < sizeof(word) && sh->loaded) {
			memcpy(word, cmd, len);
			word[len] = '\0';
		}
		/* A host, "host" or "inet" becomes its address, in the family
		 * the command asks for (-4, -6, ping6). */
		if (word[0] && (topo_host_find(sh->ls.topo, word) || !strcmp(word, "host") ||
				!strcmp(word, "inet")) &&
		    labsel_addr(&sh->ls, word, family, prefer6, addr, sizeof(addr)) == 0)
			sb_puts(&line, addr);
		else
			sb_append(&line, cmd, len);
		cmd += len;
	}
	if (sb_error(&line)) {
		sb_free(&line);
		return;
	}
	argv[argc++] = exec_;
	argv[argc++] = opt_l;
	argv[argc++] = sh->lab;
	argv[argc++] = (char *)node;
	if (line.len) {
		argv[argc++] = dd;
		argv[argc++] = shell;
		argv[argc++] = opt_c;
		argv[argc++] = line.s;
	}
	argv[argc] = NULL;
	run_child(exec_main, argc, argv);
	sb_free(&line);
}

/* One line; false to leave the shell. */
static bool run_line(struct shell *sh, char *line)
{
	char *first, *rest;
	size_t n;

	line += strspn(line, " \t");
	n = strlen(line);
	while (n && (line[n - 1] == '\n' || line[n - 1] == ' ' || line[n - 1] == '\t'))
		line[--n] = '\0';
	if (!n || line[0] == '#')
		return true;
	first = line;
	rest = line + strcspn(line, " \t");
	if (*rest)
		*rest++ = '\0';
	rest += strspn(rest, " \t");
	if (!strcmp(first, "exit") || !strcmp(first, "quit"))
		return false;
	if (!strcmp(first, "help") || !strcmp(first, "?")) {
		help();
		return true;
	}
	reload(sh);
	for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++) {
		if (!strcmp(first, builtins[i].name)) {
			run_builtin(sh, &builtins[i], rest);
			return true;
		}
	}
	if (is_node(sh, first))
		run_in_node(sh, first, rest);
	else
		fprintf(stderr, "nslab cli: %s is neither a command nor a node of lab %s; type help\n",
			first, sh->lab);
	return true;
}

/* ---- completion ---- */

struct cands {
	const char *v[512];
	size_t n;
};

static void cand(struct cands *c, const char *prefix, const char *s)
{
	if (c->n < sizeof(c->v) / sizeof(c->v[0]) && !strncmp(s, prefix, strlen(prefix)))
		c->v[c->n++] = s;
}

static void cand_nodes(const struct shell *sh, struct cands *c, const char *prefix, bool switches)
{
	if (!sh->loaded)
		return;
	for (size_t h = 0; h < sh->ls.topo->n_hosts; h++)
		cand(c, prefix, sh->ls.topo->hosts[h].name);
	cand(c, prefix, "host");
	if (sh->ls.meta.sandbox)
		cand(c, prefix, "inet");
	for (size_t s = 0; switches && s < sh->ls.topo->n_switches; s++)
		cand(c, prefix, sh->ls.topo->switches[s].name);
}

/* The candidates for the word at index idx (words[0..idx-1] before it). */
static void candidates(const struct shell *sh, char **words, int idx, const char *prefix,
		       struct cands *c)
{
	static const char *const views[] = { "ports", "fdb", "stats", "flows", "mdb" };

	if (idx == 0) {
		for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
			cand(c, prefix, builtins[i].name);
		cand(c, prefix, "help");
		cand(c, prefix, "exit");
		cand(c, prefix, "quit");
		cand_nodes(sh, c, prefix, false);
	} else if (!strcmp(words[0], "switch")) {
		if (idx == 1 && sh->loaded)
			for (size_t s = 0; s < sh->ls.topo->n_switches; s++)
				cand(c, prefix, sh->ls.topo->switches[s].name);
		else if (idx == 2)
			for (size_t v = 0; v < sizeof(views) / sizeof(views[0]); v++)
				cand(c, prefix, views[v]);
	} else if (!strcmp(words[0], "show")) {
		cand_nodes(sh, c, prefix, true);
	} else if (!strcmp(words[0], "ls") || !strcmp(words[0], "pingall") ||
		   !strcmp(words[0], "graph") || !strcmp(words[0], "help")) {
		/* options only */
	} else {
		/* ping A B, exec NODE, NODE CMD ... names: */
		cand_nodes(sh, c, prefix, false);
	}
}

static void list_cands(const struct cands *c)
{
	size_t w = 0, cols, col = 0;

	for (size_t i = 0; i < c->n; i++)
		w = strlen(c->v[i]) > w ? strlen(c->v[i]) : w;
	cols = 78 / (w + 2);
	cols = cols ? cols : 1;
	putchar('\n');
	for (size_t i = 0; i < c->n; i++) {
		printf("%-*s", (int)(w + 2), c->v[i]);
		if (++col == cols || i + 1 == c->n) {
			putchar('\n');
			col = 0;
		}
	}
}

static unsigned char complete(EditLine *el, int ch)
{
	const LineInfo *li = el_line(el);
	struct shell *sh = NULL;
	char before[1024], prefix[256], *words[64];
	size_t len = (size_t)(li->cursor - li->buffer), start = len, common;
	struct cands c = { .n = 0 };
	int idx;

	(void)ch;
	el_get(el, EL_CLIENTDATA, &sh);
	if (!sh || len >= sizeof(before))
		return CC_ERROR;
	while (start > 0 && li->buffer[start - 1] != ' ' && li->buffer[start - 1] != '\t')
		start--;
	if (len - start >= sizeof(prefix))
		return CC_ERROR;
	memcpy(prefix, li->buffer + start, len - start);
	prefix[len - start] = '\0';
	memcpy(before, li->buffer, start);
	before[start] = '\0';
	idx = split(before, words, 64);
	if (idx < 0)
		return CC_ERROR;
	candidates(sh, words, idx, prefix, &c);
	if (!c.n)
		return CC_REFRESH_BEEP;
	common = strlen(c.v[0]);
	for (size_t i = 1; i < c.n; i++) {
		size_t k = 0;

		while (k < common && c.v[i][k] == c.v[0][k])
			k++;
		common = k;
	}
	if (c.n == 1) {
		char buf[300];

		snprintf(buf, sizeof(buf), "%s ", c.v[0] + strlen(prefix));
		return el_insertstr(el, buf) ? CC_ERROR : CC_REFRESH;
	}
	if (common > strlen(prefix)) {
		char buf[300];

		snprintf(buf, sizeof(buf), "%.*s", (int)(common - strlen(prefix)), c.v[0] + strlen(prefix));
		return el_insertstr(el, buf) ? CC_ERROR : CC_REFRESH;
	}
	list_cands(&c);
	return CC_REDISPLAY;
}

/* ---- input ---- */

/* One character for libedit, read here so that Ctrl-C at the prompt ends
 * el_gets (the read fails with EINTR: the handler is set without
 * SA_RESTART) instead of being retried inside libedit. */
static int getc_fn(EditLine *el, wchar_t *wc)
{
	static mbstate_t st;
	char b;

	(void)el;
	for (;;) {
		ssize_t n = read(STDIN_FILENO, &b, 1);
		size_t r;

		if (n == 0)
			return 0;
		if (n < 0) {
			if (errno == EINTR && !interrupted)
				continue;
			return -1;
		}
		r = mbrtowc(wc, &b, 1, &st);
		if (r == (size_t)-2)
			continue;
		if (r == (size_t)-1) {
			memset(&st, 0, sizeof(st));
			*wc = (unsigned char)b;
		}
		return 1;
	}
}

static const char *prompt_str;

static char *prompt(EditLine *el)
{
	(void)el;
	return (char *)prompt_str;
}

static void history_setup(struct shell *sh)
{
	const char *home = getenv("HOME");
	HistEvent ev;
	int fd;

	if (!home || !*home) {
		struct passwd *pw = getpwuid(getuid());

		home = pw ? pw->pw_dir : NULL;
	}
	sh->hist = history_init();
	if (!sh->hist)
		return;
	history(sh->hist, &ev, H_SETSIZE, HISTORY_SIZE);
	history(sh->hist, &ev, H_SETUNIQUE, 1);
	el_set(sh->el, EL_HIST, history, sh->hist);
	if (!home || snprintf(sh->hist_path, sizeof(sh->hist_path), "%s/" HISTORY_FILE, home) >=
			     (int)sizeof(sh->hist_path))
		return;
	/* Kept only where it can be written; otherwise the shell has a
	 * history for this session alone. */
	fd = open(sh->hist_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	close(fd);
	sh->hist_save = true;
	history(sh->hist, &ev, H_LOAD, sh->hist_path);
}

int shell_main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_sigint };
	struct shell sh = { 0 };
	static char prompt_buf[96]; /* prompt_str points here */
	int status = EXIT_OK, rc;

	optind = 1;
	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		help();
		return EXIT_OK;
	}
	/* -l LAB, as the other commands take it, or LAB */
	if (argc == 3 && (!strcmp(argv[1], "-l") || !strcmp(argv[1], "--lab"))) {
		argv[1] = argv[2];
		argc = 2;
	}
	if (argc > 2 || (argc == 2 && argv[1][0] == '-'))
		return cli_usage_error("cli", argc > 2 ? "one lab at most" : "unknown option");
	rc = labsel_open(argc == 2 ? argv[1] : NULL, &sh.ls);
	if (rc)
		return cli_fail(rc);
	sh.loaded = true;
	snprintf(sh.lab, sizeof(sh.lab), "%s", sh.ls.meta.name);
	snprintf(prompt_buf, sizeof(prompt_buf), "nslab(%s)> ", sh.lab);
	prompt_str = prompt_buf;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL); /* no SA_RESTART: see getc_fn */
	sh.el = el_init("nslab", stdin, stdout, stderr);
	if (!sh.el) {
		labsel_close(&sh.ls);
		return cli_fail(err_set(-ENOMEM, "starting the line editor"));
	}
	el_set(sh.el, EL_EDITOR, "emacs");
	el_set(sh.el, EL_PROMPT, prompt);
	el_set(sh.el, EL_CLIENTDATA, &sh);
	el_set(sh.el, EL_GETCFN, getc_fn);
	/* The wide call: the narrow EL_ADDFN copies the name and never frees
	 * it (libedit's eln.c says so). */
	el_wset(sh.el, EL_ADDFN, L"nslab-complete", L"complete a command or name", complete);
	el_set(sh.el, EL_BIND, "^I", "nslab-complete", NULL);
	el_source(sh.el, NULL); /* ~/.editrc, as other libedit programs read it */
	history_setup(&sh);
	if (!isatty(STDIN_FILENO) && !cli_quiet)
		prompt_str = "";

	for (;;) {
		const char *line;
		char *copy;
		int count = 0;

		interrupted = 0;
		line = el_gets(sh.el, &count);
		if (!line) {
			if (interrupted) {
				/* Ctrl-C: drop the line, as shells do. */
				printf("^C\n");
				continue;
			}
			if (isatty(STDIN_FILENO))
				putchar('\n');
			break;
		}
		if (sh.hist && strspn(line, " \t\n") != strlen(line)) {
			char entry[4096];
			HistEvent ev;

			snprintf(entry, sizeof(entry), "%.*s", (int)strcspn(line, "\n"), line);
			history(sh.hist, &ev, H_ENTER, entry);
			if (sh.hist_save && history(sh.hist, &ev, H_SAVE, sh.hist_path) < 0)
				sh.hist_save = false;
		}
		copy = strdup(line);
		if (!copy) {
			status = cli_fail(-ENOMEM);
			break;
		}
		rc = run_line(&sh, copy);
		free(copy);
		if (!rc)
			break;
	}
	el_end(sh.el);
	if (sh.hist)
		history_end(sh.hist);
	if (sh.loaded)
		labsel_close(&sh.ls);
	return status;
}
