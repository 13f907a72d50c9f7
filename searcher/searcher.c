/* searcher.c: vns_searcher: opens indexes, prepares and runs queries (the answer is read in
 * results.c). */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyzer.h"
#include "did_you_mean.h"
#include "exact_common.h"
#include "facets.h"
#include "query_build.h"
#include "ranking.h"
#include "results_int.h"
#include "rewrite.h"
#include "schema.h"
#include "searcher_int.h"
#include "searcher_sys.h"
#include "sort_windows.h"
#include "typing.h"
#include "util.h"
#include "vnsearch.h"
#include "xapian_shim.h"

#define DEFAULT_LIMIT 10
#define DEFAULT_SNIPPET_WORDS 30
/* How many times a query is run again after a writer discarded the revision being read. */
#define MODIFIED_RETRIES 5

struct vns_searcher {
    vxs_db *db;
    char **paths; /* The index paths, in the order given (to name a failed shard). */
    size_t npaths;
    vnsi_analyzer *an;
    vnsi_ranking_weights weights; /* Used for every query; vnsi_ranking_defaults unless set. */
    size_t live_results;          /* vns_results not freed yet: they use db, an and err. */
    int closed;       /* vns_searcher_close was called; freed when live_results reaches 0. */
    int checking;     /* Counting a suggestion's matches (no suggestion for that query). */
    int common_forms; /* The shards write the common exact forms as N terms (exact_common.h). */
    /* A reopen during a query found the other layout (reopen_modified): the query is answered
     * again, built for it. */
    int layout_changed;
    char err[VXS_ERRLEN + 64];
};

/* Records a formatted message as the searcher's last error and returns st. */
#define fail(s, st, ...) vnsi_errbuf_set((s)->err, sizeof(s)->err, (st), __VA_ARGS__)

/* Checks the schema each database of db records (local shards and remote ones alike): one that
 * is not a vnsearch index, or of a schema this library does not read, would be answered wrongly;
 * so would shards holding the exact forms two ways (schema 2 or 3 against 4: exact_common.h),
 * which one query cannot ask. Sets *common_forms when no shard holds documents of the older way.
 * Returns VNS_OK, or the check's or the shim's status with a message naming the shard in msg. */
static vns_status check_schemas(vxs_db *db, int *common_forms, char *msg, size_t cap) {
    long old_shard = -1, new_shard = -1;
    for (size_t i = 0; i < vxs_db_shard_count(db); i++) {
        char *value = NULL, why[VXS_ERRLEN];
        uint64_t docs = 0;
        vns_status st = vxs_db_shard_meta(db, i, VNS_META_SCHEMA, &value, &docs);
        if (st != VNS_OK) snprintf(why, sizeof why, "%s", vxs_db_errmsg(db));
        if (st == VNS_OK) st = vnsi_schema_check(value, docs, why, sizeof why);
        long v = st == VNS_OK && value ? strtol(value, NULL, 10) : 0;
        free(value);
        if (st != VNS_OK)
            return vnsi_errbuf_set(msg, cap, st, "%s: %s", vxs_db_shard_name(db, i), why);
        if (docs > 0 && v < VNS_SCHEMA_COMMON_FORMS && old_shard < 0) old_shard = (long)i;
        if (docs > 0 && v >= VNS_SCHEMA_COMMON_FORMS && new_shard < 0) new_shard = (long)i;
    }
    if (old_shard >= 0 && new_shard >= 0)
        return vnsi_errbuf_set(msg, cap, VNS_EINVAL,
                               "%s is of schema 3, which keeps every exact form, and %s of schema "
                               "%d, which does not (docs/schema.md): one query cannot search both; "
                               "search them apart, or rebuild %s with this vnindex",
                               vxs_db_shard_name(db, (size_t)old_shard),
                               vxs_db_shard_name(db, (size_t)new_shard), VNS_SCHEMA_COMMON_FORMS,
                               vxs_db_shard_name(db, (size_t)old_shard));
    *common_forms = old_shard < 0;
    return VNS_OK;
}
static void searcher_free(vns_searcher *s);

vns_status vns_searcher_open(vns_searcher **out, const char *const *paths, size_t n, char *errbuf,
                             size_t errlen) {
    if (out == NULL) return vnsi_errbuf_set(errbuf, errlen, VNS_EINVAL, "no handle to open into");
    *out = NULL;
    if (paths == NULL || n == 0)
        return vnsi_errbuf_set(errbuf, errlen, VNS_EINVAL, "no index path given");
    vns_searcher *s = calloc(1, sizeof *s);
    if (s == NULL) return vnsi_errbuf_set(errbuf, errlen, VNS_ENOMEM, "out of memory");
    s->weights = vnsi_ranking_defaults;
    char msg[VXS_ERRLEN] = "";
    vns_status st = vnsi_analyzer_new(&s->an);
    if (st != VNS_OK) {
        snprintf(msg, sizeof msg, "cannot start the ICU analyzer");
    } else {
        st = vxs_db_open_read(&s->db, paths, n, msg);
    }
    if (st == VNS_OK && (s->paths = calloc(n, sizeof *s->paths)) == NULL) st = VNS_ENOMEM;
    for (size_t i = 0; st == VNS_OK && i < n; i++)
        if ((s->paths[s->npaths++] = strdup(paths[i])) == NULL) st = VNS_ENOMEM;
    if (st == VNS_ENOMEM && msg[0] == '\0') snprintf(msg, sizeof msg, "out of memory");
    if (st == VNS_OK) st = check_schemas(s->db, &s->common_forms, msg, sizeof msg);
    if (st != VNS_OK) {
        vnsi_errbuf_set(errbuf, errlen, st, "%s", msg);
        searcher_free(s);
        return st;
    }
    *out = s;
    return VNS_OK;
}

/* Reopens s->db at its latest revision and reads the shards' layout again (an empty index
 * takes the newest one when it is first written). Returns VNS_OK or the failure, with its
 * message on s after context (a prefix, "" for none). */
static vns_status reopen_db(vns_searcher *s, const char *context) {
    vns_status st = vxs_db_reopen(s->db);
    if (st != VNS_OK) return fail(s, st, "%s%s", context, vxs_db_errmsg(s->db));
    char msg[VXS_ERRLEN] = "";
    if ((st = check_schemas(s->db, &s->common_forms, msg, sizeof msg)) != VNS_OK)
        return fail(s, st, "%s%s", context, msg);
    return VNS_OK;
}

/* What a reopen the searcher makes by itself says before its failure. */
#define REOPEN_CONTEXT "reopening after the index changed: "

