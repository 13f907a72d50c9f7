/* vnsearch.h: the public C API of libvnsearch, full-text search for Vietnamese text. */
#ifndef VNSEARCH_H
#define VNSEARCH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(VNS_BUILDING_LIBRARY)
#define VNS_EXPORT __attribute__((visibility("default")))
#else
#define VNS_EXPORT
#endif

/* Version of this header. Compare with vns_version() to detect a header/library mismatch. */
#define VNS_VERSION_MAJOR 0
#define VNS_VERSION_MINOR 1
#define VNS_VERSION_PATCH 0
#define VNS_VERSION_STR_(x) #x
#define VNS_VERSION_STR(x) VNS_VERSION_STR_(x)
#define VNS_VERSION_STRING                                                                         \
    VNS_VERSION_STR(VNS_VERSION_MAJOR)                                                             \
    "." VNS_VERSION_STR(VNS_VERSION_MINOR) "." VNS_VERSION_STR(VNS_VERSION_PATCH)
#define VNS_VERSION_NUMBER (VNS_VERSION_MAJOR * 10000 + VNS_VERSION_MINOR * 100 + VNS_VERSION_PATCH)

/* Threads. Every handle (vns_index, vns_searcher, vns_results) belongs to one thread at a time:
 * use one handle per thread, or serialize every call on a handle and on the results made from it
 * with a lock of your own. A searcher and its results count as one handle. Different handles may
 * be used in different threads at once, over the same index too (any number of readers, one
 * writer). Functions that take no handle (vns_status_str, vns_version, vns_default_index_path,
 * vns_shard_of, vns_index_merge, the _init functions) may be called from any thread.
 *
 * Out-parameters come first in every function: vns_x(&out, handle, ...). */

/* Status codes. VNS_OK is success, VNS_DONE only ends an iteration, every error is negative and
 * names its remedy in vns_status_str(). */
typedef enum vns_status {
    VNS_OK = 0,
    VNS_DONE = 1,
    VNS_ENOTFOUND = -1,  /* No index or document there: build it with vnindex, or check the path. */
    VNS_ELOCKED = -2,    /* Another writer holds the index: wait for it to finish, or retry. */
    VNS_EMODIFIED = -3,  /* The index changed under a reader: reopen and retry. */
    VNS_ECORRUPT = -4,   /* The index is damaged: run xapian-check, rebuild from the sources. */
    VNS_EQUERY = -5,     /* The query does not parse: fix it at the position given. */
    VNS_EINVAL = -6,     /* An argument is invalid (NULL, empty, out of range): fix the call. */
    VNS_EENCODING = -7,  /* A document id is not valid UTF-8: rename it or convert it to UTF-8. */
    VNS_EIO = -8,        /* Reading or writing failed (disk full, permissions): fix the system. */
    VNS_ENOMEM = -9,     /* Out of memory: free memory or process less at once. */
    VNS_EINTERNAL = -10, /* A bug or an unexpected backend error: report it with the message. */
    VNS_ENETWORK = -11   /* A remote index did not answer: check the server and the network. */
} vns_status;
/* The lowest status value: every status lies in [VNS_STATUS_MIN, VNS_DONE]. */
#define VNS_STATUS_MIN VNS_ENETWORK

/* The fixed text for a status: what it means and the remedy. Never fails; never NULL. */
VNS_EXPORT const char *vns_status_str(vns_status st);

/* The library's runtime version as "MAJOR.MINOR.PATCH"; *number (if not NULL) gets
 * VNS_VERSION_NUMBER of the library. Never fails. The string is static. */
VNS_EXPORT const char *vns_version(int *number);

/* The default index path: $VNSEARCH_INDEX when set and non-empty, else "./vnsearch.db".
 * Never fails. The string is static or the environment's; do not free it. */
VNS_EXPORT const char *vns_default_index_path(void);

/* ---------------------------------------------------------------------------------------------
 * Writing: vns_index
 * ------------------------------------------------------------------------------------------- */

/* A writable index. Only one writer may hold an index at a time. */
typedef struct vns_index vns_index;

