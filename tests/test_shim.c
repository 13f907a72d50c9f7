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

/* Writes text to path (created or truncated). */
static void write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

/* Makes the database dir/name holding n documents (ids name0, name1...). */
static void make_db(const char *dir, const char *name, int n) {
    char p[700];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    vxs_db *db = NULL;
    char err[VXS_ERRLEN];
    assert_int_equal(vxs_db_open_write(&db, p, VXS_CREATE, err), VNS_OK);
    const char *w[] = {"chung", NULL};
    for (int i = 0; i < n; i++) {
        char id[64];
        snprintf(id, sizeof id, "%s%d", name, i);
        add_doc(db, id, w);
    }
    assert_int_equal(vxs_db_close(db), VNS_OK);
}

/* Opens dir/name for reading; returns the status, and the document count in *docs. */
static vns_status read_count(const char *dir, const char *name, uint64_t *docs, char *err) {
    char p[700];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    const char *paths[] = {p};
    vxs_db *db = NULL;
    *docs = 0;
    vns_status st = vxs_db_open_read(&db, paths, 1, err);
    if (st == VNS_OK) {
        assert_int_equal(vxs_db_doc_count(db, docs), VNS_OK);
        vxs_db_close(db);
    } else {
        assert_null(db);
    }
    return st;
}

/* Stub files (Xapian's format) still open: comments, relative and absolute paths, a stub naming a
 * stub, a stub directory, and each database of a stub is a shard with its own name. */
static void shim__stub_files_open(void **state) {
    (void)state;
    char dir[600], text[1600], err[VXS_ERRLEN];
    snprintf(dir, sizeof dir, "%s", scratch_dir("shim_stubs"));
    make_db(dir, "a", 1);
    make_db(dir, "b", 2);
    snprintf(text, sizeof text, "# two shards\n\nauto a\nglass %s/b\n", dir);
    char p[700];
    snprintf(p, sizeof p, "%s/two.stub", dir);
    write_file(p, text);
    snprintf(p, sizeof p, "%s/nested.stub", dir);
    write_file(p, "auto two.stub\n");
    snprintf(p, sizeof p, "%s/sd", dir);
    assert_int_equal(mkdir(p, 0755), 0);
    snprintf(p, sizeof p, "%s/sd/XAPIANDB", dir);
    write_file(p, "auto ../a\n");
    static const struct {
        const char *name;
        uint64_t docs;
    } cases[] = {{"two.stub", 3}, {"nested.stub", 3}, {"sd", 1}, {"a", 1}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint64_t docs = 0;
        assert_int_equal(read_count(dir, cases[i].name, &docs, err), VNS_OK);
        assert_int_equal(docs, cases[i].docs);
    }
    snprintf(p, sizeof p, "%s/nested.stub", dir);
    const char *paths[] = {p};
    vxs_db *db = NULL;
    assert_int_equal(vxs_db_open_read(&db, paths, 1, err), VNS_OK);
    assert_int_equal(vxs_db_shard_count(db), 2);
    char want[700];
    snprintf(want, sizeof want, "%s/b", dir);
    assert_non_null(strstr(vxs_db_shard_name(db, 0), "/a"));
    assert_string_equal(vxs_db_shard_name(db, 1), want);
    char *value = NULL;
    uint64_t docs = 0;
    assert_int_equal(vxs_db_shard_meta(db, 1, "k", &value, &docs), VNS_OK);
    assert_null(value);
    assert_int_equal(docs, 2);
    vxs_db_close(db);

    /* A writer goes through a stub that names one database, and refuses one that names two. */
    snprintf(p, sizeof p, "%s/one.stub", dir);
    write_file(p, "auto a\n");
    assert_int_equal(vxs_db_open_write(&db, p, 0, err), VNS_OK);
    const char *w[] = {"moi", NULL};
    add_doc(db, "new", w);
    assert_int_equal(vxs_db_close(db), VNS_OK);
    assert_int_equal(read_count(dir, "a", &docs, err), VNS_OK);
    assert_int_equal(docs, 2);
    snprintf(p, sizeof p, "%s/two.stub", dir);
    assert_int_equal(vxs_db_open_write(&db, p, VXS_CREATE, err), VNS_EINVAL);
    assert_non_null(strstr(err, "2 databases"));
}

/* Stub files that name themselves, each other, or nest too deep are refused with a message
 * naming the loop, instead of recursing until the stack overflows. */
