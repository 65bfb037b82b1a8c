/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Internals of the topology parser, shared by its stages and by nothing else:
 *
 *   ytree.c     libyaml events -> a small tree with positions, enforcing the
 *               limits (depth, node count), refusing anchors/aliases/tags and
 *               catching duplicate keys (libyaml does not)
 *   parse*.c    tree -> model: keys, types, values, names, references
 *   validate.c  the rules that need the whole model (addresses, subnets,
 *               routes, MACs)
 *   defaults.c  switch-side names and implicit default routes
 *   report.c    problems, collected with positions and emitted in file order
 *
 * The model is built even when problems are found (so one mistake does not
 * hide the next), then thrown away if there were any. What the model has no
 * room for (where each address was written, which interface a link uses)
 * lives in the parallel "src" arrays of struct topo_pctx.
 */
#ifndef NSLAB_TOPO_PARSE_H
#define NSLAB_TOPO_PARSE_H

#include "topo/topo.h"

/* Name comparisons for did-you-mean suggestions in one parse. */
#define TOPO_SUGGEST_BUDGET (1u << 20)

#define TOPO_MTU_MIN 68         /* IPv4's minimum link MTU (RFC 791) */
#define TOPO_MTU_MAX 65535
#define TOPO_MTU_IPV6_MIN 1280  /* RFC 8200 §5 */

/* ---- the YAML tree (ytree.c) ---- */

enum topo_ytype { TOPO_YSCALAR, TOPO_YSEQ, TOPO_YMAP };

struct topo_ynode {
	enum topo_ytype type;
	struct topo_pos pos;
	bool plain;                 /* a scalar written without quotes */
	bool null;                  /* a plain "", "~" or "null" */
	const char *str;            /* a scalar's text, NUL-terminated */
	size_t len;
	/* A list's n items, or a mapping's n pairs as items[2i] (key, always a
	 * scalar) and items[2i+1] (value). Keys are unique. */
	struct topo_ynode **items;
	size_t n;
};

struct topo_ychunk;

struct topo_ytree {
	struct topo_ynode *root;    /* NULL: the stream holds no document */
	struct topo_ychunk *chunks; /* every node and string lives here */
};

struct topo_pctx;

/* 0: the whole stream was read into tree (problems may have been
 * reported); -EINVAL: reading stopped at a problem it reported (syntax
 * error, a limit); -ENOMEM. topo_ytree_free() in every case. */
int topo_ytree_load(struct topo_pctx *ctx, const char *buf, size_t len, struct topo_ytree *tree);
void topo_ytree_free(struct topo_ytree *tree);

/* ---- side information about where things were written ---- */

struct topo_iface_src {
	struct topo_pos *addr_pos;  /* one per iface->addrs */
	struct topo_pos sw_pos;     /* the 'switch:' value */
	bool sw_named;              /* 'switch:' given, even if undefined */
	struct topo_pos mac_pos;
	struct topo_pos mtu_pos;
	struct topo_pos ip_pos;     /* the 'ip:' key */
	size_t link;                /* 1 + index of the link it ends; 0: none */
	struct topo_pos link_pos;   /* where that link names it */
	bool broken;                /* its value was refused: no more about it */
	bool unknown_keys;          /* it had some (reported) */
};

struct topo_route_src {
	size_t num;                 /* 1-based place in the file's list */
	struct topo_pos to_pos;
	struct topo_pos via_pos;
};

struct topo_host_src {
	struct topo_iface_src *ifaces;  /* parallel to host->ifaces */
	struct topo_route_src *routes;  /* parallel to host->routes */
	bool broken;                    /* its value was refused: no more about it */
	struct topo_pos default_route_pos; /* of `default_route:`, when given */
};

struct topo_switch_src {
	struct topo_pos gw_pos[2];  /* parallel to sw->gateways */
	struct topo_pos mtu_pos;
};

/* A name -> index entry; arrays of them are sorted by name. */
struct topo_name_ref {
	const char *name;
	size_t idx;
};

/* An interface by (host index, name). */
struct topo_iface_ref {
	size_t host;
	const char *name;
	size_t idx;
};

struct topo_report {
	struct topo_pos pos;
	size_t seq;
	char *msg;
};

struct topo_pctx {
	const char *file;           /* display name */
	struct topo *t;
	int err;                    /* -ENOMEM once an allocation failed */

	struct topo_report *reports;
	size_t n_reports;
	size_t cap_reports;
	size_t n_dropped;           /* beyond TOPO_DIAG_MAX */

	struct topo_switch_src *sw_src; /* parallel to t->switches */
	struct topo_host_src *host_src; /* parallel to t->hosts */
	struct topo_name_ref *sw_idx;
	struct topo_name_ref *host_idx;
	struct topo_iface_ref *iface_idx;
	size_t n_iface_idx;
	size_t suggest_budget;      /* name comparisons left for suggestions */
	/* A link was refused before its ends were known: interfaces outside
	 * links are then not reported as unconnected (they may be its ends). */
	bool links_broken;
};

/* ---- reports (report.c) ---- */

