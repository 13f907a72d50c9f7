/* test_retry.c: what vns_searcher_query does when a writer discards the revision it reads
 * (VNS_EMODIFIED): it reopens and runs the query again, up to its limit, and when the reopen
 * itself fails, that failure is what it returns, with its own message. The shim's search and
 * reopen are wrapped (-Wl,--wrap) so that each case happens on demand. */
#define _XOPEN_SOURCE 700 /* nftw, in testutil.h */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ranking.h"
#include "schema.h"
#include "searcher_sys.h"
#include "testutil.h"
#include "vnsearch.h"
#include "xapian_shim.h"

/* How many searches still fail as modified, and what the next reopen returns. */
static int modified_left, searches, reopens;
static vns_status reopen_status;
/* A writer to run at the first search sorted by date (which then fails as modified): the
 * revision the searcher reads is discarded while a date order is answered. */
static void (*at_sorted_search)(void);
/* A writer to run at search number at_search_n (counting from 1), or with at_search_n 0 at the
 * first search that counts facets, which then fails as modified; with at_search_n -1, at the
 * first count of the documents (as a query is prepared, before it is built). */
static void (*at_search)(void);
static int at_search_n;

vns_status __real_vxs_db_search(vxs_db *db, const vxs_query *q, size_t offset, size_t limit,
                                size_t check_at_least, const vxs_search_opts *opts, vxs_mset **out);
vns_status __real_vxs_db_reopen(vxs_db *db);
vns_status __real_vxs_db_doc_count(vxs_db *db, uint64_t *out);

vns_status __wrap_vxs_db_doc_count(vxs_db *db, uint64_t *out) {
    if (at_search && at_search_n == -1) {
        void (*writer)(void) = at_search;
        at_search = NULL;
        writer();
        *out = 0;
        return VNS_EMODIFIED;
    }
    return __real_vxs_db_doc_count(db, out);
}

vns_status __wrap_vxs_db_search(vxs_db *db, const vxs_query *q, size_t offset, size_t limit,
                                size_t check_at_least, const vxs_search_opts *opts,
                                vxs_mset **out) {
    searches++;
    if (at_search && (at_search_n > 0    ? searches == at_search_n
                      : at_search_n == 0 ? opts && opts->ncount_slots > 0
                                         : 0)) {
        void (*writer)(void) = at_search;
        at_search = NULL;
        writer();
        *out = NULL;
        return VNS_EMODIFIED;
    }
    if (at_sorted_search && opts && opts->sort_order != 0) {
        void (*writer)(void) = at_sorted_search;
        at_sorted_search = NULL;
        writer();
        *out = NULL;
        return VNS_EMODIFIED;
    }
    if (modified_left > 0) {
        modified_left--;
        *out = NULL;
        return VNS_EMODIFIED;
    }
    return __real_vxs_db_search(db, q, offset, limit, check_at_least, opts, out);
}

vns_status __wrap_vxs_db_reopen(vxs_db *db) {
    reopens++;
    return reopen_status != VNS_OK ? reopen_status : __real_vxs_db_reopen(db);
}

/* Puts an article (id, body; date and source NULL for none) into ix. */
static void put_article(vns_index *ix, const char *id, const char *body, const char *date,
                        const char *source) {
    vns_doc d = VNS_DOC_INIT;
    d.id = id;
    d.body = body;
    d.body_len = strlen(body);
    d.meta.date = date;
    d.meta.source = source;
    assert_int_equal(vns_index_put(NULL, ix, &d), VNS_OK);
}

typedef struct retry_row {
    const char *name;
    int modified;      /* Searches that fail as modified before one succeeds. */
    vns_status reopen; /* What every reopen returns (VNS_OK: the real reopen). */
    vns_status want;   /* What the query returns. */
    int want_searches; /* How many searches it made. */
    const char *msg;   /* A part of the searcher's message, or NULL when it succeeds. */
} retry_row;