#define VNS_INDEX_OPTIONS_VERSION 3
typedef struct vns_index_options {
    unsigned version;    /* VNS_INDEX_OPTIONS_VERSION (1: the fields up to batch_bytes). */
    int create;          /* Non-zero: create the index when missing (default 1). */
    int wait_for_lock;   /* Non-zero: wait for another writer instead of VNS_ELOCKED. */
    unsigned batch_docs; /* Commit automatically after this many changes (0: default 250). */
    size_t batch_bytes;  /* ... or after this many bytes of text (0: default 64 MiB). */
    /* Version 2. Non-zero: a scratch index, written faster (about a tenth) and smaller by giving
     * up crash safety: no fsync, and blocks rewritten in place, so a crash or kill while writing
     * leaves it unusable. Only for indexes rebuilt from scratch on failure, such as the parts
     * vnindex --jobs merges and removes. Default 0. */
    int scratch;
    /* Version 3. The path of an existing index that this one holds additions to (default NULL:
     * none), read only, never written: vns_index_put finds a document VNS_PUT_UNCHANGED when base
     * holds its id with the same content (nothing is written), and writes it here as
     * VNS_PUT_UPDATED when base holds it with other content. vns_index_merge of base followed by
     * this index then gives base with these additions and changes. Only puts see the base:
     * deletions, pruning and counts act on this index alone (prune the merged index). Base must
     * be a vnsearch index of this schema. */
    const char *base;
} vns_index_options;
#define VNS_INDEX_OPTIONS_INIT                                                                     \
    { VNS_INDEX_OPTIONS_VERSION, 1, 0, 0, 0, 0, NULL }

/* Sets *opts to the defaults of that version (as VNS_INDEX_OPTIONS_INIT does for the current
 * one), for callers that cannot use the macro (other languages). Returns VNS_OK, or VNS_EINVAL
 * for a NULL opts or a version this library does not know (0 or newer than it). */
VNS_EXPORT vns_status vns_index_options_init(vns_index_options *opts, unsigned version);

/* One article to index. Start from VNS_DOC_INIT and set the fields by name, so that a program
 * built against this header keeps working when later versions add fields. Title and body are
 * UTF-8; their invalid bytes are replaced by U+FFFD and counted (see vns_index_stats). The id
 * must be valid UTF-8 (it is given back as it is, in JSON too). The strings are borrowed for the
 * duration of the call only. */
/* An article's metadata: NUL-terminated UTF-8 strings, NULL (or "") for a field it lacks.
 * Written with vns_doc (version 2) and read back by vns_results_meta and vns_document_meta.
 *   date    when written: an ISO 8601 date (2024-05-06) or date-time (2024-05-06T08:30:00+07:00;
 *           seconds and zone optional, no zone meaning Vietnam time, UTC+7), or Unix seconds in
 *           decimal ("1714959000"); vns_parse_date checks one. When read: the canonical form,
 *           "2024-05-06" or "2024-05-06T08:30:00+07:00" (Unix seconds in Vietnam time).
 *   source  where it was published (a site or paper: "tuoitre.vn"); the source: filter and facet;
 *   topic   its section ("Thể thao"); the topic: filter and facet;
 *   url     its address, stored and given back only;
 *   tags    ntags strings; the tag: filter and facet. */
typedef struct vns_meta {
    const char *date;
    const char *source;
    const char *topic;
    const char *url;
    const char *const *tags;
    size_t ntags;
} vns_meta;

/* Parses a date as vns_meta.date is written: *unix_seconds (may be NULL) gets it as Unix time.
 * Returns VNS_OK, or VNS_EINVAL for NULL text or a text that is no such date (years 1 to 9999;
 * a day that is not in its month). */
VNS_EXPORT vns_status vns_parse_date(int64_t *unix_seconds, const char *text);

#define VNS_DOC_VERSION 2
typedef struct vns_doc {
    unsigned version;  /* VNS_DOC_VERSION (1: the fields up to source). */
    const char *id;    /* Unique document id, non-empty, NUL-terminated, valid UTF-8. */
    const char *title; /* Title, or NULL for none. */
    size_t title_len;
    const char *body; /* Body text (may be empty when there is a title). */
    size_t body_len;
    const char *source; /* Optional: a key naming where it came from, for vns_index_prune(). */
    /* Version 2. The article's metadata (all NULL by default): stored, and searchable with the
     * source:, topic:, tag: and date: filters, sorted by date, counted by facets. Invalid UTF-8
     * in it is replaced like the text's; a date that does not parse is VNS_EINVAL. A change of
     * metadata alone is a change (VNS_PUT_UPDATED). */
    vns_meta meta;
} vns_doc;
#define VNS_DOC_INIT                                                                               \
    {                                                                                              \
        VNS_DOC_VERSION, NULL, NULL, 0, NULL, 0, NULL, {                                           \
            NULL, NULL, NULL, NULL, NULL, 0                                                        \
        }                                                                                          \
    }

