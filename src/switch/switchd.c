// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nslab-switchd: the userspace L2 switch. This file is the daemon's front
 * end: options, detaching, the pid file, signals and the event loop's
 * handlers. The switch itself is in the library beside it (sw, port,
 * pipeline, fdb, vlan, ctl); see README.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/errmsg.h"
#include "common/log.h"
#include "switch/ctl.h"
#include "switch/ev.h"
#include "switch/fastpath.h"
#include "switch/linkmon.h"
#include "switch/pidfile.h"
#include "switch/pipeline.h"
#include "switch/snoop.h"
#include "switch/sw.h"

#define PROG "nslab-switchd"
#define RX_BATCHES_PER_EVENT 4 /* then let other ports and the control socket in */
#define TICK_MS 1000
#define DEFAULT_POLL_US 0
#define DEFAULT_LINGER_US 200
#define LINGER_MIN_BATCH 16
#define LINGER_MIN_SLOTS 512

static const char usage[] =
	"Usage: " PROG " --config FILE [--control SOCK] [--log FILE] [--pidfile FILE]\n"
	"                     [--detach] [--poll-us N] [--linger-us N] [--no-fast-path]\n"
	"                     [--flows N]\n"
	"                     [-v] [--help] [--version]\n"
	"\n"
	"A userspace L2 learning switch with VLANs, moving frames between network\n"
	"interfaces (the switch-side ends of veth pairs) through AF_PACKET rings.\n"
	"It is normally started by `nslab up`; to run it by hand, inside the\n"
	"namespace that holds the ports:\n"
	"\n"
	"  echo '{\"switch\":\"sw0\",\"ports\":[{\"name\":\"a-sw\"},{\"name\":\"b-sw\"}]}' >sw0.json\n"
	"  " PROG " --config sw0.json --control /run/sw0.sock\n"
	"  echo '{\"cmd\":\"fdb\"}' | socat - UNIX-CONNECT:/run/sw0.sock\n"
	"\n"
	"Options:\n"
	"  --config FILE    JSON configuration: switch name, fdb size/aging, ports\n"
	"  --control SOCK   Unix socket for requests (status, ports, fdb, flows, mdb,\n"
	"                   stats, fdb-flush, reload, query), one JSON object per line\n"
	"  --log FILE       also log to FILE (the only log once detached)\n"
	"  --pidfile FILE   write and lock a pid file\n"
	"  --detach         run in the background; return once every port forwards\n"
	"                   (exit 0), or print why not (exit 1)\n"
	"  --poll-us N      after frames, keep polling N us before sleeping (default 0)\n"
	"  --linger-us N    under load, wait N us between batches (default 200, 0 off)\n"
	"  --no-fast-path   forward every frame here; by default known unicast flows\n"
	"                   are handed to the kernel (BPF)\n"
	"  --flows N        the most flows the kernel holds at once, 64..1048576\n"
	"                   (default 16384); idle ones go after 10 s, or 1 s when\n"
	"                   the table is three-quarters full\n"
	"  -v, --verbose    debug messages\n"
	"  -h, --help       this text\n"
	"  --version        print the version\n"
	"\n"
	"Signals: SIGTERM/SIGINT stop cleanly; SIGHUP reloads the configuration.\n"
	"See nslab-switchd(8).\n";

struct daemon {
	struct sw *sw;
	struct ev *ev;
	struct ctl *ctl;
	struct pidfile *pidfile;
	int sigfd, timerfd;
	int linkfd; /* link events (linkmon.h), -1 without */
	bool ports_changed; /* a port's state changed this round (round_end) */
	uint64_t spin_ns;
	uint64_t linger_ns;
};

static struct daemon d = { .sigfd = -1, .timerfd = -1, .linkfd = -1 };

static uint32_t now_s(void)
{
	struct timespec ts;

	/* The coarse clock is a vDSO read of the last tick: cheap enough for
	 * every batch, exact enough for aging in seconds. */
	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (uint32_t)ts.tv_sec;
}