static const retry_row retries[] = {
    {"no writer", 0, VNS_OK, VNS_OK, 1, NULL},
    {"modified once, then read", 1, VNS_OK, VNS_OK, 2, NULL},
    {"modified five times, then read", 5, VNS_OK, VNS_OK, 6, NULL},
    {"modified six times in a row", 6, VNS_OK, VNS_EMODIFIED, 6, "modified"},
    {"the reopen fails with an I/O error", 1, VNS_EIO, VNS_EIO, 1, "reopening"},
    {"the reopen finds the index corrupt", 2, VNS_ECORRUPT, VNS_ECORRUPT, 1, "reopening"},
};

static void retry__table(void **state) {
    (void)state;
    char path[600], err[256];
    snprintf(path, sizeof path, "%s/idx", scratch_dir("retry"));
    vns_index *ix = NULL;
    assert_int_equal(vns_index_open(&ix, path, NULL, err, sizeof err), VNS_OK);
    put_article(ix, "a", "Hội nghị về chuyển đổi số.", NULL, NULL);
    assert_int_equal(vns_index_close(ix), VNS_OK);
    const char *paths[] = {path};
    for (size_t i = 0; i < sizeof retries / sizeof retries[0]; i++) {
        const retry_row *row = &retries[i];
        vns_searcher *s = NULL;
        assert_int_equal(vns_searcher_open(&s, paths, 1, err, sizeof err), VNS_OK);
        modified_left = row->modified;
        reopen_status = row->reopen;
        searches = reopens = 0;
        vns_results *r = NULL;
        vns_query_options o = VNS_QUERY_OPTIONS_INIT;
        o.match = VNS_MATCH_ALL; /* One search per attempt (auto may run a second). */
        vns_status st = vns_searcher_query(&r, s, "chuyen doi so", &o);
        if (st != row->want || searches != row->want_searches)
            fail_msg("%s: status %d after %d searches, want %d after %d", row->name, st, searches,
                     row->want, row->want_searches);
        if (row->msg && strstr(vns_searcher_errmsg(s), row->msg) == NULL)
            fail_msg("%s: message '%s' lacks '%s'", row->name, vns_searcher_errmsg(s), row->msg);
        if (st == VNS_OK) {
            assert_int_equal(vns_results_next(r), VNS_OK);
            assert_string_equal(vns_results_id(r), "a");
        } else {
            assert_null(r);
        }
        vns_results_free(r);
        vns_searcher_close(s);
    }
}

static char sorted_path[600];

/* Adds five articles dated 2025 to the index at sorted_path (newer than all the others). */
static void add_newer(void) {
    char err[256];
    vns_index *ix = NULL;
    assert_int_equal(vns_index_open(&ix, sorted_path, NULL, err, sizeof err), VNS_OK);
    for (int i = 0; i < 5; i++) {
        char id[16];
        snprintf(id, sizeof id, "new%d", i);
        put_article(ix, id, "alpha beta", "2025-06-01", NULL);
    }
    assert_int_equal(vns_index_close(ix), VNS_OK);
}

/* A writer commits newer articles while --sort newest is answered from the latest months
 * (run_sorted's windows): after the reopen the windows are built again from the new revision's
 * months, so the newer articles come first (a window of the old months, run again, would miss
 * them). */
