// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Problems in a topology file: collected with their positions while the
 * stages run (each stage walks its own part of the file), then sorted so the
 * user reads them in file order, one complete line each.
 */
#include "topo/parse.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"

#define Q_BUFS 8
#define Q_SHOW 40 /* bytes of a name shown in a message */
#define SUGGEST_MAX_LEN 64

static _Thread_local char qbuf[Q_BUFS][TOPO_QBUF];
static _Thread_local unsigned qnext;

char *topo_qbuf(void)
{
	return qbuf[qnext++ % Q_BUFS];
}

const char *topo_q(const char *s)
{
	char *b = topo_qbuf();
	size_t n = strlen(s);

	if (n <= Q_SHOW) {
		memcpy(b, s, n + 1);
	} else {
		memcpy(b, s, Q_SHOW);
		memcpy(b + Q_SHOW, "...", 4);
	}
	return b;
}

const char *topo_qpos(struct topo_pos pos)
{
	char *b = topo_qbuf();

	snprintf(b, TOPO_QBUF, "%d:%d", pos.line, pos.col);
	return b;
}

void topo_report(struct topo_pctx *ctx, struct topo_pos pos, const char *fmt, ...)
{
	struct topo_report *r;
	va_list ap;
	char *msg;

	if (ctx->n_reports >= TOPO_DIAG_MAX) {
		ctx->n_dropped++;
		return;
	}
	if (array_reserve(&ctx->reports, &ctx->cap_reports, ctx->n_reports + 1,
			  sizeof(*ctx->reports))) {
		ctx->err = -ENOMEM;
		return;
	}
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0) {
		va_end(ap);
		ctx->err = -ENOMEM;
		return;
	}
	va_end(ap);
	/* One problem, one line: names may hold any byte a quoted YAML
	 * string can carry. */
	for (char *p = msg; *p; p++)
		if ((unsigned char)*p < ' ' || *p == 0x7f)
			*p = '?';
	r = &ctx->reports[ctx->n_reports];
	r->pos = pos;
	r->seq = ctx->n_reports++;
	r->msg = msg;
}

static int report_cmp(const void *pa, const void *pb)
{
	const struct topo_report *a = pa, *b = pb;

	if (a->pos.line != b->pos.line)
		return a->pos.line < b->pos.line ? -1 : 1;
	if (a->pos.col != b->pos.col)
		return a->pos.col < b->pos.col ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static int diag_add(struct topo_diag *d, char *line)
{
	if (array_reserve(&d->lines, &d->cap, d->n + 1, sizeof(*d->lines))) {
		free(line);
		return -ENOMEM;
	}
	d->lines[d->n++] = line;
	return 0;
}

int topo_reports_emit(struct topo_pctx *ctx, struct topo_diag *diag)
{
	char *line;

	qsort(ctx->reports, ctx->n_reports, sizeof(*ctx->reports), report_cmp);
	for (size_t i = 0; i < ctx->n_reports; i++) {
		const struct topo_report *r = &ctx->reports[i];

		if (asprintf(&line, "%s:%d:%d: %s", ctx->file, r->pos.line, r->pos.col, r->msg) < 0 ||
		    diag_add(diag, line))
			return -ENOMEM;
	}
	if (ctx->n_dropped) {
		if (asprintf(&line, "%s: %zu more problems not shown; fix the ones above first",
			     ctx->file, ctx->n_dropped) < 0 ||
		    diag_add(diag, line))
			return -ENOMEM;
	}
	return 0;
}

void topo_reports_free(struct topo_pctx *ctx)
{
	for (size_t i = 0; i < ctx->n_reports; i++)
		free(ctx->reports[i].msg);
	free(ctx->reports);
	ctx->reports = NULL;
	ctx->n_reports = ctx->cap_reports = 0;
}

/* Optimal string alignment distance (Levenshtein plus adjacent
 * transpositions, so "gaetway" is one step from "gateway"), or limit + 1 if
 * it is more than limit. Only the band |i - j| <= limit can hold smaller
 * values, and a row whose band is all over the limit ends the search. */
static size_t edit_distance(const char *a, size_t la, const char *b, size_t lb, size_t limit)
{
	size_t d[SUGGEST_MAX_LEN + 1][SUGGEST_MAX_LEN + 1];
	const size_t over = limit + 1;

	if ((la > lb ? la - lb : lb - la) > limit)
		return over;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t lo = i > limit ? i - limit : 1, hi = i + limit < lb ? i + limit : lb;
		size_t row_min = over;

		/* The cells just outside the band are read by the next rows. */
		d[i][lo - 1] = lo == 1 ? i : over;
		if (hi < lb)
			d[i][hi + 1] = over;

		for (size_t j = lo; j <= hi; j++) {
			size_t cost = a[i - 1] != b[j - 1];
			size_t v = d[i - 1][j] + 1;

			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < v)
				v = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v < over ? v : over;
			if (d[i][j] < row_min)
				row_min = d[i][j];
		}
		if (row_min > limit)
			return over;
	}
	return d[la][lb];
}

const char *topo_suggest(struct topo_pctx *ctx, const char *word, const void *base, size_t n,
			 size_t stride, size_t offset)
{
	size_t lw = strlen(word), best_d = SIZE_MAX;
	const char *best = NULL;

	/* Bounded work: suggestions are a courtesy, not worth a slow refusal
	 * of a hostile file; none for problems that will not be shown. */
	if (lw > SUGGEST_MAX_LEN || ctx->n_reports >= TOPO_DIAG_MAX || n > ctx->suggest_budget)
		return NULL;
	ctx->suggest_budget -= n;
	for (size_t i = 0; i < n; i++) {
		const char *c = *(const char *const *)((const char *)base + i * stride + offset);
		size_t lc = c ? strlen(c) : SUGGEST_MAX_LEN + 1, d, limit;

		if (lc > SUGGEST_MAX_LEN || !strcmp(c, word))
			continue;
		/* Close enough to be a slip of the finger: one edit for short
		 * names, two for longer ones; never most of the word. */
		limit = (lc < lw ? lc : lw) <= 4 ? 1 : 2;
		d = edit_distance(word, lw, c, lc, limit);
		if (d <= limit && d < lc && d < best_d) {
			best_d = d;
			best = c;
		}
	}
	return best;
}
