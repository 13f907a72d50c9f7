/* util.h: small helpers the library's halves share: error messages, growable arrays, UTF-8
 * boundaries and validity, and the frozen FNV-1a hash. */
#ifndef VNSI_UTIL_H
#define VNSI_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "vnsearch.h"

/* Formats a message into buf (cap bytes, always NUL-terminated when cap > 0) and returns st, so
 * that a failure is recorded and returned in one statement: return vnsi_errbuf_set(...). buf may
 * be NULL (nothing is written). Never fails. */
vns_status vnsi_errbuf_set(char *buf, size_t cap, vns_status st, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Makes room for at least need elements of elem bytes in the array *ptr of *cap elements: the
 * capacity doubles (starting at 8) and the product is checked for overflow. On success *ptr and
 * *cap are updated; on failure they are left as they were.
 * Returns VNS_OK or VNS_ENOMEM (out of memory, or need * elem overflows). */
vns_status vnsi_grow(void *ptr, size_t *cap, size_t need, size_t elem);

/* The largest UTF-8 character boundary at or before byte at of s (len bytes): at itself when it
 * starts a character or is len, else the start of the character it falls in (never below 0).
 * Never fails. */
size_t vnsi_utf8_floor(const char *s, size_t len, size_t at);

/* Counts invalid UTF-8 sequences in text. Never fails. */
size_t vnsi_utf8_count_invalid(const char *text, size_t len);

/* Returns a malloc'd copy of text (len bytes) where every invalid UTF-8 sequence became U+FFFD and
 * every NUL a space; *out_len gets its length and *nbad (may be NULL) the number of invalid
 * sequences. NULL when out of memory. */
char *vnsi_utf8_sanitize(const char *text, size_t len, size_t *out_len, size_t *nbad);

/* 64-bit FNV-1a, continued from h (start with VNSI_FNV_SEED). Frozen: the id terms, source terms
 * and vns_shard_of() are stored or relied on across versions and machines, so this must never
 * change. Never fails. */
#define VNSI_FNV_SEED 0xcbf29ce484222325ULL
uint64_t vnsi_fnv1a(uint64_t h, const void *data, size_t len);

#endif /* VNSI_UTIL_H */
