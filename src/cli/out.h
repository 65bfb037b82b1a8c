/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one printer. A command builds its answer as JSON; out_json() prints
 * that for -j, and out_table() shows the same rows as aligned columns for
 * people (like `ip -br`), so the two views cannot disagree. The JSON shapes
 * are documented in the README and kept stable.
 */
#ifndef NSLAB_OUT_H
#define NSLAB_OUT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

struct out_col {
	const char *header;
	const char *key;        /* a key of each row object; "a.b" reaches into a nested object */
	bool right;             /* right-align (numbers) */
};

/* Print rows (an array of objects) as a table with these columns. Arrays
 * are joined with ",", missing values shown as "-". */
void out_table(FILE *f, json_t *rows, const struct out_col *cols, size_t ncols);
/* Print j as indented JSON and a newline. */
void out_json(FILE *f, json_t *j);
/* The text of a cell as out_table would show it (into buf). */
const char *out_cell(json_t *row, const char *key, char *buf, size_t len);

/* Whether colour may be used on f: a terminal and NO_COLOR unset. */
bool out_color(FILE *f);

#endif
