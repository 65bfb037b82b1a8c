// SPDX-License-Identifier: GPL-2.0-or-later
#include "cli/out.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static json_t *lookup(json_t *row, const char *key)
{
	char part[64];
	const char *dot;

	while ((dot = strchr(key, '.')) && row) {
		size_t n = (size_t)(dot - key);

		if (n >= sizeof(part))
			return NULL;
		memcpy(part, key, n);
		part[n] = '\0';
		row = json_object_get(row, part);
		key = dot + 1;
	}
	return row ? json_object_get(row, key) : NULL;
}

static size_t scalar(json_t *v, char *buf, size_t len)
{
	int n = 0;

	if (json_is_string(v))
		n = snprintf(buf, len, "%s", json_string_value(v));
	else if (json_is_integer(v))
		n = snprintf(buf, len, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		n = snprintf(buf, len, "%.3g", json_real_value(v));
	else if (json_is_true(v))
		n = snprintf(buf, len, "yes");
	else if (json_is_false(v))
		n = snprintf(buf, len, "no");
	else
		n = snprintf(buf, len, "-");
	return n < 0 ? 0 : (size_t)n >= len ? len - 1 : (size_t)n;
}

const char *out_cell(json_t *row, const char *key, char *buf, size_t len)
{
	json_t *v = lookup(row, key);
	size_t off = 0;

	if (json_is_array(v)) {
		size_t i;
		json_t *e;

		buf[0] = '\0';
		json_array_foreach(v, i, e) {
			if (i && off + 1 < len)
				buf[off++] = ',';
			off += scalar(e, buf + off, len - off);
		}
		if (!json_array_size(v))
			snprintf(buf, len, "-");
		return buf;
	}
	scalar(v, buf, len);
	return buf;
}

static void print_cell(FILE *f, const char *s, size_t w, bool right, bool last)
{
	/* A last column is not padded on the right (no trailing blanks),
	 * but numbers still line up on theirs. */
	if (last && right)
		fprintf(f, "%*s\n", (int)w, s);
	else if (last)
		fprintf(f, "%s\n", s);
	else
		fprintf(f, right ? "%*s  " : "%-*s  ", (int)w, s);
}

void out_table(FILE *f, json_t *rows, const struct out_col *cols, size_t ncols)
{
	size_t *w = calloc(ncols, sizeof(*w)), i;
	char buf[1024];
	json_t *row;

	if (!w)
		return;
	for (size_t c = 0; c < ncols; c++)
		w[c] = strlen(cols[c].header);
	json_array_foreach(rows, i, row) {
		for (size_t c = 0; c < ncols; c++) {
			size_t n = strlen(out_cell(row, cols[c].key, buf, sizeof(buf)));

			if (n > w[c])
				w[c] = n;
		}
	}
	for (size_t c = 0; c < ncols; c++)
		print_cell(f, cols[c].header, w[c], cols[c].right, c + 1 == ncols);
	json_array_foreach(rows, i, row) {
		for (size_t c = 0; c < ncols; c++)
			print_cell(f, out_cell(row, cols[c].key, buf, sizeof(buf)), w[c], cols[c].right,
				   c + 1 == ncols);
	}
	free(w);
}

void out_json(FILE *f, json_t *j)
{
	json_dumpf(j, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', f);
}

bool out_color(FILE *f)
{
	const char *nc = getenv("NO_COLOR");

	return isatty(fileno(f)) && !(nc && *nc);
}
