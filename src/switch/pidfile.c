// SPDX-License-Identifier: GPL-2.0-or-later
#include "switch/pidfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "common/errmsg.h"

struct pidfile {
	int fd;
	char *path;
};

int pidfile_open(struct pidfile **out, const char *path)
{
	struct pidfile *pf;
	char buf[32];
	int n, rc;

	*out = NULL;
	pf = calloc(1, sizeof(*pf));
	if (!pf || !(pf->path = strdup(path))) {
		free(pf);
		return -ENOMEM;
	}
	pf->fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (pf->fd < 0) {
		rc = err_set(-errno, "%s", path);
		goto fail;
	}
	if (flock(pf->fd, LOCK_EX | LOCK_NB)) {
		rc = -errno;
		if (rc == -EWOULDBLOCK) {
			n = (int)pread(pf->fd, buf, sizeof(buf) - 1, 0);
			buf[n > 0 ? n : 0] = '\0';
			buf[strcspn(buf, "\n")] = '\0';
			rc = err_msg(-EBUSY, "%s: already running (pid %s)", path, buf[0] ? buf : "?");
		} else {
			err_set(rc, "locking %s", path);
		}
		close(pf->fd);
		pf->fd = -1;
		goto fail;
	}
	n = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
	if (ftruncate(pf->fd, 0) || pwrite(pf->fd, buf, (size_t)n, 0) != n) {
		rc = err_set(-errno, "writing %s", path);
		goto fail_locked;
	}
	*out = pf;
	return 0;
fail_locked:
	unlink(path);
	close(pf->fd);
	pf->fd = -1;
fail:
	free(pf->path);
	free(pf);
	return rc;
}

void pidfile_close(struct pidfile *pf)
{
	if (!pf)
		return;
	/* Unlink while still holding the lock, so a successor never sees
	 * our file unlocked. */
	unlink(pf->path);
	close(pf->fd);
	free(pf->path);
	free(pf);
}
