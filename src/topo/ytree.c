// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libyaml's event stream -> a tree of scalars, lists and mappings with
 * 1-based positions. This is where hostile input is bounded: nesting depth
 * and node count are capped, anchors and aliases are refused outright (so a
 * "billion laughs" file costs one message per alias, never an expansion),
 * and explicit tags are refused (every value is read by the key it belongs
 * to, so a tag could only mislead). libyaml accepts duplicate keys in a
 * mapping (YAML 1.2 §3.2.1.1 forbids them but leaves checking to the
 * application); each mapping's keys are checked here, and the later copy is
 * reported and dropped.
 */
#include "topo/parse.h"

#include <errno.h>
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "common/util.h"

#define CHUNK_SIZE 65536

struct topo_ychunk {
	struct topo_ychunk *next;
	size_t used;
	size_t size;
	alignas(max_align_t) unsigned char data[];
};

/* An open list or mapping while its events arrive. */
struct frame {
	struct topo_ynode *node;
	struct topo_ynode **kids;
	size_t n;
	size_t cap;
	bool have_key;              /* a mapping's key came; its value is next */
	bool drop_value;            /* that key was refused: drop the value */
};

struct loader {
	struct topo_pctx *ctx;
	struct topo_ytree *tree;
	const char *buf;
	size_t len;
	struct frame frames[TOPO_YAML_DEPTH_MAX];
	size_t depth;
	size_t nodes;
	int docs;
};

static void *arena_alloc(struct topo_ytree *tree, size_t n)
{
	struct topo_ychunk *c = tree->chunks;
	void *p;

	n = (n + alignof(max_align_t) - 1) & ~(alignof(max_align_t) - 1);
	if (!c || c->size - c->used < n) {
		size_t size = n > CHUNK_SIZE ? n : CHUNK_SIZE;

		c = malloc(sizeof(*c) + size);
		if (!c)
			return NULL;
		c->used = 0;
		c->size = size;
		c->next = tree->chunks;
		tree->chunks = c;
	}
	p = c->data + c->used;
	c->used += n;
	return p;
}

void topo_ytree_free(struct topo_ytree *tree)
{
	if (!tree)
		return;
	while (tree->chunks) {
		struct topo_ychunk *next = tree->chunks->next;

		free(tree->chunks);
		tree->chunks = next;
	}
	tree->root = NULL;
}

static struct topo_pos mark_pos(const yaml_mark_t *m)
{
	return (struct topo_pos){ (int)m->line + 1, (int)m->column + 1 };
}

/* Reader errors carry a byte offset rather than a mark. */
static struct topo_pos offset_pos(const struct loader *l, size_t off)
{
	struct topo_pos pos = { 1, 1 };

	if (off > l->len)
		off = l->len;
	for (size_t i = 0; i < off; i++) {
		if (l->buf[i] == '\n') {
			pos.line++;
			pos.col = 1;
		} else {
			pos.col++;
		}
	}
	return pos;
}

static struct topo_ynode *node_new(struct loader *l, enum topo_ytype type, const yaml_mark_t *m)
{
	struct topo_ynode *n;

	if (++l->nodes > TOPO_YAML_NODES_MAX) {
		topo_report(l->ctx, mark_pos(m),
			    "more than %d YAML values; a topology this large is refused, split the lab",
			    TOPO_YAML_NODES_MAX);
		return NULL;
	}
	n = arena_alloc(l->tree, sizeof(*n));
	if (!n) {
		l->ctx->err = -ENOMEM;
		return NULL;
	}
	memset(n, 0, sizeof(*n));
	n->type = type;
	n->pos = mark_pos(m);
	return n;
}

static void refuse_anchor_tag(struct loader *l, const yaml_mark_t *m, const yaml_char_t *anchor,
			      const yaml_char_t *tag)
{
	if (anchor)
		topo_report(l->ctx, mark_pos(m),
			    "anchor '&%s': anchors and aliases are not supported; write the value out in full",
			    topo_q((const char *)anchor));
	if (tag)
		topo_report(l->ctx, mark_pos(m),
			    "tag '%s' is not supported; remove it (each value's type follows from its key)",
			    topo_q((const char *)tag));
}

static int key_cmp(const struct topo_ynode *a, const struct topo_ynode *b)
{
	size_t n = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->str, b->str, n);

	if (c)
		return c;
	return a->len < b->len ? -1 : a->len > b->len;
}

static int pair_cmp(const void *pa, const void *pb)
{
	struct topo_ynode *const *a = *(struct topo_ynode *const *const *)pa;
	struct topo_ynode *const *b = *(struct topo_ynode *const *const *)pb;
	int c = key_cmp(a[0], b[0]);

	if (c)
		return c;
	return a < b ? -1 : a > b; /* file order among equal keys */
}

