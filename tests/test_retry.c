/* test_retry.c: what vns_searcher_query does when a writer discards the revision it reads
 * (VNS_EMODIFIED): it reopens and runs the query again, up to its limit, and when the reopen
 * itself fails, that failure is what it returns, with its own message. The shim's search and
 * reopen are wrapped (-Wl,--wrap) so that each case happens on demand. */
#define _XOPEN_SOURCE 700 /* nftw, in testutil.h */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"
#include "vnsearch.h"
#include "xapian_shim.h"

/* How many searches still fail as modified, and what the next reopen returns. */
static int modified_left, searches, reopens;
static vns_status reopen_status;
/* A writer to run at the first search sorted by date (which then fails as modified): the
 * revision the searcher reads is discarded while a date order is answered. */
static void (*at_sorted_search)(void);

vns_status __real_vxs_db_search(vxs_db *db, const vxs_query *q, size_t offset, size_t limit,
                                size_t check_at_least, const vxs_search_opts *opts, vxs_mset **out);
vns_status __real_vxs_db_reopen(vxs_db *db);

vns_status __wrap_vxs_db_search(vxs_db *db, const vxs_query *q, size_t offset, size_t limit,
                                size_t check_at_least, const vxs_search_opts *opts,
                                vxs_mset **out) {
    searches++;
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
    vns_doc d = VNS_DOC_INIT;
    d.id = "a";
    d.body = "Hội nghị về chuyển đổi số.";
    d.body_len = strlen(d.body);
    assert_int_equal(vns_index_put(NULL, ix, &d), VNS_OK);
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
        vns_doc d = VNS_DOC_INIT;
        d.id = id;
        d.body = "alpha beta";
        d.body_len = strlen(d.body);
        d.meta.date = "2025-06-01";
        assert_int_equal(vns_index_put(NULL, ix, &d), VNS_OK);
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
        vns_doc d = VNS_DOC_INIT;
        d.id = id;
        d.body = "alpha gamma";
        d.body_len = strlen(d.body);
        d.meta.date = date;
        assert_int_equal(vns_index_put(NULL, ix, &d), VNS_OK);
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

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(retry__table),
        cmocka_unit_test(retry__sorted_after_reopen),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
