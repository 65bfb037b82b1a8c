// SPDX-License-Identifier: GPL-2.0-or-later
#include "cli/labsel.h"

#include <arpa/inet.h>
#include <errno.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/errmsg.h"
#include "common/strbuf.h"
#include "lab/desired.h"
#include "lab/reach.h"
#include "topo/topo.h"

static int only_lab(char **out)
{
	struct strbuf names = STRBUF_INIT;
	char **labs;
	size_t n;
	int rc = state_list(&labs, &n);

	if (rc)
		return rc;
	if (n == 1) {
		*out = strdup(labs[0]);
		rc = *out ? 0 : -ENOMEM;
	} else if (n == 0) {
		rc = err_msg(-ENOENT, "no lab is running; start one with nslab up");
	} else {
		for (size_t i = 0; i < n; i++)
			sb_printf(&names, "%s%s", i ? ", " : "", labs[i]);
		rc = err_msg(-EINVAL, "%zu labs are running (%s); say which with -l LAB", n, sb_str(&names));
	}
	sb_free(&names);
	state_list_free(labs, n);
	return rc;
}

/* A lab with a journal (what to take down) but no complete record. */
static bool incomplete(const char *name)
{
	char path[4096];

	return !state_path(name, "journal", path, sizeof(path)) && !access(path, F_OK);
}

int labsel_open(const char *name, struct labsel *ls)
{
	char *lab = NULL;
	int rc;

	memset(ls, 0, sizeof(*ls));
	if (!name) {
		rc = only_lab(&lab);
		if (rc)
			return rc;
		name = lab;
	}
	rc = state_meta_read(name, &ls->meta);
	if (rc == -ENOENT && incomplete(name))
		rc = err_msg(rc, "lab %s is incomplete: its first nslab up did not finish; nslab up "
				 "finishes it, nslab down clears it", name);
	else if (rc == -ENOENT)
		rc = err_msg(rc, "there is no lab called %s (nslab ls lists them)", name);
	if (!rc) {
		rc = state_load_topo(&ls->meta, &ls->topo);
		if (rc == -ENOENT && incomplete(name))
			rc = err_msg(rc, "lab %s is incomplete: its first nslab up did not finish; "
					 "nslab up finishes it, nslab down clears it", name);
	}
	free(lab);
	if (rc)
		labsel_close(ls);
	return rc;
}

int labsel_open_having(const char *what, unsigned int kinds, struct labsel *ls)
{
	const char *kind = kinds == LABSEL_SWITCH ? "switch" : kinds == LABSEL_HOST ? "node"
											  : "node or switch";
	struct strbuf found = STRBUF_INIT, all = STRBUF_INIT;
	char **labs = NULL;
	size_t n = 0, hits = 0;
	int rc;

	memset(ls, 0, sizeof(*ls));
	rc = state_list(&labs, &n);
	if (rc || n < 2 || !strcmp(what, "host") || !strcmp(what, "inet")) {
		state_list_free(labs, n);
		return rc ? rc : labsel_open(NULL, ls);
	}
	for (size_t i = 0; i < n; i++) {
		struct labsel one;

		sb_printf(&all, "%s%s", i ? ", " : "", labs[i]);
		if (labsel_open(labs[i], &one)) {
			err_clear();
			continue;
		}
		if (!((kinds & LABSEL_HOST) && topo_host_find(one.topo, what)) &&
		    !((kinds & LABSEL_SWITCH) && topo_switch_find(one.topo, what))) {
			labsel_close(&one);
			continue;
		}
		sb_printf(&found, "%s%s", hits ? " and " : "", labs[i]);
		if (hits++)
			labsel_close(&one);
		else
			*ls = one;
	}
	if (hits == 0)
		rc = err_msg(-ENOENT, "no running lab has a %s called %s (labs: %s)", kind, what,
			     sb_str(&all));
	else if (hits > 1)
		rc = err_msg(-EINVAL, "%s is in labs %s; say which (-l LAB)", what, sb_str(&found));
	if (rc && hits)
		labsel_close(ls);
	sb_free(&found);
	sb_free(&all);
	state_list_free(labs, n);
	return rc;
}

void labsel_close(struct labsel *ls)
{
	topo_free(ls->topo);
	state_meta_free(&ls->meta);
	memset(ls, 0, sizeof(*ls));
}

