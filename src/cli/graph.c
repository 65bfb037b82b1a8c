// SPDX-License-Identifier: GPL-2.0-or-later
/* nslab graph: being written. */
#include <stdio.h>

#include "cli/cli.h"

int graph_main(int argc, char **argv)
{
	fprintf(stderr, "nslab: not yet\n");
	return EXIT_FAIL;
}