/* Reopens s->db after a writer discarded the revision being read (by itself, during a query)
 * and reads the shards' layout again. Returns VNS_OK when what the query built still holds;
 * VNS_EMODIFIED with s->layout_changed set when the layout of the exact forms changed (an index
 * emptied and written again takes the newest: docs/schema.md), so that a query built for the
 * old one is built again (and at once, without a reopen, while the flag stays set); or the
 * reopen's failure. The message is on s unless VNS_OK. */
static vns_status reopen_modified(vns_searcher *s) {
    /* Already found by an inner retry: what was built is stale, whatever a reopen now says. */
    if (s->layout_changed) return VNS_EMODIFIED;
    int before = s->common_forms;
    vns_status st = reopen_db(s, REOPEN_CONTEXT);
    if (st != VNS_OK || s->common_forms == before) return st;
    s->layout_changed = 1;
    return fail(s, VNS_EMODIFIED,
                "the index was written again in the other layout of its exact forms while it was "
                "read (docs/schema.md): run the query again");
}

vns_status vns_searcher_reopen(vns_searcher *s) {
    if (s == NULL) return VNS_EINVAL;
    return reopen_db(s, "");
}

/* Whether x is a number at least 0 (NaN is not). Never fails. */
static int weight_ok(double x) {
    return x >= 0;
}

vns_status vnsi_searcher_set_weights(vns_searcher *s, const vnsi_ranking_weights *w) {
    if (s == NULL) return VNS_EINVAL;
    if (w == NULL) return fail(s, VNS_EINVAL, "no ranking weights given");
    if (!weight_ok(w->phrase) || !weight_ok(w->title_terms) || !weight_ok(w->title_phrase) ||
        !weight_ok(w->exact) || !weight_ok(w->any_pair) || !weight_ok(w->any_common) ||
        !weight_ok(w->any_common_min_docs) || !weight_ok(w->any_depth) ||
        !weight_ok(w->auto_max_words) || !weight_ok(w->auto_min_matches) ||
        !weight_ok(w->bm25_k1) || !weight_ok(w->bm25_b) || w->bm25_b > 1)
        return fail(s, VNS_EINVAL,
                    "ranking weights must be numbers at least 0 (and BM25 b at most 1): %g, %g, "
                    "%g, %g, k1 %g, b %g",
                    w->phrase, w->title_terms, w->title_phrase, w->exact, w->bm25_k1, w->bm25_b);
    s->weights = *w;
    return VNS_OK;
}

vns_status vnsi_searcher_weights(vnsi_ranking_weights *out, const vns_searcher *s) {
    if (out == NULL || s == NULL) return VNS_EINVAL;
    *out = s->weights;
    return VNS_OK;
}

const char *vns_searcher_errmsg(const vns_searcher *s) {
    return s ? s->err : "";
}

/* Frees the searcher itself. Never fails. */
static void searcher_free(vns_searcher *s) {
    vxs_db_close(s->db);
    vnsi_analyzer_free(s->an);
    for (size_t i = 0; i < s->npaths; i++) free(s->paths[i]);
    free(s->paths);
    free(s);
}

vns_status vns_searcher_doc_count(uint64_t *out, vns_searcher *s) {
    if (out) *out = 0;
    if (out == NULL || s == NULL || s->closed) return VNS_EINVAL;
    vns_status st = vxs_db_doc_count(s->db, out);
    if (st != VNS_OK) return fail(s, st, "%s", vxs_db_errmsg(s->db));
    return VNS_OK;
}

vxs_db *vnsi_searcher_db(vns_searcher *s) {
    return s->db;
}

vnsi_analyzer *vnsi_searcher_analyzer(vns_searcher *s) {
    return s->an;
}

int vnsi_searcher_common_forms(const vns_searcher *s) {
    return s->common_forms;
}

uint64_t vnsi_searcher_count_all(vns_searcher *s, const char *text) {
    vns_query_options o = VNS_QUERY_OPTIONS_INIT;
    o.match = VNS_MATCH_ALL;
    o.limit = 1;
    o.as_typed = 1;
    vns_results *r = NULL;
    s->checking = 1;
    vns_status st = vns_searcher_query(&r, s, text, &o);
    s->checking = 0;
    uint64_t n = st == VNS_OK ? vns_results_total(r) : 0;
    vns_results_free(r);
    return n;
}

int vnsi_searcher_checking(const vns_searcher *s) {
    return s->checking;
}

vns_status vnsi_searcher_fail(vns_searcher *s, vns_status st, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->err, sizeof s->err, fmt, ap);
    va_end(ap);
    return st;
}

int vnsi_searcher_closed(const vns_searcher *s) {
    return s->closed;
}

void vnsi_searcher_hold(vns_searcher *s) {
    s->live_results++;
}

void vnsi_searcher_release(vns_searcher *s) {
    if (--s->live_results == 0 && s->closed) searcher_free(s);
}

void vns_searcher_close(vns_searcher *s) {
    if (s == NULL) return;
    /* Results still open need the database, the analyzer and the message buffer: the last
     * vns_results_free frees the searcher instead. */
    if (s->live_results > 0) {
        s->closed = 1;
        return;
    }
    searcher_free(s);
}

vns_status vns_query_options_init(vns_query_options *opts, unsigned version) {
    if (opts == NULL || version == 0 || version > VNS_QUERY_OPTIONS_VERSION) return VNS_EINVAL;
    vns_query_options def = VNS_QUERY_OPTIONS_INIT;
    def.version = version;
    /* Only the fields of that version: an older caller's struct is shorter. */
    size_t size = version >= 5   ? sizeof def
                  : version == 4 ? offsetof(vns_query_options, sort)
                  : version == 3 ? offsetof(vns_query_options, as_typed)
                  : version == 2 ? offsetof(vns_query_options, match)
                                 : offsetof(vns_query_options, html);
    memcpy(opts, &def, size);
    return VNS_OK;
}

/* *df gets the number of documents holding the term prefix (at most one byte) then len bytes of
 * form (at most VNS_MAX_FORM_BYTES). Returns VNS_OK or the failure, with its message on s. */
vns_status vnsi_searcher_term_df(vns_searcher *s, const char *prefix, const char *form, size_t len,
                                 uint64_t *df) {
    char term[VNS_MAX_FORM_BYTES + 2];
    size_t pl = strlen(prefix);
    memcpy(term, prefix, pl);
    memcpy(term + pl, form, len);
    vns_status st = vxs_db_term_freq(s->db, term, pl + len, df);
    return st == VNS_OK ? st : fail(s, st, "%s", vxs_db_errmsg(s->db));
}