/* Report and drop later copies of a key. Sorting keeps this O(n log n):
 * a hosts mapping may be large. */
static int drop_duplicate_keys(struct loader *l, struct frame *f)
{
	size_t pairs = f->n / 2, out = 0;
	struct topo_ynode ***order;
	bool *dup;

	if (pairs < 2)
		return 0;
	order = malloc(pairs * sizeof(*order));
	dup = calloc(pairs, sizeof(*dup));
	if (!order || !dup) {
		free(order);
		free(dup);
		return -ENOMEM;
	}
	for (size_t i = 0; i < pairs; i++)
		order[i] = &f->kids[2 * i];
	qsort(order, pairs, sizeof(*order), pair_cmp);
	for (size_t i = 1; i < pairs; i++) {
		size_t first = i - 1;

		while (i < pairs && !key_cmp(order[first][0], order[i][0])) {
			struct topo_ynode *k = order[i][0];

			topo_report(l->ctx, k->pos, "duplicate key '%s' (first at %s); remove one of them",
				    topo_q(k->str), topo_qpos(order[first][0]->pos));
			dup[(size_t)(order[i] - f->kids) / 2] = true;
			i++;
		}
	}
	for (size_t i = 0; i < pairs; i++) {
		if (dup[i])
			continue;
		f->kids[2 * out] = f->kids[2 * i];
		f->kids[2 * out + 1] = f->kids[2 * i + 1];
		out++;
	}
	f->n = 2 * out;
	free(order);
	free(dup);
	return 0;
}

/* Attach a finished node to the open collection (or make it the root). */
static int attach(struct loader *l, struct topo_ynode *n)
{
	struct frame *f;

	if (l->depth == 0) {
		l->tree->root = n;
		return 0;
	}
	f = &l->frames[l->depth - 1];
	if (f->node->type == TOPO_YMAP) {
		if (!f->have_key) {
			f->have_key = true;
			f->drop_value = n->type != TOPO_YSCALAR;
			if (f->drop_value) {
				topo_report(l->ctx, n->pos,
					    "a key must be a plain name, not %s; write 'name: value'",
					    n->type == TOPO_YSEQ ? "a list" : "a mapping");
				return 0;
			}
		} else {
			f->have_key = false;
			if (f->drop_value)
				return 0;
		}
	}
	if (array_reserve(&f->kids, &f->cap, f->n + 1, sizeof(*f->kids)))
		return -ENOMEM;
	f->kids[f->n++] = n;
	return 0;
}

static int open_collection(struct loader *l, enum topo_ytype type, const yaml_event_t *ev)
{
	struct topo_ynode *n;
	struct frame *f;

	if (l->depth >= TOPO_YAML_DEPTH_MAX) {
		topo_report(l->ctx, mark_pos(&ev->start_mark),
			    "nesting deeper than %d levels; a topology needs at most 6, check the indentation",
			    TOPO_YAML_DEPTH_MAX);
		return -EINVAL;
	}
	n = node_new(l, type, &ev->start_mark);
	if (!n)
		return l->ctx->err ? l->ctx->err : -EINVAL;
	if (type == TOPO_YMAP)
		refuse_anchor_tag(l, &ev->start_mark, ev->data.mapping_start.anchor,
				  ev->data.mapping_start.implicit ? NULL : ev->data.mapping_start.tag);
	else
		refuse_anchor_tag(l, &ev->start_mark, ev->data.sequence_start.anchor,
				  ev->data.sequence_start.implicit ? NULL : ev->data.sequence_start.tag);
	f = &l->frames[l->depth++];
	f->node = n;
	f->n = 0;
	f->have_key = false;
	f->drop_value = false;
	return 0;
}

static int close_collection(struct loader *l)
{
	struct frame *f;
	struct topo_ynode *n;
	int rc;

	if (!l->depth) /* libyaml pairs every end with a start */
		return -EINVAL;
	f = &l->frames[--l->depth];
	n = f->node;

	if (n->type == TOPO_YMAP) {
		rc = drop_duplicate_keys(l, f);
		if (rc)
			return rc;
		n->n = f->n / 2;
	} else {
		n->n = f->n;
	}
	if (f->n) {
		n->items = arena_alloc(l->tree, f->n * sizeof(*n->items));
		if (!n->items)
			return -ENOMEM;
		memcpy(n->items, f->kids, f->n * sizeof(*n->items));
	}
	return attach(l, n);
}

static bool is_null(const char *s, size_t len)
{
	return len == 0 || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") ||
	       !strcmp(s, "NULL");
}