/* Look at p's interface again (err: what its socket reported, or 0):
 * detach it if it is gone, say so if its state changed (the fast path
 * follows at the round's end, once for a burst of link events), forget a
 * send error once it is up. False if detached. */
static bool port_check(struct sw *sw, struct port *p, int err)
{
	enum port_state was = p->state;

	port_refresh_state(p);
	if (p->state == PORT_GONE) {
		/* as nslab takes a host away, before its reload: no alarm */
		log_info("port %s: the interface is gone; detached", p->name);
		sw_detach(sw, p);
		return false;
	}
	if (p->state == PORT_UP)
		p->tx_errno = 0;
	/* Up again, or for the first time since it was attached (a link to a
	 * bridge whose port comes up after the daemon starts): the query sent
	 * at attach may have been lost. Ask again: the hosts behind it report
	 * their groups, another switch behind it hears a querier. What it
	 * said before is kept: a router behind it is not heard again until
	 * its own next query. */
	if (p->state == PORT_UP && was != PORT_UP)
		snoop_port_ask(sw, p->index);
	if (p->state != was) {
		log_info("port %s: %s%s%s", p->name, port_state_name(p->state), err ? ": " : "",
			 err ? strerror(-err) : "");
		d.ports_changed = true;
	}
	return true;
}

/* Detach ports that the data path saw fail, if their interface is gone;
 * forget the error of those that came back. */
static void reap(struct sw *sw)
{
	sw->gone = 0;
	for (unsigned i = 0; i < sw->max_index; i++) {
		struct port *p = sw->ports[i];

		if (p && (p->tx_errno || p->state != PORT_UP))
			port_check(sw, p, 0);
	}
}

static void link_changed(void *arg, int ifindex)
{
	struct sw *sw = arg;

	for (unsigned i = 0; i < sw->max_index; i++)
		if (sw->ports[i] && sw->ports[i]->ifindex == ifindex) {
			port_check(sw, sw->ports[i], 0);
			return;
		}
}

static void link_event(struct ev *ev, int fd, uint32_t events, void *arg)
{
	(void)ev;
	(void)arg;
	(void)events;
	if (linkmon_read(fd, link_changed, d.sw) == -ENOBUFS) {
		/* events were lost: every port may have changed */
		for (unsigned i = 0; i < d.sw->max_index; i++)
			if (d.sw->ports[i])
				port_check(d.sw, d.sw->ports[i], 0);
	}
}

static void port_event(struct ev *ev, int fd, uint32_t events, void *arg)
{
	struct port *p = arg;

	(void)ev;
	(void)fd;
	if ((events & EPOLLERR) && !port_check(d.sw, p, port_socket_error(p)))
		return;
	if (events & EPOLLIN) {
		uint32_t now = now_s();
		unsigned got = 0, n;

		for (int k = 0; k < RX_BATCHES_PER_EVENT; k++) {
			got += n = pl_rx_batch(d.sw, p, now);
			if (n < PORT_BATCH)
				break;
		}
		if (got && d.spin_ns)
			ev_spin(d.ev, d.spin_ns);
		/* Under load (a batch this big), wait a little before looking
		 * again: the next batch is bigger, and the processes we feed,
		 * sharing our CPU, run meanwhile instead of being preempted by
		 * a wakeup per handful of frames. Only where the ring is deep
		 * enough to hold what arrives in the meantime. */
		if (got >= LINGER_MIN_BATCH && p->frame_nr >= LINGER_MIN_SLOTS && d.linger_ns)
			ev_linger(d.ev, d.linger_ns);
	}
	if (d.sw->gone)
		reap(d.sw);
}

static void round_end(void *arg)
{
	(void)arg;
	if (!d.sw)
		return;
	if (d.ports_changed) {
		d.ports_changed = false;
		sw_ports_changed(d.sw);
	}
	pl_round_end(d.sw);
}