/* Fill out for node in lab; -ESRCH if the lab has no such node. */
static int node_in(const char *lab, const char *node, struct labsel_node *out)
{
	struct labsel ls;
	char host[128], inet[128];
	int rc = labsel_open(lab, &ls);

	if (rc)
		return rc;
	memset(out, 0, sizeof(*out));
	snprintf(out->lab, sizeof(out->lab), "%s", lab);
	snprintf(out->node, sizeof(out->node), "%s", node);
	desired_sandbox_names(lab, host, sizeof(host), inet, sizeof(inet));
	if (!strcmp(node, "host")) {
		out->is_host = true;
		if (ls.meta.sandbox)
			snprintf(out->netns, sizeof(out->netns), "%s", host);
	} else if (!strcmp(node, "inet") && ls.meta.sandbox) {
		snprintf(out->netns, sizeof(out->netns), "%s", inet);
	} else if (topo_host_find(ls.topo, node)) {
		snprintf(out->netns, sizeof(out->netns), "%s", node);
	} else {
		rc = -ESRCH;
	}
	labsel_close(&ls);
	return rc;
}

int labsel_split(const char *spec, char *lab, size_t len, const char **name)
{
	const char *colon = strchr(spec, ':');

	*name = spec;
	if (!colon)
		return 0;
	if ((size_t)(colon - spec) >= len)
		return err_msg(-EINVAL, "%s: no such lab", spec);
	memcpy(lab, spec, (size_t)(colon - spec));
	lab[colon - spec] = '\0';
	*name = colon + 1;
	return 1;
}

int labsel_node(const char *spec, const char *lab, struct labsel_node *out)
{
	char **labs = NULL, found[64] = "", l[64];
	const char *node;
	size_t n = 0, hits = 0;
	int rc;

	rc = labsel_split(spec, l, sizeof(l), &node);
	if (rc < 0)
		return rc;
	if (rc && lab && strcmp(lab, l))
		return err_msg(-EINVAL, "%s names lab %s, not %s", spec, l, lab);
	if (rc) {
		rc = node_in(l, node, out);
		return rc == -ESRCH ? err_msg(-ENOENT, "lab %s has no node called %s", l, node) : rc;
	}
	if (lab) {
		rc = node_in(lab, spec, out);
		return rc == -ESRCH ? err_msg(-ENOENT, "lab %s has no node called %s", lab, spec) : rc;
	}
	rc = state_list(&labs, &n);
	if (rc)
		return rc;
	for (size_t i = 0; i < n; i++) {
		struct labsel_node tmp;

		if (node_in(labs[i], spec, &tmp) == 0) {
			if (!hits++)
				*out = tmp;
			snprintf(found, sizeof(found), "%s", labs[i]);
		}
	}
	state_list_free(labs, n);
	err_clear();
	if (hits == 1)
		return 0;
	if (hits > 1)
		return err_msg(-EINVAL, "%zu running labs have a node called %s; write LAB:%s", hits,
			       spec, spec);
	if (n == 0)
		return err_msg(-ENOENT, "no lab is running; start one with nslab up");
	return err_msg(-ENOENT, "no running lab has a node called %s", spec);
}

/* The first gateway address of family among the lab's switches. */
static const struct topo_cidr *gateway_addr(const struct topo *t, int family)
{
	for (size_t s = 0; s < t->n_switches; s++)
		for (size_t g = 0; g < t->switches[s].n_gateways; g++)
			if (t->switches[s].gateways[g].family == family)
				return &t->switches[s].gateways[g];
	return NULL;
}

int labsel_addr(const struct labsel *ls, const char *node, int family, bool prefer6, char *buf,
		size_t len)
{
	const int order[2] = { family ? family : prefer6 ? AF_INET6 : AF_INET,
			       family ? family : prefer6 ? AF_INET : AF_INET6 };
	const struct topo_host *h = topo_host_find(ls->topo, node);
	const struct topo_cidr *c = NULL;
	struct topo_cidr server;

	for (int i = 0; i < 2 && !c; i++) {
		if (!strcmp(node, "inet") && ls->meta.sandbox) {
			/* The sandbox's internet answers at its server address. */
			topo_cidr_parse(order[i] == AF_INET ? SANDBOX_SERVER_V4 : SANDBOX_SERVER_V6,
					&server);
			c = &server;
		} else if (!strcmp(node, "host")) {
			c = gateway_addr(ls->topo, order[i]);
		} else if (h) {
			c = reach_host_addr(h, order[i]);
		}
	}
	if (!c)
		return -EADDRNOTAVAIL;
	topo_addr_str(c->family, c->addr, buf, len);
	return 0;
}

unsigned int labsel_families(const struct labsel *ls, const char *node)
{
	char buf[INET6_ADDRSTRLEN];
	unsigned int fams = 0;

	if (!labsel_addr(ls, node, AF_INET, false, buf, sizeof(buf)))
		fams |= LABSEL_V4;
	if (!labsel_addr(ls, node, AF_INET6, false, buf, sizeof(buf)))
		fams |= LABSEL_V6;
	return fams;
}
