/* strset.c: open-addressing hash set of byte strings. */
#include "strset.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Entries are stored as a size_t length followed by the bytes. */
static size_t entry_len(const char *e) {
    size_t n;
    memcpy(&n, e, sizeof n);
    return n;
}

static size_t find_slot(char *const *slots, size_t cap, const char *s, size_t len) {
    size_t i = (size_t)vnsi_fnv1a(VNSI_FNV_SEED, s, len) & (cap - 1);
    while (slots[i] != NULL) {
        if (entry_len(slots[i]) == len && memcmp(slots[i] + sizeof(size_t), s, len) == 0) break;
        i = (i + 1) & (cap - 1);
    }
    return i;
}

static int grow(vnsi_strset *set) {
    size_t ncap = set->cap ? set->cap * 2 : 1024;
    char **ns = calloc(ncap, sizeof *ns);
    if (ns == NULL) return -1;
    for (size_t i = 0; i < set->cap; i++) {
        char *e = set->slots[i];
        if (e) ns[find_slot(ns, ncap, e + sizeof(size_t), entry_len(e))] = e;
    }
    free(set->slots);
    set->slots = ns;
    set->cap = ncap;
    return 0;
}

int vnsi_strset_add(vnsi_strset *set, const char *s, size_t len) {
    if ((set->count + 1) * 2 > set->cap && grow(set) < 0) return -1;
    size_t i = find_slot(set->slots, set->cap, s, len);
    if (set->slots[i]) return 0;
    char *e = malloc(sizeof(size_t) + len);
    if (e == NULL) return -1;
    memcpy(e, &len, sizeof len);
    memcpy(e + sizeof(size_t), s, len);
    set->slots[i] = e;
    set->count++;
    return 0;
}

int vnsi_strset_has(const vnsi_strset *set, const char *s, size_t len) {
    if (set->cap == 0) return 0;
    return set->slots[find_slot(set->slots, set->cap, s, len)] != NULL;
}

void vnsi_strset_clear(vnsi_strset *set) {
    for (size_t i = 0; i < set->cap; i++) free(set->slots[i]);
    free(set->slots);
    memset(set, 0, sizeof *set);
}
