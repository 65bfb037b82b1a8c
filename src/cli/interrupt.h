/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Ctrl-C, SIGTERM and SIGHUP while a command changes a lab: noted, not
 * obeyed at once, so the command stops where the lab is whole (up rolls
 * back, down finishes the lab it is taking down), and then ends of the
 * signal, as the shell that started it expects.
 */
#ifndef NSLAB_CLI_INTERRUPT_H
#define NSLAB_CLI_INTERRUPT_H

#include <signal.h>

/* Start noting the signals; interrupt_release() puts back what was there. */
void interrupt_catch(void);
void interrupt_release(void);
/* The flag a handler sets (the signal's number): for lab_up_opts.stop. */
const volatile sig_atomic_t *interrupt_flag(void);
/* If a signal came: its default action, so the process ends of it. */
void interrupt_die(void);

#endif