/* What vns_index_put() did. */
typedef enum vns_put_result {
    VNS_PUT_ADDED = 0,    /* The id was new. */
    VNS_PUT_UPDATED = 1,  /* The id existed with other content, which was replaced. */
    VNS_PUT_UNCHANGED = 2 /* The id existed with the same content: nothing was written. */
} vns_put_result;

/* Counters kept by a vns_index handle since it was opened. The caller sets version (start from
 * VNS_INDEX_STATS_INIT); the library fills only the fields that version has, so a newer library
 * never writes past an older caller's struct. */
#define VNS_INDEX_STATS_VERSION 1
typedef struct vns_index_stats {
    unsigned version;      /* VNS_INDEX_STATS_VERSION, set by the caller. */
    uint64_t invalid_utf8; /* Invalid UTF-8 sequences replaced by U+FFFD. */
    uint64_t truncated;    /* Words longer than the term limit, shortened. */
    uint64_t bytes;        /* Bytes of text analyzed. */
} vns_index_stats;
#define VNS_INDEX_STATS_INIT                                                                       \
    { VNS_INDEX_STATS_VERSION, 0, 0, 0 }

/* Opens (and with opts->create, creates) the index at path for writing; *out gets the handle.
 * opts may be NULL for the defaults. On failure *out is NULL, and if errbuf is not NULL it gets
 * a message of at most errlen bytes.
 * Returns VNS_OK, VNS_EINVAL (NULL out/path, opts->version 0 or newer than this library; a
 * Xapian database with documents that is not a vnsearch index, an index of another schema; a
 * stub file naming several databases, a remote one, or stubs in a loop), VNS_ENOTFOUND (missing
 * and not create; or opts->base missing), VNS_ELOCKED (another writer holds the lock),
 * VNS_ECORRUPT, VNS_EIO (also: the lock file cannot be opened, as in a read-only index),
 * VNS_ENOMEM, VNS_EINTERNAL. An opts->base that is not a vnsearch index of this schema is
 * VNS_EINVAL.
 * The handle is the caller's: release it with vns_index_close() or vns_index_abandon(). */
VNS_EXPORT vns_status vns_index_open(vns_index **out, const char *path,
                                     const vns_index_options *opts, char *errbuf, size_t errlen);

/* Adds or replaces the document with doc->id, unless its content (title, body and metadata) is
 * unchanged.
 * *out (if not NULL) says which. Commits automatically when a batch is full.
 * Returns VNS_OK, VNS_EINVAL (NULL doc, doc->version 0 or too new, no id, no body and no title,
 * an id of 214 to 217 bytes ending in '#' and 16 hex digits: the form long ids are stored in, a
 * meta.date that does not parse, tags NULL with ntags > 0),
 * VNS_EENCODING (the id is not valid UTF-8), VNS_EIO, VNS_ENOMEM, VNS_ECORRUPT, VNS_EINTERNAL.
 * The doc is borrowed for the call only. */
VNS_EXPORT vns_status vns_index_put(vns_put_result *out, vns_index *ix, const vns_doc *doc);

/* Deletes the document with this id.
 * Returns VNS_OK, VNS_ENOTFOUND (no such id), VNS_EINVAL, VNS_EIO, VNS_ECORRUPT, VNS_ENOMEM,
 * VNS_EINTERNAL. */
VNS_EXPORT vns_status vns_index_delete(vns_index *ix, const char *id);

/* Deletes every document put with this source key that was not put through this handle since
 * it was opened (the files gone from a directory). *deleted (if not NULL) gets the count.
 * Returns VNS_OK, VNS_EINVAL, VNS_EIO, VNS_ECORRUPT, VNS_ENOMEM, VNS_EINTERNAL. */
VNS_EXPORT vns_status vns_index_prune(uint64_t *deleted, vns_index *ix, const char *source);

/* Deletes every document whose id starts with prefix (a directory that went away: "sub/"), the
 * whole prefix compared with the whole id, however long either is. *deleted (if not NULL) gets
 * the count. Returns VNS_OK, VNS_EINVAL, VNS_EIO, VNS_ECORRUPT, VNS_ENOMEM, VNS_EINTERNAL. */
VNS_EXPORT vns_status vns_index_delete_prefix(uint64_t *deleted, vns_index *ix, const char *prefix);