static void retry__sorted_after_reopen(void **state) {
    (void)state;
    char err[256];
    snprintf(sorted_path, sizeof sorted_path, "%s/idx", scratch_dir("retry_sorted"));
    vns_index *ix = NULL;
    assert_int_equal(vns_index_open(&ix, sorted_path, NULL, err, sizeof err), VNS_OK);
    for (int i = 0; i < 400; i++) {
        char id[16], date[16];
        snprintf(id, sizeof id, "old%03d", i);
        snprintf(date, sizeof date, "%d-%02d-15", 2020 + i % 4, 1 + i % 12);
        put_article(ix, id, "alpha gamma", date, NULL);
    }
    assert_int_equal(vns_index_close(ix), VNS_OK);
    const char *paths[] = {sorted_path};
    vns_searcher *s = NULL;
    assert_int_equal(vns_searcher_open(&s, paths, 1, err, sizeof err), VNS_OK);
    at_sorted_search = add_newer;
    searches = reopens = modified_left = 0;
    reopen_status = VNS_OK;
    vns_query_options o = VNS_QUERY_OPTIONS_INIT;
    o.match = VNS_MATCH_ALL;
    o.sort = VNS_SORT_NEWEST;
    o.limit = 3;
    vns_results *r = NULL;
    vns_status st = vns_searcher_query(&r, s, "alpha", &o);
    if (st != VNS_OK) fail_msg("status %d: %s", st, vns_searcher_errmsg(s));
    assert_null(at_sorted_search); /* The writer ran. */
    assert_true(reopens >= 1);
    assert_int_equal(vns_results_next(r), VNS_OK);
    assert_string_equal(vns_results_meta(r)->date, "2025-06-01");
    vns_results_free(r);
    vns_searcher_close(s);
}

static char layout_path[600];

/* The two articles of the layout test: số is a common exact form (exact_common.h), held by "so"
 * alone; "sơ" holds its folded word so only in other forms. */
static void put_layout_docs(vns_index *ix) {
    static const struct {
        const char *id, *body, *date;
    } docs[] = {
        {"so", "Chuyển đổi số quốc gia.", "2024-01-10"},
        {"sơ", "Sở Y tế có một bản sơ đồ.", "2024-02-10"},
    };
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++)
        put_article(ix, docs[i].id, docs[i].body, docs[i].date, "Báo A");
}

/* The schema layout_path records (static buffer). */
static const char *layout_schema(void) {
    static char out[16];
    const char *p = layout_path;
    vxs_db *db = NULL;
    char err[VXS_ERRLEN], *v = NULL;
    assert_int_equal(vxs_db_open_read(&db, &p, 1, err), VNS_OK);
    assert_int_equal(vxs_db_get_metadata(db, VNS_META_SCHEMA, &v), VNS_OK);
    snprintf(out, sizeof out, "%s", v ? v : "");
    free(v);
    vxs_db_close(db);
    return out;
}

/* Empties the index at layout_path and writes the same articles again: an emptied index takes
 * the newest layout, where "so" holds số without an E term. */
static void rewrite_in_newest_layout(void) {
    char err[256];
    vns_index *ix = NULL;
    assert_int_equal(vns_index_open(&ix, layout_path, NULL, err, sizeof err), VNS_OK);
    static const char *const ids[] = {"x", "so", "sơ"};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
        assert_int_equal(vns_index_delete(ix, ids[i]), VNS_OK);
    assert_int_equal(vns_index_close(ix), VNS_OK);
    assert_int_equal(vns_index_open(&ix, layout_path, NULL, err, sizeof err), VNS_OK);
    put_layout_docs(ix);
    assert_int_equal(vns_index_close(ix), VNS_OK);
}

typedef struct layout_row {
    const char *name;
    const char *query, *want; /* With --exact: the ids it must give, in rank order. */
    int two_passes;           /* Every word common: VNS_MATCH_ANY ranks in two passes. */
    vns_match match;
    vns_sort sort;
    unsigned facets;
    int at; /* The search at which the writer rewrites the index (at_search_n). */
} layout_row;

