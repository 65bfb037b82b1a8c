// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A lab's own nftables table through libnftables.
 *
 * Every change is one nft_run_cmd_from_buffer() call, which libnftables
 * sends as one netlink batch, i.e. one nf_tables transaction: it all
 * applies or none of it does. Replacing a table's content atomically uses
 * the idiom `add table T; delete table T; table T { ... }`: the add makes
 * the delete valid whether or not T existed, and the kernel commits the
 * three together, so no packet ever sees the table half-made or missing.
 *
 * The nft context's netlink socket belongs to the namespace the thread is
 * in when the socket is opened: nft runs in a thread of its own (nft_run)
 * that enters the namespace first.
 *
 * nat_forward_drop also looks at legacy iptables (x_tables), which nft does
 * not show: when /proc/net/ip_tables_names lists "filter", the table's
 * FORWARD policy is read with getsockopt(IPT_SO_GET_INFO/GET_ENTRIES), as
 * iptables-legacy -L does. That file is read first so that the getsockopt,
 * which would load iptable_filter and make the table, only ever looks at a
 * table that already exists.
 */
#include "kernel/nat.h"

#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <jansson.h>
#include <linux/netfilter_ipv4/ip_tables.h>
#include <linux/netfilter_ipv6/ip6_tables.h>
#include <nftables/libnftables.h>

#include "common/errmsg.h"
#include "common/fsutil.h"
#include "common/strbuf.h"
#include "kernel/netns.h"

#define NAT_CHAIN "postrouting"
/* Tables of other labs are ours too: never count them as a foreign drop. */
#define NAT_OWN_PREFIX "nslab-"

/* nft's identifier grammar (scanner.l): a letter or '_' or '.', then
 * letters, digits, '/', '\\', '_', '.', '-'. We keep to a safe subset. */
static bool table_name_ok(const char *t)
{
	size_t n = strlen(t);

	if (!n || n > 64 || !((t[0] >= 'a' && t[0] <= 'z') || (t[0] >= 'A' && t[0] <= 'Z') || t[0] == '_'))
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = t[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-' || c == '.'))
			return false;
	}
	return true;
}

/* An interface name goes into a quoted nft string: refuse what would end
 * or escape the quotes. */
static bool ifname_ok(const char *s)
{
	size_t n = strnlen(s, 16);

	if (n >= 16)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"' || s[i] == '\\' || (unsigned char)s[i] < 0x21 || (unsigned char)s[i] > 0x7e)
			return false;
	}
	return true;
}

/* nft prints "Error: Could not process rule: No such file or directory"
 * and then the command with carets: take the first line, and the errno
 * whose strerror it ends with. */
static int nft_failure(const char *errbuf, const char *what)
{
	char line[512];
	int rc = -EIO;
	size_t n;

	errbuf = errbuf ? errbuf : "";
	n = strcspn(errbuf, "\n");
	if (n >= sizeof(line))
		n = sizeof(line) - 1;
	memcpy(line, errbuf, n);
	line[n] = '\0';
	for (int e = 1; e < 134; e++) {
		const char *s = strerror(e);
		size_t sl = strlen(s);

		if (n >= sl && !strcmp(line + n - sl, s)) {
			rc = -e;
			break;
		}
	}
	return err_msg(rc, "%s: %s", what, line[0] ? line : "nftables failed");
}

struct nft_job {
	int nsfd;
	const char *cmds;
	bool json;
	char *out;
	const char *what;
	int rc;
	char err[ERR_MSG_MAX];
};

static int nft_job_run(struct nft_job *j)
{
	struct nft_ctx *ctx = NULL;
	int rc;

	if (unshare(CLONE_FILES))
		return err_set(-errno, "%s: making a descriptor table of its own", j->what);
	if (j->nsfd >= 0 && setns(j->nsfd, CLONE_NEWNET))
		return err_set(-errno, "%s: entering the lab's network namespace", j->what);
	close_range(3, ~0U, 0);
	ctx = nft_ctx_new(NFT_CTX_DEFAULT);
	if (!ctx)
		return err_set(-ENOMEM, "%s: creating an nftables context", j->what);
	if (j->json)
		nft_ctx_output_set_flags(ctx, NFT_CTX_OUTPUT_JSON);
	if (nft_ctx_buffer_output(ctx) || nft_ctx_buffer_error(ctx)) {
		rc = err_set(-ENOMEM, "%s", j->what);
		goto out;
	}
	if (nft_run_cmd_from_buffer(ctx, j->cmds)) {
		rc = nft_failure(nft_ctx_get_error_buffer(ctx), j->what);
		goto out;
	}
	rc = 0;
	j->out = strdup(nft_ctx_get_output_buffer(ctx));
	if (!j->out)
		rc = -ENOMEM;
out:
	nft_ctx_free(ctx);
	return rc;
}