/* Tells vns_index_delete_prefix_if whether to delete the document with id (NUL-terminated,
 * borrowed for the call): non-zero deletes it. */
typedef int (*vns_id_filter_fn)(const char *id, void *ctx);

/* Deletes, among the documents whose id starts with prefix (as vns_index_delete_prefix), those
 * for which filter(id, ctx) returns non-zero: vnindex --watch deletes the .txt files below a
 * directory that went away, not the JSONL articles whose ids happen to start with its name.
 * *deleted (if not NULL) gets the count. Returns VNS_OK, VNS_EINVAL (no prefix, no filter),
 * VNS_EIO, VNS_ECORRUPT, VNS_ENOMEM, VNS_EINTERNAL. */
VNS_EXPORT vns_status vns_index_delete_prefix_if(uint64_t *deleted, vns_index *ix,
                                                 const char *prefix, vns_id_filter_fn filter,
                                                 void *ctx);

/* Marks id as still present for vns_index_prune() without changing its document (a file that
 * exists but could not be read this time keeps its old version). Returns VNS_OK, VNS_EINVAL,
 * VNS_ENOMEM. */
VNS_EXPORT vns_status vns_index_touch(vns_index *ix, const char *id);

/* Makes every change so far durable and visible to readers that reopen.
 * Returns VNS_OK, VNS_EINVAL (NULL ix), VNS_EIO (disk full: the last commit stays whole),
 * VNS_ECORRUPT, VNS_ENOMEM, VNS_EINTERNAL. */
VNS_EXPORT vns_status vns_index_commit(vns_index *ix);

/* *out gets the number of documents in the index, counting uncommitted changes (0 on failure).
 * Returns VNS_OK, VNS_EINVAL (NULL argument), VNS_EIO, VNS_ECORRUPT, VNS_ENOMEM, VNS_EINTERNAL. */
VNS_EXPORT vns_status vns_index_doc_count(uint64_t *out, vns_index *ix);

/* Copies the handle's counters into *out, as many as out->version has.
 * Returns VNS_OK, or VNS_EINVAL (NULL argument, out->version 0 or newer than this library; no
 * message is recorded, since the handle is not changed). */
VNS_EXPORT vns_status vns_index_get_stats(vns_index_stats *out, const vns_index *ix);

/* The message of the last failure on this handle ("" if none). Borrowed until the next call on
 * the handle or its close. Never NULL for a non-NULL handle. */
VNS_EXPORT const char *vns_index_errmsg(const vns_index *ix);

/* Commits, closes and frees the handle (ix may be NULL: VNS_OK). The handle is gone even when the
 * commit fails; the returned status says whether the final commit succeeded (VNS_OK, VNS_EIO,
 * VNS_ECORRUPT, VNS_ENOMEM, VNS_EINTERNAL): never ignore it. */
VNS_EXPORT vns_status vns_index_close(vns_index *ix);

/* Merges the n indexes at parts into a new, compacted index at dest (which must not exist yet),
 * renumbering documents; parts are left as they are. An id that several parts hold keeps the
 * document of the last of them (a part written with vns_index_options.base replaces its base's
 * documents). errbuf (if not NULL) gets a message.
 * Returns VNS_OK, VNS_EINVAL, VNS_ENOTFOUND (a part is missing), VNS_ECORRUPT, VNS_EIO,
 * VNS_ENOMEM, VNS_EINTERNAL. */
VNS_EXPORT vns_status vns_index_merge(const char *const *parts, size_t n, const char *dest,
                                      char *errbuf, size_t errlen);

/* The shard, 0 to n-1, that document id belongs to among n shards: a stable hash of the id, the
 * same on every machine and in every version. Never fails (0 when n is 0 or id NULL). */
VNS_EXPORT unsigned vns_shard_of(const char *id, unsigned n);

/* Frees the handle, discarding changes made since the last commit. Accepts NULL. Never fails. */
VNS_EXPORT void vns_index_abandon(vns_index *ix);

/* ---------------------------------------------------------------------------------------------
 * Searching: vns_searcher and vns_results
 * ------------------------------------------------------------------------------------------- */

/* A read-only view of one or more indexes, searched as one. */
typedef struct vns_searcher vns_searcher;
/* The results of one query, iterated with vns_results_next(). */
typedef struct vns_results vns_results;

