/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The object model. Everything a lab makes is an object: a namespace, a veth
 * pair, a bridge, a port setup, an address, a route, a sysctl, an nftables
 * table, a switch daemon. An object is kept as text, the same text the
 * journal stores:
 *
 *     KIND NS NAME ATTR=VALUE... | STATE=VALUE...
 *
 *   - KIND NS NAME is its key: unique in a lab. NS is the namespace it lives
 *     in ("-" is the namespace nslab runs in, i.e. the real host);
 *   - ATTRs describe it; two objects with the same key and the same ATTRs
 *     are the same, otherwise the old one must go (or be updated);
 *   - STATE is what creating it decided (a chosen interface index, a saved
 *     sysctl value) and is carried over, not compared.
 *
 * Values never contain spaces or '|' (names, addresses, numbers, lists
 * joined by ','). Text keeps the journal, the planner's diff and debugging
 * output trivially in agreement.
 */
#ifndef NSLAB_OBJ_H
#define NSLAB_OBJ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Creation order: an object never depends on one of a later kind. */
enum obj_kind {
	OBJ_NETNS,   /* NS="-", NAME=namespace */
	OBJ_BRIDGE,  /* a Linux bridge; NAME=interface */
	OBJ_VETH,    /* NAME=end in NS; attrs peer_ns, peer */
	OBJ_PORT,    /* setup of a switch-side link: alias, up, master, VLANs */
	OBJ_ADDR,    /* NAME=DEV/ADDR/PLEN */
	OBJ_ROUTE,   /* NAME=DST/PLEN; attrs via, dev */
	OBJ_SYSCTL,  /* NAME=dotted key; attr value; state saved */
	OBJ_NFT,     /* NAME=table; attr masq=list */
	OBJ_SWITCHD, /* NAME=switch; attrs config hash */
	OBJ_KIND_COUNT
};

#define OBJ_NS_HOST "-"

enum {
	OBJ_F_CONFIRMED = 1 << 0, /* journal: its creation was committed */
	OBJ_F_GONE = 1 << 1,      /* deleted; to be dropped from its set */
};

struct obj {
	enum obj_kind kind;
	char *ns;
	char *name;
	char *attrs;   /* "" when none */
	char *state;   /* "" when none */
	unsigned flags;
};

const char *obj_kind_name(enum obj_kind k);
int obj_kind_parse(const char *s, enum obj_kind *k);

/* A new object; attrs/state may be NULL. NULL on ENOMEM. */
struct obj *obj_new(enum obj_kind kind, const char *ns, const char *name, const char *attrs,
		    const char *state);
struct obj *obj_dup(const struct obj *o);
void obj_free(struct obj *o);

/* Replace the state string. 0 or -ENOMEM. */
int obj_set_state(struct obj *o, const char *state);

/* "KIND NS NAME" into buf (at least OBJ_KEY_MAX). */
#define OBJ_KEY_MAX 256
const char *obj_key(const struct obj *o, char *buf, size_t len);
/* Same key and same attributes. */
bool obj_same(const struct obj *a, const struct obj *b);
/* Same key, and the same attributes but for key's value. */
bool obj_same_but(const struct obj *a, const struct obj *b, const char *key);

/* "KIND NS NAME ATTRS | STATE" (no newline). Caller frees. */
char *obj_format(const struct obj *o);
/* Parse obj_format's output. 0 or -EINVAL. */
int obj_parse(const char *line, struct obj **out);

/* The value of key in an attrs/state string, copied into buf; false if
 * absent (buf then ""). */
bool obj_get(const char *kv, const char *key, char *buf, size_t len);
/* The value of key in place, *vlen long (it ends at a space or the end);
 * NULL if absent. For values too long to copy (a switch's ports). */
const char *obj_attr(const char *kv, const char *key, size_t *vlen);
/* The same, as a number; def when absent or not a number. */
long obj_get_long(const char *kv, const char *key, long def);

/* The interface an ADDR, ROUTE or PORT sits on (in o->ns); "" for others. */
void obj_dev(const struct obj *o, char *dev, size_t len);

#endif