static int port_added(void *arg, struct port *p)
{
	(void)arg;
	log_info("port %s attached (ifindex %d, %zu KiB ring, %s)", p->name, p->ifindex,
		 p->ring_len >> 10, p->vlan.mode == VLAN_MODE_ACCESS ? "access" : "trunk");
	return ev_add_bulk(d.ev, p->fd, EPOLLIN, port_event, p);
}

static void port_removed(void *arg, struct port *p)
{
	(void)arg;
	ev_del(d.ev, p->fd);
}

static void tick(struct ev *ev, int fd, uint32_t events, void *arg)
{
	uint64_t n;
	uint32_t aged;

	(void)ev;
	(void)events;
	(void)arg;
	if (read(fd, &n, sizeof(n)) < 0 && errno != EAGAIN)
		return;
	fp_poll(d.sw->fastpath, d.sw, now_s());
	snoop_tick(d.sw, now_s());
	aged = fdb_age(d.sw->fdb, now_s());
	if (aged) {
		log_debug("aged out %u addresses", aged);
		fp_validate(d.sw->fastpath, d.sw, now_s());
	}
	/* Ports that are down are looked at again (gone? back up?). The
	 * kernel's ring-drop counts are read when stats are asked for, not
	 * here: a syscall per port per second adds up with many ports. */
	for (unsigned i = 0; i < d.sw->max_index; i++)
		if (d.sw->ports[i] && d.sw->ports[i]->state != PORT_UP)
			d.sw->gone++;
	if (d.sw->gone)
		reap(d.sw);
}

static void reload(void)
{
	struct swconf *conf;
	int rc = swconf_load(d.sw->config_path, &conf);

	if (!rc) {
		rc = sw_apply(d.sw, conf, NULL, NULL, NULL);
		swconf_free(conf);
	}
	if (rc)
		log_warn("reload: %s", err_text(rc));
	else
		log_info("reloaded %s", d.sw->config_path);
}

static void on_signal(struct ev *ev, int fd, uint32_t events, void *arg)
{
	struct signalfd_siginfo si;

	(void)events;
	(void)arg;
	while (read(fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo == SIGHUP) {
			reload();
		} else {
			log_info("signal %d: stopping", (int)si.ssi_signo);
			ev_stop(ev);
		}
	}
}

static int setup_signals(void)
{
	sigset_t set;
	int rc;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return err_set(-errno, "blocking signals");
	signal(SIGPIPE, SIG_IGN);
	d.sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (d.sigfd < 0)
		return err_set(-errno, "signalfd");
	rc = ev_add(d.ev, d.sigfd, EPOLLIN, on_signal, NULL);
	if (!rc)
		ev_watch(d.ev, d.sigfd);
	return rc;
}

static void teardown(void)
{
	ctl_close(d.ctl);
	d.ctl = NULL;
	sw_free(d.sw);
	d.sw = NULL;
	if (d.timerfd >= 0)
		close(d.timerfd);
	if (d.sigfd >= 0)
		close(d.sigfd);
	if (d.linkfd >= 0)
		close(d.linkfd);
	ev_free(d.ev);
	d.ev = NULL;
	pidfile_close(d.pidfile);
	d.pidfile = NULL;
}

struct opts {
	const char *config, *control, *log, *pidfile;
	bool detach, verbose, no_fast_path;
	uint32_t flows;
};

