/* test_match.c: VNS_MATCH_ANY in two passes (common words: the cheap part finds and ranks, the
 * costly part adds its boosts to the first pass's documents) answers exactly as the whole query
 * in one pass: same documents, same order, same scores. */
#define _XOPEN_SOURCE 700 /* nftw, in testutil.h. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ranking.h"
#include "searcher_sys.h"
#include "testutil.h"
#include "vnsearch.h"

#define TOP 10

static char path[600];

/* Articles in which "là", "của", "người" and "nhà" are common (in most of them) and the rest
 * rarer; "nhà nước" stands together in some, apart in others. */
static const char *const bodies[] = {
    "Nhà nước là của dân. Người dân làm chủ nhà nước.",
    "Người nhà của anh là giáo viên ở nước ngoài.",
    "Giá vàng là của người mua; nhà đầu tư chờ đợi.",
    "Người là nhà thơ của quê hương, nước mắt rơi.",
    "Của cải là của người lao động trong nhà máy.",
    "Nhà nước ban hành luật về đất đai của người dân.",
    "Là người của nhà trường, cô giáo dạy văn.",
    "Người của nhà nước là công chức, là viên chức.",
};

/* One query of the table: its text and whether it is typed with diacritics. */
static const char *const queries[] = {
    "người của nhà nước là ai?",
    "nguoi cua nha nuoc la ai",
    "Nhà nước ban hành luật của người dân là gì?",
    "là của người nhà",
    "giáo viên là người của nhà trường?",
    "\"nhà nước\" là người của ai",
    "người của nhà nước -\"công chức\"",
    "người của nhà nước -công chức", /* "chức" alone finds only what is excluded. */
    /* Groups and title: are answered in one pass. */
    "(người của) (nhà nước) là ai",
    "title:người của nhà nước",
};

static void setup_index(void) {
    snprintf(path, sizeof path, "%s/idx", scratch_dir("match"));
    vns_index *ix = NULL;
    char err[256], id[16];
    assert_int_equal(vns_index_open(&ix, path, NULL, err, sizeof err), VNS_OK);
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        snprintf(id, sizeof id, "d%zu", i);
        vns_doc d = VNS_DOC_INIT;
        d.id = id;
        d.body = bodies[i];
        d.body_len = strlen(bodies[i]);
        if (i % 2 == 0) { /* Half have their text as a title too, for title:. */
            d.title = bodies[i];
            d.title_len = strlen(bodies[i]);
        }
        assert_int_equal(vns_index_put(NULL, ix, &d), VNS_OK);
    }
    assert_int_equal(vns_index_close(ix), VNS_OK);
}

/* One answer: ids and scores in rank order. */
typedef struct answer {
    char ids[TOP][16];
    double scores[TOP];
    size_t n;
    vns_match match;
} answer;

/* Runs q under VNS_MATCH_ANY with the words in more than common_share of the documents common
 * (1: none) and the first pass's first depth documents ranked again, results offset to
 * offset + limit, into *a. */
static void ask_page(answer *a, const char *q, double common_share, size_t depth, size_t offset,
                     size_t limit) {
    const char *paths[] = {path};
    char err[256];
    vns_searcher *s = NULL;
    assert_int_equal(vns_searcher_open(&s, paths, 1, err, sizeof err), VNS_OK);
    vnsi_ranking_weights w = vnsi_ranking_defaults;
    w.any_common = common_share;
    w.any_common_min_docs = 0; /* A small index: common by share alone. */
    w.any_depth = (double)depth;
    assert_int_equal(vnsi_searcher_set_weights(s, &w), VNS_OK);
    vns_query_options o = VNS_QUERY_OPTIONS_INIT;
    o.match = VNS_MATCH_ANY;
    o.offset = offset;
    o.limit = limit;
    vns_results *r = NULL;
    assert_int_equal(vns_searcher_query(&r, s, q, &o), VNS_OK);
    memset(a, 0, sizeof *a);
    a->match = vns_results_match(r);
    while (vns_results_next(r) == VNS_OK) {
        snprintf(a->ids[a->n], sizeof a->ids[a->n], "%s", vns_results_id(r));
        a->scores[a->n++] = vns_results_score(r);
    }
    vns_results_free(r);
    vns_searcher_close(s);
}

/* The first TOP results of q, as ask_page. */
static void ask(answer *a, const char *q, double common_share) {
    ask_page(a, q, common_share, 100, 0, TOP);
}

static void match__two_passes_answer_as_one(void **state) {
    (void)state;
    setup_index();
    for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
        answer one, two;
        ask(&one, queries[i], 1.0);
        ask(&two, queries[i], 0.5);
        assert_int_equal(two.match, VNS_MATCH_ANY);
        /* The common words only rank: a document holding nothing but them is not found in two
         * passes; every document found is ranked as one pass ranks it. */
        if (two.n == 0) fail_msg("%s: nothing found in two passes", queries[i]);
        size_t k = 0;
        for (size_t j = 0; j < one.n && k < two.n; j++) {
            if (strcmp(one.ids[j], two.ids[k]) != 0) continue; /* Found by common words only. */
            if (fabs(one.scores[j] - two.scores[k]) > 1e-9 * fabs(one.scores[j]))
                fail_msg("%s: %s scores %.12g in two passes, %.12g in one", queries[i], two.ids[k],
                         two.scores[k], one.scores[j]);
            k++;
        }
        if (k != two.n)
            fail_msg("%s: the two passes' order differs from one pass's at rank %zu (%s)",
                     queries[i], k + 1, two.ids[k]);
    }
}

/* Pages continue each other, whatever the depth of the second pass: page by page (2 at a time)
 * equals the whole list at once, documents and scores, and scores never rise. */
static void match__pages_continue(void **state) {
    (void)state;
    setup_index();
    for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
        for (size_t depth = 1; depth <= 5; depth += 2) {
            answer whole, page;
            ask_page(&whole, queries[i], 0.5, depth, 0, TOP);
            for (size_t from = 0; from < whole.n; from += 2) {
                ask_page(&page, queries[i], 0.5, depth, from, 2);
                for (size_t k = 0; k < page.n; k++) {
                    if (strcmp(page.ids[k], whole.ids[from + k]) != 0 ||
                        page.scores[k] != whole.scores[from + k])
                        fail_msg("%s (depth %zu): rank %zu is %s on its page, %s in the whole",
                                 queries[i], depth, from + k + 1, page.ids[k], whole.ids[from + k]);
                }
            }
            for (size_t k = 1; k < whole.n; k++)
                if (whole.scores[k] > whole.scores[k - 1])
                    fail_msg("%s (depth %zu): the score rises at rank %zu", queries[i], depth,
                             k + 1);
        }
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(match__two_passes_answer_as_one),
        cmocka_unit_test(match__pages_continue),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