static int add_scalar(struct loader *l, const yaml_event_t *ev)
{
	const char *v = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length;
	struct topo_ynode *n = node_new(l, TOPO_YSCALAR, &ev->start_mark);
	char *s;

	if (!n)
		return l->ctx->err ? l->ctx->err : -EINVAL;
	refuse_anchor_tag(l, &ev->start_mark, ev->data.scalar.anchor,
			  (ev->data.scalar.plain_implicit || ev->data.scalar.quoted_implicit) ? NULL
											     : ev->data.scalar.tag);
	s = arena_alloc(l->tree, len + 1);
	if (!s)
		return -ENOMEM;
	memcpy(s, v, len);
	s[len] = '\0';
	/* A double-quoted "\0" puts a NUL inside the value, where C strings
	 * would silently end it. */
	if (memchr(s, '\0', len))
		topo_report(l->ctx, n->pos, "a NUL character ('\\0') in a value; remove it");
	n->str = s;
	n->len = len;
	n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	n->null = n->plain && is_null(s, len);
	return attach(l, n);
}

static int add_alias(struct loader *l, const yaml_event_t *ev)
{
	struct topo_ynode *n = node_new(l, TOPO_YSCALAR, &ev->start_mark);

	if (!n)
		return l->ctx->err ? l->ctx->err : -EINVAL;
	topo_report(l->ctx, n->pos,
		    "alias '*%s': anchors and aliases are not supported; write the value out in full",
		    topo_q((const char *)ev->data.alias.anchor));
	n->str = "";
	n->null = true;
	n->plain = true;
	return attach(l, n);
}

static void report_syntax(struct loader *l, const yaml_parser_t *p)
{
	struct topo_pos pos = p->error == YAML_READER_ERROR ? offset_pos(l, p->problem_offset)
							    : mark_pos(&p->problem_mark);
	const char *problem = p->problem ? p->problem : "invalid YAML";

	if (p->context && strstr(p->context, "alias"))
		/* The likely cause in a topology: expect's "every host". */
		topo_report(l->ctx, pos,
			    "YAML syntax error: %s (%s at %d:%d); a bare '*' starts a YAML alias, write \"*\" in quotes",
			    problem, p->context, (int)p->context_mark.line + 1,
			    (int)p->context_mark.column + 1);
	else if (p->context)
		topo_report(l->ctx, pos,
			    "YAML syntax error: %s (%s at %d:%d); check the indentation, quotes and brackets here",
			    problem, p->context, (int)p->context_mark.line + 1,
			    (int)p->context_mark.column + 1);
	else if (p->error == YAML_READER_ERROR)
		topo_report(l->ctx, pos, "%s (byte 0x%02x); save the file as UTF-8 text", problem,
			    (unsigned)(p->problem_value & 0xff));
	else
		topo_report(l->ctx, pos,
			    "YAML syntax error: %s; check the indentation, quotes and brackets here",
			    problem);
}

static int handle(struct loader *l, const yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (++l->docs > 1) {
			topo_report(l->ctx, mark_pos(&ev->start_mark),
				    "a second YAML document; a topology file holds one, remove the '---' and what follows");
			return -EINVAL;
		}
		return 0;
	case YAML_MAPPING_START_EVENT:
		return open_collection(l, TOPO_YMAP, ev);
	case YAML_SEQUENCE_START_EVENT:
		return open_collection(l, TOPO_YSEQ, ev);
	case YAML_MAPPING_END_EVENT:
	case YAML_SEQUENCE_END_EVENT:
		return close_collection(l);
	case YAML_SCALAR_EVENT:
		return add_scalar(l, ev);
	case YAML_ALIAS_EVENT:
		return add_alias(l, ev);
	default:
		return 0;
	}
}

int topo_ytree_load(struct topo_pctx *ctx, const char *buf, size_t len, struct topo_ytree *tree)
{
	struct loader l = { .ctx = ctx, .tree = tree, .buf = buf, .len = len };
	yaml_parser_t parser;
	int rc = 0;

	tree->root = NULL;
	tree->chunks = NULL;
	if (!yaml_parser_initialize(&parser))
		return -ENOMEM;
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	for (;;) {
		yaml_event_t ev;
		bool end;

		if (!yaml_parser_parse(&parser, &ev)) {
			if (parser.error == YAML_MEMORY_ERROR) {
				rc = -ENOMEM;
			} else {
				report_syntax(&l, &parser);
				rc = -EINVAL;
			}
			break;
		}
		end = ev.type == YAML_STREAM_END_EVENT;
		rc = handle(&l, &ev);
		yaml_event_delete(&ev);
		if (rc || end)
			break;
	}
	for (size_t i = 0; i < TOPO_YAML_DEPTH_MAX; i++)
		free(l.frames[i].kids);
	yaml_parser_delete(&parser);
	if (!rc && ctx->err)
		rc = ctx->err;
	return rc;
}