static const layout_row layouts[] = {
    {"all words", "số", "so", 0, VNS_MATCH_ALL, VNS_SORT_RELEVANCE, 0, 1},
    {"any word", "số", "so", 0, VNS_MATCH_ANY, VNS_SORT_RELEVANCE, 0, 1},
    /* Search 1 estimates the whole query (a failure there is left to it); 2 runs it whole
     * (two articles in two months: a month's window is too wide). */
    {"newest first", "số", "so", 0, VNS_MATCH_ALL, VNS_SORT_NEWEST, 0, 2},
    {"at the facets' count", "số", "so", 0, VNS_MATCH_ALL, VNS_SORT_RELEVANCE,
     VNS_FACET_BIT(VNS_FACET_SOURCE), 0},
    {"as the query is prepared", "số", "so", 0, VNS_MATCH_ALL, VNS_SORT_RELEVANCE, 0, -1},
    /* Search 1 is the first pass, 2 the second (the costly words, over the first's top). */
    {"any word, in the second pass", "số sơ", "so sơ", 1, VNS_MATCH_ANY, VNS_SORT_RELEVANCE, 0, 2},
};

/* An index of schema 3 (every exact form an E term) emptied and written again while a query is
 * answered takes schema 4 (a common form held alone has no E term): the searcher, reopening by
 * itself, answers for the layout it now reads, wherever in the query the writer struck; asked
 * for the old layout, --exact số would find nothing. */
static void retry__layout_changes_under_the_reader(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof layouts / sizeof layouts[0]; i++) {
        const layout_row *row = &layouts[i];
        char name[64], err[VXS_ERRLEN];
        snprintf(name, sizeof name, "retry_layout%zu", i);
        snprintf(layout_path, sizeof layout_path, "%s/idx", scratch_dir(name));
        /* An index holding a document, then recorded as schema 3: it keeps writing every
         * exact form as an E term. */
        vns_index *ix = NULL;
        assert_int_equal(vns_index_open(&ix, layout_path, NULL, err, sizeof err), VNS_OK);
        put_article(ix, "x", "Xin chào.", NULL, NULL);
        assert_int_equal(vns_index_close(ix), VNS_OK);
        vxs_db *db = NULL;
        assert_int_equal(vxs_db_open_write(&db, layout_path, 0, err), VNS_OK);
        assert_int_equal(vxs_db_set_metadata(db, VNS_META_SCHEMA, "3"), VNS_OK);
        assert_int_equal(vxs_db_close(db), VNS_OK);
        assert_int_equal(vns_index_open(&ix, layout_path, NULL, err, sizeof err), VNS_OK);
        put_layout_docs(ix);
        assert_int_equal(vns_index_close(ix), VNS_OK);
        assert_string_equal(layout_schema(), "3");

        const char *paths[] = {layout_path};
        vns_searcher *s = NULL;
        assert_int_equal(vns_searcher_open(&s, paths, 1, err, sizeof err), VNS_OK);
        if (row->two_passes) {
            vnsi_ranking_weights w = vnsi_ranking_defaults;
            w.any_common = 0;
            w.any_common_min_docs = 0;
            assert_int_equal(vnsi_searcher_set_weights(s, &w), VNS_OK);
        }
        at_search = rewrite_in_newest_layout;
        at_search_n = row->at;
        searches = reopens = modified_left = 0;
        reopen_status = VNS_OK;
        vns_query_options o = VNS_QUERY_OPTIONS_INIT;
        o.match = row->match;
        o.sort = row->sort;
        o.facets = row->facets;
        o.exact = 1;
        vns_results *r = NULL;
        vns_status st = vns_searcher_query(&r, s, row->query, &o);
        if (st != VNS_OK) fail_msg("%s: status %d: %s", row->name, st, vns_searcher_errmsg(s));
        if (at_search != NULL) fail_msg("%s: the writer did not run", row->name);
        assert_string_equal(layout_schema(), "4");
        char ids[256] = "";
        while ((st = vns_results_next(r)) == VNS_OK) {
            if (ids[0]) strcat(ids, " ");
            strcat(ids, vns_results_id(r));
            /* The results are those of the revision read last: also when the writer struck
             * after they were read (the facets' count, the second pass), they were answered
             * again, and what they read now is theirs. */
            size_t words = 0;
            vns_status mst = vns_results_matched_words(&words, r);
            if (mst != VNS_OK || words == 0)
                fail_msg("%s: matched_words of %s: status %d, %zu words: %s", row->name,
                         vns_results_id(r), mst, words, vns_searcher_errmsg(s));
        }
        assert_int_equal(st, VNS_DONE);
        if (strcmp(ids, row->want) != 0)
            fail_msg("%s: --exact %s gave [%s], want [%s]", row->name, row->query, ids, row->want);
        if (row->facets) {
            const char *value = NULL;
            uint64_t count = 0;
            assert_int_equal(vns_results_facet(&value, &count, r, VNS_FACET_SOURCE, 0), VNS_OK);
            if (strcmp(value, "Báo A") != 0 || count != 1)
                fail_msg("%s: source facet %s %llu, want Báo A 1", row->name, value,
                         (unsigned long long)count);
        }
        vns_results_free(r);
        vns_searcher_close(s);
    }
}