/* Sets the df of the words of n's runs (outside -): the documents holding each folded form, one
 * term lookup each, once per query; for a common form typed (an index of schema 4), also its N
 * and E terms' (exact_query weighs its boost by them). Returns VNS_OK or the shim's status (the
 * message on the searcher). */
static vns_status measure_words(vns_searcher *s, vnsi_qnode *n) {
    if (n->kind == VNSI_Q_NOT) return VNS_OK;
    for (size_t i = 0; i < n->nkids; i++) {
        vns_status st = measure_words(s, n->kids[i]);
        if (st != VNS_OK) return st;
    }
    for (size_t i = 0; n->kind == VNSI_Q_WORDS && i < n->nwords; i++) {
        vnsi_qword *w = &n->words[i];
        vns_status st = vnsi_searcher_term_df(s, "", w->folded, w->folded_len, &w->df);
        w->absent_df = w->exact_df = 0;
        /* A common form's boost is weighed by the documents that hold it (exact_query). */
        if (st == VNS_OK && s->common_forms && w->accented &&
            vnsi_common_find(w->folded, w->folded_len, w->exact, w->exact_len) >= 0) {
            st = vnsi_searcher_term_df(s, VNS_PREFIX_ABSENT, w->exact, w->exact_len, &w->absent_df);
            if (st == VNS_OK)
                st = vnsi_searcher_term_df(s, VNS_PREFIX_EXACT, w->exact, w->exact_len,
                                           &w->exact_df);
        }
        if (st != VNS_OK) return st;
    }
    return VNS_OK;
}

/* Marks the words of n's runs (outside -, measured) that are common (in more than the any_common
 * share of the docs documents, and more than any_common_min_docs) or absent (in none). Returns
 * how many are common. Never fails. */
static size_t mark_common(const vns_searcher *s, vnsi_qnode *n, uint64_t docs) {
    if (n->kind == VNSI_Q_NOT) return 0;
    size_t ncommon = 0;
    for (size_t i = 0; i < n->nkids; i++) ncommon += mark_common(s, n->kids[i], docs);
    for (size_t i = 0; n->kind == VNSI_Q_WORDS && i < n->nwords; i++) {
        vnsi_qword *w = &n->words[i];
        w->common = (double)w->df > s->weights.any_common * (double)docs &&
                    (double)w->df > s->weights.any_common_min_docs;
        w->absent = w->df == 0;
        ncommon += (size_t)w->common;
    }
    return ncommon;
}

/* Clears the common flags mark_common set in n's runs. Never fails. */
static void unmark_common(vnsi_qnode *n) {
    for (size_t i = 0; i < n->nkids; i++) unmark_common(n->kids[i]);
    for (size_t i = 0; i < n->nwords; i++) n->words[i].common = 0;
}

/* Whether a new connection to the index at path fails. Never fails. */
static int remote_down(const char *path) {
    vxs_db *probe = NULL;
    char msg[VXS_ERRLEN];
    int down = vxs_db_open_read(&probe, &path, 1, msg) != VNS_OK;
    vxs_db_close(probe);
    return down;
}

void vnsi_searcher_name_remote(vns_searcher *s, uint32_t docid) {
    char names[256] = "";
    size_t o = 0, named = 0, remote = 0;
    for (size_t i = 0; i < s->npaths; i++) remote += strncmp(s->paths[i], "tcp://", 6) == 0;
    /* Pass 0: the shard of docid, or the ones down; pass 1: every remote one. */
    for (int pass = 0; pass < 2 && named == 0; pass++) {
        for (size_t i = 0; i < s->npaths; i++) {
            if (strncmp(s->paths[i], "tcp://", 6) != 0) continue;
            if (pass == 0 &&
                (docid ? (size_t)(docid - 1) % s->npaths != i : !remote_down(s->paths[i])))
                continue;
            int w = snprintf(names + o, sizeof names - o, "%s%s", named ? ", " : "", s->paths[i]);
            if (w > 0 && (size_t)w < sizeof names - o) o += (size_t)w;
            named++;
        }
        if (named == 0 && pass == 0 && remote > 1)
            o = (size_t)snprintf(names, sizeof names, "one of ");
    }
    if (named == 0) return;
    char shim[sizeof s->err];
    memcpy(shim, s->err, sizeof shim);
    int room = (int)(sizeof s->err - strlen(names) - 3);
    snprintf(s->err, sizeof s->err, "%s: %.*s", names, room > 0 ? room : 0, shim);
}

/* Sets the searcher's message for a failed search (st, not VNS_OK): VNS_EQUERY is the shim's word
 * for a search past its time budget of budget ms. Returns st. */
static vns_status search_failed(vns_searcher *s, vns_status st, unsigned budget) {
    if (st == VNS_EQUERY)
        return fail(s, VNS_EQUERY,
                    "query error: the query took longer than its time budget (%u ms): make it "
                    "more specific (fewer word* prefixes, more words)",
                    budget);
    return fail(s, st, "%s",
                st == VNS_ENOMEM ? "out of memory reading the results" : vxs_db_errmsg(s->db));
}

/* run_query, reopening and running q again at most retries times after a writer discarded the
 * revision being read (0: VNS_EMODIFIED is returned at once, for a caller whose query depends on
 * the revision to build it again). */
static vns_status run_query_retrying(vns_results *r, const vxs_query *q, size_t limit, size_t check,
                                     const vxs_search_opts *so, unsigned budget, int retries) {
    vns_searcher *s = r->s;
    vns_status st;
    for (int attempt = 0;; attempt++) {
        st = vxs_db_search(s->db, q, r->offset, limit, check, so, &r->mset);
        uint32_t failed_doc = 0;
        if (st == VNS_OK) st = vnsi_results_prefetch(r, &failed_doc);
        if (st != VNS_OK) search_failed(s, st, budget);
        if (st == VNS_ENETWORK) vnsi_searcher_name_remote(s, failed_doc);
        /* A writer discarded the revision being read: reopen and run it again. */
        if (st != VNS_EMODIFIED || attempt >= retries) break;
        vxs_mset_free(r->mset);
        r->mset = NULL;
        vns_status rst = reopen_modified(s);
        if (rst != VNS_OK) {
            /* The reopen's own failure (or a new layout) is what the caller must act on. */
            st = rst;
            break;
        }
    }
    if (st == VNS_EMODIFIED && !s->layout_changed)
        fail(s, st, "the index was modified under the reader %d times in a row: %s", retries + 1,
             vxs_db_errmsg(s->db));
    return st;
}

