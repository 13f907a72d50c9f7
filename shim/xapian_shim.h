/* xapian_shim.h: a plain-C view of the parts of Xapian 1.4 vnsearch uses. No exception crosses it.
 */
#ifndef VNS_XAPIAN_SHIM_H
#define VNS_XAPIAN_SHIM_H

#include <stddef.h>
#include <stdint.h>

#include "vnsearch.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Every shim function that can fail returns a vns_status and, on failure, writes a message into
 * the handle's error buffer (vxs_db_errmsg) or the errbuf it was given. Xapian exceptions are
 * mapped in one place (xapian_shim.cc, map_exception):
 *   DatabaseNotFoundError, DatabaseOpeningError -> VNS_ENOTFOUND
 *   DocNotFoundError                            -> VNS_ENOTFOUND
 *   DatabaseLockError "already locked"          -> VNS_ELOCKED
 *   other DatabaseLockError (no lock file)      -> VNS_EIO
 *   DatabaseModifiedError                       -> VNS_EMODIFIED
 *   DatabaseCorruptError, DatabaseVersionError  -> VNS_ECORRUPT
 *   InvalidArgumentError, InvalidOperationError -> VNS_EINVAL
 *   NetworkError                                -> VNS_ENETWORK
 *   DatabaseError "EOF reading block" (cut)     -> VNS_ECORRUPT
 *   other DatabaseError (I/O, disk full)        -> VNS_EIO
 *   std::bad_alloc                              -> VNS_ENOMEM
 *   anything else                               -> VNS_EINTERNAL */

#define VXS_ERRLEN 512

typedef struct vxs_db vxs_db;       /* A Database (read) or WritableDatabase (write). */
typedef struct vxs_doc vxs_doc;     /* A Document being built. */
typedef struct vxs_query vxs_query; /* An immutable query tree node. */
typedef struct vxs_mset vxs_mset;   /* The ranked matches of one search. */

enum vxs_open_flags {
    VXS_CREATE = 1,    /* Create when missing (write only). */
    VXS_WAIT_LOCK = 2, /* Wait for the write lock instead of failing with VNS_ELOCKED. */
    VXS_SCRATCH = 4,   /* No fsync, blocks rewritten in place: fast, unusable after a crash. */
};

/* Opens path for writing: a directory, or a stub file that names exactly one local database.
 * *out is the caller's, freed with vxs_db_close(). errbuf gets VXS_ERRLEN bytes at most.
 * Returns VNS_OK or a mapped status; VNS_EINVAL for a stub naming several or remote databases,
 * or stubs in a loop; VNS_ECORRUPT for a directory with tables but no iamglass. */
vns_status vxs_db_open_write(vxs_db **out, const char *path, int flags, char *errbuf);

/* Opens n paths for reading as one database: each a directory, a Xapian stub file (read here,
 * not by Xapian: stubs naming stubs at most 16 deep, a loop is VNS_EINVAL with the chain in the
 * message), or "tcp://HOST:PORT" for a database served by xapian-tcpsrv.
 * *out is the caller's, freed with vxs_db_close(). Returns VNS_OK or a mapped status. */
vns_status vxs_db_open_read(vxs_db **out, const char *const *paths, size_t n, char *errbuf);

/* A read handle reads one or more databases ("shards": each path given, and each database a stub
 * file names). vxs_db_shard_count gives how many (1 for a write handle); vxs_db_shard_name a name
 * for shard i (its directory, stub line target or tcp://HOST:PORT), borrowed from the handle;
 * vxs_db_shard_meta reads metadata key of shard i alone into a malloc'd string the caller frees
 * (*value NULL when unset) and its document count into *docs. Returns VNS_OK or a mapped status
 * (VNS_EINVAL for an i out of range). */
size_t vxs_db_shard_count(const vxs_db *db);
const char *vxs_db_shard_name(const vxs_db *db, size_t i);
vns_status vxs_db_shard_meta(vxs_db *db, size_t i, const char *key, char **value, uint64_t *docs);

/* Commits a writable database (if any changes are pending) and frees the handle; accepts NULL.
 * Returns the status of the final commit. */
vns_status vxs_db_close(vxs_db *db);

/* Frees the handle without committing: uncommitted changes are lost. Accepts NULL. */
void vxs_db_abandon(vxs_db *db);

/* The last failure's message on this handle; borrowed. Never NULL. */
const char *vxs_db_errmsg(const vxs_db *db);

/* Makes every change so far durable (write handles). */
vns_status vxs_db_commit(vxs_db *db);

/* Picks up the latest committed revision (read handles). */
vns_status vxs_db_reopen(vxs_db *db);

/* How many times vxs_db_reopen moved db to a newer revision: what was read before a change is
 * not to be mixed with what db reads now. Never fails. */
uint64_t vxs_db_reopens(const vxs_db *db);

/* Number of documents; sets *out. */
vns_status vxs_db_doc_count(vxs_db *db, uint64_t *out);