/* How the bare words of a query must match (vns_query_options.match). */
typedef enum vns_match {
    /* The default: a short keyword query whose words stand together in enough articles is
     * answered as VNS_MATCH_ALL; a question, a long query, or one whose all-words answer is thin
     * is answered as VNS_MATCH_ANY (vnsearch(1), "Matching", gives the rule). */
    VNS_MATCH_AUTO = 0,
    VNS_MATCH_ALL = 1, /* Every bare word must occur in a document (vnsearch 0.1's behaviour). */
    VNS_MATCH_ANY = 2, /* A document needs only some of the bare words; more of them, rarer
                          ones, ones standing together, in the title or with the typed
                          diacritics rank higher. */
} vns_match;

/* The order of the results (vns_query_options.sort). Articles without a date come last in both
 * date orders; equal dates, and the undated among themselves, are ordered by id, the same on one
 * index and on shards. */
typedef enum vns_sort {
    VNS_SORT_RELEVANCE = 0, /* The best match first (equal scores by id). */
    VNS_SORT_NEWEST = 1,    /* The latest date first. */
    VNS_SORT_OLDEST = 2,    /* The earliest date first. */
} vns_sort;

/* The facets a query may count (vns_query_options.facets): matching articles per value. */
typedef enum vns_facet {
    VNS_FACET_SOURCE = 0,
    VNS_FACET_TOPIC = 1,
    VNS_FACET_TAG = 2,
    VNS_FACET_YEAR = 3,  /* "2024", in Vietnam time. */
    VNS_FACET_MONTH = 4, /* "2024-05", in Vietnam time. */
} vns_facet;
#define VNS_FACET_COUNT 5
/* The bit of a facet in vns_query_options.facets. */
#define VNS_FACET_BIT(f) (1u << (f))
/* The values a facet gives by default. */
#define VNS_FACET_LIMIT 20

#define VNS_QUERY_OPTIONS_VERSION 5
typedef struct vns_query_options {
    unsigned version;       /* VNS_QUERY_OPTIONS_VERSION (1: the fields up to hl_end). */
    size_t offset;          /* Skip this many results (default 0). */
    size_t limit;           /* Return at most this many (0: default 10; SIZE_MAX: every match). */
    int exact;              /* Non-zero: words typed with diacritics must match exactly. */
    int exact_count;        /* Non-zero: count every match (vns_results_total is exact). */
    unsigned snippet_words; /* Snippet length in words (0: default 30). */
    const char *hl_start;   /* Markers for vns_results_snippet_marked (NULL: "[" and "]", or */
    const char *hl_end;     /* "<mark>" and "</mark>" with html). */
    /* Version 2. Non-zero: vns_results_snippet_marked is HTML: the text's & < > " ' are written
     * as entities, the markers as they are (so they may be tags). Default 0. */
    int html;
    /* Version 2. The time budget of one query in milliseconds (0: default VNS_QUERY_TIME_LIMIT_MS;
     * VNS_QUERY_NO_TIME_LIMIT: none). A query still matching at the budget's end (exact_count
     * included) is stopped: VNS_EQUERY, "took longer than its time budget"; no partial results.
     * Local indexes only: a remote one is bounded by its server and the 10 s network timeout. */
    unsigned time_limit_ms;
    /* Version 3. How bare words must match (default VNS_MATCH_AUTO; a version 1 or 2 caller gets
     * it too). Quoted phrases, title:, word*, groups, -exclusions and exact keep their meaning in
     * every mode: they are always required (or excluded). */
    vns_match match;
    /* Version 3. Non-zero: the query is plain text, not the query language: quotes, brackets,
     * colons, dashes, OR and '*' are read as text (or skipped as punctuation), so pasted text
     * never fails to parse; words past VNS_QUERY_MAX_WORDS are left out. Default 0. */
    int literal;
    /* Version 4. Non-zero: words are searched as typed. By default a word that is not a
     * Vietnamese syllable, is in no document, and spells in Telex or VNI a syllable some
     * document holds (vieejt, vie65t: việt) is searched as that syllable, and
     * vns_results_searched_for says so. Default 0. */
    int as_typed;
    /* Version 5. The order of the results (default VNS_SORT_RELEVANCE). */
    vns_sort sort;
    /* Version 5. The facets to count over every match (not only the page returned): a set of
     * VNS_FACET_* bits (default 0: none); read with vns_results_facet. */
    unsigned facets;
    /* Version 5. The most values each facet gives, by count (0: default VNS_FACET_LIMIT). */
    unsigned facet_limit;
} vns_query_options;
#define VNS_QUERY_OPTIONS_INIT                                                                     \
    {                                                                                              \
        VNS_QUERY_OPTIONS_VERSION, 0, 0, 0, 0, 0, NULL, NULL, 0, 0, VNS_MATCH_AUTO, 0, 0,          \
            VNS_SORT_RELEVANCE, 0, 0                                                               \
    }