static void *nft_thread(void *arg)
{
	struct nft_job *j = arg;

	j->rc = nft_job_run(j);
	if (j->rc)
		snprintf(j->err, sizeof(j->err), "%s", err_text(j->rc));
	return NULL;
}

/*
 * Run cmds in nsfd's namespace (-1: the current one). json asks for JSON
 * output, returned in *out (caller frees) if out is not NULL.
 *
 * libnftables waits for the kernel's answer with select(), which cannot
 * take a descriptor numbered FD_SETSIZE (1024) or more — glibc aborts the
 * process — and a lab of 1000 hosts holds more descriptors than that. So
 * nft runs in a thread with a private copy of the descriptor table, all of
 * it closed but stdio: its socket gets a low number, and the thread enters
 * the namespace without the rest of the process noticing.
 */
static int nft_run(int nsfd, const char *cmds, bool json, char **out, const char *what)
{
	struct nft_job j = { .nsfd = nsfd, .cmds = cmds, .json = json, .what = what };
	pthread_t tid;
	int rc;

	if (out)
		*out = NULL;
	rc = pthread_create(&tid, NULL, nft_thread, &j);
	if (rc)
		return err_set(-rc, "%s: starting a thread", what);
	pthread_join(tid, NULL);
	if (j.rc) {
		free(j.out);
		return err_msg(j.rc, "%s", j.err);
	}
	if (out)
		*out = j.out;
	else
		free(j.out);
	return 0;
}

static int masq_rule(struct strbuf *sb, const struct nat_masq *m)
{
	char addr[INET6_ADDRSTRLEN];
	uint8_t net[16] = { 0 };
	size_t alen = m->family == AF_INET ? 4 : m->family == AF_INET6 ? 16 : 0;

	if (!alen || m->plen > alen * 8 || !ifname_ok(m->oifname))
		return -EINVAL;
	/* The network address: nft refuses host bits in a prefix. */
	for (size_t i = 0; i < alen; i++) {
		unsigned bits = m->plen > i * 8 ? m->plen - (unsigned)i * 8 : 0;

		net[i] = m->src[i] & (uint8_t)(bits >= 8 ? 0xff : (0xff00 >> bits) & 0xff);
	}
	inet_ntop(m->family, net, addr, sizeof(addr));
	sb_printf(sb, "\t\t%s saddr %s/%u", m->family == AF_INET ? "ip" : "ip6", addr, m->plen);
	if (m->oifname[0])
		sb_printf(sb, " oifname \"%s\"", m->oifname);
	/* the counter is what `nslab show` reports, as iptables -t nat -vnL */
	sb_puts(sb, " counter masquerade\n");
	return 0;
}

int nat_table_apply(int nsfd, const char *table, const struct nat_masq *rules, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	char what[128];
	int rc;

	snprintf(what, sizeof(what), "nftables table inet %s", table);
	if (!table_name_ok(table))
		return err_set(-EINVAL, "%s: bad table name", what);
	sb_printf(&sb, "add table inet %s\ndelete table inet %s\n", table, table);
	sb_printf(&sb, "table inet %s {\n\tchain " NAT_CHAIN " {\n"
		  "\t\ttype nat hook postrouting priority srcnat; policy accept;\n", table);
	for (size_t i = 0; i < n; i++) {
		rc = masq_rule(&sb, &rules[i]);
		if (rc) {
			sb_free(&sb);
			return err_set(rc, "%s: masquerade rule %zu", what, i + 1);
		}
	}
	sb_puts(&sb, "\t}\n}\n");
	rc = sb_error(&sb);
	if (!rc)
		rc = nft_run(nsfd, sb_str(&sb), false, NULL, what);
	sb_free(&sb);
	return rc;
}

