/* searcher_int.h: what the other parts of the searcher (document.c) use of a vns_searcher. */
#ifndef VNS_SEARCHER_INT_H
#define VNS_SEARCHER_INT_H

#include <stddef.h>

#include "vnsearch.h"
#include "xapian_shim.h"

/* The searcher's database (borrowed). Never fails. */
vxs_db *vnsi_searcher_db(vns_searcher *s);

/* Records a formatted message as the searcher's last error and returns st. */
vns_status vnsi_searcher_fail(vns_searcher *s, vns_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Whether s was closed (nothing may be started on it). Never fails. */
int vnsi_searcher_closed(const vns_searcher *s);

/* A handle made from s (results, a document) holds it open until released: the last release
 * of a closed searcher frees it. Never fail. */
void vnsi_searcher_hold(vns_searcher *s);
void vnsi_searcher_release(vns_searcher *s);

#endif /* VNS_SEARCHER_INT_H */
