// SPDX-License-Identifier: GPL-2.0-or-later
#include "cli/progress.h"

#include <unistd.h>

#include "common/util.h"
#include "lab/lab.h"
#include "topo/topo.h"

#define PROGRESS_AFTER_NS 300000000u  /* quick runs show nothing */
#define PROGRESS_EVERY_NS 100000000u

void progress_start(struct progress *p, const char *what, bool quiet)
{
	p->what = what;
	p->on = !quiet && isatty(STDERR_FILENO);
	p->shown = false;
	p->start = p->last = time_mono_ns();
}

void progress_update(size_t done, size_t total, void *arg)
{
	struct progress *p = arg;
	uint64_t now = time_mono_ns();

	if (!p->on || now - p->start < PROGRESS_AFTER_NS || now - p->last < PROGRESS_EVERY_NS)
		return;
	p->last = now;
	p->shown = true;
	fprintf(stderr, "\r\033[Knslab %s: %zu/%zu steps, %.1f s", p->what, done, total,
		(double)(now - p->start) / 1e9);
	fflush(stderr);
}

void progress_end(struct progress *p)
{
	if (p->shown)
		fprintf(stderr, "\r\033[K");
}

static const char *plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

void progress_summary(FILE *f, const struct topo *t, const struct lab_result *r, bool sandbox,
		      bool dry_run)
{
	double s = (double)r->elapsed_ns / 1e9;

	char repaired[96] = "";

	if (r->repaired)
		snprintf(repaired, sizeof(repaired), "; %s %zu %s changed or deleted by hand",
			 dry_run ? "would set right" : "set right", r->repaired,
			 plural(r->repaired, "object", "objects"));
	if (dry_run) {
		fprintf(f, "%s: would make %zu, change %zu and remove %zu objects (%zu unchanged)%s\n",
			t->name, r->created, r->updated, r->deleted, r->kept, repaired);
	} else if (!r->created && !r->updated && !r->deleted) {
		fprintf(f, "%s: up to date (%zu %s, %zu %s)\n", t->name, t->n_hosts,
			plural(t->n_hosts, "host", "hosts"), t->n_switches,
			plural(t->n_switches, "switch", "switches"));
	} else if (!r->existed) {
		char links[48] = "";
		size_t n_links = t->n_links + t->n_swlinks;

		if (n_links)
			snprintf(links, sizeof(links), ", %zu %s", n_links,
				 plural(n_links, "link", "links"));
		fprintf(f, "%s: up in %.2f s%s: %zu %s, %zu %s%s (%zu objects)\n", t->name, s,
			sandbox ? " in a sandbox" : "", t->n_hosts, plural(t->n_hosts, "host", "hosts"),
			t->n_switches, plural(t->n_switches, "switch", "switches"), links, r->created);
	} else {
		fprintf(f, "%s: updated in %.2f s: %zu made, %zu changed, %zu removed, %zu unchanged%s\n",
			t->name, s, r->created, r->updated, r->deleted, r->kept, repaired);
	}
}