int nat_table_delete(int nsfd, const char *table)
{
	char cmds[256], what[128];

	snprintf(what, sizeof(what), "deleting nftables table inet %s", table);
	if (!table_name_ok(table))
		return err_set(-EINVAL, "%s: bad table name", what);
	/* add-then-delete: an absent table is fine, in one transaction. */
	snprintf(cmds, sizeof(cmds), "add table inet %s\ndelete table inet %s\n", table, table);
	return nft_run(nsfd, cmds, false, NULL, what);
}

/* A rule's source subnet: the right side of a match on saddr, a prefix
 * object or (a full-length prefix, as nft prints one) an address. */
static bool rule_saddr(json_t *expr, struct nat_rule_count *r)
{
	json_t *e;
	size_t i;

	json_array_foreach(expr, i, e) {
		json_t *m = json_object_get(e, "match");
		json_t *pl = json_object_get(json_object_get(m, "left"), "payload");
		json_t *right = json_object_get(m, "right"), *pfx = json_object_get(right, "prefix");
		const char *field = json_string_value(json_object_get(pl, "field"));
		const char *addr = pfx ? json_string_value(json_object_get(pfx, "addr"))
				       : json_string_value(right);

		if (!field || strcmp(field, "saddr") != 0 || !addr)
			continue;
		r->family = strchr(addr, ':') ? AF_INET6 : AF_INET;
		if (inet_pton(r->family, addr, r->net) != 1)
			return false;
		r->plen = r->family == AF_INET ? 32 : 128;
		if (pfx) {
			json_int_t len = json_integer_value(json_object_get(pfx, "len"));

			if (len < 0 || len > r->plen)
				return false;
			r->plen = (uint8_t)len;
		}
		return true;
	}
	return false;
}

int nat_counts_json(const char *json, struct nat_rule_count **v, size_t *n)
{
	json_t *root = json_loads(json, 0, NULL), *it;
	struct nat_rule_count *out = NULL;
	size_t i, cap = 0;

	*v = NULL;
	*n = 0;
	if (!root)
		return err_msg(-EPROTO, "nftables answered with something that is not JSON");
	json_array_foreach(json_object_get(root, "nftables"), i, it) {
		json_t *expr = json_object_get(json_object_get(it, "rule"), "expr"), *e;
		struct nat_rule_count r = { 0 };
		size_t k;

		if (!expr || !rule_saddr(expr, &r))
			continue;
		json_array_foreach(expr, k, e) {
			json_t *c = json_object_get(e, "counter");

			if (json_is_object(c)) {
				r.has_counter = true;
				r.packets = (uint64_t)json_integer_value(json_object_get(c, "packets"));
				r.bytes = (uint64_t)json_integer_value(json_object_get(c, "bytes"));
			}
		}
		if (*n == cap) {
			struct nat_rule_count *nv;

			cap = cap ? 2 * cap : 4;
			nv = realloc(out, cap * sizeof(*out));
			if (!nv) {
				free(out);
				json_decref(root);
				return -ENOMEM;
			}
			out = nv;
		}
		out[(*n)++] = r;
	}
	json_decref(root);
	*v = out;
	return 0;
}

/* `list table T` as JSON; -ENOENT without the table. */
static int list_table(int nsfd, const char *table, char **out)
{
	char cmds[128];

	*out = NULL;
	if (!nat_table_exists(nsfd, table))
		return -ENOENT;
	snprintf(cmds, sizeof(cmds), "list table inet %s", table);
	return nft_run(nsfd, cmds, true, out, "listing an nftables table");
}

int nat_table_rules(int nsfd, const char *table, size_t *n)
{
	char *out = NULL;
	json_t *root, *it;
	size_t i;
	int rc;

	*n = 0;
	rc = list_table(nsfd, table, &out);
	if (rc)
		return rc;
	root = json_loads(out, 0, NULL);
	free(out);
	if (!root)
		return err_msg(-EPROTO, "nftables answered with something that is not JSON");
	json_array_foreach(json_object_get(root, "nftables"), i, it)
		*n += json_object_get(it, "rule") != NULL;
	json_decref(root);
	return 0;
}

