/* exact_common.c: the table of common exact forms (exact_common_table.h, generated) and its
 * lookups. */
#include "exact_common.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "exact_common_table.h"

_Static_assert(VNSI_COMMON_FORMS_N <= VNSI_COMMON_FORMS_MAX, "raise VNSI_COMMON_FORMS_MAX");

size_t vnsi_common_count(void) {
    return VNSI_COMMON_FORMS_N;
}

const vnsi_common_form *vnsi_common_entry(size_t i) {
    return i < VNSI_COMMON_FORMS_N ? &vnsi_common_table[i] : NULL;
}

/* Whether the NUL-terminated a is the len bytes of b (which may hold a NUL: a never matches
 * then, and is not read past its end). */
static int same_fold(const char *a, const char *b, size_t len) {
    for (size_t i = 0; i < len; i++)
        if (a[i] == '\0' || a[i] != b[i]) return 0;
    return a[len] == '\0';
}

/* The entries by folded word: an open-addressing table (linear probing) of the first entry of
 * each folded word and its count, built once. A build looks up every word it indexes (41.8 M on
 * VNTC): a binary search with strncmp took 3.9% of a one-process build's samples, this hash and
 * one comparison 1.8% (perf record, 10,000 VNTC articles, 2026-12-07; BENCHMARKS.md). */
#define SLOTS 2048 /* a power of two, at least twice the entries */
_Static_assert(2 * VNSI_COMMON_FORMS_MAX <= SLOTS, "raise SLOTS");
static struct {
    uint16_t first_1; /* the first entry + 1; 0: an empty slot */
    uint16_t count;
} slots[SLOTS];
static pthread_once_t slots_once = PTHREAD_ONCE_INIT;

static size_t hash_fold(const char *s, size_t len) { /* FNV-1a */
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h & (SLOTS - 1);
}

static void build_slots(void) {
    for (size_t i = 0; i < VNSI_COMMON_FORMS_N;) {
        const char *fold = vnsi_common_table[i].fold;
        size_t end = i + 1;
        while (end < VNSI_COMMON_FORMS_N && strcmp(vnsi_common_table[end].fold, fold) == 0) end++;
        size_t h = hash_fold(fold, strlen(fold));
        while (slots[h].first_1 != 0) h = (h + 1) & (SLOTS - 1);
        slots[h].first_1 = (uint16_t)(i + 1);
        slots[h].count = (uint16_t)(end - i);
        i = end;
    }
}

size_t vnsi_common_by_fold(const char *fold, size_t len, size_t *first) {
    pthread_once(&slots_once, build_slots);
    for (size_t h = hash_fold(fold, len); slots[h].first_1 != 0; h = (h + 1) & (SLOTS - 1)) {
        size_t i = slots[h].first_1 - 1u;
        if (same_fold(vnsi_common_table[i].fold, fold, len)) {
            *first = i;
            return slots[h].count;
        }
    }
    *first = 0;
    return 0;
}

long vnsi_common_find(const char *fold, size_t len, const char *form, size_t form_len) {
    size_t first = 0, n = vnsi_common_by_fold(fold, len, &first);
    for (size_t i = first; i < first + n; i++) {
        const char *f = vnsi_common_table[i].form;
        if (strlen(f) == form_len && memcmp(f, form, form_len) == 0) return (long)i;
    }
    return -1;
}
