/* exact_common.c: the table of common exact forms (exact_common_table.h, generated) and its
 * lookups. */
#include "exact_common.h"

#include <string.h>

#include "exact_common_table.h"

_Static_assert(VNSI_COMMON_FORMS_N <= VNSI_COMMON_FORMS_MAX, "raise VNSI_COMMON_FORMS_MAX");

size_t vnsi_common_count(void) {
    return VNSI_COMMON_FORMS_N;
}

const vnsi_common_form *vnsi_common_entry(size_t i) {
    return i < VNSI_COMMON_FORMS_N ? &vnsi_common_table[i] : NULL;
}

/* strcmp order of the NUL-terminated a against the len bytes of b. */
static int cmp_fold(const char *a, const char *b, size_t len) {
    int c = strncmp(a, b, len);
    if (c != 0) return c;
    return a[len] != '\0'; /* a is longer: after b. */
}

size_t vnsi_common_by_fold(const char *fold, size_t len, size_t *first) {
    size_t lo = 0, hi = VNSI_COMMON_FORMS_N;
    while (lo < hi) { /* The first entry not before fold. */
        size_t mid = lo + (hi - lo) / 2;
        if (cmp_fold(vnsi_common_table[mid].fold, fold, len) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t end = lo;
    while (end < VNSI_COMMON_FORMS_N && cmp_fold(vnsi_common_table[end].fold, fold, len) == 0)
        end++;
    *first = lo;
    return end - lo;
}

long vnsi_common_find(const char *fold, size_t len, const char *form, size_t form_len) {
    size_t first = 0, n = vnsi_common_by_fold(fold, len, &first);
    for (size_t i = first; i < first + n; i++) {
        const char *f = vnsi_common_table[i].form;
        if (strlen(f) == form_len && memcmp(f, form, form_len) == 0) return (long)i;
    }
    return -1;
}