int nat_table_counts(int nsfd, const char *table, struct nat_rule_count **v, size_t *n)
{
	char *out = NULL;
	int rc;

	*v = NULL;
	*n = 0;
	rc = list_table(nsfd, table, &out);
	if (!rc)
		rc = nat_counts_json(out, v, n);
	free(out);
	return rc;
}

bool nat_table_exists(int nsfd, const char *table)
{
	char cmds[128], *out = NULL;
	bool found = false;
	json_t *root, *arr, *it;
	size_t i;

	if (!table_name_ok(table))
		return false;
	/* `list tables` (not `list table T`, which is an error when T is
	 * absent, and lists every rule when it is there). */
	snprintf(cmds, sizeof(cmds), "list tables inet");
	if (nft_run(nsfd, cmds, true, &out, "listing nftables tables")) {
		err_clear();
		return false;
	}
	root = json_loads(out, 0, NULL);
	free(out);
	arr = json_object_get(root, "nftables");
	json_array_foreach(arr, i, it) {
		json_t *t = json_object_get(it, "table");
		const char *name = json_string_value(json_object_get(t, "name"));
		const char *fam = json_string_value(json_object_get(t, "family"));

		if (name && fam && !strcmp(name, table) && !strcmp(fam, "inet")) {
			found = true;
			break;
		}
	}
	json_decref(root);
	return found;
}

/* --- forward-drop policies of others ---------------------------------- */

/* Whether a chain of nft family fam sees traffic of a kind in fams: an inet
 * chain both IP families, bridge the frames bridges forward. */
static bool family_matters(const char *fam, unsigned int fams)
{
	if (!strcmp(fam, "ip"))
		return fams & NAT_FWD_IP4;
	if (!strcmp(fam, "ip6"))
		return fams & NAT_FWD_IP6;
	if (!strcmp(fam, "inet"))
		return fams & (NAT_FWD_IP4 | NAT_FWD_IP6);
	if (!strcmp(fam, "bridge"))
		return fams & NAT_FWD_BRIDGE;
	return false;
}

int nat_forward_drop_json(const char *json, unsigned int fams, bool *found, char *what, size_t len)
{
	json_t *root, *arr, *it;
	size_t i;

	*found = false;
	root = json_loads(json, 0, NULL);
	if (!root)
		return -EPROTO;
	arr = json_object_get(root, "nftables");
	json_array_foreach(arr, i, it) {
		json_t *c = json_object_get(it, "chain");
		const char *fam = json_string_value(json_object_get(c, "family"));
		const char *table = json_string_value(json_object_get(c, "table"));
		const char *name = json_string_value(json_object_get(c, "name"));
		const char *hook = json_string_value(json_object_get(c, "hook"));
		const char *policy = json_string_value(json_object_get(c, "policy"));

		if (!fam || !table || !name || !hook || !policy)
			continue;       /* not a base chain */
		if (strcmp(hook, "forward") != 0 || strcmp(policy, "drop") != 0 ||
		    !family_matters(fam, fams))
			continue;
		if (!strncmp(table, NAT_OWN_PREFIX, strlen(NAT_OWN_PREFIX)))
			continue;
		*found = true;
		if (what && len)
			snprintf(what, len, "%s %s %s", fam, table, name);
		break;
	}
	json_decref(root);
	return 0;
}

static bool names_file_lists(const char *path, const char *name)
{
	char *buf = NULL, *line, *save = NULL;
	bool found = false;

	if (fs_read_file(path, 4096, &buf, NULL))
		return false;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (!strcmp(line, name)) {
			found = true;
			break;
		}
	}
	free(buf);
	return found;
}

/* The FORWARD policy of legacy table "filter": 1 drop, 0 not drop, <0
 * unreadable. The policy is the verdict of the standard target at the
 * hook's underflow entry (x_tables: -NF_DROP - 1 is DROP). */