/* Runs q for r (results from r->offset, at most limit; check: count at least that many matches
 * exactly), reading the first results' data with it, and again after a writer discarded the
 * revision being read (MODIFIED_RETRIES times at most). r->mset is r's on VNS_OK. Returns VNS_OK
 * or a status with the searcher's message set (VNS_EQUERY: past the budget of budget ms). */
static vns_status run_query(vns_results *r, const vxs_query *q, size_t limit, size_t check,
                            const vxs_search_opts *so, unsigned budget) {
    return run_query_retrying(r, q, limit, check, so, budget, MODIFIED_RETRIES);
}

/* A date order is answered from the months at its end first (run_sorted): the first window is
 * chosen to hold SORT_WINDOW_MARGIN times the documents needed, as the query's estimate spreads
 * over the dated articles; a window that holds too few is widened by the same margin over what
 * it held (at least SORT_WINDOW_MIN_GROWTH times; none held counts as half a document). A window
 * that would hold SORT_WINDOW_MAX_SHARE of the dated articles or more, or a page past
 * SORT_WINDOW_MAX_NEED, runs the whole query: a wide window saves little and each one costs a
 * search. Measured with bench_meta's newest and oldest rows on dated VNTC (BENCHMARKS.md,
 * "Sorting by date in windows"): windows of whole years gave p99 0.55x of FTS5, months 0.41x to
 * 0.64x with a maximum share of 0.5 (the tail: rare phrases of common words, whose windows all
 * fail before the whole query runs), 0.30x / 0.26x (newest / oldest) with 0.25 and the half
 * document, the same as 0.125 (0.29x / 0.26x); p50 0.20x in each. The margin of 4 was not
 * tuned. */
#define SORT_WINDOW_MARGIN 4.0
#define SORT_WINDOW_MIN_GROWTH 4.0
#define SORT_WINDOW_MAX_SHARE 0.25
#define SORT_WINDOW_MAX_NEED 1000

/* Seconds on a monotonic clock. Never fails. */
static double now_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* so for a search that may take what is left of its time budget after the searches run since
 * started (its opts in *out). Returns VNS_OK, or VNS_EQUERY (message set) when nothing is left. */
static vns_status budget_left(vxs_search_opts *out, vns_searcher *s, const vxs_search_opts *so,
                              double started, unsigned budget) {
    *out = *so;
    if (so->time_limit <= 0) return VNS_OK;
    out->time_limit = so->time_limit - (now_seconds() - started);
    return out->time_limit > 0 ? VNS_OK : search_failed(s, VNS_EQUERY, budget);
}

/* One attempt of run_sorted on the revision being read: the windows are that revision's months,
 * so a writer that discards it returns VNS_EMODIFIED from a window for run_sorted to start over
 * (newer articles may be in months the windows do not hold). */
static vns_status sorted_once(vns_results *r, const vxs_query *q, size_t limit, size_t check,
                              size_t need, const vxs_search_opts *so, unsigned budget,
                              double started) {
    vns_searcher *s = r->s;
    int newest = so->sort_slot == VNS_SLOT_NEWEST;
    vnsi_months months;
    vns_status st = vnsi_months_load(&months, s->db);
    /* The whole query's counts, estimated from its terms without running it. */
    vxs_search_opts eo = *so;
    eo.sort_order = 0;
    eo.ncount_slots = 0;
    vxs_mset *m = NULL;
    uint64_t lo = 0, est = 0, hi = 0;
    if (st == VNS_OK && months.n > 1 &&
        (st = vxs_db_search(s->db, q, 0, 0, 0, &eo, &m)) == VNS_OK) {
        lo = vxs_mset_lower_bound(m);
        est = vxs_mset_estimated(m);
        hi = vxs_mset_upper_bound(m);
    }
    vxs_mset_free(m);
    /* A failure here is left to the whole query, which reports it (and reopens on its own). */
    double share = st == VNS_OK && months.n > 1 && est > 0
                       ? SORT_WINDOW_MARGIN * (double)need / (double)est
                       : SORT_WINDOW_MAX_SHARE;
    int answered = 0;
    st = VNS_OK;
    while (st == VNS_OK && share < SORT_WINDOW_MAX_SHARE) {
        char msg[VXS_ERRLEN];
        vxs_query *w = NULL, *f = NULL;
        double covered = 1.0;
        st = vnsi_months_window(&w, &covered, &months, newest, share, msg);
        if (st != VNS_OK) {
            fail(s, st, "building the query: %s", msg);
            break;
        }
        if (w == NULL || covered >= SORT_WINDOW_MAX_SHARE) {
            vxs_query_free(w);
            break;
        }
        vxs_search_opts wo;
        if ((st = vxs_query_within(&f, q, w, msg)) != VNS_OK)
            fail(s, st, "building the query: %s", msg);
        else if ((st = budget_left(&wo, s, so, started, budget)) == VNS_OK)
            st = run_query_retrying(r, f, limit, check, &wo, budget, 0);
        vxs_query_free(w);
        vxs_query_free(f);
        if (st != VNS_OK) break;
        uint64_t got = vxs_mset_lower_bound(r->mset);
        if (got >= need) {
            vxs_mset_set_bounds(r->mset, got > lo ? got : lo, est, hi);
            answered = 1;
            break;
        }
        vnsi_results_clear_answer(r);
        /* None found: as if half a document were (the estimate was far too high). */
        double grow = SORT_WINDOW_MARGIN * (double)need / (got ? (double)got : 0.5);
        share = covered * (grow > SORT_WINDOW_MIN_GROWTH ? grow : SORT_WINDOW_MIN_GROWTH);
    }
    vnsi_months_free(&months);
    vxs_search_opts wo;
    if (st == VNS_OK && !answered && (st = budget_left(&wo, s, so, started, budget)) == VNS_OK)
        st = run_query(r, q, limit, check, &wo, budget);
    return st;
}

/* run_query for a query sorted by date (so->sort_order set; otherwise run_query itself): the
 * query filtered to the latest (newest) or earliest months first, widening until a window holds
 * every document the page needs (r->offset + limit, and at least check): the documents outside
 * it all sort after those inside, so its first page is the whole query's. The answer's counts
 * are then the whole query's estimate, at least the window's count. The searches share the
 * time budget. After a writer discarded the revision being read, it reopens and starts over
 * (MODIFIED_RETRIES times at most). Returns what run_query returns. */
