// SPDX-License-Identifier: GPL-2.0-or-later
/* Checks of the machine before a lab is built (checks.h). */
#include "lab/checks.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/errmsg.h"
#include "common/strbuf.h"
#include "kernel/link.h"
#include "kernel/nat.h"
#include "kernel/netns.h"
#include "kernel/nl.h"
#include "kernel/route.h"
#include "kernel/sysctl.h"
#include "lab/desired.h"
#include "lab/lab.h"
#include "lab/objset.h"
#include "lab/state.h"
#include "lab/switchd_run.h"
#include "topo/topo.h"

/* Capability numbers (linux/capability.h), as bits of /proc's CapEff. */
#define CAP_NET_ADMIN_BIT 12
#define CAP_NET_RAW_BIT 13
#define CAP_SYS_ADMIN_BIT 21

#define NAMES_LISTED_MAX 8   /* clashing names shown; the rest are counted */

void checks_init(struct checks *c)
{
	memset(c, 0, sizeof(*c));
}

void checks_free(struct checks *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].detail);
		free(c->v[i].fix);
	}
	free(c->v);
	memset(c, 0, sizeof(*c));
}

int checks_add(struct checks *c, const char *name, enum check_level level, const char *fix,
	       const char *fmt, ...)
{
	struct check *k;
	va_list ap;
	int n;

	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;
		struct check *v = realloc(c->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		c->v = v;
		c->cap = cap;
	}
	k = &c->v[c->n];
	memset(k, 0, sizeof(*k));
	k->name = name;
	k->level = level;
	va_start(ap, fmt);
	n = vasprintf(&k->detail, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -ENOMEM;
	if (fix && !(k->fix = strdup(fix))) {
		free(k->detail);
		return -ENOMEM;
	}
	c->n++;
	return 0;
}

int checks_settle(struct checks *c, const char *name, enum check_level level, const char *why)
{
	for (size_t i = 0; i < c->n; i++) {
		struct check *k = &c->v[i];
		char *d;

		if (strcmp(k->name, name) != 0 || k->level == CHECK_OK)
			continue;
		if (asprintf(&d, "%s; %s", k->detail, why) < 0)
			return -ENOMEM;
		free(k->detail);
		k->detail = d;
		k->level = level;
		if (level == CHECK_OK) {
			free(k->fix);
			k->fix = NULL;
		}
	}
	return 0;
}

enum check_level checks_worst(const struct checks *c)
{
	enum check_level w = CHECK_OK;

	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].level > w)
			w = c->v[i].level;
	return w;
}

const char *check_level_str(enum check_level l, bool lower)
{
	switch (l) {
	case CHECK_OK:
		return lower ? "ok" : "OK";
	case CHECK_WARN:
		return lower ? "warn" : "WARN";
	default:
		return lower ? "fail" : "FAIL";
	}
}

/* ---- privileges ---- */

int checks_privileges(struct checks *c)
{
	static const struct { int bit; const char *name; } caps[] = {
		{ CAP_SYS_ADMIN_BIT, "CAP_SYS_ADMIN" },
		{ CAP_NET_ADMIN_BIT, "CAP_NET_ADMIN" },
		{ CAP_NET_RAW_BIT, "CAP_NET_RAW" },
	};
	unsigned long long eff = 0;
	struct strbuf missing = STRBUF_INIT;
	char line[256];
	bool found = false;
	FILE *f = fopen("/proc/self/status", "re");
	int rc;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %llx", &eff) == 1)
			found = true;
	if (f)
		fclose(f);
	if (!found)
		return checks_add(c, "privileges", CHECK_WARN, "run nslab as root",
				  "could not read the capabilities of this process (/proc/self/status)");
	for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++)
		if (!(eff >> caps[i].bit & 1))
			sb_printf(&missing, "%s%s", missing.len ? ", " : "", caps[i].name);
	if (sb_error(&missing))
		return -ENOMEM;
	if (!missing.len)
		rc = checks_add(c, "privileges", CHECK_OK, NULL, "%s with CAP_SYS_ADMIN, CAP_NET_ADMIN and CAP_NET_RAW",
				geteuid() == 0 ? "running as root" : "running");
	else
		rc = checks_add(c, "privileges", CHECK_FAIL,
				"run nslab as root (sudo nslab ...): it makes namespaces, links and firewall tables",
				"missing %s (uid %u): namespaces, links and NAT cannot be made",
				sb_str(&missing), (unsigned)geteuid());
	sb_free(&missing);
	return rc;
}

/* ---- kernel features, in a throwaway namespace ---- */

