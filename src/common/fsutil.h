/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Files and directories: the small, careful operations state files need. */
#ifndef NSLAB_FSUTIL_H
#define NSLAB_FSUTIL_H

#include <stddef.h>
#include <sys/types.h>

/* mkdir -p; existing directories are fine. 0 or -errno. */
int fs_mkdir_p(const char *path, mode_t mode);
/* Write through a temporary file and rename(2), so readers see old or new. */
int fs_write_atomic(const char *path, const void *buf, size_t len, mode_t mode);
/* Read a whole file (at most max bytes, else -EFBIG) into a NUL-terminated
 * buffer the caller frees. */
int fs_read_file(const char *path, size_t max, char **buf, size_t *len);
/* Remove a directory and the plain files in it; a missing one is fine. */
int fs_remove_tree(const char *path);

#endif
