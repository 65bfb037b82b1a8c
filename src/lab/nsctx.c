// SPDX-License-Identifier: GPL-2.0-or-later
#include "lab/nsctx.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/errmsg.h"
#include "common/util.h"
#include "kernel/link.h"
#include "kernel/netns.h"
#include "kernel/nl.h"
#include "lab/obj.h"

void nsctx_table_init(struct nsctx_table *t)
{
	memset(t, 0, sizeof(*t));
}

static void nsctx_free(struct nsctx *c)
{
	if (!c)
		return;
	nl_close(c->nl);
	if (c->fd >= 0)
		close(c->fd);
	free(c->ifs);
	free(c->name);
	free(c);
}

void nsctx_table_free(struct nsctx_table *t)
{
	for (size_t i = 0; i < t->n; i++)
		nsctx_free(t->v[i]);
	free(t->v);
	free(t->slots);
	nsctx_table_init(t);
}

static size_t slot_of(const struct nsctx_table *t, const char *name)
{
	size_t mask = t->nslots - 1, i = hash_fnv1a_str(name) & mask;

	while (t->slots[i] && (!t->v[t->slots[i] - 1] || strcmp(t->v[t->slots[i] - 1]->name, name)))
		i = (i + 1) & mask;
	return i;
}

static struct nsctx *lookup(const struct nsctx_table *t, const char *name)
{
	size_t i;

	if (!t->nslots)
		return NULL;
	i = slot_of(t, name);
	return t->slots[i] ? t->v[t->slots[i] - 1] : NULL;
}

/* Rebuild the slots from v, twice as many if grow (else as many). */
static int reindex(struct nsctx_table *t, bool grow)
{
	size_t nslots = !t->nslots ? 64 : grow ? t->nslots * 2 : t->nslots;
	size_t *slots = calloc(nslots, sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	free(t->slots);
	t->slots = slots;
	t->nslots = nslots;
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i])
			t->slots[slot_of(t, t->v[i]->name)] = i + 1;
	return 0;
}

static int insert(struct nsctx_table *t, struct nsctx *c)
{
	int rc = array_reserve(&t->v, &t->cap, t->n + 1, sizeof(*t->v));

	if (rc)
		return rc;
	t->v[t->n++] = c;
	if (t->n * 2 > t->nslots)
		return reindex(t, true);
	t->slots[slot_of(t, c->name)] = t->n;
	return 0;
}

static struct nsctx *nsctx_alloc(const char *name)
{
	struct nsctx *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->fd = -1;
	c->name = strdup(name);
	if (!c->name) {
		free(c);
		return NULL;
	}
	return c;
}

int nsctx_adopt(struct nsctx_table *t, const char *name, int fd, struct nl *nl,
		struct nsctx **out)
{
	struct nsctx *c = nsctx_alloc(name);
	int rc;

	if (!c)
		return -ENOMEM;
	c->fd = fd;
	c->nl = nl;
	rc = insert(t, c);
	if (rc) {
		nsctx_free(c);
		return rc;
	}
	if (out)
		*out = c;
	return 0;
}

int nsctx_get(struct nsctx_table *t, const char *name, struct nsctx **out)
{
	struct nsctx *c = lookup(t, name);
	int rc;

	if (c) {
		*out = c;
		return 0;
	}
	c = nsctx_alloc(name);
	if (!c)
		return -ENOMEM;
	if (!strcmp(name, OBJ_NS_HOST)) {
		c->fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
		rc = c->fd < 0 ? -errno : nl_open(&c->nl);
	} else {
		rc = netns_open(name, &c->fd);
		if (!rc)
			rc = nl_open_netns(c->fd, &c->nl);
	}
	if (!rc)
		rc = insert(t, c);
	if (rc) {
		nsctx_free(c);
		return err_set(rc, "opening network namespace %s", name);
	}
	*out = c;
	return 0;
}

void nsctx_drop(struct nsctx_table *t, const char *name)
{
	size_t i;

	if (!t->nslots)
		return;
	i = slot_of(t, name);
	if (!t->slots[i])
		return;
	/* Leave a hole in v (positions must stay), but not in the probe chain:
	 * the slots are rebuilt, as many as before. If that fails, the old
	 * ones still find every other namespace (a hole is skipped). */
	nsctx_free(t->v[t->slots[i] - 1]);
	t->v[t->slots[i] - 1] = NULL;
	reindex(t, false);
}

int nsctx_set_ifindex(struct nsctx *c, const char *ifname, int ifindex)
{
	int rc;

	for (size_t i = 0; i < c->n_ifs; i++) {
		if (!strcmp(c->ifs[i].name, ifname)) {
			c->ifs[i].ifindex = ifindex;
			return 0;
		}
	}
	rc = array_reserve(&c->ifs, &c->cap_ifs, c->n_ifs + 1, sizeof(*c->ifs));
	if (rc)
		return rc;
	rc = str_copy(c->ifs[c->n_ifs].name, sizeof(c->ifs[0].name), ifname);
	if (rc)
		return rc;
	c->ifs[c->n_ifs++].ifindex = ifindex;
	return 0;
}

void nsctx_forget_ifindex(struct nsctx *c, const char *ifname)
{
	for (size_t i = 0; i < c->n_ifs; i++) {
		if (!strcmp(c->ifs[i].name, ifname)) {
			c->ifs[i] = c->ifs[--c->n_ifs];
			return;
		}
	}
}

int nsctx_ifindex(struct nsctx *c, const char *ifname, int *ifindex)
{
	int rc;

	for (size_t i = 0; i < c->n_ifs; i++) {
		if (!strcmp(c->ifs[i].name, ifname)) {
			*ifindex = c->ifs[i].ifindex;
			return 0;
		}
	}
	rc = nl_flush(c->nl);
	if (rc)
		return rc;
	rc = link_index(c->nl, ifname, ifindex);
	if (rc)
		return rc;
	return nsctx_set_ifindex(c, ifname, *ifindex);
}

int nsctx_pending(struct nsctx_table *t, struct nl ***nlsp, size_t *np)
{
	struct nl **nls = NULL;
	size_t n = 0, cap = 0;

	for (size_t i = 0; i < t->n; i++) {
		if (!t->v[i] || !t->v[i]->nl || !nl_pending(t->v[i]->nl))
			continue;
		if (array_reserve(&nls, &cap, n + 1, sizeof(*nls))) {
			free(nls);
			return -ENOMEM;
		}
		nls[n++] = t->v[i]->nl;
	}
	*nlsp = nls;
	*np = n;
	return 0;
}
