// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The topology parser against arbitrary bytes: it must never crash, leak or
 * take long, whatever the file holds. Every outcome is freed; a successful
 * parse also gets its model walked, so a dangling pointer inside it shows.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "topo/topo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t walk(const struct topo *t)
{
	size_t sum = strlen(t->name);

	for (size_t h = 0; h < t->n_hosts; h++) {
		const struct topo_host *host = &t->hosts[h];

		for (size_t i = 0; i < host->n_ifaces; i++) {
			const struct topo_iface *ifc = &host->ifaces[i];

			sum += strlen(ifc->name) + ifc->n_addrs;
			if (ifc->sw)
				sum += strlen(ifc->sw->name) + strlen(ifc->peer);
		}
		for (size_t r = 0; r < host->n_routes; r++)
			sum += strlen(host->routes[r].dev->name);
	}
	for (size_t l = 0; l < t->n_links; l++)
		sum += strlen(t->links[l].end[0].iface->name) + strlen(t->links[l].end[1].host->name);
	for (size_t l = 0; l < t->n_swlinks; l++)
		for (int e = 0; e < 2; e++)
			sum += strlen(t->swlinks[l].port[e].peer) + strlen(t->swlinks[l].port[e].sw->name) +
			       t->swlinks[l].port[e].n_trunk;
	for (size_t s = 0; s < t->n_switches; s++)
		for (int f = 0; f < 2; f++)
			sum += t->switches[s].linked_gw[f] ? strlen(t->switches[s].linked_gw[f]->name) : 0;
	for (size_t e = 0; e < t->n_expects; e++)
		sum += strlen(t->expects[e].from->name) + t->expects[e].reach;
	return sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct topo_diag diag = { 0 };
	struct topo *t = NULL;
	int rc = topo_parse_buffer("fuzz.yaml", (const char *)data, size, &t, &diag);

	/* A model has a named lab; a refusal says why, in lines that name the
	 * file. */
	if (rc == 0 && (walk(t) == 0 || diag.n))
		abort();
	if (rc == -EINVAL && (t || !diag.n))
		abort();
	for (size_t i = 0; i < diag.n; i++)
		if (strncmp(diag.lines[i], "fuzz.yaml:", 10))
			abort();
	topo_free(t);
	topo_diag_free(&diag);
	return 0;
}
