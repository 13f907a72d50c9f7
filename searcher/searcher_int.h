/* searcher_int.h: what the other parts of the searcher (document.c, results.c, did_you_mean.c) use
 * of a vns_searcher. */
#ifndef VNS_SEARCHER_INT_H
#define VNS_SEARCHER_INT_H

#include <stddef.h>
#include <stdint.h>

#include "analyzer.h"
#include "vnsearch.h"
#include "xapian_shim.h"

/* The searcher's database (borrowed). Never fails. */
vxs_db *vnsi_searcher_db(vns_searcher *s);

/* The searcher's analyzer (borrowed). Never fails. */
vnsi_analyzer *vnsi_searcher_analyzer(vns_searcher *s);

/* Whether the searcher's shards write the common exact forms as N terms (exact_common.h). Never
 * fails. */
int vnsi_searcher_common_forms(const vns_searcher *s);

/* *df gets the number of documents holding the term prefix (at most one byte) then len bytes of
 * form (at most VNS_MAX_FORM_BYTES). Returns VNS_OK or the shim's status, the message on s. */
vns_status vnsi_searcher_term_df(vns_searcher *s, const char *prefix, const char *form, size_t len,
                                 uint64_t *df);

/* How many documents text finds with every bare word required, written as typed (at least; 0
 * when it fails), counted as a check: no suggestion is made for it. Never fails. */
uint64_t vnsi_searcher_count_all(vns_searcher *s, const char *text);

/* Whether s is counting a check's matches (vnsi_searcher_count_all). Never fails. */
int vnsi_searcher_checking(const vns_searcher *s);

/* Names the index behind a network failure in front of the searcher's message (the shim's): the
 * shard of docid when the failure was reading a document (docid non-zero; Xapian interleaves the
 * docids of n shards), else the tcp:// indexes that no longer answer, else "one of" every tcp://
 * one. Never fails (a message too long is cut). */
void vnsi_searcher_name_remote(vns_searcher *s, uint32_t docid);

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