/* The default time budget of a query: far above what an ordinary query takes (tens of
 * milliseconds on 100,000 articles), far below what a query built to be slow would. */
#define VNS_QUERY_TIME_LIMIT_MS 5000
#define VNS_QUERY_NO_TIME_LIMIT 0xFFFFFFFFu
/* The most terms the prefixes (word*) of one query expand to, in all: each of n prefixes gets its
 * share, its most frequent terms (at most 200 for one). */
#define VNS_QUERY_MAX_EXPANSION 1000

/* Sets *opts to the defaults of that version, as vns_index_options_init does. Returns VNS_OK or
 * VNS_EINVAL (NULL opts, unknown version). */
VNS_EXPORT vns_status vns_query_options_init(vns_query_options *opts, unsigned version);

/* A query holds at most this many words (more is VNS_EQUERY, or left out with literal). */
#define VNS_QUERY_MAX_WORDS 256

/* A byte range [start, end). */
typedef struct vns_range {
    size_t start, end;
} vns_range;

/* Opens a searcher over the n index paths; *out gets the handle. On failure *out is NULL and
 * errbuf (if not NULL) gets a message naming the path. An index named more than once (the same
 * path, another path to the same directory, a stub file naming it, the same tcp:// address) is
 * searched once.
 * Returns VNS_OK, VNS_EINVAL (a path that is not a vnsearch index, or of another schema; stub
 * files in a loop or over 16 deep), VNS_ENOTFOUND, VNS_ECORRUPT, VNS_EIO, VNS_ENETWORK (a tcp://
 * index did not answer), VNS_ENOMEM, VNS_EINTERNAL.
 * The handle is the caller's: free it with vns_searcher_close(). */
VNS_EXPORT vns_status vns_searcher_open(vns_searcher **out, const char *const *paths, size_t n,
                                        char *errbuf, size_t errlen);

/* Runs a query in the query language (see vnsearch(1)): words (matched as opts->match says;
 * diacritics optional), "phrases", -exclusions, OR, (groups), prefix*, title:word; or, with
 * opts->literal, plain text. *out gets the results, which the caller frees with
 * vns_results_free(). opts may be NULL (the defaults: VNS_MATCH_AUTO, the query language).
 * Returns VNS_OK (also for zero results), VNS_EINVAL (NULL arguments, opts->version 0 or newer
 * than this library, opts->match not a vns_match), VNS_EQUERY (syntax error,
 * empty query, or bytes that are not UTF-8: vns_searcher_errmsg names the position; or the query
 * ran past its time budget, see time_limit_ms), VNS_EMODIFIED (only when a writer
 * discarded the revision being read six times in a row: the searcher reopens and runs the query
 * again by itself, and reads the first 1,000 results' data with it; or when the index was
 * emptied and written again in the other layout of its exact forms twice during one query:
 * docs/schema.md), VNS_ECORRUPT, VNS_EIO,
 * VNS_ENETWORK (the message names the tcp:// index that failed, or lists the remote ones when
 * it cannot tell which), VNS_ENOMEM, VNS_EINTERNAL. Repeated items are searched once ("a a" and
 * "t* t*" as "a" and "t*"), and the prefixes of one query expand to VNS_QUERY_MAX_EXPANSION
 * terms in all, shared among them. */
VNS_EXPORT vns_status vns_searcher_query(vns_results **out, vns_searcher *s, const char *query,
                                         const vns_query_options *opts);

/* *out gets the number of documents the searcher reads (every index, as of its open or last
 * reopen). Returns VNS_OK, VNS_EINVAL (NULL argument), or a read failure (VNS_EIO, VNS_ECORRUPT,
 * VNS_ENETWORK, VNS_EMODIFIED, VNS_ENOMEM, VNS_EINTERNAL; the message on the searcher). */
VNS_EXPORT vns_status vns_searcher_doc_count(uint64_t *out, vns_searcher *s);

