// SPDX-License-Identifier: GPL-2.0-or-later
#include "lab/objset.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"

void objset_init(struct objset *s)
{
	memset(s, 0, sizeof(*s));
}

void objset_clear(struct objset *s)
{
	for (size_t i = 0; i < s->n; i++)
		obj_free(s->v[i]);
	free(s->v);
	free(s->slots);
	objset_init(s);
}

static uint32_t key_hash(enum obj_kind kind, const char *ns, const char *name)
{
	uint32_t h = hash_fnv1a(&kind, sizeof(kind));

	h ^= hash_fnv1a_str(ns) * 31u;
	h ^= hash_fnv1a_str(name) * 1000003u;
	return h;
}

static bool key_eq(const struct obj *o, enum obj_kind kind, const char *ns, const char *name)
{
	return o->kind == kind && !strcmp(o->ns, ns) && !strcmp(o->name, name);
}

/* The slot holding the key, or the empty slot where it would go. */
static size_t slot_of(const struct objset *s, enum obj_kind kind, const char *ns, const char *name)
{
	size_t mask = s->nslots - 1, i = key_hash(kind, ns, name) & mask;

	while (s->slots[i] && !key_eq(s->v[s->slots[i] - 1], kind, ns, name))
		i = (i + 1) & mask;
	return i;
}

static int reindex(struct objset *s, size_t nslots)
{
	size_t *slots = calloc(nslots, sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	free(s->slots);
	s->slots = slots;
	s->nslots = nslots;
	for (size_t i = 0; i < s->n; i++)
		s->slots[slot_of(s, s->v[i]->kind, s->v[i]->ns, s->v[i]->name)] = i + 1;
	return 0;
}

struct obj *objset_find_key(const struct objset *s, enum obj_kind kind, const char *ns,
			    const char *name)
{
	size_t i;

	if (!s->nslots)
		return NULL;
	i = slot_of(s, kind, ns, name);
	return s->slots[i] ? s->v[s->slots[i] - 1] : NULL;
}

struct obj *objset_find(const struct objset *s, const struct obj *key)
{
	return objset_find_key(s, key->kind, key->ns, key->name);
}

long objset_index(const struct objset *s, const struct obj *key)
{
	size_t i;

	if (!s->nslots)
		return -1;
	i = slot_of(s, key->kind, key->ns, key->name);
	return s->slots[i] ? (long)s->slots[i] - 1 : -1;
}

int objset_put(struct objset *s, struct obj *o)
{
	long at = objset_index(s, o);
	int rc;

	if (at >= 0) {
		obj_free(s->v[at]);
		s->v[at] = o;
		return 0;
	}
	rc = array_reserve(&s->v, &s->cap, s->n + 1, sizeof(*s->v));
	if (rc) {
		obj_free(o);
		return rc;
	}
	s->v[s->n++] = o;
	/* Keep the index at most half full. */
	if (s->n * 2 > s->nslots) {
		rc = reindex(s, s->nslots ? s->nslots * 2 : 64);
		if (rc) {
			obj_free(s->v[--s->n]);
			return rc;
		}
	} else {
		s->slots[slot_of(s, o->kind, o->ns, o->name)] = s->n;
	}
	return 0;
}

bool objset_del(struct objset *s, const struct obj *key)
{
	long at = objset_index(s, key);

	if (at < 0)
		return false;
	obj_free(s->v[at]);
	memmove(&s->v[at], &s->v[at + 1], (s->n - (size_t)at - 1) * sizeof(*s->v));
	s->n--;
	/* Positions moved: rebuild (deletions are rare and sets small enough). */
	if (reindex(s, s->nslots))
		memset(s->slots, 0, s->nslots * sizeof(*s->slots));
	return true;
}

void objset_remove_flagged(struct objset *s, unsigned flag)
{
	size_t k = 0;

	for (size_t i = 0; i < s->n; i++) {
		if (s->v[i]->flags & flag)
			obj_free(s->v[i]);
		else
			s->v[k++] = s->v[i];
	}
	if (k == s->n)
		return;
	s->n = k;
	if (reindex(s, s->nslots))
		memset(s->slots, 0, s->nslots * sizeof(*s->slots));
}
