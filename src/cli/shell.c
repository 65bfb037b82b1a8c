// SPDX-License-Identifier: GPL-2.0-or-later
/* nslab shell: being written. */
#include <stdio.h>

#include "cli/cli.h"

int shell_main(int argc, char **argv)
{
	fprintf(stderr, "nslab: not yet\n");
	return EXIT_FAIL;
}
