/* test_shim.c: the Xapian shim: documents, terms, queries, and the mapping of errors to statuses.
 */
#define _XOPEN_SOURCE 700 /* nftw, in testutil.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "testutil.h"
#include "xapian_shim.h"

static char db_path[600];

static vxs_db *open_new(const char *name) {
    snprintf(db_path, sizeof db_path, "%s/db", scratch_dir(name));
    vxs_db *db = NULL;
    char err[VXS_ERRLEN];
    assert_int_equal(vxs_db_open_write(&db, db_path, VXS_CREATE, err), VNS_OK);
    return db;
}

/* Adds a document with id and the words given, one position each. */
static void add_doc(vxs_db *db, const char *id, const char *const *words) {
    vxs_doc *doc = vxs_doc_new();
    assert_non_null(doc);
    char q[64];
    snprintf(q, sizeof q, "Q%s", id);
    for (uint32_t i = 0; words[i]; i++) vxs_doc_add_posting(doc, words[i], strlen(words[i]), i + 1);
    vxs_doc_add_boolean_term(doc, q, strlen(q));
    vxs_doc_set_value(doc, 1, id, strlen(id));
    vxs_doc_set_data(doc, id, strlen(id));
    assert_int_equal(vxs_db_replace(db, q, strlen(q), doc), VNS_OK);
    vxs_doc_free(doc);
}

static size_t count(vxs_db *db, vxs_query *q) {
    vxs_mset *m = NULL;
    assert_int_equal(vxs_db_search(db, q, 0, 100, 100, NULL, &m), VNS_OK);
    size_t n = vxs_mset_size(m);
    vxs_mset_free(m);
    return n;
}

static void shim__missing_index_is_not_found(void **state) {
    (void)state;
    char err[VXS_ERRLEN] = "";
    vxs_db *db = NULL;
    const char *dir = scratch_dir("shim_missing");
    char path[600];
    snprintf(path, sizeof path, "%s/none", dir);
    const char *paths[] = {path};
    assert_int_equal(vxs_db_open_read(&db, paths, 1, err), VNS_ENOTFOUND);
    assert_null(db);
    assert_non_null(strstr(err, path)); /* The message names the path. */
    assert_int_equal(vxs_db_open_write(&db, path, 0, err), VNS_ENOTFOUND);
    assert_null(db);
}

static void shim__locked_index(void **state) {
    (void)state;
    vxs_db *db = open_new("shim_locked");
    assert_int_equal(vxs_db_commit(db), VNS_OK);
    /* The lock is per open file description: a child process tries the second open. */
    pid_t pid = fork();
    if (pid == 0) {
        vxs_db *other = NULL;
        char err[VXS_ERRLEN] = "";
        vns_status st = vxs_db_open_write(&other, db_path, 0, err);
        _exit(st == VNS_ELOCKED && strstr(err, "locked") != NULL ? 0 : 1);
    }
    int wst = 0;
    waitpid(pid, &wst, 0);
    assert_true(WIFEXITED(wst));
    assert_int_equal(WEXITSTATUS(wst), 0);
    assert_int_equal(vxs_db_close(db), VNS_OK);
}

static void shim__replace_find_delete(void **state) {
    (void)state;
    vxs_db *db = open_new("shim_docs");
    const char *w1[] = {"chuyen", "doi", "so", NULL};
    const char *w2[] = {"so", "doi", "chuyen", NULL};
    add_doc(db, "a", w1);
    add_doc(db, "b", w2);
    add_doc(db, "a", w1); /* Replaces, does not add. */
    uint64_t n = 0;
    assert_int_equal(vxs_db_doc_count(db, &n), VNS_OK);
    assert_int_equal(n, 2);
    uint32_t docid = 0;
    assert_int_equal(vxs_db_find_term(db, "Qb", 2, &docid), VNS_OK);
    assert_true(docid != 0);
    char val[16];
    size_t len = 0;
    assert_int_equal(vxs_db_get_value(db, docid, 1, val, sizeof val, &len), VNS_OK);
    assert_int_equal(len, 1);
    assert_memory_equal(val, "b", 1);
    assert_int_equal(vxs_db_get_value(db, 999, 1, val, sizeof val, &len), VNS_ENOTFOUND);

    /* A phrase matches the ordered syllables only. */
    char err[VXS_ERRLEN];
    vxs_query *t[3], *phrase = NULL, *all = NULL, *wild = NULL;
    assert_int_equal(vxs_query_term(&t[0], "chuyen", 6, 1, 1, err), VNS_OK);
    assert_int_equal(vxs_query_term(&t[1], "doi", 3, 1, 2, err), VNS_OK);
    assert_int_equal(vxs_query_term(&t[2], "so", 2, 1, 3, err), VNS_OK);
    assert_int_equal(vxs_query_combine(&phrase, VXS_OP_PHRASE, t, 3, 0, err), VNS_OK);
    assert_int_equal(vxs_query_combine(&all, VXS_OP_AND, t, 3, 0, err), VNS_OK);
    assert_int_equal(count(db, phrase), 1);
    assert_int_equal(count(db, all), 2);
    assert_int_equal(vxs_query_wildcard(&wild, "ch", 2, 0, err), VNS_OK);
    assert_int_equal(count(db, wild), 2);

    assert_int_equal(vxs_db_delete(db, "Qa", 2), VNS_OK);
    assert_int_equal(count(db, phrase), 0);
    assert_int_equal(vxs_db_find_term(db, "Qa", 2, &docid), VNS_OK);
    assert_int_equal(docid, 0);
    for (int i = 0; i < 3; i++) vxs_query_free(t[i]);
    vxs_query_free(phrase);
    vxs_query_free(all);
    vxs_query_free(wild);
    assert_int_equal(vxs_db_close(db), VNS_OK);
}

