// SPDX-License-Identifier: GPL-2.0-or-later
#include "lab/alive.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/util.h"
#include "kernel/link.h"
#include "kernel/netns.h"
#include "kernel/nl.h"
#include "lab/switchd_run.h"

struct names {
	char (*v)[IF_NAMESIZE];
	size_t n, cap;
};

static int name_cb(const struct link_info *li, void *arg)
{
	struct names *s = arg;
	int rc = array_reserve(&s->v, &s->cap, s->n + 1, sizeof(*s->v));

	if (rc)
		return rc;
	memcpy(s->v[s->n++], li->name, IF_NAMESIZE);
	return 0;
}

static int name_cmp(const void *a, const void *b)
{
	return strncmp(a, b, IF_NAMESIZE);
}

int alive_init(struct alive *a, const char *lab, const char *host_ns)
{
	struct names s = { 0 };
	struct nl *nl = NULL;
	int fd, rc;

	memset(a, 0, sizeof(*a));
	a->lab = lab;
	a->host_ns = host_ns;
	if (!strcmp(host_ns, OBJ_NS_HOST)) {
		rc = nl_open(&nl);
	} else {
		rc = netns_open(host_ns, &fd);
		if (rc == -ENOENT)
			return 0;
		if (!rc) {
			rc = nl_open_netns(fd, &nl);
			close(fd);
		}
	}
	if (!rc)
		rc = link_dump(nl, name_cb, &s);
	nl_close(nl);
	if (rc) {
		free(s.v);
		return rc;
	}
	if (s.n)
		qsort(s.v, s.n, sizeof(*s.v), name_cmp);
	a->links = s.v;
	a->n_links = s.n;
	a->have_links = true;
	return 0;
}

void alive_free(struct alive *a)
{
	free(a->links);
	memset(a, 0, sizeof(*a));
}

static bool has_link(const struct alive *a, const char *name)
{
	char key[IF_NAMESIZE] = { 0 };

	strncpy(key, name, sizeof(key) - 1);
	return a->n_links && bsearch(key, a->links, a->n_links, sizeof(*a->links), name_cmp);
}

bool alive_obj(const struct obj *o, void *arg)
{
	const struct alive *a = arg;
	char peer_ns[256], peer[IF_NAMESIZE];

	switch (o->kind) {
	case OBJ_SWITCHD:
		return switchd_alive(a->lab, o->name);
	case OBJ_NETNS:
		return netns_exists(o->name);
	case OBJ_BRIDGE:
	case OBJ_VETH:
		if (!a->have_links)
			return true;
		if (!strcmp(o->ns, a->host_ns))
			return has_link(a, o->name);
		/* Deleting either end of a veth deletes both: the end in the
		 * host namespace tells for the pair. */
		if (o->kind == OBJ_VETH && obj_get(o->attrs, "peer_ns", peer_ns, sizeof(peer_ns)) &&
		    !strcmp(peer_ns, a->host_ns) && obj_get(o->attrs, "peer", peer, sizeof(peer)))
			return has_link(a, peer);
		return true;
	default:
		return true;
	}
}
