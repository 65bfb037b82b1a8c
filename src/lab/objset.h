/* SPDX-License-Identifier: GPL-2.0-or-later */
/* An ordered set of objects (creation order) with lookup by key. */
#ifndef NSLAB_OBJSET_H
#define NSLAB_OBJSET_H

#include <stddef.h>

#include "lab/obj.h"

struct objset {
	struct obj **v;     /* owned */
	size_t n, cap;
	size_t *slots;      /* open-addressing index into v, +1 (0 = empty) */
	size_t nslots;
};

void objset_init(struct objset *s);
void objset_clear(struct objset *s);
/* Append o (taking ownership); an object with the same key is replaced in
 * place (keeping its position), so the journal's replay keeps the latest
 * description. 0 or -ENOMEM (o is freed). */
int objset_put(struct objset *s, struct obj *o);
/* Remove by key; the order of the rest is kept. Returns whether it was there. */
bool objset_del(struct objset *s, const struct obj *key);
/* Remove every object with flag set in its flags, keeping the order of the
 * rest: one pass, where objset_del per object would reindex each time. */
void objset_remove_flagged(struct objset *s, unsigned flag);
struct obj *objset_find(const struct objset *s, const struct obj *key);
struct obj *objset_find_key(const struct objset *s, enum obj_kind kind, const char *ns,
			    const char *name);
/* Index of o's key in v, or -1. */
long objset_index(const struct objset *s, const struct obj *key);

#endif