/* One result from the child, as a line: LEVEL|NAME|DETAIL|FIX. */
static void child_say(int fd, enum check_level l, const char *name, const char *fix,
		      const char *fmt, ...)
{
	char detail[600], line[1400];
	va_list ap;
	int n;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	n = snprintf(line, sizeof(line), "%d|%s|%s|%s\n", (int)l, name, detail, fix ? fix : "");
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line))
		n = sizeof(line) - 1, line[n - 1] = '\n';
	/* Separators inside the texts would split wrongly: keep them out. */
	for (int i = 0, bars = 0; i < n - 1; i++) {
		if (line[i] == '\n')
			line[i] = ' ';
		if (line[i] == '|' && ++bars > 3)
			line[i] = '/';
	}
	if (write(fd, line, (size_t)n) < 0)
		return;
}

static void child_veth_bridge(int fd)
{
	struct link_veth v = { .name = "nsdoc0", .peer = "nsdoc1", .peer_nsfd = -1 };
	struct nl *nl;
	int rc = nl_open(&nl);

	if (!rc) {
		link_veth_add(nl, &v, "adding veth pair nsdoc0/nsdoc1");
		rc = nl_flush(nl);
	}
	if (rc)
		child_say(fd, CHECK_FAIL, "veth", "load the veth module (modprobe veth); the kernel needs CONFIG_VETH",
			  "veth pairs cannot be made: %s", err_text(rc));
	else
		child_say(fd, CHECK_OK, "veth", NULL, "veth pairs can be made");
	if (nl) {
		link_bridge_add(nl, "nsdocbr", 0, false, "adding bridge nsdocbr");
		rc = nl_flush(nl);
	}
	if (rc)
		child_say(fd, CHECK_FAIL, "bridge",
			  "load the bridge module (modprobe bridge); the kernel needs CONFIG_BRIDGE",
			  "Linux bridges cannot be made: %s", err_text(rc));
	else
		child_say(fd, CHECK_OK, "bridge", NULL, "Linux bridges can be made");
	if (nl) {
		link_bridge_add(nl, "nsdocbr1", 0, true, "adding bridge nsdocbr1 with VLAN filtering");
		rc = nl_flush(nl);
	}
	/* The parent makes this a failure when the topology needs it. */
	if (rc)
		child_say(fd, CHECK_WARN, "bridge-vlan",
			  "use kind: nslab for switches with VLANs, or a kernel with CONFIG_BRIDGE_VLAN_FILTERING",
			  "Linux bridges cannot filter VLANs here (%s): a switch of kind bridge with VLANs "
			  "or trunks cannot be built", err_text(rc));
	else
		child_say(fd, CHECK_OK, "bridge-vlan", NULL, "Linux bridges can filter VLANs");
	nl_close(nl);
}

static void child_nat(int fd)
{
	struct nat_masq rules[2] = { { .family = AF_INET, .plen = 24, .oifname = "nsdoc0" },
				     { .family = AF_INET6, .plen = 64, .oifname = "nsdoc0" } };
	int rc;

	inet_pton(AF_INET, "172.16.10.0", rules[0].src);
	inet_pton(AF_INET6, "2001:db8::", rules[1].src);
	rc = nat_table_apply(-1, "nslab-doctor", rules, 2);
	if (rc == -EAFNOSUPPORT || rc == -EINVAL)
		rc = nat_table_apply(-1, "nslab-doctor", rules, 1); /* IPv6 off: IPv4 alone */
	if (rc)
		child_say(fd, CHECK_FAIL, "nftables-nat",
			  "load nf_tables and its NAT (modprobe nf_tables nft_nat nft_masq); the kernel needs "
			  "CONFIG_NF_TABLES_INET, CONFIG_NFT_NAT and CONFIG_NFT_MASQ (Linux 5.2 or later)",
			  "nftables masquerading (table inet, hook postrouting) cannot be set up: %s", err_text(rc));
	else
		child_say(fd, CHECK_OK, "nftables-nat", NULL, "nftables masquerading in an inet table works");
}

static void child_packet(int fd)
{
	int s = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
	int v3 = TPACKET_V3, one = 1;
	struct tpacket_req3 req = { .tp_block_size = 1 << 16, .tp_block_nr = 1,
				    .tp_frame_size = 2048, .tp_frame_nr = (1 << 16) / 2048,
				    .tp_retire_blk_tov = 10 };
	const char *what = NULL;

	if (s < 0)
		what = "an AF_PACKET socket";
	else if (setsockopt(s, SOL_PACKET, PACKET_VERSION, &v3, sizeof(v3)))
		what = "TPACKET_V3";
	else if (setsockopt(s, SOL_PACKET, PACKET_VNET_HDR, &one, sizeof(one)))
		what = "PACKET_VNET_HDR";
	else if (setsockopt(s, SOL_PACKET, PACKET_RX_RING, &req, sizeof(req)))
		what = "a TPACKET_V3 receive ring";
	if (what)
		child_say(fd, CHECK_FAIL, "af-packet",
			  "the kernel needs CONFIG_PACKET (modprobe af_packet); only nslab-switchd (kind: nslab) uses it",
			  "%s: %s", what, strerror(errno));
	else
		child_say(fd, CHECK_OK, "af-packet", NULL, "AF_PACKET with TPACKET_V3 rings and vnet headers works");
	if (s >= 0)
		close(s);
}