/* Number of documents holding term (over every shard); sets *out. */
vns_status vxs_db_term_freq(vxs_db *db, const char *term, size_t term_len, uint64_t *out);

/* The most documents that one term starting with prefix is in (over every shard; 0 when no term
 * starts with it): what a prefix query mostly reaches. Sets *out. Walks every such term, as the
 * prefix query's own expansion does. */
vns_status vxs_db_prefix_top_freq(vxs_db *db, const char *prefix, size_t len, uint64_t *out);

/* Replaces every document indexed by unique_term with doc (adding it if none), or deletes them.
 * The doc is borrowed. */
vns_status vxs_db_replace(vxs_db *db, const char *unique_term, size_t term_len, const vxs_doc *doc);
vns_status vxs_db_delete(vxs_db *db, const char *unique_term, size_t term_len);

/* Whether a document holds term: *docid gets the first such docid, 0 when none. */
vns_status vxs_db_find_term(vxs_db *db, const char *term, size_t term_len, uint32_t *docid);

/* Whether document docid holds term: *has gets 1 or 0. */
vns_status vxs_db_doc_has_term(vxs_db *db, uint32_t docid, const char *term, size_t term_len,
                               int *has);

/* Copies value slot of docid into buf (at most cap bytes); *len gets its full length (0 when
 * empty). Returns VNS_ENOTFOUND when there is no such document. */
vns_status vxs_db_get_value(vxs_db *db, uint32_t docid, unsigned slot, char *buf, size_t cap,
                            size_t *len);

/* Calls fn(docid, value of slot, ctx) for each document holding term, in docid order; stops
 * early when fn returns non-zero. The value is borrowed for the call and followed by a NUL. */
typedef int (*vxs_posting_fn)(uint32_t docid, const char *value, size_t value_len, void *ctx);
vns_status vxs_db_each_posting(vxs_db *db, const char *term, size_t term_len, unsigned slot,
                               vxs_posting_fn fn, void *ctx);

/* Calls fn(term, len, ctx) for each term starting with prefix, in order; stops early when fn
 * returns non-zero. Terms are collected first, so fn may change the database. */
typedef int (*vxs_term_fn)(const char *term, size_t len, void *ctx);
vns_status vxs_db_each_term(vxs_db *db, const char *prefix, size_t len, vxs_term_fn fn, void *ctx);
/* The same, with the number of documents holding each term (over every shard). */
typedef int (*vxs_term_freq_fn)(const char *term, size_t len, uint64_t docs, void *ctx);
vns_status vxs_db_each_term_freq(vxs_db *db, const char *prefix, size_t len, vxs_term_freq_fn fn,
                                 void *ctx);

/* Deletes the document with this docid. */
vns_status vxs_db_delete_docid(vxs_db *db, uint32_t docid);

/* Metadata (user key/value pairs stored in the index). get copies into a malloc'd string that
 * the caller frees (*out NULL when unset). */
vns_status vxs_db_set_metadata(vxs_db *db, const char *key, const char *value);
vns_status vxs_db_get_metadata(vxs_db *db, const char *key, char **out);

/* Merges the n databases at srcs into a new compacted database at dest (which must not exist),
 * renumbering document ids. errbuf gets VXS_ERRLEN bytes at most. */
vns_status vxs_compact(const char *const *srcs, size_t n, const char *dest, char *errbuf);

/* Documents. vxs_doc_new returns NULL only when out of memory. The caller frees with
 * vxs_doc_free (accepts NULL). Adding to a document fails only for lack of memory; such
 * failures are remembered and reported by vxs_db_replace (VNS_ENOMEM). */
vxs_doc *vxs_doc_new(void);
void vxs_doc_free(vxs_doc *doc);
void vxs_doc_add_posting(vxs_doc *doc, const char *term, size_t len, uint32_t pos);
void vxs_doc_add_term(vxs_doc *doc, const char *term, size_t len, unsigned wdf);
void vxs_doc_add_boolean_term(vxs_doc *doc, const char *term, size_t len);
void vxs_doc_set_value(vxs_doc *doc, unsigned slot, const char *value, size_t len);
void vxs_doc_set_data(vxs_doc *doc, const char *data, size_t len);

/* Query nodes. Each constructor sets *out to a new node the caller frees with vxs_query_free
 * (accepts NULL) and returns VNS_OK; on failure *out is NULL and errbuf (VXS_ERRLEN bytes, may be
 * NULL) says why: VNS_EINVAL (Xapian refused the arguments: an unknown op, a negative factor),
 * VNS_ENOMEM, or another mapped status. Combining nodes copy their children: the caller still
 * frees the children it passed. */
