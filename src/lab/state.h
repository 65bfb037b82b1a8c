/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Labs on disk. Each lab has a directory under the state root (/run/nslab,
 * or $NSLAB_RUN_DIR) holding:
 *   lab.json        what it is: name, sandbox or host, where its topology came
 *                   from, the namespace it was built from, its link group
 *   topology.yaml   the topology last applied (not for the built-in seed)
 *   journal         the write-ahead journal (journal.h)
 *   lock            flock(2)ed by any run that changes the lab
 *   SW.json/.sock/.pid/.log   a switch daemon's config, control socket, pid, log
 * /run is a tmpfs: labs do not survive a reboot, and neither do namespaces.
 */
#ifndef NSLAB_STATE_H
#define NSLAB_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct topo;

struct lab_meta {
	char *name;
	bool sandbox;
	bool builtin;           /* the seed network, built in */
	char *file;             /* absolute path of the topology file, NULL if builtin */
	char *uplink;           /* the host's uplink NAT took from its default route, or NULL */
	char *uplink6;          /* IPv6's, when its default route takes another link; or NULL */
	long long created;      /* unix seconds */
	unsigned long host_ino; /* netns inode of the namespace `up` ran in */
	uint32_t group;         /* IFLA_GROUP of the lab's links in its host namespace */
};

const char *state_root(void);
/* ROOT/LAB[/FILE] into buf. -ENAMETOOLONG if it does not fit. */
int state_path(const char *lab, const char *file, char *buf, size_t len);

/* Take the lab's lock (creating its directory); blocks while another run
 * holds it. *fd is for state_unlock. */
int state_lock(const char *lab, int *fd);
void state_unlock(int fd);

int state_meta_read(const char *lab, struct lab_meta *m);
int state_meta_write(const struct lab_meta *m);
void state_meta_free(struct lab_meta *m);

/* The labs that have a directory, sorted by name. Caller frees each and the array. */
int state_list(char ***names, size_t *n);
void state_list_free(char **names, size_t n);
/* Remove the lab's directory and files. */
int state_remove(const char *lab);

/* The topology a lab was last built from (its saved copy, or the seed). */
int state_load_topo(const struct lab_meta *m, struct topo **t);
/* Save the applied topology file's bytes. */
int state_save_topo(const char *lab, const char *buf, size_t len);
/* Whether an up of the lab has ever finished (its topology is on record):
 * not so for a lab whose first up was killed. */
bool state_finished(const struct lab_meta *m);

#endif
