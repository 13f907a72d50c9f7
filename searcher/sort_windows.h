/* sort_windows.h: the months of an index, read as windows for --sort newest and oldest: an answer
 * sorted by date is looked for among the latest (or earliest) months first, so that a query with
 * many matches visits a few months' matches instead of all of them. */
#ifndef VNS_SORT_WINDOWS_H
#define VNS_SORT_WINDOWS_H

#include <stddef.h>
#include <stdint.h>

#include "meta.h"
#include "vnsearch.h"
#include "xapian_shim.h"

/* The months of an index that hold articles: their terms (VNS_PREFIX_META_MONTH and six digits,
 * ascending) and how many articles hold each. */
typedef struct vnsi_months {
    char (*term)[VNSI_DATE_TERM_CAP];
    uint64_t *docs;
    size_t n;
    uint64_t dated; /* The articles with a date: the sum of docs. */
} vnsi_months;

/* Reads the months of db into *out, which the caller frees with vnsi_months_free (also after a
 * failure). Returns VNS_OK, VNS_ENOMEM, or the shim's status (its message on db). */
vns_status vnsi_months_load(vnsi_months *out, vxs_db *db);

/* Frees what m holds (not m). Accepts a zeroed m. Never fails. */
void vnsi_months_free(vnsi_months *m);

/* The fewest months at one end of m (the latest when newest, else the earliest) that together
 * hold at least share of the dated articles, as one OR into *out (the caller's, freed with
 * vxs_query_free): a year term for each whole year among them, month terms for the rest; NULL
 * when that takes every month. *covered gets the share they hold (1 when every month). Returns
 * VNS_OK, VNS_ENOMEM, or the shim's status (its message in errbuf, VXS_ERRLEN bytes). */
vns_status vnsi_months_window(vxs_query **out, double *covered, const vnsi_months *m, int newest,
                              double share, char *errbuf);

#endif /* VNS_SORT_WINDOWS_H */