static int start(const struct opts *o, struct swconf *conf, char *config_abs)
{
	int rc;

	if (o->pidfile && (rc = pidfile_open(&d.pidfile, o->pidfile)))
		return rc;
	if (o->log && (rc = log_open_file(o->log)))
		return err_set(rc, "%s", o->log);
	d.ev = ev_new();
	d.sw = sw_new(conf->name, conf->fdb_size, conf->aging);
	if (!d.ev || !d.sw)
		return err_set(-ENOMEM, "starting");
	d.sw->config_path = config_abs;
	d.sw->hooks = (struct sw_hooks){ port_added, port_removed, NULL };
	ev_on_round_end(d.ev, round_end, NULL);
	d.sw->fast_path_off = o->no_fast_path;
	d.sw->fp_flows = o->flows;
	rc = setup_signals();
	if (rc)
		return rc;
	/* Before the ports, so that no change after they are looked at is
	 * missed. Without it (no memory for a socket?) the once-a-second
	 * look at ports that are not up still notices them coming back, but
	 * not losing their carrier. */
	d.linkfd = linkmon_open();
	rc = d.linkfd < 0 ? d.linkfd : ev_add(d.ev, d.linkfd, EPOLLIN, link_event, NULL);
	if (rc) {
		log_warn("no link events: %s", err_text(rc));
		if (d.linkfd >= 0)
			close(d.linkfd);
		d.linkfd = -1;
	}
	/* The socket before the ports: a second daemon started on a socket a
	 * live one answers on must stop before it touches a port, since its
	 * exit would take the running daemon's fast path hooks with it. */
	if (o->control && (rc = ctl_open(&d.ctl, o->control, d.ev, d.sw)))
		return rc;
	rc = sw_apply(d.sw, conf, NULL, NULL, NULL);
	if (rc)
		return rc;
	d.timerfd = ev_timer(d.ev, TICK_MS, tick, NULL);
	if (d.timerfd < 0)
		return err_set(d.timerfd, "timer");
	log_info("switch %s: %u ports, fdb %u entries, aging %u s, pid %d", d.sw->name, d.sw->n_ports,
		 conf->fdb_size, conf->aging, (int)getpid());
	return 0;
}

/* Fork; the parent waits on a pipe for the child's word: a lone newline
 * when every port forwards and the socket listens, else the error line.
 * Returns 0 in the child; in the parent 1, with the exit status it should
 * end with in *status; or -errno. */