/* Rewrites the articles of layout_path with other words (no layout change): the revision a
 * searcher read is gone. */
static void rewrite_texts(void) {
    char err[256];
    vns_index *ix = NULL;
    assert_int_equal(vns_index_open(&ix, layout_path, NULL, err, sizeof err), VNS_OK);
    put_article(ix, "a", "Tin mới về kinh tế.", NULL, "Báo A");
    put_article(ix, "b", "Tin cũ về thể thao.", NULL, "Báo B");
    assert_int_equal(vns_index_close(ix), VNS_OK);
}

/* A writer striking after a query's results were read (at the facets' count, which it retries
 * after a reopen): the query is answered again, so that its results are those of the revision
 * the searcher reads, and reading them (matched_words) works; before, the results kept the old
 * revision's documents and said VNS_EMODIFIED when read. */
static void retry__results_read_after_a_later_step(void **state) {
    (void)state;
    char err[VXS_ERRLEN];
    snprintf(layout_path, sizeof layout_path, "%s/idx", scratch_dir("retry_later_step"));
    vns_index *ix = NULL;
    assert_int_equal(vns_index_open(&ix, layout_path, NULL, err, sizeof err), VNS_OK);
    put_article(ix, "a", "Tin về kinh tế.", NULL, "Báo A");
    put_article(ix, "b", "Tin về thể thao.", NULL, "Báo B");
    assert_int_equal(vns_index_close(ix), VNS_OK);
    const char *paths[] = {layout_path};
    vns_searcher *s = NULL;
    assert_int_equal(vns_searcher_open(&s, paths, 1, err, sizeof err), VNS_OK);
    at_search = rewrite_texts;
    at_search_n = 0;
    searches = reopens = modified_left = 0;
    reopen_status = VNS_OK;
    vns_query_options o = VNS_QUERY_OPTIONS_INIT;
    o.facets = VNS_FACET_BIT(VNS_FACET_SOURCE);
    vns_results *r = NULL;
    assert_int_equal(vns_searcher_query(&r, s, "tin", &o), VNS_OK);
    assert_null(at_search); /* The writer ran. */
    size_t n = 0;
    vns_status st;
    while ((st = vns_results_next(r)) == VNS_OK) {
        size_t words = 0;
        vns_status mst = vns_results_matched_words(&words, r);
        if (mst != VNS_OK || words != 1)
            fail_msg("matched_words of %s: status %d, %zu words: %s", vns_results_id(r), mst, words,
                     vns_searcher_errmsg(s));
        n++;
    }
    assert_int_equal(st, VNS_DONE);
    assert_int_equal(n, 2);
    vns_results_free(r);
    vns_searcher_close(s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(retry__table),
        cmocka_unit_test(retry__sorted_after_reopen),
        cmocka_unit_test(retry__layout_changes_under_the_reader),
        cmocka_unit_test(retry__results_read_after_a_later_step),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
