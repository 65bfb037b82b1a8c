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

/* For hash tables that outside input fills (MACs, groups, flows): a secret
 * random seed per table, so that nobody can choose keys that pile into one
 * chain, and splitmix64's finaliser, which carries every key bit into the
 * low bits a table masks. */
uint64_t hash_seed(void);
static inline uint64_t hash_mix64(uint64_t h)
{
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebull;
	h ^= h >> 31;
	return h;
}

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t time_mono_ns(void);

/* Copy src into dst[size]; -ENAMETOOLONG (and dst untouched past size) if it
 * does not fit. Never truncates silently. */
int str_copy(char *dst, size_t size, const char *src);

/* Make *arr hold at least need elements of elsize bytes, growing *cap by
 * doubling. 0 or -ENOMEM; *arr unchanged on failure. */
int array_reserve(void *arr, size_t *cap, size_t need, size_t elsize);

#endif
