// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Name lookups while parsing. A hostile file may hold tens of thousands of
 * hosts, each named by links and expectations; sorted indexes keep every
 * reference O(log n) where a linear topo_host_find() would make the parse
 * quadratic.
 */
#include "topo/parse.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int name_cmp(const void *pa, const void *pb)
{
	const struct topo_name_ref *a = pa, *b = pb;
	int c = strcmp(a->name, b->name);

	if (c)
		return c;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static int iface_cmp(const void *pa, const void *pb)
{
	const struct topo_iface_ref *a = pa, *b = pb;
	int c;

	if (a->host != b->host)
		return a->host < b->host ? -1 : 1;
	c = strcmp(a->name, b->name);
	if (c)
		return c;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static struct topo_name_ref *names_build(const void *base, size_t n, size_t stride)
{
	struct topo_name_ref *r = calloc(n ? n : 1, sizeof(*r));

	if (!r)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		r[i].name = *(char *const *)((const char *)base + i * stride);
		r[i].idx = i;
	}
	qsort(r, n, sizeof(*r), name_cmp);
	return r;
}

int topo_index_build(struct topo_pctx *ctx)
{
	const struct topo *t = ctx->t;
	size_t k = 0;

	free(ctx->sw_idx);
	free(ctx->host_idx);
	free(ctx->iface_idx);
	ctx->iface_idx = NULL;
	ctx->sw_idx = names_build(t->switches, t->n_switches, sizeof(*t->switches));
	ctx->host_idx = names_build(t->hosts, t->n_hosts, sizeof(*t->hosts));
	ctx->n_iface_idx = 0;
	for (size_t h = 0; h < t->n_hosts; h++)
		ctx->n_iface_idx += t->hosts[h].n_ifaces;
	ctx->iface_idx = calloc(ctx->n_iface_idx ? ctx->n_iface_idx : 1, sizeof(*ctx->iface_idx));
	if (!ctx->sw_idx || !ctx->host_idx || !ctx->iface_idx)
		return ctx->err = -ENOMEM;
	for (size_t h = 0; h < t->n_hosts; h++) {
		for (size_t i = 0; i < t->hosts[h].n_ifaces; i++) {
			ctx->iface_idx[k].host = h;
			ctx->iface_idx[k].name = t->hosts[h].ifaces[i].name;
			ctx->iface_idx[k].idx = i;
			k++;
		}
	}
	qsort(ctx->iface_idx, k, sizeof(*ctx->iface_idx), iface_cmp);
	return 0;
}

static size_t names_find(const struct topo_name_ref *r, size_t n, const char *name)
{
	size_t lo = 0, hi = n;

	if (!r)
		return SIZE_MAX;
	/* The first entry with the name (names are unique after the
	 * duplicate-key check, but stay exact regardless). */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(r[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && !strcmp(r[lo].name, name) ? r[lo].idx : SIZE_MAX;
}

size_t topo_index_switch(const struct topo_pctx *ctx, const char *name)
{
	return names_find(ctx->sw_idx, ctx->t->n_switches, name);
}

size_t topo_index_host(const struct topo_pctx *ctx, const char *name)
{
	return names_find(ctx->host_idx, ctx->t->n_hosts, name);
}

size_t topo_index_iface(const struct topo_pctx *ctx, size_t host, const char *name)
{
	const struct topo_iface_ref *r = ctx->iface_idx;
	size_t lo = 0, hi = ctx->n_iface_idx;

	if (!r)
		return SIZE_MAX;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = r[mid].host != host ? (r[mid].host < host ? -1 : 1) : strcmp(r[mid].name, name);

		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < ctx->n_iface_idx && r[lo].host == host && !strcmp(r[lo].name, name))
		return r[lo].idx;
	return SIZE_MAX;
}
