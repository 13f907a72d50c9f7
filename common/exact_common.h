/* exact_common.h: the exact forms that schema 4 writes as their absence (docs/schema.md).
 *
 * An exact form with marks that most documents holding its folded word hold (`số` for `so`,
 * `của` for `cua`) gets no E term in a document that holds the word only in that form; a
 * document that holds the word without that form gets the boolean term N + form; one that holds
 * it in that form and others keeps the E term. "Holds số" is then "holds so and not Nsố", with
 * the same answers, and the exact layer has 34.6% fewer postings on VNTC (BENCHMARKS.md, issue
 * 16). */
#ifndef VNS_EXACT_COMMON_H
#define VNS_EXACT_COMMON_H

#include <stddef.h>

/* The schema from which an index writes the common forms this way; older ones write E terms. */
#define VNS_SCHEMA_COMMON_FORMS 4

/* At least vnsi_common_count(): the size of a per-document array over the entries. */
#define VNSI_COMMON_FORMS_MAX 1024

typedef struct vnsi_common_form {
    const char *fold; /* The folded word (NUL-terminated). */
    const char *form; /* The exact form with marks. */
} vnsi_common_form;

/* The number of common forms (entries are numbered 0 to this - 1). */
size_t vnsi_common_count(void);

/* Entry i (i < vnsi_common_count()); borrowed, static. */
const vnsi_common_form *vnsi_common_entry(size_t i);

/* The entries whose folded word is fold (len bytes): sets *first to the first and returns how
 * many (0: none; then *first is unspecified). Entries of one folded word are consecutive. Never
 * fails. */
size_t vnsi_common_by_fold(const char *fold, size_t len, size_t *first);

/* The entry of exact form form (form_len bytes) of folded word fold (len bytes), or -1 when that
 * form is not a common one. Never fails. */
long vnsi_common_find(const char *fold, size_t len, const char *form, size_t form_len);

#endif /* VNS_EXACT_COMMON_H */