static int legacy_forward_policy(int family)
{
	bool v6 = family == AF_INET6;
	int level = v6 ? IPPROTO_IPV6 : IPPROTO_IP;
	struct ipt_getinfo info;   /* same layout as ip6t_getinfo */
	struct ipt_get_entries *ents = NULL;
	const struct xt_entry_target *t;
	socklen_t sl;
	size_t size;
	unsigned uf;
	int fd, rc = -EPROTO, verdict;
	const char *e;

	_Static_assert(sizeof(struct ipt_getinfo) == sizeof(struct ip6t_getinfo), "getinfo layout");
	_Static_assert(sizeof(struct ipt_get_entries) == sizeof(struct ip6t_get_entries), "entries layout");
	fd = socket(family, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
	if (fd < 0)
		return -errno;
	memset(&info, 0, sizeof(info));
	strcpy(info.name, "filter");
	sl = sizeof(info);
	if (getsockopt(fd, level, v6 ? IP6T_SO_GET_INFO : IPT_SO_GET_INFO, &info, &sl)) {
		rc = -errno;
		goto out;
	}
	if (!(info.valid_hooks & (1u << NF_INET_FORWARD)))
		goto out;
	size = sizeof(*ents) + info.size;
	ents = calloc(1, size);
	if (!ents) {
		rc = -ENOMEM;
		goto out;
	}
	strcpy(ents->name, "filter");
	ents->size = info.size;
	sl = (socklen_t)size;
	if (getsockopt(fd, level, v6 ? IP6T_SO_GET_ENTRIES : IPT_SO_GET_ENTRIES, ents, &sl)) {
		rc = -errno;
		goto out;
	}
	uf = info.underflow[NF_INET_FORWARD];
	e = (const char *)ents->entrytable;
	/* The entry's own offsets, checked against the blob before use. */
	{
		uint16_t toff, noff;
		size_t hdr = v6 ? sizeof(struct ip6t_entry) : sizeof(struct ipt_entry);

		if ((size_t)uf + hdr > info.size)
			goto out;
		if (v6) {
			const struct ip6t_entry *en = (const void *)(e + uf);

			toff = en->target_offset;
			noff = en->next_offset;
		} else {
			const struct ipt_entry *en = (const void *)(e + uf);

			toff = en->target_offset;
			noff = en->next_offset;
		}
		if (toff < hdr || (size_t)uf + noff > info.size ||
		    (size_t)toff + sizeof(struct xt_standard_target) > noff)
			goto out;
		t = (const void *)(e + uf + toff);
		if (t->u.user.name[0])
			goto out;       /* not the standard target */
		memcpy(&verdict, e + uf + toff + sizeof(struct xt_entry_target), sizeof(verdict));
	}
	rc = verdict == -NF_DROP - 1;
out:
	free(ents);
	close(fd);
	return rc;
}

static bool legacy_forward_drop(int family, char *what, size_t len)
{
	const char *names = family == AF_INET6 ? "/proc/thread-self/net/ip6_tables_names"
					       : "/proc/thread-self/net/ip_tables_names";
	const char *tool = family == AF_INET6 ? "ip6tables-legacy" : "iptables-legacy";
	int pol;

	if (!names_file_lists(names, "filter"))
		return false;
	pol = legacy_forward_policy(family);
	if (pol == 0)
		return false;
	if (what && len) {
		if (pol > 0)
			snprintf(what, len, "%s filter FORWARD", tool);
		else
			snprintf(what, len, "%s filter table (FORWARD policy unreadable)", tool);
	}
	/* Unreadable: say so rather than claim all is well. */
	return true;
}

int nat_forward_drop(int nsfd, unsigned int fams, bool *found, char *what, size_t len)
{
	char *out = NULL;
	int saved = -1, rc;

	*found = false;
	if (what && len)
		what[0] = '\0';
	rc = nft_run(nsfd, "list chains", true, &out, "listing nftables chains");
	if (rc)
		return rc;
	rc = nat_forward_drop_json(out, fams, found, what, len);
	free(out);
	if (rc)
		return err_set(rc, "reading nft's list of chains");
	if (*found)
		return 0;
	/* Legacy iptables: /proc/thread-self/net and the raw socket show the
	 * namespace the thread is in. */
	if (nsfd >= 0) {
		rc = netns_enter(nsfd, &saved);
		if (rc)
			return rc;
	}
	*found = ((fams & NAT_FWD_IP4) && legacy_forward_drop(AF_INET, what, len)) ||
		 ((fams & NAT_FWD_IP6) && legacy_forward_drop(AF_INET6, what, len));
	return netns_leave(saved);
}
