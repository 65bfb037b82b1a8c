// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A stand-in for libFuzzer's driver: feeds every file named on the command
 * line (or found in a directory named there) to LLVMFuzzerTestOneInput once,
 * so `make check` runs each fuzz target over its corpus with the ordinary
 * compiler, and `make check SANITIZE=1` under ASan/UBSan. Prints TAP.
 */
#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/fsutil.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int n;

static int replay_file(const char *path)
{
	char *buf;
	size_t len;
	int rc = fs_read_file(path, 1 << 24, &buf, &len);

	if (rc) {
		printf("not ok %d - %s: cannot read\n", ++n, path);
		return 1;
	}
	LLVMFuzzerTestOneInput((const uint8_t *)buf, len);
	free(buf);
	printf("ok %d - %s\n", ++n, path);
	return 0;
}

int main(int argc, char **argv)
{
	int bad = 0;

	for (int i = 1; i < argc; i++) {
		struct stat st;

		if (stat(argv[i], &st)) {
			printf("not ok %d - %s: missing\n", ++n, argv[i]);
			bad = 1;
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			struct dirent **names;
			int k = scandir(argv[i], &names, NULL, alphasort);

			for (int j = 0; j < k; j++) {
				char p[4096];

				if (names[j]->d_name[0] != '.') {
					snprintf(p, sizeof(p), "%s/%s", argv[i], names[j]->d_name);
					bad |= replay_file(p);
				}
				free(names[j]);
			}
			if (k >= 0)
				free(names);
		} else {
			bad |= replay_file(argv[i]);
		}
	}
	printf("1..%d\n", n);
	return bad;
}
