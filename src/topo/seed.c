// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The seed network (DESIGN.md, "The reference network"): what `nslab up`
 * builds without a file. It is parsed from the same text as
 * examples/seed.yaml, so it gets exactly the defaults and checks a file
 * gets; only its origin differs (no file, positions 0).
 */
#include "topo/topo.h"

#include <stdlib.h>
#include <string.h>

static const char seed_yaml[] =
	"name: seed\n"
	"switches:\n"
	"  v-net-0:\n"
	"    gateway: 172.16.10.254/24\n"
	"    nat: true\n"
	"hosts:\n"
	"  red:    {switch: v-net-0, ip: 172.16.10.1/24}\n"
	"  blue:   {switch: v-net-0, ip: 172.16.10.5/24}\n"
	"  green:  {switch: v-net-0, ip: 172.16.10.10/24}\n"
	"  yellow: {switch: v-net-0, ip: 172.16.10.20/24}\n";

struct topo *topo_seed(void)
{
	struct topo_diag diag = { 0 };
	struct topo *t = NULL;
	static const struct topo_pos builtin = { 0, 0 };

	if (topo_parse_buffer("seed", seed_yaml, sizeof(seed_yaml) - 1, &t, &diag)) {
		/* Only ENOMEM can get here: the text above is tested. */
		topo_diag_free(&diag);
		return NULL;
	}
	free(t->file);
	t->file = NULL;
	for (size_t s = 0; s < t->n_switches; s++)
		t->switches[s].pos = builtin;
	for (size_t h = 0; h < t->n_hosts; h++) {
		struct topo_host *host = &t->hosts[h];

		host->pos = builtin;
		for (size_t i = 0; i < host->n_ifaces; i++)
			host->ifaces[i].pos = builtin;
		for (size_t r = 0; r < host->n_routes; r++)
			host->routes[r].pos = builtin;
	}
	return t;
}