static vns_status run_sorted(vns_results *r, const vxs_query *q, size_t limit, size_t check,
                             const vxs_search_opts *so, unsigned budget) {
    vns_searcher *s = r->s;
    size_t need = r->offset + limit < r->offset ? SIZE_MAX : r->offset + limit;
    if (check > need) need = check;
    if (so->sort_order == 0 || need > SORT_WINDOW_MAX_NEED || need == 0)
        return run_query(r, q, limit, check, so, budget);
    double started = now_seconds();
    for (int attempt = 0;; attempt++) {
        vns_status st = sorted_once(r, q, limit, check, need, so, budget, started);
        if (st != VNS_EMODIFIED || attempt == MODIFIED_RETRIES) return st;
        vnsi_results_clear_answer(r);
        vns_status rst = reopen_modified(s);
        if (rst != VNS_OK) return rst;
    }
}

/* Builds the query of root under opts and runs it for r (run_query's arguments); a non-NULL
 * only_ids (a query of id terms, borrowed) restricts it to those documents. The spec of the
 * built query goes to r->spec. Returns VNS_OK or a status with the searcher's message set. */
static vns_status build_and_run(vns_results *r, const vnsi_qnode *root, const vnsi_build_opts *bo,
                                const vxs_query *only_ids, size_t limit, size_t check,
                                const vxs_search_opts *so, unsigned budget) {
    vns_searcher *s = r->s;
    vxs_query *q = NULL, *f = NULL;
    vnsi_hl_spec_clear(&r->spec);
    vns_status st =
        vnsi_query_build_tree(&q, &r->spec, root, bo, &s->weights, s->err, sizeof s->err);
    if (st == VNS_OK && only_ids) {
        char msg[VXS_ERRLEN];
        const vxs_query *two[2] = {q, only_ids};
        st = vxs_query_combine(&f, VXS_OP_FILTER, (vxs_query *const *)two, 2, 0, msg);
        if (st != VNS_OK) fail(s, st, "building the query: %s", msg);
    }
    if (st == VNS_OK) st = run_sorted(r, f ? f : q, limit, check, so, budget);
    vxs_query_free(q);
    vxs_query_free(f);
    return st;
}

/* The id terms of the first n results of r (their prefetched ids, r->ids_only) as one OR query
 * in *out (the caller's). Returns VNS_OK or VNS_ENOMEM (the message on the searcher). */
static vns_status ids_query(vxs_query **out, vns_results *r, size_t n) {
    vns_searcher *s = r->s;
    vxs_query **terms = calloc(n ? n : 1, sizeof *terms);
    char msg[VXS_ERRLEN];
    vns_status st = terms ? VNS_OK : fail(s, VNS_ENOMEM, "out of memory");
    size_t made = 0;
    for (; st == VNS_OK && made < n; made++) {
        char t[VNS_ID_TERM_CAP];
        size_t tl = vnsi_id_term(r->blobs[made], r->blob_lens[made], t);
        if ((st = vxs_query_term(&terms[made], t, tl, 1, 0, msg)) != VNS_OK)
            fail(s, st, "building the query: %s", msg);
    }
    if (st == VNS_OK && (st = vxs_query_combine(out, VXS_OP_OR, terms, n, 0, msg)) != VNS_OK)
        fail(s, st, "building the query: %s", msg);
    for (size_t i = 0; i < made && terms; i++) vxs_query_free(terms[i]);
    free(terms);
    return st;
}

/* The number of documents m's query matches: exact when its bounds meet, else Xapian's estimate
 * (*exact says which). Never fails. */
static void mset_total(const vxs_mset *m, uint64_t *total, int *exact) {
    uint64_t lo = vxs_mset_lower_bound(m), hi = vxs_mset_upper_bound(m);
    *exact = lo == hi;
    *total = *exact ? lo : vxs_mset_estimated(m);
}

/* One document of the first pass: its id, its score, and its rank there (ties keep it). */
typedef struct ranked {
    uint32_t docid;
    double score;
    size_t rank;
} ranked;

static int by_docid(const void *a, const void *b) {
    uint32_t x = ((const ranked *)a)->docid, y = ((const ranked *)b)->docid;
    return x < y ? -1 : x > y;
}

static int by_score(const void *a, const void *b) {
    const ranked *x = a, *y = b;
    if (x->score != y->score) return x->score > y->score ? -1 : 1;
    return x->rank < y->rank ? -1 : x->rank > y->rank;
}

/* The second pass: adds to the n first-pass documents d (by docid order on return) the scores of
 * root's costly boosts, built as the first pass's were (first: its options), which only they are
 * searched for (ids: their id terms, borrowed), within the budget of budget ms. Returns VNS_OK or
 * a status with the searcher's message set. */
static vns_status add_costly(vns_results *r, const vnsi_qnode *root, const vnsi_build_opts *first,
                             const vxs_query *ids, ranked *d, size_t n, const vxs_search_opts *so,
                             unsigned budget) {
    vns_searcher *s = r->s;
    /* The same options but the part (the documents searched too: a common form's boost is
     * weighed by them). */
    vnsi_build_opts bo = *first;
    bo.part = VNSI_PART_COSTLY;
    vnsi_hl_spec scratch;
    vxs_query *costly = NULL, *only = NULL, *q = NULL;
    vns_status st =
        vnsi_query_build_tree(&costly, &scratch, root, &bo, &s->weights, s->err, sizeof s->err);
    vnsi_hl_spec_clear(&scratch);
    qsort(d, n, sizeof *d, by_docid);
    if (st != VNS_OK || costly == NULL) return st;
    char msg[VXS_ERRLEN];
    /* Every one of the documents (weighted 0), ranked by the boosts they have. */
    st = vxs_query_scale(&only, ids, 0.0, msg);
    if (st == VNS_OK) {
        vxs_query *two[2] = {only, costly};
        st = vxs_query_combine(&q, VXS_OP_AND_MAYBE, two, 2, 0, msg);
    }
    if (st != VNS_OK) fail(s, st, "building the query: %s", msg);
    vxs_mset *m = NULL;
    if (st == VNS_OK && (st = vxs_db_search(s->db, q, 0, n, 0, so, &m)) != VNS_OK)
        search_failed(s, st, budget);
    for (size_t i = 0; st == VNS_OK && i < vxs_mset_size(m); i++) {
        ranked key = {.docid = vxs_mset_docid(m, i)};
        ranked *hit = bsearch(&key, d, n, sizeof *d, by_docid);
        if (hit) hit->score += vxs_mset_weight(m, i);
    }
    vxs_mset_free(m);
    vxs_query_free(costly);
    vxs_query_free(only);
    vxs_query_free(q);
    return st;
}