static void child_ipv6(int fd)
{
	int s = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (s < 0)
		child_say(fd, CHECK_WARN, "ipv6",
			  "boot without ipv6.disable=1 to use IPv6 addresses in labs",
			  "IPv6 is not available in this kernel (%s): IPv6 addresses in a topology will fail",
			  strerror(errno));
	else
		child_say(fd, CHECK_OK, "ipv6", NULL, "IPv6 is available");
	if (s >= 0)
		close(s);
}

static void child_main(int fd)
{
	if (unshare(CLONE_NEWNET)) {
		child_say(fd, CHECK_FAIL, "netns",
			  "run as root; the kernel needs CONFIG_NET_NS (and, in a container, the right to make namespaces)",
			  "network namespaces cannot be made: %s", strerror(errno));
		return;
	}
	child_say(fd, CHECK_OK, "netns", NULL, "network namespaces can be made");
	child_veth_bridge(fd);
	child_nat(fd);
	child_packet(fd);
	child_ipv6(fd);
}

static int parse_child(struct checks *c, char *buf)
{
	static const char *const names[] = { "netns", "veth", "bridge", "bridge-vlan", "nftables-nat",
					     "af-packet", "ipv6" };
	char *save = NULL;
	int rc = 0;

	for (char *line = strtok_r(buf, "\n", &save); !rc && line; line = strtok_r(NULL, "\n", &save)) {
		char *f[4] = { NULL };
		const char *name = NULL;
		char *p = line;

		for (int i = 0; i < 4; i++) {
			f[i] = p;
			p = i < 3 ? strchr(p, '|') : NULL;
			if (i < 3 && !p)
				break;
			if (p)
				*p++ = '\0';
		}
		if (!f[3])
			continue;
		/* The name must be one of ours: checks hold static names. */
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (!strcmp(f[1], names[i]))
				name = names[i];
		if (!name)
			continue;
		rc = checks_add(c, name, (enum check_level)atoi(f[0]), *f[3] ? f[3] : NULL, "%s", f[2]);
	}
	return rc;
}

/* Whether t has a Linux bridge with VLANs (which needs VLAN filtering). */
static bool bridge_vlans(const struct topo *t)
{
	for (size_t h = 0; t && h < t->n_hosts; h++)
		for (size_t i = 0; i < t->hosts[h].n_ifaces; i++) {
			const struct topo_iface *ifc = &t->hosts[h].ifaces[i];

			if (ifc->sw && ifc->sw->kind == TOPO_SWITCH_BRIDGE &&
			    (ifc->n_trunk || ifc->vlan != TOPO_VLAN_DEFAULT))
				return true;
		}
	return false;
}

