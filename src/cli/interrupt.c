// SPDX-License-Identifier: GPL-2.0-or-later
#include "cli/interrupt.h"

#include <stddef.h>
#include <stdio.h>

static const int signals[] = { SIGINT, SIGTERM, SIGHUP };
static struct sigaction saved[sizeof(signals) / sizeof(signals[0])];
static volatile sig_atomic_t caught;

static void on_signal(int sig)
{
	caught = sig;
}

void interrupt_catch(void)
{
	/* SA_RESTART: netlink waits and the like go on; the flag is looked
	 * at between steps. */
	struct sigaction sa = { .sa_handler = on_signal, .sa_flags = SA_RESTART };

	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(signals) / sizeof(signals[0]); i++) {
		/* One ignored already stays so: SIGHUP under nohup, SIGINT in
		 * a background job of a script. */
		sigaction(signals[i], NULL, &saved[i]);
		if (saved[i].sa_handler != SIG_IGN)
			sigaction(signals[i], &sa, NULL);
	}
}

void interrupt_release(void)
{
	for (size_t i = 0; i < sizeof(signals) / sizeof(signals[0]); i++)
		sigaction(signals[i], &saved[i], NULL);
}

const volatile sig_atomic_t *interrupt_flag(void)
{
	return &caught;
}

void interrupt_die(void)
{
	if (!caught)
		return;
	fflush(NULL); /* what was said before: the signal's default does not */
	signal(caught, SIG_DFL);
	raise(caught);
}