/* Whether n or a node under it is of kind k. Never fails. */
static int has_kind(const vnsi_qnode *n, vnsi_qkind k) {
    if (n->kind == k) return 1;
    for (size_t i = 0; i < n->nkids; i++)
        if (has_kind(n->kids[i], k)) return 1;
    return 0;
}

/* Answers root under VNS_MATCH_ANY for r. When some of its words are common (and it has no OR nor
 * group: its costly boosts are all in its top runs), in two passes: the query without its
 * costliest boosts (VNSI_PART_CHEAP) ranks the documents, then the first any_depth of them get
 * the scores of the costly boosts (VNSI_PART_COSTLY: both parts add up to the whole query) and
 * are ranked again; the ones after them keep the first pass's order and scores, which are below
 * (a document's cheap score is at most its whole score). Every page is cut from that one list,
 * so pages continue each other. The total is the first pass's: *total and *total_exact get it
 * and *counted is 1 (else 0: the results' own count is the total). Returns VNS_OK or a status
 * with the searcher's message set. root's words are measured (measure_words); docs: the documents
 * searched. */
static vns_status search_any(vns_results *r, vnsi_qnode *root, uint64_t docs, int exact,
                             size_t limit, size_t check, const vxs_search_opts *so, unsigned budget,
                             uint64_t *total, int *total_exact, int *counted) {
    vns_searcher *s = r->s;
    vns_status st;
    *counted = 0;
    size_t ncommon = mark_common(s, root, docs);
    vnsi_build_opts bo = {.exact = exact,
                          .common_forms = s->common_forms,
                          .match = VNS_MATCH_ANY,
                          .part = VNSI_PART_ALL,
                          .docs = docs};
    if (ncommon == 0 || has_kind(root, VNSI_Q_OR) || has_kind(root, VNSI_Q_GROUP)) {
        unmark_common(root); /* One pass: every word finds. */
        return build_and_run(r, root, &bo, NULL, limit, check, so, budget);
    }
    if (so->sort_order != 0) {
        /* Sorted by date, scores only break no ties: the first pass's documents in one pass
         * (the common words find only when the others find nothing, as below). */
        bo.part = VNSI_PART_CHEAP;
        st = build_and_run(r, root, &bo, NULL, limit, check, so, budget);
        if (st != VNS_OK || vxs_mset_lower_bound(r->mset) > 0 || vxs_mset_size(r->mset) > 0)
            return st;
        vnsi_results_clear_answer(r);
        unmark_common(root);
        bo.part = VNSI_PART_ALL;
        return build_and_run(r, root, &bo, NULL, limit, check, so, budget);
    }
    size_t offset = r->offset, page = offset + limit < offset ? SIZE_MAX : offset + limit;
    size_t depth = s->weights.any_depth < 1 ? 1 : (size_t)s->weights.any_depth;
    for (int attempt = 0;; attempt++) {
        bo.part = VNSI_PART_CHEAP;
        r->offset = 0;
        r->ids_only = depth;
        st = build_and_run(r, root, &bo, NULL, page > depth ? page : depth, check, so, budget);
        r->offset = offset;
        r->ids_only = 0;
        if (st != VNS_OK) return st;
        mset_total(r->mset, total, total_exact);
        *counted = 1;
        size_t n = vxs_mset_size(r->mset), top = n < r->nblobs ? n : r->nblobs;
        if (n == 0) {
            /* The other words found nothing (or only excluded documents): the common words
             * find after all, in one pass. */
            vnsi_results_clear_answer(r);
            unmark_common(root);
            bo.part = VNSI_PART_ALL;
            *counted = 0;
            return build_and_run(r, root, &bo, NULL, limit, check, so, budget);
        }
        ranked *d = calloc(n, sizeof *d);
        vxs_query *ids = NULL;
        st = d ? ids_query(&ids, r, top) : fail(s, VNS_ENOMEM, "out of memory");
        for (size_t i = 0; st == VNS_OK && i < n; i++)
            d[i] = (ranked){vxs_mset_docid(r->mset, i), vxs_mset_weight(r->mset, i), i};
        if (st == VNS_OK) st = add_costly(r, root, &bo, ids, d, top, so, budget);
        vxs_query_free(ids);
        vxs_mset_free(r->mset);
        r->mset = NULL;
        vnsi_results_free_blobs(r);
        if (st == VNS_OK) {
            qsort(d, top, sizeof *d, by_score); /* The rest stay in the first pass's order. */
            size_t from = offset < n ? offset : n, k = n - from < limit ? n - from : limit;
            r->order = calloc(k ? k : 1, sizeof *r->order);
            r->order_score = calloc(k ? k : 1, sizeof *r->order_score);
            if (r->order == NULL || r->order_score == NULL)
                st = fail(s, VNS_ENOMEM, "out of memory");
            for (size_t i = 0; st == VNS_OK && i < k; i++) {
                r->order[i] = d[from + i].docid;
                r->order_score[i] = d[from + i].score;
            }
            r->norder = k;
            uint32_t failed_doc = 0;
            if (st == VNS_OK && (st = vnsi_results_prefetch(r, &failed_doc)) != VNS_OK)
                fail(s, st, "%s", vxs_db_errmsg(s->db));
        }
        free(d);
        /* A writer discarded the revision being read: reopen and run both passes again. */
        if (st != VNS_EMODIFIED || attempt == MODIFIED_RETRIES) break;
        vnsi_results_clear_answer(r);
        vns_status rst = reopen_modified(s);
        if (rst != VNS_OK) return rst;
    }
    return st;
}

/* Counts the facets which (VNS_FACET_BIT set, at most limit values each) over every document
 * root matches under mode (as answered: its words measured and marked), into r->facets: the
 * query weighted 0, with nothing ranked, and Xapian counting the values of every match. Run
 * again after a writer discarded the revision being read. Returns VNS_OK or a status with the
 * searcher's message set. */