enum vxs_query_op {
    VXS_OP_AND = 0,
    VXS_OP_OR = 1,
    VXS_OP_AND_NOT = 2,
    VXS_OP_AND_MAYBE = 4,
    VXS_OP_FILTER = 5,
    VXS_OP_PHRASE = 7,
    VXS_OP_SYNONYM = 13, /* Its subqueries weighed as one term (any form of an abbreviation). */
};
vns_status vxs_query_term(vxs_query **out, const char *term, size_t len, unsigned wqf, uint32_t pos,
                          char *errbuf);
vns_status vxs_query_combine(vxs_query **out, int op, vxs_query *const *subs, size_t n,
                             unsigned window, char *errbuf);
/* q restricted to the documents w matches (w weighted 0), the restriction pushed down to each
 * phrase and alternative that q requires: Xapian applies a filter at the top only between a
 * phrase's matches, and a rare phrase of common words under an OR scans every document that
 * holds its words for the next one. Same documents as q filtered by w; weights may differ where
 * an alternative's statistics are estimated within w. */
vns_status vxs_query_within(vxs_query **out, const vxs_query *q, const vxs_query *w, char *errbuf);
vns_status vxs_query_scale(vxs_query **out, const vxs_query *q, double factor, char *errbuf);
/* q weighted 0, for a pass over db that only counts its matches (facets): when db has had
 * documents deleted and q holds a term that every document holds (or a wildcard), filtered
 * through every document, which keeps Xapian 1.4.22 from failing on that term. Same documents
 * as q. */
vns_status vxs_query_unweighted(vxs_query **out, vxs_db *db, const vxs_query *q, char *errbuf);
/* Matches every term beginning with prefix (at most max_expansion of them, 0 = unlimited). */
vns_status vxs_query_wildcard(vxs_query **out, const char *prefix, size_t len,
                              unsigned max_expansion, char *errbuf);
/* Matches every document, weighted 0 (what a query of filters alone filters). */
vns_status vxs_query_match_all(vxs_query **out, char *errbuf);
/* Matches documents whose value in slot lies in [lo, hi] (byte order; either end NULL: open),
 * weighted 0; documents without the value never match. */
vns_status vxs_query_value_range(vxs_query **out, unsigned slot, const char *lo, size_t lo_len,
                                 const char *hi, size_t hi_len, char *errbuf);
void vxs_query_free(vxs_query *q);
/* A readable description of the query, malloc'd for the caller (NULL when out of memory). */
char *vxs_query_describe(const vxs_query *q);

/* How to rank: BM25 parameters, and the value slot whose bytes order equal scores (-1: none);
 * and the time budget in seconds (0: none): a match of local databases still running at its end
 * is stopped. */
typedef void (*vxs_count_fn)(size_t i, const char *value, size_t len, uint64_t count, void *ctx);
typedef struct vxs_search_opts {
    double k1, b;
    int tie_slot;
    double time_limit;
    /* Sorting by the value in sort_slot instead of relevance: sort_order 1 ascending, -1
     * descending (0: by relevance); documents without the value have the empty one (first
     * ascending, last descending); equal values by relevance (tie_slot is not used). */
    int sort_order;
    unsigned sort_slot;
    /* Counting values over every document the match looks at (ask check_at_least for all of
     * them): for each of the ncount_slots slots, count_fn(its index i, value, count, ctx) once
     * per distinct value, after the search. */
    const unsigned *count_slots;
    size_t ncount_slots;
    vxs_count_fn count_fn;
    void *count_ctx;
} vxs_search_opts;

/* Runs q; *out is the caller's, freed with vxs_mset_free before the database is closed.
 * check_at_least asks Xapian to count at least that many matches exactly. Returns VNS_OK,
 * VNS_EQUERY (stopped at the end of opts->time_limit), or a mapped status. */
vns_status vxs_db_search(vxs_db *db, const vxs_query *q, size_t offset, size_t limit,
                         size_t check_at_least, const vxs_search_opts *opts, vxs_mset **out);
void vxs_mset_free(vxs_mset *m);
size_t vxs_mset_size(const vxs_mset *m);
uint64_t vxs_mset_estimated(const vxs_mset *m);
uint64_t vxs_mset_lower_bound(const vxs_mset *m);
uint64_t vxs_mset_upper_bound(const vxs_mset *m);
/* Makes m's three counts above stand for another query than the one run (a search within a
 * window that answers for the whole query): lower and upper are kept in order, the estimate
 * between them. Never fails. */
void vxs_mset_set_bounds(vxs_mset *m, uint64_t lower, uint64_t estimated, uint64_t upper);
/* Item i (0-based within the returned page): docid and weight. */
uint32_t vxs_mset_docid(const vxs_mset *m, size_t i);
double vxs_mset_weight(const vxs_mset *m, size_t i);
/* Copies item i's document data into a malloc'd buffer for the caller (*data, *len). */
vns_status vxs_db_get_data(vxs_db *db, uint32_t docid, char **data, size_t *len);

#ifdef __cplusplus
}
#endif

#endif /* VNS_XAPIAN_SHIM_H */
