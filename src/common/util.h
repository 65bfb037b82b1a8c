/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Hashing, clocks, bounded string copies and array growth. */
#ifndef NSLAB_UTIL_H
#define NSLAB_UTIL_H

#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* FNV-1a, 32 bits: stable across runs and machines (names derive from it). */
uint32_t hash_fnv1a(const void *data, size_t len);
uint32_t hash_fnv1a_str(const char *s);

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t time_mono_ns(void);

/* Copy src into dst[size]; -ENAMETOOLONG (and dst untouched past size) if it
 * does not fit. Never truncates silently. */
int str_copy(char *dst, size_t size, const char *src);

/* Make *arr hold at least need elements of elsize bytes, growing *cap by
 * doubling. 0 or -ENOMEM; *arr unchanged on failure. */
int array_reserve(void *arr, size_t *cap, size_t need, size_t elsize);

#endif