static vns_status count_facets(vns_results *r, const vnsi_qnode *root, vns_match mode, int exact,
                               unsigned which, unsigned limit, const vxs_search_opts *so,
                               unsigned budget) {
    vns_searcher *s = r->s;
    vnsi_build_opts bo = {
        .exact = exact, .common_forms = s->common_forms, .match = mode, .part = VNSI_PART_ALL};
    vnsi_hl_spec scratch;
    vxs_query *q = NULL, *zero = NULL;
    vns_status st =
        vnsi_query_build_tree(&q, &scratch, root, &bo, &s->weights, s->err, sizeof s->err);
    vnsi_hl_spec_clear(&scratch);
    char msg[VXS_ERRLEN];
    if (st == VNS_OK && (st = vxs_query_unweighted(&zero, s->db, q, msg)) != VNS_OK)
        fail(s, st, "building the query: %s", msg);
    vxs_query_free(q);
    for (int attempt = 0; st == VNS_OK; attempt++) {
        vnsi_facets_free(r->facets);
        if ((st = vnsi_facets_new(&r->facets, which, limit, s->an)) != VNS_OK) {
            fail(s, st, "out of memory");
            break;
        }
        unsigned slots[VNS_FACET_COUNT];
        vxs_search_opts fo = *so;
        fo.sort_order = 0;
        fo.count_slots = slots;
        fo.ncount_slots = vnsi_facets_slots(r->facets, slots);
        fo.count_fn = vnsi_facets_add;
        fo.count_ctx = r->facets;
        vxs_mset *m = NULL;
        st = vxs_db_search(s->db, zero, 0, 0, SIZE_MAX, &fo, &m);
        vxs_mset_free(m);
        if (st == VNS_OK && (st = vnsi_facets_finish(r->facets)) != VNS_OK)
            fail(s, st, "out of memory counting facets");
        else if (st != VNS_OK)
            search_failed(s, st, budget);
        if (st != VNS_EMODIFIED || attempt == MODIFIED_RETRIES) break;
        if ((st = reopen_modified(s)) != VNS_OK) break;
    }
    vxs_query_free(zero);
    return st;
}

/* Parses the query into *root (the caller's), reads it as meant (Telex and VNI unless as_typed,
 * abbreviations: rewrite.h), and looks up what the search needs first: the documents (*docs)
 * and each word's count. A writer that discards the revision being read makes it start again
 * after a reopen (MODIFIED_RETRIES times at most). Returns VNS_OK or the failure (message on
 * the searcher); *root is NULL on failure. */
static vns_status prepare(vns_results *r, vnsi_qnode **root, uint64_t *docs, const char *query,
                          int literal, int as_typed) {
    vns_searcher *s = r->s;
    vns_status st = VNS_OK;
    for (unsigned attempt = 0;; attempt++) {
        st = vnsi_query_parse(root, s->an, query, literal, s->err, sizeof s->err);
        if (st == VNS_OK && !as_typed)
            st = vnsi_rewrite_typing(*root, query, s->an, s->db, &r->searched_for, s->err,
                                     sizeof s->err);
        if (st == VNS_OK)
            st = vnsi_rewrite_alternatives(*root, query, s->db, s->err, sizeof s->err);
        if (st == VNS_OK && (st = vxs_db_doc_count(s->db, docs)) != VNS_OK)
            fail(s, st, "%s", vxs_db_errmsg(s->db));
        if (st == VNS_OK) st = measure_words(s, *root);
        if (st == VNS_OK) return VNS_OK;
        vnsi_qnode_free(*root);
        *root = NULL;
        free(r->searched_for);
        r->searched_for = NULL;
        if (st != VNS_EMODIFIED || attempt == MODIFIED_RETRIES) return st;
        /* Nothing is built yet: the next attempt reads whatever layout the index has now. */
        vns_status rst = reopen_db(s, REOPEN_CONTEXT);
        if (rst != VNS_OK) return rst;
    }
}

/* What vns_searcher_query read from its options (the fields of the caller's version). */
typedef struct query_args {
    size_t limit;
    int html;
    unsigned budget;
    vns_match match;
    int literal, as_typed;
    vns_sort sort;
    unsigned facets, facet_limit;
} query_args;

/* Answers query on s into *out (vns_searcher_query's contract) under opts, as read into *a.
 * Returns VNS_OK or a status with the searcher's message set (VNS_EMODIFIED with
 * s->layout_changed: the index took the other layout of the exact forms meanwhile). */
