// SPDX-License-Identifier: GPL-2.0-or-later
#include "lab/obj.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[OBJ_KIND_COUNT] = {
	[OBJ_NETNS] = "netns", [OBJ_BRIDGE] = "bridge", [OBJ_VETH] = "veth",
	[OBJ_PORT] = "port",   [OBJ_ADDR] = "addr",     [OBJ_ROUTE] = "route",
	[OBJ_SYSCTL] = "sysctl", [OBJ_NFT] = "nft",     [OBJ_SWITCHD] = "switchd",
};

const char *obj_kind_name(enum obj_kind k)
{
	return k < OBJ_KIND_COUNT ? kind_names[k] : "?";
}

int obj_kind_parse(const char *s, enum obj_kind *k)
{
	for (int i = 0; i < OBJ_KIND_COUNT; i++) {
		if (!strcmp(s, kind_names[i])) {
			*k = (enum obj_kind)i;
			return 0;
		}
	}
	return -EINVAL;
}

struct obj *obj_new(enum obj_kind kind, const char *ns, const char *name, const char *attrs,
		    const char *state)
{
	struct obj *o = calloc(1, sizeof(*o));

	if (!o)
		return NULL;
	o->kind = kind;
	o->ns = strdup(ns);
	o->name = strdup(name);
	o->attrs = strdup(attrs ? attrs : "");
	o->state = strdup(state ? state : "");
	if (!o->ns || !o->name || !o->attrs || !o->state) {
		obj_free(o);
		return NULL;
	}
	return o;
}

struct obj *obj_dup(const struct obj *o)
{
	struct obj *d = obj_new(o->kind, o->ns, o->name, o->attrs, o->state);

	if (d)
		d->flags = o->flags;
	return d;
}

void obj_free(struct obj *o)
{
	if (!o)
		return;
	free(o->ns);
	free(o->name);
	free(o->attrs);
	free(o->state);
	free(o);
}

int obj_set_state(struct obj *o, const char *state)
{
	char *s = strdup(state);

	if (!s)
		return -ENOMEM;
	free(o->state);
	o->state = s;
	return 0;
}

const char *obj_key(const struct obj *o, char *buf, size_t len)
{
	snprintf(buf, len, "%s %s %s", obj_kind_name(o->kind), o->ns, o->name);
	return buf;
}

bool obj_same(const struct obj *a, const struct obj *b)
{
	return a->kind == b->kind && !strcmp(a->ns, b->ns) && !strcmp(a->name, b->name) &&
	       !strcmp(a->attrs, b->attrs);
}

/* The next "k=v" token of *p, skipping those whose key is skip. */
static const char *next_attr(const char **p, const char *skip, size_t *len)
{
	size_t klen = strlen(skip);

	for (;;) {
		const char *t = *p + strspn(*p, " ");

		*len = strcspn(t, " ");
		*p = t + *len;
		if (!*len || !(*len > klen && !strncmp(t, skip, klen) && t[klen] == '='))
			return t;
	}
}

bool obj_same_but(const struct obj *a, const struct obj *b, const char *key)
{
	const char *pa = a->attrs, *pb = b->attrs;

	if (a->kind != b->kind || strcmp(a->ns, b->ns) || strcmp(a->name, b->name))
		return false;
	for (;;) {
		size_t la, lb;
		const char *ta = next_attr(&pa, key, &la), *tb = next_attr(&pb, key, &lb);

		if (la != lb || strncmp(ta, tb, la))
			return false;
		if (!la)
			return true;
	}
}

char *obj_format(const struct obj *o)
{
	char *s = NULL;

	if (asprintf(&s, "%s %s %s%s%s | %s", obj_kind_name(o->kind), o->ns, o->name,
		     o->attrs[0] ? " " : "", o->attrs, o->state) < 0)
		return NULL;
	return s;
}

/* Split off the next space-separated token of *p. */
static char *next_token(char **p)
{
	char *s = *p, *e;

	while (*s == ' ')
		s++;
	if (!*s)
		return NULL;
	e = strchr(s, ' ');
	if (e) {
		*e = '\0';
		*p = e + 1;
	} else {
		*p = s + strlen(s);
	}
	return s;
}

static char *trim(char *s)
{
	size_t n;

	while (*s == ' ')
		s++;
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\n'))
		s[--n] = '\0';
	return s;
}

int obj_parse(const char *line, struct obj **out)
{
	char *copy = strdup(line), *p, *bar, *kind, *ns, *name;
	enum obj_kind k;
	int rc = -EINVAL;

	if (!copy)
		return -ENOMEM;
	bar = strchr(copy, '|');
	if (!bar)
		goto out;
	*bar = '\0';
	p = copy;
	kind = next_token(&p);
	ns = next_token(&p);
	name = next_token(&p);
	if (!kind || !ns || !name || obj_kind_parse(kind, &k))
		goto out;
	*out = obj_new(k, ns, name, trim(p), trim(bar + 1));
	rc = *out ? 0 : -ENOMEM;
out:
	free(copy);
	return rc;
}

const char *obj_attr(const char *kv, const char *key, size_t *vlen)
{
	size_t klen = strlen(key);
	const char *p = kv;

	while (*p) {
		const char *end = strchr(p, ' ');
		size_t tlen = end ? (size_t)(end - p) : strlen(p);

		if (tlen > klen && !strncmp(p, key, klen) && p[klen] == '=') {
			*vlen = tlen - klen - 1;
			return p + klen + 1;
		}
		p += tlen;
		while (*p == ' ')
			p++;
	}
	*vlen = 0;
	return NULL;
}

bool obj_get(const char *kv, const char *key, char *buf, size_t len)
{
	size_t vlen;
	const char *v = obj_attr(kv, key, &vlen);

	if (len)
		buf[0] = '\0';
	if (v) {
		if (vlen >= len)
			vlen = len ? len - 1 : 0;
		if (len) {
			memcpy(buf, v, vlen);
			buf[vlen] = '\0';
		}
		return true;
	}
	return false;
}

long obj_get_long(const char *kv, const char *key, long def)
{
	char buf[32], *end;
	long v;

	if (!obj_get(kv, key, buf, sizeof(buf)) || !buf[0])
		return def;
	v = strtol(buf, &end, 10);
	return *end ? def : v;
}

/* The interface an ADDR, ROUTE or PORT sits on, in o->ns; "" for others. */
void obj_dev(const struct obj *o, char *dev, size_t len)
{
	const char *slash;

	dev[0] = '\0';
	switch (o->kind) {
	case OBJ_ADDR:
		slash = strchr(o->name, '/');
		if (slash && (size_t)(slash - o->name) < len) {
			memcpy(dev, o->name, (size_t)(slash - o->name));
			dev[slash - o->name] = '\0';
		}
		break;
	case OBJ_ROUTE:
		obj_get(o->attrs, "dev", dev, len);
		break;
	case OBJ_PORT:
		snprintf(dev, len, "%s", o->name);
		break;
	default:
		break;
	}
}
