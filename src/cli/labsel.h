/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Finding labs and nodes by the names people type. */
#ifndef NSLAB_LABSEL_H
#define NSLAB_LABSEL_H

#include <stdbool.h>

#include "lab/state.h"

struct topo;

/* A running lab, loaded for reading: its metadata and topology. */
struct labsel {
	struct lab_meta meta;
	struct topo *topo;
};

/* The lab named (if name is not NULL), else the only running one. Errors
 * (no lab, several) come with a message saying what to type. */
int labsel_open(const char *name, struct labsel *ls);
/* What labsel_open_having looks for. */
#define LABSEL_HOST   1u
#define LABSEL_SWITCH 2u

/* With no lab named: the only running one, or of several the one that has a
 * host or switch (as kinds says) called what (an error naming them if none
 * or several do). */
int labsel_open_having(const char *what, unsigned int kinds, struct labsel *ls);
void labsel_close(struct labsel *ls);

/* A node: a host of a lab, or the lab's "host" side, or its sandbox "inet". */
struct labsel_node {
	char lab[64];
	char node[128];
	char netns[128];        /* "" for the real host's own namespace */
	bool is_host;           /* the lab's host side */
};

/* "LAB:NAME": LAB into lab[len] and *name after the colon, 1; without a
 * colon *name is spec, 0; -EINVAL (with a message) if LAB is too long. */
int labsel_split(const char *spec, char *lab, size_t len, const char **name);

/* Resolve "NODE" or "LAB:NODE"; lab, if not NULL, is where to look. A bare
 * NODE found in several labs is an error that says to write LAB:NODE. */
int labsel_node(const char *spec, const char *lab, struct labsel_node *out);

/* The address to reach node of ls at (a host, "host": the first gateway,
 * "inet": a sandbox's server) in family (AF_UNSPEC: IPv4 first, or IPv6
 * first with prefer6), into buf; -EADDRNOTAVAIL if it has none. */
int labsel_addr(const struct labsel *ls, const char *node, int family, bool prefer6, char *buf,
		size_t len);

#define LABSEL_V4 1u
#define LABSEL_V6 2u
/* The families node of ls (as for labsel_addr) has an address of. */
unsigned int labsel_families(const struct labsel *ls, const char *node);

#endif
