/* test_faults.c: out of memory at every allocation of the library's own code in turn: each call
 * either succeeds or fails with an error status and a message saying why (errbuf for the open
 * functions, vns_*_errmsg otherwise), and nothing crashes or leaks. Linked with
 * -Wl,--wrap=malloc,... so that the library's calls (not libc's or ICU's) go through fail_now. */
#define _XOPEN_SOURCE 700 /* nftw, in testutil.h */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"
#include "vnsearch.h"

/* The allocation to fail (1-based, counted from arming), 0 for none; how many were seen. */
static long fail_at, seen, failed;

static int fail_now(void) {
    if (fail_at == 0) return 0;
    if (++seen != fail_at) return 0;
    failed++;
    return 1;
}

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t m);
void *__real_realloc(void *p, size_t n);
void *__real_reallocarray(void *p, size_t n, size_t m);
void *__wrap_malloc(size_t n) {
    return fail_now() ? NULL : __real_malloc(n);
}
void *__wrap_calloc(size_t n, size_t m) {
    return fail_now() ? NULL : __real_calloc(n, m);
}
void *__wrap_realloc(void *p, size_t n) {
    return fail_now() ? NULL : __real_realloc(p, n);
}
void *__wrap_reallocarray(void *p, size_t n, size_t m) {
    return fail_now() ? NULL : __real_reallocarray(p, n, m);
}

static char path[600];

/* A failed call must say why. */
static void check_failure(const char *call, vns_status st, const char *msg) {
    if (st >= 0) return;
    if (msg == NULL || msg[0] == '\0')
        fail_msg("allocation %ld: %s failed (%s) with an empty message", fail_at, call,
                 vns_status_str(st));
}

/* One round of the whole API with allocation fail_at failing. */
static void round_trip(void) {
    char err[512] = "";
    vns_index *ix = NULL;
    vns_status st = vns_index_open(&ix, path, NULL, err, sizeof err);
    check_failure("vns_index_open", st, err);
    if (st != VNS_OK) return;
    vns_doc d = VNS_DOC_INIT;
    d.id = "a";
    d.title = "Chuyển đổi số";
    d.title_len = strlen(d.title);
    d.body = "Hội nghị về chuyển đổi số tại Lạng Sơn, với nền tảng Lạng Sơn Cloud.";
    d.body_len = strlen(d.body);
    st = vns_index_put(NULL, ix, &d);
    check_failure("vns_index_put", st, vns_index_errmsg(ix));
    if (st != VNS_OK) {
        vns_index_abandon(ix);
        return;
    }
    st = vns_index_close(ix);
    if (st != VNS_OK) fail_msg("vns_index_close: %s", vns_status_str(st));

    const char *paths[] = {path};
    vns_searcher *s = NULL;
    err[0] = '\0';
    st = vns_searcher_open(&s, paths, 1, err, sizeof err);
    check_failure("vns_searcher_open", st, err);
    if (st != VNS_OK) return;
    vns_results *r = NULL;
    st = vns_searcher_query(&r, s, "\"lang son\" chuyen doi so OR cloud* -xyz", NULL);
    check_failure("vns_searcher_query", st, vns_searcher_errmsg(s));
    while (st == VNS_OK && (st = vns_results_next(r)) == VNS_OK) {
        if (vns_results_snippet_marked(r) == NULL)
            check_failure("vns_results_snippet_marked", VNS_ENOMEM, vns_searcher_errmsg(s));
    }
    if (st < 0 && r) check_failure("vns_results_next", st, vns_results_errmsg(r));
    vns_results_free(r);
    vns_searcher_close(s);
}

static void faults__every_allocation_fails_once(void **state) {
    (void)state;
    const char *dir = scratch_dir("faults");
    long rounds = 0;
    for (fail_at = 1;; fail_at++) {
        snprintf(path, sizeof path, "%s/idx%ld", dir, fail_at);
        seen = failed = 0;
        round_trip();
        rounds++;
        if (failed == 0) break; /* Every allocation of a whole round has failed once. */
    }
    fail_at = 0;
    /* The round allocates: if the wrapping stopped working, this would pass vacuously. */
    assert_true(rounds > 20);
    print_message("%ld allocations failed in turn\n", rounds - 1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(faults__every_allocation_fails_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
