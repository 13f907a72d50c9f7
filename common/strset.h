/* strset.h: a growable set of byte strings (open addressing), for ids seen during a run. */
#ifndef VNS_STRSET_H
#define VNS_STRSET_H

#include <stddef.h>

typedef struct vnsi_strset {
    char **slots; /* Each: a malloc'd string (length-prefixed copy), or NULL. */
    size_t cap;   /* Power of two, or 0 before the first add. */
    size_t count;
} vnsi_strset;

/* Adds s (len bytes; copied). Returns 0, or -1 when out of memory. */
int vnsi_strset_add(vnsi_strset *set, const char *s, size_t len);

/* Non-zero when s is in the set. Never fails. */
int vnsi_strset_has(const vnsi_strset *set, const char *s, size_t len);

/* Frees every string and the slots; the set is empty and reusable afterwards. Never fails. */
void vnsi_strset_clear(vnsi_strset *set);

#endif /* VNS_STRSET_H */