static void shim__stub_loops_are_refused(void **state) {
    (void)state;
    char dir[600], p[700], text[800], err[VXS_ERRLEN];
    snprintf(dir, sizeof dir, "%s", scratch_dir("shim_stub_loops"));
    make_db(dir, "a", 1);
    snprintf(p, sizeof p, "%s/self", dir);
    write_file(p, "auto self\n");
    snprintf(p, sizeof p, "%s/x", dir);
    write_file(p, "# x names y\nauto y\n");
    snprintf(p, sizeof p, "%s/y", dir);
    snprintf(text, sizeof text, "auto a\nauto %s/x\n", dir);
    write_file(p, text);
    snprintf(p, sizeof p, "%s/loopdir", dir);
    assert_int_equal(mkdir(p, 0755), 0);
    snprintf(p, sizeof p, "%s/loopdir/XAPIANDB", dir);
    write_file(p, "auto ../loopdir\n");
    /* s0 -> s1 -> ... -> s39 -> a: no loop, but deeper than any sane setup. */
    for (int i = 0; i < 40; i++) {
        snprintf(p, sizeof p, "%s/s%d", dir, i);
        if (i < 39)
            snprintf(text, sizeof text, "auto s%d\n", i + 1);
        else
            snprintf(text, sizeof text, "auto a\n");
        write_file(p, text);
    }
    snprintf(p, sizeof p, "%s/bad", dir);
    write_file(p, "auto a\nbogus line\n");
    static const struct {
        const char *name, *says;
    } cases[] = {
        {"self", "loop"},    {"x", "loop"},  {"y", "loop"},
        {"loopdir", "loop"}, {"s0", "deep"}, {"bad", ":2"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint64_t docs = 0;
        err[0] = '\0';
        assert_int_equal(read_count(dir, cases[i].name, &docs, err), VNS_EINVAL);
        assert_non_null(strstr(err, cases[i].says));
        assert_non_null(strstr(err, cases[i].name));
        vxs_db *db = NULL;
        snprintf(p, sizeof p, "%s/%s", dir, cases[i].name);
        err[0] = '\0';
        assert_int_equal(vxs_db_open_write(&db, p, VXS_CREATE, err), VNS_EINVAL);
        assert_null(db);
        assert_non_null(strstr(err, cases[i].says));
    }
}

/* A lock file that cannot be opened is an I/O failure with the system's reason, not "locked by
 * another writer"; waiting for the lock does not hide it. */
static void shim__lock_file_failure_is_io(void **state) {
    (void)state;
    char dir[600], p[700], err[VXS_ERRLEN] = "";
    snprintf(dir, sizeof dir, "%s", scratch_dir("shim_lockfile"));
    make_db(dir, "a", 1);
    snprintf(p, sizeof p, "%s/a/flintlock", dir);
    assert_int_equal(remove(p), 0);
    assert_int_equal(mkdir(p, 0755), 0); /* Opening it for writing fails: EISDIR. */
    snprintf(p, sizeof p, "%s/a", dir);
    const int flags[] = {0, VXS_WAIT_LOCK};
    for (size_t i = 0; i < 2; i++) {
        vxs_db *db = NULL;
        assert_int_equal(vxs_db_open_write(&db, p, flags[i], err), VNS_EIO);
        assert_null(db);
        assert_null(strstr(err, "another writer"));
        assert_non_null(strstr(err, "Is a directory"));
    }
}

/* Damaged indexes say that they are damaged: a table cut short (a partial copy) and a missing
 * iamglass are VNS_ECORRUPT, for readers and writers, not "disk full" or "build the index". */
static void shim__damaged_index_is_corrupt(void **state) {
    (void)state;
    char dir[600], p[700], err[VXS_ERRLEN] = "";
    snprintf(dir, sizeof dir, "%s", scratch_dir("shim_damaged"));
    make_db(dir, "cut", 3000);
    make_db(dir, "noglass", 3);
    snprintf(p, sizeof p, "%s/cut/postlist.glass", dir);
    struct stat sb;
    assert_int_equal(stat(p, &sb), 0);
    assert_int_equal(truncate(p, sb.st_size / 2), 0);
    snprintf(p, sizeof p, "%s/noglass/iamglass", dir);
    assert_int_equal(remove(p), 0);
    static const struct {
        const char *name, *says;
    } cases[] = {{"cut", "corrupt"}, {"noglass", "iamglass"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, cases[i].name);
        const char *paths[] = {p};
        for (int write = 0; write <= 1; write++) {
            vxs_db *db = NULL;
            err[0] = '\0';
            vns_status st = write ? vxs_db_open_write(&db, p, VXS_CREATE, err)
                                  : vxs_db_open_read(&db, paths, 1, err);
            /* The cut index may open; reading the cut table then fails. */
            if (st == VNS_OK) {
                uint32_t docid = 0;
                st = vxs_db_find_term(db, "Qcut2999", 8, &docid);
                if (st == VNS_OK) st = vxs_db_find_term(db, "chung", 5, &docid);
                snprintf(err, sizeof err, "%s", vxs_db_errmsg(db));
                vxs_db_abandon(db);
            }
            assert_int_equal(st, VNS_ECORRUPT);
            assert_non_null(strstr(err, cases[i].says));
        }
    }
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
        cmocka_unit_test(shim__stub_files_open),
        cmocka_unit_test(shim__stub_loops_are_refused),
        cmocka_unit_test(shim__lock_file_failure_is_io),
        cmocka_unit_test(shim__damaged_index_is_corrupt),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