void topo_report(struct topo_pctx *ctx, struct topo_pos pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Sort by position and append "FILE:LINE:COL: text" lines to diag. */
int topo_reports_emit(struct topo_pctx *ctx, struct topo_diag *diag);
void topo_reports_free(struct topo_pctx *ctx);
/* s made fit for a one-line message: at most ~40 bytes, "..." if cut. The
 * result lives in one of 8 rotating thread-local buffers. */
const char *topo_q(const char *s);
/* The next of those buffers, TOPO_QBUF bytes. */
#define TOPO_QBUF 80
char *topo_qbuf(void);
/* A position as "LINE:COL" in one of the same rotating buffers. */
const char *topo_qpos(struct topo_pos pos);
/* The closest of n names (at base + i*stride + offset, each a const char *)
 * within a small edit distance, or NULL. Suggestions share a budget of
 * comparisons per parse, so a file of many wrong names stays fast. */
const char *topo_suggest(struct topo_pctx *ctx, const char *word, const void *base, size_t n,
			 size_t stride, size_t offset);

/* ---- indexes (index.c) ---- */

/* Sorted name indexes of t->switches / t->hosts / every interface. */
int topo_index_build(struct topo_pctx *ctx);
/* Index into t->switches / t->hosts, or SIZE_MAX. */
size_t topo_index_switch(const struct topo_pctx *ctx, const char *name);
size_t topo_index_host(const struct topo_pctx *ctx, const char *name);
/* Index into t->hosts[host].ifaces, or SIZE_MAX. */
size_t topo_index_iface(const struct topo_pctx *ctx, size_t host, const char *name);

/* ---- typed values from the tree (values.c) ---- */

/* "a list", "a mapping", "nothing" or "'TEXT'". */
const char *topo_ydesc(const struct topo_ynode *n);
/* The value of key in mapping map (NULL if absent); *keynode the key. */
const struct topo_ynode *topo_ymap_get(const struct topo_ynode *map, const char *key,
				       const struct topo_ynode **keynode);
/* Report every key of map not in keys (NULL-terminated), with a
 * suggestion. where: "in switch 'v-net-0'". Returns how many. */
size_t topo_ycheck_keys(struct topo_pctx *ctx, const struct topo_ynode *map,
		      const char *const *keys, const char *where);
/* Each reports what is wrong and returns false, or stores and returns true.
 * key names the value in messages; where as above. */
bool topo_yget_str(struct topo_pctx *ctx, const struct topo_ynode *n, const char *key,
		   const char *where, const char **out);
bool topo_yget_uint(struct topo_pctx *ctx, const struct topo_ynode *n, const char *key,
		    const char *where, unsigned lo, unsigned hi, unsigned *out);
bool topo_yget_bool(struct topo_pctx *ctx, const struct topo_ynode *n, const char *key,
		    const char *where, bool *out);
/* ADDR/PLEN; unicast, not a subnet's network or broadcast address. */
bool topo_yget_host_cidr(struct topo_pctx *ctx, const struct topo_ynode *n, const char *key,
			 const char *where, struct topo_cidr *out);
/* ADDR/PLEN or "default", host bits clear: a route's destination. */
bool topo_yget_route_dst(struct topo_pctx *ctx, const struct topo_ynode *n, const char *where,
			 struct topo_cidr *out, bool *is_default);
/* A bare unicast address: a route's next hop. */
bool topo_yget_addr(struct topo_pctx *ctx, const struct topo_ynode *n, const char *key,
		    const char *where, int *family, uint8_t addr[16]);
bool topo_yget_mac(struct topo_pctx *ctx, const struct topo_ynode *n, const char *where,
		   uint8_t mac[6]);

/* ---- stages ---- */

void topo_parse_root(struct topo_pctx *ctx, const struct topo_ynode *root);
void topo_parse_switches(struct topo_pctx *ctx, const struct topo_ynode *n);
void topo_parse_hosts(struct topo_pctx *ctx, const struct topo_ynode *n);
void topo_parse_links(struct topo_pctx *ctx, const struct topo_ynode *n);
/* A port's 'vlan', 'trunk' and 'native' keys in map into i (vlan, trunk,
 * native_vlan); reported as misplaced unless src->sw_named. */
void topo_parse_vlans(struct topo_pctx *ctx, struct topo_iface *i, struct topo_iface_src *src,
		      const struct topo_ynode *map, const char *where);
void topo_parse_expects(struct topo_pctx *ctx, const struct topo_ynode *n);
void topo_validate(struct topo_pctx *ctx);
void topo_defaults(struct topo_pctx *ctx);

/* ---- small helpers ---- */

#define TOPO_WHERE_MAX 160
/* "red:eth0" for messages. */
const char *topo_qiface(const struct topo_host *h, const struct topo_iface *i);
/* The family's name: "IPv4" / "IPv6". */
const char *topo_family_str(int family);
/* Whether the interface sits on VLAN 1 of its switch as an access port:
 * where the gateway is, and what the implicit default route uses. */
bool topo_iface_on_gateway_vlan(const struct topo_iface *i);
/* The switch's gateway of family, or NULL. */
const struct topo_cidr *topo_switch_gateway(const struct topo_switch *sw, int family);

#endif