/* Picks up commits made since the searcher was opened. Returns VNS_OK or an error as above. */
VNS_EXPORT vns_status vns_searcher_reopen(vns_searcher *s);

/* The message of the last failure on this searcher ("" if none). Borrowed. */
VNS_EXPORT const char *vns_searcher_errmsg(const vns_searcher *s);

/* Closes the searcher; accepts NULL. Never fails. Results still open keep what they need of it
 * until the last of them is freed, so freeing results after their searcher is safe; nothing else
 * may be called on a closed searcher. */
VNS_EXPORT void vns_searcher_close(vns_searcher *s);

/* Number of matching documents: exact when the query asked for exact_count (or when every
 * match was returned), otherwise Xapian's estimate. Never fails (0 on NULL).
 * The accessors below that make snippets take a non-const vns_results: they fill a cache in it
 * on first use, so even they must not be called on one vns_results from two threads at once. */
VNS_EXPORT uint64_t vns_results_total(const vns_results *r);

/* Non-zero when vns_results_total is exact. Never fails. */
VNS_EXPORT int vns_results_total_is_exact(const vns_results *r);

/* How the answer was made: VNS_MATCH_ALL or VNS_MATCH_ANY (never VNS_MATCH_AUTO: the mode auto
 * chose). vns_results_total counts the documents under it. Never fails (VNS_MATCH_ALL on NULL). */
VNS_EXPORT vns_match vns_results_match(const vns_results *r);

/* The number of distinct words the query searches for (its bare and phrase words, folded; not
 * excluded ones, not word* prefixes). Never fails (0 on NULL). */
VNS_EXPORT size_t vns_results_query_words(const vns_results *r);

/* Moves to the next result: VNS_OK when there is one, VNS_DONE at the end, or an error
 * (VNS_EINVAL for a NULL r, VNS_ECORRUPT, VNS_EIO, VNS_ENETWORK, VNS_ENOMEM, VNS_EINTERNAL;
 * VNS_EMODIFIED only past the first 1,000 results, whose data is read with the query: when a
 * writer discarded the revision the query read, or when the searcher was reopened onto a newer
 * one since; run the query again). Call it before the first. */
VNS_EXPORT vns_status vns_results_next(vns_results *r);

/* The current result's fields. Strings are borrowed until the next vns_results_next() or
 * vns_results_free(); NULL (0 for numbers) before the first result.
 *   id       the document id;
 *   title    the title, "" when none;
 *   heading  the title, or the opening words of the text when there is none;
 *   score    the relevance (higher is better; comparable within one query);
 *   rank     1-based, counting the offset;
 *   snippet  about snippet_words words of the original text around the best matches, one line,
 *            "…" where cut, no markers;
 *   highlights  *n ranges of matched words and phrases, byte offsets into the snippet;
 *   snippet_marked  the snippet with hl_start/hl_end around each highlight.
 * heading, snippet, highlights and snippet_marked are made on first use (so a caller that only
 * wants ids never pays for snippets); if that fails they return NULL (and *n = 0) and
 * vns_searcher_errmsg says why (and vns_results_errmsg, after the searcher is closed). */
VNS_EXPORT const char *vns_results_id(const vns_results *r);
VNS_EXPORT const char *vns_results_title(const vns_results *r);
VNS_EXPORT const char *vns_results_heading(vns_results *r);
VNS_EXPORT double vns_results_score(const vns_results *r);
VNS_EXPORT size_t vns_results_rank(const vns_results *r);
VNS_EXPORT const char *vns_results_snippet(vns_results *r);
VNS_EXPORT const vns_range *vns_results_highlights(size_t *n, vns_results *r);
VNS_EXPORT const char *vns_results_snippet_marked(vns_results *r);

/* The query as it was searched when words typed in Telex or VNI were read as Vietnamese
 * (vns_query_options.as_typed), e.g. "việt nam" for "vieejt nam"; NULL when it was searched as
 * typed. Borrowed until vns_results_free. Never fails. */
VNS_EXPORT const char *vns_results_searched_for(const vns_results *r);

/* When the query found nothing or little (fewer documents than a short query's all-words answer
 * needs) and a much more common spelling of some of its words, one or two edits away, is in the
 * index (the usual Vietnamese confusions s/x, ch/tr, d/gi/r, n/l, final n/ng and c/t, and a
 * wrong tone counting as one edit): the whole query written that way, e.g. "xảy ra" for "sảy
 * ra". NULL otherwise. Borrowed until vns_results_free. Never fails. */