static int daemonize(int *notify_fd, int *status)
{
	int p[2];
	pid_t pid;
	char buf[ERR_MSG_MAX + 64];
	size_t len = 0;
	ssize_t n;

	if (pipe2(p, O_CLOEXEC))
		return err_set(-errno, "pipe");
	pid = fork();
	if (pid < 0)
		return err_set(-errno, "fork");
	if (pid == 0) {
		/* From here the parent speaks for us: errors travel through
		 * the pipe as one line, the rest goes to the log file. */
		log_to_stderr(false);
		close(p[0]);
		setsid();
		*notify_fd = p[1];
		return 0;
	}
	close(p[1]);
	while (len < sizeof(buf) - 1 && (n = read(p[0], buf + len, sizeof(buf) - 1 - len)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		len += (size_t)n;
		if (memchr(buf, '\n', len))
			break;
	}
	buf[len] = '\0';
	close(p[0]);
	*status = 1;
	if (len > 0 && buf[0] == '\n')
		*status = 0;
	else if (len == 0)
		fprintf(stderr, "%s: the daemon exited during startup\n", PROG);
	else
		fprintf(stderr, "%s: %s", PROG, buf);
	return 1;
}

static void notify(int fd, const char *msg)
{
	if (fd < 0)
		return;
	if (write(fd, msg, strlen(msg)) < 0) {
		/* The parent is gone; nothing to tell. */
	}
	close(fd);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "control", required_argument, NULL, 's' },
		{ "log", required_argument, NULL, 'l' },
		{ "pidfile", required_argument, NULL, 'p' },
		{ "detach", no_argument, NULL, 'd' },
		{ "poll-us", required_argument, NULL, 'P' },
		{ "linger-us", required_argument, NULL, 'L' },
		{ "no-fast-path", no_argument, NULL, 'F' },
		{ "flows", required_argument, NULL, 'f' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct opts o = { 0 };
	struct swconf *conf = NULL;
	char *config_abs = NULL;
	int opt, rc, notify_fd = -1;

	log_setup(PROG, LOG_LVL_INFO);
	d.spin_ns = (uint64_t)DEFAULT_POLL_US * 1000;
	d.linger_ns = (uint64_t)DEFAULT_LINGER_US * 1000;
	while ((opt = getopt_long(argc, argv, "c:s:l:p:dvh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'c': o.config = optarg; break;
		case 's': o.control = optarg; break;
		case 'l': o.log = optarg; break;
		case 'p': o.pidfile = optarg; break;
		case 'd': o.detach = true; break;
		case 'v': o.verbose = true; break;
		case 'F': o.no_fast_path = true; break;
		case 'f': {
			char *end;
			unsigned long n = strtoul(optarg, &end, 10);

			if (!*optarg || *end || n < 64 || n > 1048576) {
				fprintf(stderr, "%s: --flows: a number of flows, 64..1048576\n", PROG);
				return 1;
			}
			o.flows = (uint32_t)n;
			break;
		}
		case 'P':
		case 'L': {
			char *end;
			unsigned long us = strtoul(optarg, &end, 10);
			unsigned long max = opt == 'P' ? 1000000 : 999;

			if (!*optarg || *end || us > max) {
				fprintf(stderr, "%s: --%s: a number of microseconds, 0..%lu\n", PROG,
					opt == 'P' ? "poll-us" : "linger-us", max);
				return 1;
			}
			if (opt == 'P')
				d.spin_ns = (uint64_t)us * 1000;
			else
				d.linger_ns = (uint64_t)us * 1000;
			break;
		}
		case 'h': fputs(usage, stdout); return 0;
		case 'V': puts(PROG " " NSLAB_VERSION); return 0;
		default: fputs(usage, stderr); return 1;
		}
	}
	if (optind < argc || !o.config) {
		fprintf(stderr, "%s: %s\n", PROG, optind < argc ? "unexpected argument" : "--config FILE is required");
		fputs(usage, stderr);
		return 1;
	}
	if (o.verbose)
		log_setup(PROG, LOG_LVL_DEBUG);
	/* Read the configuration before forking, so its errors reach the
	 * caller the plain way, naming the file as given. The absolute path
	 * is kept for reloads. */
	config_abs = realpath(o.config, NULL);
	rc = config_abs ? swconf_load(o.config, &conf) : err_set(-errno, "%s", o.config);
	if (rc || !conf) {
		err_print(stderr, PROG, rc);
		free(config_abs);
		return 1;
	}
	if (o.detach) {
		int status = 1;

		rc = daemonize(&notify_fd, &status);
		if (rc) {
			/* The parent (or a failed fork): done here. */
			if (rc < 0)
				err_print(stderr, PROG, rc);
			swconf_free(conf);
			free(config_abs);
			return rc < 0 ? 1 : status;
		}
	}
	rc = start(&o, conf, config_abs);
	swconf_free(conf);
	if (rc) {
		char line[ERR_MSG_MAX + 64];

		snprintf(line, sizeof(line), "%s\n", err_text(rc));
		/* Into the log file too; on stderr it is said once, below. */
		log_to_stderr(false);
		if (o.log)
			log_err("%s", err_text(rc));
		if (notify_fd >= 0)
			notify(notify_fd, line);
		else
			err_print(stderr, PROG, rc);
		if (!d.sw)
			free(config_abs);
		teardown();
		return 1;
	}
	if (o.detach) {
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);

		log_to_stderr(false);
		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 1);
			dup2(null, 2);
			close(null);
		}
		notify(notify_fd, "\n");
	}
	rc = ev_run(d.ev);
	if (rc)
		log_err("event loop: %s", strerror(-rc));
	teardown();
	log_info("stopped");
	log_close();
	return rc ? 1 : 0;
}