int checks_kernel(struct checks *c, const struct topo *t)
{
	struct strbuf out = STRBUF_INIT;
	int pfd[2], status, rc;
	char buf[1024];
	pid_t pid;
	ssize_t n;

	if (pipe2(pfd, O_CLOEXEC))
		return checks_add(c, "netns", CHECK_FAIL, NULL, "cannot make a pipe: %s", strerror(errno));
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return checks_add(c, "netns", CHECK_FAIL, NULL, "cannot fork a test process: %s",
				  strerror(errno));
	}
	if (pid == 0) {
		/* The child's namespace, and everything made in it, go when
		 * it exits; nothing touches the namespace of the caller. */
		close(pfd[0]);
		child_main(pfd[1]);
		_exit(0);
	}
	close(pfd[1]);
	while ((n = read(pfd[0], buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		sb_append(&out, buf, (size_t)n);
	}
	close(pfd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	rc = sb_error(&out);
	if (!rc && out.len)
		rc = parse_child(c, out.s);
	if (!rc && t)
		rc = bridge_vlans(t) ? checks_settle(c, "bridge-vlan", CHECK_FAIL, "the topology needs it")
				     : checks_settle(c, "bridge-vlan", CHECK_OK,
						     "the topology does not need it");
	if (!rc && (!WIFEXITED(status) || WEXITSTATUS(status)))
		rc = checks_add(c, "kernel", CHECK_FAIL, NULL, "the kernel test process died (%s)",
				WIFSIGNALED(status) ? strsignal(WTERMSIG(status)) : "exit status");
	sb_free(&out);
	return rc;
}

/* ---- directories ---- */

static int check_dir(struct checks *c, const char *name, const char *path, const char *what)
{
	char parent[4096];
	struct stat st;
	char *slash;

	if (stat(path, &st) == 0) {
		if (!S_ISDIR(st.st_mode))
			return checks_add(c, name, CHECK_FAIL, "remove it; nslab makes the directory",
					  "%s (%s) is not a directory", path, what);
		if (access(path, W_OK | X_OK))
			return checks_add(c, name, CHECK_FAIL, "run nslab as root",
					  "%s (%s) is not writable: %s", path, what, strerror(errno));
		return checks_add(c, name, CHECK_OK, NULL, "%s (%s) is writable", path, what);
	}
	/* Absent: made on first use, if its first existing parent lets us. */
	snprintf(parent, sizeof(parent), "%s", path);
	while ((slash = strrchr(parent, '/')) && slash != parent) {
		*slash = '\0';
		if (stat(parent, &st) == 0)
			break;
	}
	if (slash == parent)
		snprintf(parent, sizeof(parent), "/");
	if (access(parent, W_OK | X_OK))
		return checks_add(c, name, CHECK_FAIL, "run nslab as root, with /run writable",
				  "%s (%s) does not exist and %s is not writable", path, what, parent);
	return checks_add(c, name, CHECK_OK, NULL, "%s (%s) will be made on first use", path, what);
}

int checks_dirs(struct checks *c)
{
	int rc = check_dir(c, "run-netns", NETNS_RUN_DIR, "named network namespaces");

	return rc ? rc : check_dir(c, "state-dir", state_root(), "labs' state");
}

/* ---- the firewall ---- */

/* The traffic of t that crosses the machine's forward hooks: each family
 * its gateways route, and the frames its Linux bridges forward. */
static unsigned int forward_families(const struct topo *t)
{
	unsigned int fams = 0;

	if (!t)
		return NAT_FWD_ALL;
	for (size_t s = 0; s < t->n_switches; s++) {
		const struct topo_switch *sw = &t->switches[s];

		if (sw->kind == TOPO_SWITCH_BRIDGE)
			fams |= NAT_FWD_BRIDGE;
		for (size_t g = 0; g < sw->n_gateways; g++)
			fams |= sw->gateways[g].family == AF_INET6 ? NAT_FWD_IP6 : NAT_FWD_IP4;
	}
	return fams;
}

/* The lab's gateway subnets of family, comma-separated, into sb. */
static void gateway_nets(const struct topo *t, int family, struct strbuf *sb)
{
	char cidr[TOPO_CIDR_STRLEN];

	for (size_t s = 0; t && s < t->n_switches; s++) {
		for (size_t g = 0; g < t->switches[s].n_gateways; g++) {
			struct topo_cidr net;

			if (t->switches[s].gateways[g].family != family)
				continue;
			topo_cidr_network(&t->switches[s].gateways[g], &net);
			sb_printf(sb, "%s%s", sb->len ? ", " : "", topo_cidr_str(&net, cidr, sizeof(cidr)));
		}
	}
}

/* The two rules that let one family's subnets through, in the words of the
 * tool that owns the dropping chain: iptables (or ip6tables, or their
 * -legacy forms) for iptables' own FORWARD chain, nft for any other. */
static void fix_rules(struct strbuf *fix, const char *tool, const char *fam, const char *table,
		      const char *chain, bool v6, const char *nets)
{
	const char *subnets = nets[0] ? nets : v6 ? "each IPv6 gateway's subnet" : "each gateway's subnet";

	/* after the first rule, not after the fix's opening "...: " */
	if (fix->len && fix->s[fix->len - 1] != ' ')
		sb_puts(fix, "; ");
	if (tool)
		sb_printf(fix, "%s -I FORWARD -s SUBNET -j ACCEPT and %s -I FORWARD -d SUBNET -j ACCEPT",
			  tool, tool);
	else
		sb_printf(fix, "nft insert rule %s %s %s %s saddr SUBNET accept and nft insert rule "
			       "%s %s %s %s daddr SUBNET accept",
			  fam, table, chain, v6 ? "ip6" : "ip", fam, table, chain, v6 ? "ip6" : "ip");
	sb_printf(fix, " with SUBNET %s", subnets);
}

int checks_forward_drop(struct checks *c, int nsfd, const struct topo *t)
{
	struct strbuf fix = STRBUF_INIT, nets4 = STRBUF_INIT, nets6 = STRBUF_INIT;
	char what[128], fam[24] = "", table[64] = "", chain[64] = "";
	unsigned int fams = forward_families(t);
	bool found = false, want4, want6;
	int rc;

	if (!fams)
		return checks_add(c, "forward-policy", CHECK_OK, NULL,
				  "the lab routes nothing through the machine and has no Linux bridge");
	rc = nat_forward_drop(nsfd, fams, &found, what, sizeof(what));
	if (rc) {
		rc = checks_add(c, "forward-policy", CHECK_WARN, "run nslab as root",
				"could not read the firewall's forward chains: %s", err_text(rc));
		err_clear();
		return rc;
	}
	if (!found)
		return checks_add(c, "forward-policy", CHECK_OK, NULL,
				  "no firewall chain drops forwarded traffic by policy");
	(void)sscanf(what, "%23s %63s %63s", fam, table, chain);
	if (!strcmp(fam, "bridge")) {
		/* Frames a bridge forwards between its ports: the lab's hosts
		 * on a kind bridge switch, not its routed traffic. */
		sb_printf(&fix, "nslab never changes another's firewall; let the lab's bridges through "
				"that chain: nft insert rule bridge %s %s meta ibrname SWITCH accept for each "
				"kind: bridge switch, or use kind: nslab, or build labs with --sandbox",
			  table, chain);
		if (!sb_error(&fix))
			rc = checks_add(c, "forward-policy", CHECK_FAIL, sb_str(&fix),
					"%s drops bridged frames by policy: hosts on a kind: bridge switch "
					"cannot reach each other", what);
		goto out;
	}
	gateway_nets(t, AF_INET, &nets4);
	gateway_nets(t, AF_INET6, &nets6);
	want4 = (fams & NAT_FWD_IP4) != 0;
	want6 = (fams & NAT_FWD_IP6) != 0;
	sb_puts(&fix, "nslab never changes another's firewall; let each lab subnet through: ");
	if (!strcmp(fam, "iptables-legacy") || !strcmp(fam, "ip6tables-legacy")) {
		/* x_tables' own table, which nft cannot change */
		bool v6 = fam[2] == '6';

		fix_rules(&fix, fam, NULL, NULL, NULL, v6, sb_str(v6 ? &nets6 : &nets4));
	} else if (!strcmp(table, "filter") && !strcmp(chain, "FORWARD") &&
		   (!strcmp(fam, "ip") || !strcmp(fam, "ip6"))) {
		/* iptables-nft's chain (Docker's) takes an iptables rule */
		bool v6 = !strcmp(fam, "ip6");

		fix_rules(&fix, v6 ? "ip6tables" : "iptables", NULL, NULL, NULL, v6,
			  sb_str(v6 ? &nets6 : &nets4));
	} else {
		/* any other base chain drops what it drops whatever iptables
		 * accepts, and needs its own rule */
		if (want4 && strcmp(fam, "ip6"))
			fix_rules(&fix, NULL, fam, table, chain, false, sb_str(&nets4));
		if (want6 && strcmp(fam, "ip"))
			fix_rules(&fix, NULL, fam, table, chain, true, sb_str(&nets6));
	}
	sb_puts(&fix, "; or build labs with --sandbox");
	if (!sb_error(&fix))
		rc = checks_add(c, "forward-policy", CHECK_FAIL, sb_str(&fix),
				"%s drops forwarded traffic by policy (as Docker sets it): hosts of a "
				"lab on the host cannot get past their gateway",
				what[0] ? what : "a forward chain");
out:
	if (!rc)
		rc = sb_error(&fix);
	sb_free(&fix);
	sb_free(&nets4);
	sb_free(&nets6);
	return rc;
}

/* ---- sysctls ---- */

static int sysctl_int(const char *key, int *v)
{
	char buf[32];
	int rc = sysctl_read(-1, key, buf, sizeof(buf));

	if (rc)
		return rc;
	*v = atoi(buf);
	return 0;
}

int checks_sysctls(struct checks *c)
{
	int fwd = 0, rp_all = 0, rp_def = 0, v6off = 0, brnf6 = 0, rc;

	err_clear();
	if (sysctl_int("net.ipv4.ip_forward", &fwd) == 0)
		rc = checks_add(c, "ip-forward", CHECK_OK, NULL,
				fwd ? "IPv4 forwarding is on"
				    : "IPv4 forwarding is off; nslab turns it on while a lab on the host "
				      "needs it, and restores it when the last such lab goes");
	else
		rc = checks_add(c, "ip-forward", CHECK_WARN, NULL, "net.ipv4.ip_forward cannot be read");
	if (rc)
		return rc;
	if (sysctl_int("net.ipv4.conf.all.rp_filter", &rp_all) == 0 &&
	    sysctl_int("net.ipv4.conf.default.rp_filter", &rp_def) == 0) {
		/* The kernel uses the larger of "all" and the interface's value
		 * (fib_validate_source); new interfaces start from "default". */
		if (rp_all == 1 || rp_def == 1)
			rc = checks_add(c, "rp-filter", CHECK_WARN,
					"sysctl -w net.ipv4.conf.all.rp_filter=2 net.ipv4.conf.default.rp_filter=2 (loose)",
					"strict reverse-path filtering (rp_filter=1%s) drops packets that "
					"arrive where the reply would not leave: labs with routers or "
					"several paths may lose traffic",
					rp_all == 1 ? " in all" : " in default");
		else
			rc = checks_add(c, "rp-filter", CHECK_OK, NULL, "reverse-path filtering is %s",
					rp_all == 2 || rp_def == 2 ? "loose" : "off");
	} else {
		rc = checks_add(c, "rp-filter", CHECK_OK, NULL, "no IPv4 reverse-path filter settings");
	}
	if (rc)
		return rc;
	if (sysctl_int("net.bridge.bridge-nf-call-ip6tables", &brnf6) == 0 && brnf6)
		rc = checks_add(c, "br-netfilter", CHECK_WARN,
				"sysctl -w net.bridge.bridge-nf-call-ip6tables=0 if nothing here needs it, or use kind: nslab, or --sandbox (which sets it off in its own namespace)",
				"br_netfilter hands bridged IPv6 to the firewall (bridge-nf-call-ip6tables=1): "
				"on the host, an IPv6 host behind a kind: bridge switch linked to another "
				"switch's gateway is conntracked on the bridge, before routing, and its NAT missed");
	if (rc)
		return rc;
	if (sysctl_int("net.ipv6.conf.all.disable_ipv6", &v6off) == 0 && v6off)
		rc = checks_add(c, "ipv6-sysctl", CHECK_WARN,
				"sysctl -w net.ipv6.conf.all.disable_ipv6=0 net.ipv6.conf.default.disable_ipv6=0",
				"IPv6 is switched off here (disable_ipv6=1): IPv6 addresses of labs on the host will not work");
	err_clear();
	return rc;
}

/* ---- programs ---- */

static bool on_path(const char *prog, char *found, size_t len)
{
	const char *path = getenv("PATH");

	if (strchr(prog, '/')) {
		snprintf(found, len, "%s", prog);
		return access(prog, X_OK) == 0;
	}
	if (!path || !*path)
		path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	while (*path) {
		size_t n = strcspn(path, ":");

		snprintf(found, len, "%.*s/%s", (int)n, path, prog);
		if (n && access(found, X_OK) == 0)
			return true;
		path += n + (path[n] == ':');
	}
	return false;
}

int checks_switchd(struct checks *c, const struct topo *t)
{
	bool needed = false;
	char path[4096];

	for (size_t s = 0; t && s < t->n_switches; s++)
		needed |= t->switches[s].kind == TOPO_SWITCH_NSLAB;
	if (on_path(switchd_program(), path, sizeof(path)))
		return checks_add(c, "switchd", CHECK_OK, NULL, "nslab-switchd: %s", path);
	return checks_add(c, "switchd", needed ? CHECK_FAIL : CHECK_WARN,
			  "install nslab-switchd beside nslab (make install), or set NSLAB_SWITCHD to its path",
			  "nslab-switchd is not found (%s): switches of kind nslab cannot run%s",
			  switchd_program(), needed ? ", and this topology has some" : "");
}

int checks_tools(struct checks *c)
{
	char path[4096];

	if (on_path("ping", path, sizeof(path)))
		return checks_add(c, "ping", CHECK_OK, NULL, "ping: %s", path);
	return checks_add(c, "ping", CHECK_WARN, "apt-get install iputils-ping",
			  "ping is not installed: nslab ping and `NODE ping ...` in nslab cli need it "
			  "(nslab pingall does not)");
}

/* ---- names ---- */

struct clashes {
	struct strbuf list;
	size_t n;
};

static void clash(struct clashes *cl, const char *what, const char *name)
{
	if (cl->n++ < NAMES_LISTED_MAX)
		sb_printf(&cl->list, "%s%s %s", cl->list.len ? ", " : "", what, name);
}

/* The objects the running lab of t's name has, if it runs: its own names. */
static void own_objects(const struct topo *t, struct objset *own)
{
	struct lab_meta m = { 0 };
	struct topo *rt = NULL;
	char host[128], inet[128], dir[4096];
	struct lab_env env = { 0 };

	if (state_meta_read(t->name, &m))
		goto out;
	if (state_load_topo(&m, &rt))
		goto out;
	desired_sandbox_names(m.name, host, sizeof(host), inet, sizeof(inet));
	state_path(m.name, NULL, dir, sizeof(dir));
	env = (struct lab_env){ .lab = m.name, .sandbox = m.sandbox,
				.host_ns = m.sandbox ? host : OBJ_NS_HOST,
				.inet_ns = m.sandbox ? inet : NULL, .group = m.group,
				.default_uplink = m.sandbox ? SANDBOX_UPLINK : "uplink", .run_dir = dir };
	if (desired_build(rt, &env, own))
		objset_clear(own);
out:
	err_clear();
	topo_free(rt);
	state_meta_free(&m);
}

static int uplinks(struct checks *c, const struct topo *t, struct nl *nl, bool sandbox)
{
	bool default_needed = false, need[2] = { false, false };
	int ifindex, ifindex4 = 0, ifindex6 = 0, rc = 0;
	char name4[IF_NAMESIZE] = "?", name6[IF_NAMESIZE] = "?";
	struct link_info li = { 0 };

	for (size_t s = 0; !rc && s < t->n_switches; s++) {
		const struct topo_switch *sw = &t->switches[s];

		if (sandbox) {
			char why[256];

			/* The same rule as up's: the sandbox has one uplink. */
			if (desired_sandbox_uplink_problem(sw, why, sizeof(why)))
				rc = checks_add(c, "uplink", CHECK_FAIL, SANDBOX_UPLINK_FIX, "%s", why);
			continue;
		}
		if (!sw->nat)
			continue;
		if (!sw->uplink) {
			default_needed = true;
			for (size_t g = 0; g < sw->n_gateways; g++)
				need[sw->gateways[g].family == AF_INET6] = true;
			continue;
		}
		if (link_get(nl, sw->uplink, &li))
			rc = checks_add(c, "uplink", CHECK_FAIL,
					"name an interface that exists (ip link) in uplink:, or build the lab with --sandbox and no uplink: (or " SANDBOX_UPLINK ")",
					"switch %s masquerades out of %s, which this machine does not have",
					sw->name, sw->uplink);
		else
			rc = checks_add(c, "uplink", CHECK_OK, NULL, "switch %s's uplink %s exists",
					sw->name, sw->uplink);
	}
	if (rc || !default_needed)
		return rc;
	if (route_default_dev(nl, AF_INET, &ifindex4))
		ifindex4 = 0;
	if (route_default_dev(nl, AF_INET6, &ifindex6))
		ifindex6 = 0;
	err_clear();
	if (ifindex4)
		if_indextoname((unsigned)ifindex4, name4);
	if (ifindex6)
		if_indextoname((unsigned)ifindex6, name6);
	ifindex = ifindex4 ? ifindex4 : ifindex6;
	if (!ifindex)
		return checks_add(c, "uplink", CHECK_FAIL,
				  "give the switch an uplink: (an interface to masquerade out of), or build the lab with --sandbox",
				  "NAT goes out of the default route's interface, and this machine has no default route");
	/* As up warns: a family without a default route of its own borrows
	 * the other's link. */
	if (need[0] && !ifindex4)
		return checks_add(c, "uplink", CHECK_WARN, "name the link to masquerade IPv4 out of in uplink:",
				  "this machine has no IPv4 default route: the lab's IPv4 subnets would be "
				  "masqueraded out of %s, the IPv6 default route's link", name6);
	if (need[1] && !ifindex6)
		return checks_add(c, "uplink", CHECK_WARN, "name the link to masquerade IPv6 out of in uplink:",
				  "this machine has no IPv6 default route: the lab's IPv6 subnets would be "
				  "masqueraded out of %s, the IPv4 default route's link", name4);
	if (need[0] && need[1] && ifindex6 != ifindex4)
		return checks_add(c, "uplink", CHECK_OK, NULL,
				  "NAT goes out of the default routes' links: IPv4 %s, IPv6 %s", name4, name6);
	return checks_add(c, "uplink", CHECK_OK, NULL, "NAT goes out of the default route's link %s",
			  need[0] ? name4 : name6);
}

int checks_names(struct checks *c, const struct topo *t, bool sandbox)
{
	struct clashes cl = { STRBUF_INIT, 0 };
	struct objset want, own;
	char host[128], inet[128], dir[4096];
	struct lab_env env;
	struct nl *nl = NULL;
	size_t n_ns = 0, n_if = 0;
	int rc;

	objset_init(&want);
	objset_init(&own);
	desired_sandbox_names(t->name, host, sizeof(host), inet, sizeof(inet));
	state_path(t->name, NULL, dir, sizeof(dir));
	env = (struct lab_env){ .lab = t->name, .sandbox = sandbox, .host_ns = sandbox ? host : OBJ_NS_HOST,
				.inet_ns = sandbox ? inet : NULL,
				/* Names only: any uplink will do here (uplinks() checks it). */
				.default_uplink = sandbox ? SANDBOX_UPLINK : "uplink", .run_dir = dir };
	rc = desired_build(t, &env, &want);
	if (rc) {
		rc = checks_add(c, "names", CHECK_FAIL, "fix the topology", "lab %s cannot be laid out: %s",
				t->name, err_text(rc));
		err_clear();
		goto out;
	}
	own_objects(t, &own);
	if (!sandbox) {
		rc = nl_open(&nl);
		if (rc) {
			rc = checks_add(c, "names", CHECK_WARN, "run nslab as root",
					"cannot read this machine's interfaces: %s", err_text(rc));
			err_clear();
			goto out;
		}
	}
	for (size_t i = 0; i < want.n; i++) {
		const struct obj *o = want.v[i];
		char peer[32], peer_ns[128];
		struct link_info li = { 0 };

		if (o->kind == OBJ_NETNS) {
			char owner[256], what[300];

			n_ns++;
			if (!netns_exists(o->name) || objset_find(&own, o))
				continue;
			if (lab_netns_owner(t->name, o->name, owner, sizeof(owner))) {
				snprintf(what, sizeof(what), "lab %s's namespace", owner);
				clash(&cl, what, o->name);
			} else {
				clash(&cl, "namespace", o->name);
			}
			continue;
		}
		if (sandbox || (o->kind != OBJ_BRIDGE && o->kind != OBJ_VETH))
			continue;
		obj_get(o->attrs, "peer", peer, sizeof(peer));
		obj_get(o->attrs, "peer_ns", peer_ns, sizeof(peer_ns));
		for (int end = 0; end < 2; end++) {
			const char *ns = end ? peer_ns : o->ns, *name = end ? peer : o->name;

			if (strcmp(ns, OBJ_NS_HOST) != 0 || !*name)
				continue;
			n_if++;
			if (link_get(nl, name, &li) == 0 && !objset_find(&own, o))
				clash(&cl, "interface", name);
		}
	}
	err_clear();
	if (sb_error(&cl.list)) {
		rc = -ENOMEM;
		goto out;
	}
	if (cl.n)
		rc = checks_add(c, "names", CHECK_FAIL,
				"rename the hosts and switches, take down the lab that has them (nslab down LAB), or remove leftovers (ip netns del NAME, ip link del NAME)",
				"lab %s needs names that are taken: %s%s", t->name, sb_str(&cl.list),
				cl.n > NAMES_LISTED_MAX ? " and more" : "");
	else if (sandbox)
		rc = checks_add(c, "names", CHECK_OK, NULL, "lab %s's %zu namespaces are %s", t->name,
				n_ns, own.n ? "its own (it is running) or free" : "free");
	else
		rc = checks_add(c, "names", CHECK_OK, NULL,
				"lab %s's %zu namespaces and %zu interfaces on the host are %s", t->name,
				n_ns, n_if, own.n ? "its own (it is running) or free" : "free");
	if (!rc)
		rc = uplinks(c, t, nl, sandbox);
out:
	nl_close(nl);
	objset_clear(&want);
	objset_clear(&own);
	sb_free(&cl.list);
	return rc;
}

/* ---- subnets against the machine's routes ---- */

/* Whether two prefixes of a family share addresses: the shorter holds the
 * other's start. */
static bool prefixes_overlap(int family, const uint8_t *a, unsigned alen, const uint8_t *b,
			     unsigned blen)
{
	struct topo_cidr shorter = { .family = family, .plen = (uint8_t)(alen < blen ? alen : blen) };

	memcpy(shorter.addr, alen < blen ? a : b, 16);
	return topo_cidr_contains(&shorter, family, alen < blen ? b : a);
}

static bool lab_dev(const struct topo *t, const char *dev)
{
	for (size_t s = 0; s < t->n_switches; s++)
		if (!strcmp(t->switches[s].name, dev))
			return true;
	return false;
}

int checks_overlap(struct checks *c, const struct topo *t)
{
	struct route_info *routes = NULL;
	struct nl *nl = NULL;
	size_t n = 0, warned = 0, nets = 0;
	int rc = nl_open(&nl);

	if (!rc)
		rc = route_list(nl, AF_UNSPEC, &routes, &n);
	nl_close(nl);
	if (rc) {
		rc = checks_add(c, "subnets", CHECK_WARN, "run nslab as root",
				"cannot read this machine's routes: %s", err_text(rc));
		err_clear();
		free(routes);
		return rc;
	}
	for (size_t s = 0; !rc && s < t->n_switches; s++) {
		const struct topo_switch *sw = &t->switches[s];

		for (size_t g = 0; !rc && g < sw->n_gateways; g++) {
			struct topo_cidr net;
			char a[TOPO_CIDR_STRLEN], b[TOPO_CIDR_STRLEN], dev[IF_NAMESIZE] = "?";

			topo_cidr_network(&sw->gateways[g], &net);
			nets++;
			for (size_t i = 0; !rc && i < n; i++) {
				const struct route_info *r = &routes[i];
				struct topo_cidr rn = { .family = r->family, .plen = r->plen };

				if (r->family != net.family || !r->plen || r->type != RTN_UNICAST)
					continue;
				if (r->ifindex && !if_indextoname((unsigned)r->ifindex, dev))
					snprintf(dev, sizeof(dev), "?");
				if (lab_dev(t, dev))
					continue; /* the lab's own, from a run before */
				if (!prefixes_overlap(net.family, net.addr, net.plen, r->dst, r->plen))
					continue;
				memcpy(rn.addr, r->dst, 16);
				warned++;
				rc = checks_add(c, "subnets", CHECK_WARN,
						"give the switch a gateway in a subnet this machine does not use",
						"switch %s's subnet %s overlaps this machine's route to %s (dev "
						"%s): traffic between them would go the wrong way",
						sw->name, topo_cidr_str(&net, a, sizeof(a)),
						topo_cidr_str(&rn, b, sizeof(b)), dev);
			}
		}
	}
	if (!rc && !warned && nets)
		rc = checks_add(c, "subnets", CHECK_OK, NULL,
				"the lab's %zu subnet%s overlap%s none of this machine's routes", nets,
				nets == 1 ? "" : "s", nets == 1 ? "s" : "");
	free(routes);
	return rc;
}
