/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Per-namespace handles for one run: the namespace's fd, an rtnetlink socket
 * opened inside it, and the interface indexes known there (chosen by the
 * plan, learnt from creation, or looked up once). Opened lazily, closed
 * together.
 */
#ifndef NSLAB_NSCTX_H
#define NSLAB_NSCTX_H

#include <stdbool.h>
#include <stddef.h>

struct nl;

struct nsctx_if {
	char name[16];
	int ifindex;
};

struct nsctx {
	char *name;             /* OBJ_NS_HOST ("-") for the caller's namespace */
	int fd;
	struct nl *nl;
	struct nsctx_if *ifs;
	size_t n_ifs, cap_ifs;
};

struct nsctx_table {
	struct nsctx **v;
	size_t n, cap;
	size_t *slots;          /* index + 1 */
	size_t nslots;
};

void nsctx_table_init(struct nsctx_table *t);
void nsctx_table_free(struct nsctx_table *t);

/* The context of namespace name, opening it if needed; -ENOENT if the
 * namespace does not exist. */
int nsctx_get(struct nsctx_table *t, const char *name, struct nsctx **out);
/* Register a namespace just created (takes fd and nl). */
int nsctx_adopt(struct nsctx_table *t, const char *name, int fd, struct nl *nl,
		struct nsctx **out);
/* Forget a namespace (it is being deleted): closes its handles. */
void nsctx_drop(struct nsctx_table *t, const char *name);

/* Remember that ifname is ifindex in c. */
int nsctx_set_ifindex(struct nsctx *c, const char *ifname, int ifindex);
/* The index of ifname in c: remembered, or asked of the kernel (once). */
int nsctx_ifindex(struct nsctx *c, const char *ifname, int *ifindex);
void nsctx_forget_ifindex(struct nsctx *c, const char *ifname);

/* Every context with queued requests, for nl_flush_many. Caller frees. */
int nsctx_pending(struct nsctx_table *t, struct nl ***nls, size_t *n);

#endif