static vns_status answer(vns_results **out, vns_searcher *s, const char *query,
                         const vns_query_options *opts, const query_args *a) {
    vns_results *r = calloc(1, sizeof *r);
    if (r == NULL) return fail(s, VNS_ENOMEM, "out of memory");
    r->s = s;
    s->live_results++;
    r->offset = opts->offset;
    r->snippet_words = opts->snippet_words ? opts->snippet_words : DEFAULT_SNIPPET_WORDS;
    r->html = a->html;
    r->hl_start = strdup(opts->hl_start ? opts->hl_start : a->html ? "<mark>" : "[");
    r->hl_end = strdup(opts->hl_end ? opts->hl_end : a->html ? "</mark>" : "]");
    vnsi_qnode *root = NULL;
    vns_status st = VNS_ENOMEM;
    uint64_t docs = 0; /* The documents searched; each word's df is looked up once. */
    if (r->hl_start && r->hl_end)
        st = prepare(r, &root, &docs, query, a->literal, a->as_typed);
    else
        fail(s, st, "out of memory");
    vxs_search_opts so = {.k1 = s->weights.bm25_k1,
                          .b = s->weights.bm25_b,
                          .tie_slot = VNS_SLOT_ID,
                          .time_limit =
                              a->budget == VNS_QUERY_NO_TIME_LIMIT ? 0 : a->budget / 1000.0};
    /* Both date orders sort their key descending, so that undated articles come last. */
    so.sort_order = a->sort == VNS_SORT_RELEVANCE ? 0 : -1;
    so.sort_slot = a->sort == VNS_SORT_NEWEST ? VNS_SLOT_NEWEST : VNS_SLOT_OLDEST;
    size_t check = opts->exact_count ? SIZE_MAX : 0;
    /* auto: a question or a long query is answered as any; a short one as all, unless that
     * answer is thin (fewer than min_matches documents): then as any, unless any finds
     * no other document (then all's answer stands, ranked as all ranks it). */
    size_t bare = root ? vnsi_query_bare_words(root) : 0;
    size_t max_words = (size_t)s->weights.auto_max_words,
           min_matches = (size_t)s->weights.auto_min_matches;
    vns_match mode = a->match;
    if (a->match == VNS_MATCH_AUTO)
        mode = bare > 0 && (bare > max_words || strchr(query, '?')) ? VNS_MATCH_ANY : VNS_MATCH_ALL;
    int widened = 0, counted = 0, total_exact = 0;
    uint64_t total = 0;  /* The count when search_any made it (counted). */
    uint64_t narrow = 0; /* The thin all-words answer's exact count. */
    uint64_t found = 0;  /* The last answer's count (at least). */
    while (st == VNS_OK) {
        /* One bare word: any would add only documents holding none of the bare words. */
        int may_widen = a->match == VNS_MATCH_AUTO && mode == VNS_MATCH_ALL && bare > 1 && !widened;
        /* Counting min_matches exactly tells a thin answer from an estimate. */
        size_t c = (may_widen || widened) && check < min_matches ? min_matches : check;
        counted = 0;
        if (mode == VNS_MATCH_ANY) {
            st = search_any(r, root, docs, opts->exact, a->limit, c, &so, a->budget, &total,
                            &total_exact, &counted);
        } else {
            vnsi_build_opts bo = {.exact = opts->exact,
                                  .common_forms = s->common_forms,
                                  .match = VNS_MATCH_ALL,
                                  .docs = docs};
            st = build_and_run(r, root, &bo, NULL, a->limit, c, &so, a->budget);
        }
        if (st != VNS_OK) break;
        uint64_t lo = counted ? total : vxs_mset_lower_bound(r->mset);
        found = lo;
        if (may_widen && lo < min_matches) {
            narrow = lo;
            widened = 1;
            mode = VNS_MATCH_ANY;
        } else if (widened && mode == VNS_MATCH_ANY && lo == narrow) {
            mode = VNS_MATCH_ALL; /* any found the same documents: answer as all. */
        } else {
            break;
        }
        vnsi_results_clear_answer(r);
    }
    /* Nothing or little found: a much more common spelling may be what was meant. */
    /* A suggestion is a hint: a writer discarding the revision just read leaves it out. */
    /* found is a lower bound unless counted: the estimate says whether the answer is thin. */
    if (st == VNS_OK && !widened && !counted && r->mset) {
        int exact = 0;
        mset_total(r->mset, &found, &exact);
    }
    if (st == VNS_OK && (widened || (mode == VNS_MATCH_ALL && found < min_matches)) &&
        (st = vnsi_did_you_mean(r, root, query, widened ? narrow : found, docs)) == VNS_EMODIFIED)
        st = VNS_OK;
    if (st == VNS_OK && a->facets)
        st = count_facets(r, root, mode, opts->exact, a->facets, a->facet_limit, &so, a->budget);
    vnsi_qnode_free(root);
    if (st != VNS_OK) {
        vns_results_free(r);
        return st;
    }
    r->match = mode;
    if ((st = vnsi_results_weigh_words(r, docs)) != VNS_OK) {
        vns_results_free(r);
        return st;
    }
    if (vnsi_results_collect_words(r) != VNS_OK) {
        vns_results_free(r);
        return fail(s, VNS_ENOMEM, "out of memory");
    }
    if (counted) {
        r->total_exact = total_exact;
        r->total = total;
    } else {
        mset_total(r->mset, &r->total, &r->total_exact);
    }
    *out = r;
    return VNS_OK;
}

vns_status vns_searcher_query(vns_results **out, vns_searcher *s, const char *query,
                              const vns_query_options *opts) {
    if (out) *out = NULL;
    if (s == NULL || out == NULL) return VNS_EINVAL;
    if (s->closed) return VNS_EINVAL;
    if (query == NULL) return fail(s, VNS_EINVAL, "no query given");
    vns_query_options def = VNS_QUERY_OPTIONS_INIT;
    if (opts == NULL) opts = &def;
    if (opts->version == 0 || opts->version > VNS_QUERY_OPTIONS_VERSION)
        return fail(s, VNS_EINVAL,
                    "vns_query_options version %u is not one this library knows (1 to %d): start "
                    "from VNS_QUERY_OPTIONS_INIT",
                    opts->version, VNS_QUERY_OPTIONS_VERSION);
    /* Version 2's fields, when the caller's struct has them; then version 3's, 4's and 5's. */
    query_args a = {
        .limit = opts->limit ? opts->limit : DEFAULT_LIMIT,
        .html = opts->version >= 2 && opts->html,
        .budget = opts->version >= 2 && opts->time_limit_ms ? opts->time_limit_ms
                                                            : VNS_QUERY_TIME_LIMIT_MS,
        .match = opts->version >= 3 ? opts->match : VNS_MATCH_AUTO,
        .literal = opts->version >= 3 && opts->literal,
        .as_typed = opts->version >= 4 && opts->as_typed,
        .sort = opts->version >= 5 ? opts->sort : VNS_SORT_RELEVANCE,
        .facets = opts->version >= 5 ? opts->facets : 0,
        .facet_limit = opts->version >= 5 ? opts->facet_limit : 0,
    };
    if (a.sort != VNS_SORT_RELEVANCE && a.sort != VNS_SORT_NEWEST && a.sort != VNS_SORT_OLDEST)
        return fail(s, VNS_EINVAL,
                    "vns_query_options sort %d is not an order: VNS_SORT_RELEVANCE, "
                    "VNS_SORT_NEWEST or VNS_SORT_OLDEST",
                    (int)a.sort);
    if (a.facets >= VNS_FACET_BIT(VNS_FACET_COUNT))
        return fail(s, VNS_EINVAL,
                    "vns_query_options facets 0x%x has bits that are no facet (VNS_FACET_BIT of "
                    "VNS_FACET_SOURCE to VNS_FACET_MONTH)",
                    a.facets);
    if (a.match != VNS_MATCH_AUTO && a.match != VNS_MATCH_ALL && a.match != VNS_MATCH_ANY)
        return fail(s, VNS_EINVAL,
                    "vns_query_options match %d is not a mode: VNS_MATCH_AUTO, VNS_MATCH_ALL or "
                    "VNS_MATCH_ANY",
                    (int)a.match);
    /* Answered again, once, when the index took the other layout of its exact forms while the
     * query was answered (a query built for one layout misses the other's documents); and at
     * most MODIFIED_RETRIES times when a later step of the answer (a second pass, the facets, a
     * suggestion's count) reopened the searcher after its results were read: those results
     * would read the new revision as theirs (vns_results_matched_words says VNS_EMODIFIED). */
    for (int again = 0, stale = 0;;) {
        s->layout_changed = 0;
        vns_status st = answer(out, s, query, opts, &a);
        if (st == VNS_OK && *out && vxs_db_reopens(s->db) != (*out)->reopens &&
            stale++ < MODIFIED_RETRIES) {
            vns_results_free(*out);
            *out = NULL;
            continue;
        }
        if (st != VNS_EMODIFIED || !s->layout_changed || again++ == 1) return st;
    }
}