typedef struct query_error_row {
    const char *what;
    int op;        /* For vxs_query_combine; -1: vxs_query_scale with factor. */
    double factor; /* For vxs_query_scale. */
    vns_status status;
    const char *message; /* A part of the message: Xapian's own words. */
} query_error_row;

static const query_error_row query_errors[] = {
    {"combine with an unknown op", 99, 0, VNS_EINVAL, "op not valid"},
    {"combine with OP_SCALE_WEIGHT (not a list op)", 9, 0, VNS_EINVAL, "invalid argument"},
    {"scale by a negative factor", -1, -1.0, VNS_EINVAL, "factor >= 0"},
};

/* A query constructor Xapian refuses reports Xapian's status and message, not a bare NULL. */
static void shim__query_errors_are_mapped(void **state) {
    (void)state;
    vxs_query *a = NULL, *b = NULL;
    char err[VXS_ERRLEN];
    assert_int_equal(vxs_query_term(&a, "a", 1, 1, 1, err), VNS_OK);
    assert_int_equal(vxs_query_term(&b, "b", 1, 1, 2, err), VNS_OK);
    vxs_query *two[2] = {a, b};
    for (size_t i = 0; i < sizeof query_errors / sizeof query_errors[0]; i++) {
        const query_error_row *r = &query_errors[i];
        vxs_query *q = a; /* Must be reset to NULL on failure. */
        err[0] = '\0';
        vns_status st = r->op >= 0 ? vxs_query_combine(&q, r->op, two, 2, 0, err)
                                   : vxs_query_scale(&q, a, r->factor, err);
        if (st != r->status || q != NULL || strstr(err, r->message) == NULL)
            fail_msg("%s: status %d, query %p, message '%s'", r->what, st, (void *)q, err);
    }
    vxs_query_free(a);
    vxs_query_free(b);
}

static void shim__term_too_long_is_invalid(void **state) {
    (void)state;
    vxs_db *db = open_new("shim_long");
    char term[300];
    memset(term, 'x', sizeof term);
    vxs_doc *doc = vxs_doc_new();
    vxs_doc_add_posting(doc, term, sizeof term, 1);
    vns_status st = vxs_db_replace(db, "Qlong", 5, doc);
    vxs_doc_free(doc);
    /* Xapian reports it at replace or at commit; either way as an invalid argument. */
    if (st == VNS_OK) st = vxs_db_commit(db);
    assert_int_equal(st, VNS_EINVAL);
    assert_non_null(strstr(vxs_db_errmsg(db), "too long"));
    vxs_db_abandon(db);
}

static void shim__uncommitted_changes_are_abandoned(void **state) {
    (void)state;
    vxs_db *db = open_new("shim_abandon");
    const char *w[] = {"mot", NULL};
    add_doc(db, "kept", w);
    assert_int_equal(vxs_db_commit(db), VNS_OK);
    add_doc(db, "lost", w);
    vxs_db_abandon(db);
    const char *paths[] = {db_path};
    char err[VXS_ERRLEN];
    assert_int_equal(vxs_db_open_read(&db, paths, 1, err), VNS_OK);
    uint64_t n = 0;
    assert_int_equal(vxs_db_doc_count(db, &n), VNS_OK);
    assert_int_equal(n, 1);
    vxs_db_close(db);
}

static void shim__reader_reopen_sees_commits(void **state) {
    (void)state;
    vxs_db *w = open_new("shim_reopen");
    assert_int_equal(vxs_db_commit(w), VNS_OK);
    const char *paths[] = {db_path};
    vxs_db *r = NULL;
    char err[VXS_ERRLEN];
    assert_int_equal(vxs_db_open_read(&r, paths, 1, err), VNS_OK);
    const char *words[] = {"moi", NULL};
    add_doc(w, "x", words);
    assert_int_equal(vxs_db_commit(w), VNS_OK);
    uint64_t n = 0;
    assert_int_equal(vxs_db_doc_count(r, &n), VNS_OK);
    assert_int_equal(n, 0);
    assert_int_equal(vxs_db_reopen(r), VNS_OK);
    assert_int_equal(vxs_db_doc_count(r, &n), VNS_OK);
    assert_int_equal(n, 1);
    /* A reader cannot write. */
    assert_int_equal(vxs_db_commit(r), VNS_EINVAL);
    vxs_db_close(r);
    vxs_db_close(w);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(shim__missing_index_is_not_found),
        cmocka_unit_test(shim__locked_index),
        cmocka_unit_test(shim__replace_find_delete),
        cmocka_unit_test(shim__query_errors_are_mapped),
        cmocka_unit_test(shim__term_too_long_is_invalid),
        cmocka_unit_test(shim__uncommitted_changes_are_abandoned),
        cmocka_unit_test(shim__reader_reopen_sees_commits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