VNS_EXPORT const char *vns_results_suggestion(const vns_results *r);

/* The current result's metadata: its fields borrowed until the next vns_results_next() or
 * vns_results_free() (NULL for a field it lacks; the date canonical). Never fails: NULL before
 * the first result or on NULL. */
VNS_EXPORT const vns_meta *vns_results_meta(const vns_results *r);

/* Value i of facet f, by count (most first; equal counts by value), for a query that asked for
 * it: *value (borrowed until vns_results_free) and *count (matching articles with that value).
 * Values are the field as written (the commonest spelling when several fold alike; year and
 * month as "2024" and "2024-05"). Returns VNS_OK, VNS_DONE when i is past the last value (or
 * the facet was not asked for), VNS_EINVAL for NULL arguments or an unknown facet. */
VNS_EXPORT vns_status vns_results_facet(const char **value, uint64_t *count, const vns_results *r,
                                        vns_facet f, size_t i);

/* *n gets how many of the query's distinct words (vns_results_query_words) the current result
 * contains, folded, anywhere in its title or text. Looked up on first use, in the revision the
 * query read. Returns VNS_OK, VNS_EINVAL (NULL arguments, or no current result), or a read
 * failure as vns_results_next (*n is 0 then; vns_results_errmsg says why), VNS_EMODIFIED also
 * for the first 1,000 results when the searcher was reopened onto a newer revision since. */
VNS_EXPORT vns_status vns_results_matched_words(size_t *n, vns_results *r);

/* The message of the last failure on these results (iteration or snippets): the searcher's
 * message buffer, which the results share with their searcher, so it still works after
 * vns_searcher_close. Borrowed until the next call on the searcher or on any of its results.
 * Never NULL. */
VNS_EXPORT const char *vns_results_errmsg(const vns_results *r);

/* Frees the results; accepts NULL. Never fails. */
VNS_EXPORT void vns_results_free(vns_results *r);

/* ---------------------------------------------------------------------------------------------
 * Reading stored articles back: vns_document
 * ------------------------------------------------------------------------------------------- */

/* A stored article (title, body as indexed, metadata), or a cursor over every article. Like
 * vns_results, it counts as one handle with its searcher. */
typedef struct vns_document vns_document;

/* *out gets the article with this id, already current (no vns_document_next needed).
 * Returns VNS_OK, VNS_ENOTFOUND (no such id: the message names it), VNS_EINVAL (NULL
 * arguments), VNS_ECORRUPT, VNS_EIO, VNS_ENETWORK, VNS_ENOMEM, VNS_EINTERNAL; the message is
 * vns_searcher_errmsg's. The handle is the caller's: vns_document_free. */
VNS_EXPORT vns_status vns_searcher_get(vns_document **out, vns_searcher *s, const char *id);

/* *out gets a cursor over every article of the searcher's indexes (in index order), before
 * the first: call vns_document_next. It reads the revision open when it was made (a searcher
 * reopened meanwhile may fail it with VNS_EMODIFIED). Returns VNS_OK, VNS_EINVAL, or a read
 * failure as vns_searcher_get. The handle is the caller's: vns_document_free. */
VNS_EXPORT vns_status vns_searcher_scan(vns_document **out, vns_searcher *s);

/* Moves a scan to its next article: VNS_OK, VNS_DONE at the end, or a read failure
 * (VNS_EMODIFIED: the index changed under it, scan again; VNS_ECORRUPT, VNS_EIO, VNS_ENETWORK,
 * VNS_ENOMEM, VNS_EINTERNAL; vns_searcher_errmsg says why). On a document from
 * vns_searcher_get: VNS_DONE. */
VNS_EXPORT vns_status vns_document_next(vns_document *d);

/* The current article's fields, borrowed until the next vns_document_next or vns_document_free
 * (NULL before the first). The body is *len bytes (may be NULL), also NUL-terminated. Never
 * fail. */
VNS_EXPORT const char *vns_document_id(const vns_document *d);
VNS_EXPORT const char *vns_document_title(const vns_document *d);
VNS_EXPORT const char *vns_document_body(size_t *len, const vns_document *d);
VNS_EXPORT const vns_meta *vns_document_meta(const vns_document *d);

/* Frees the document or cursor; accepts NULL. Never fails. */
VNS_EXPORT void vns_document_free(vns_document *d);

#ifdef __cplusplus
}
#endif

#endif /* VNSEARCH_H */
