/* bench_update.c: one article updated and visible to an open searcher, in vnsearch and in FTS5.
 *   bench_update INDEX FTS5_DB CORPUS
 * Takes the first article of CORPUS (which both indexes hold), keeps a searcher open on each
 * engine, and times, 7 times: the article's body changed (a new made-up word appended), the
 * change committed, and the open searcher finding the article by that word. The writer is opened
 * before the clock starts, as an application that keeps one would. Prints the medians as JSON and
 * puts the article back as it was. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "bench_util.h"
#include "readers.h"
#include "vnsearch.h"

#define ROUNDS 7

typedef struct first {
    char *id, *title, *body;
    size_t title_len, body_len;
} first;

static vns_status take_first(const cli_article *a, void *p) {
    first *f = p;
    f->id = strdup(a->id);
    f->title = a->title ? strndup(a->title, a->title_len) : NULL;
    f->title_len = a->title_len;
    f->body = strndup(a->body, a->body_len);
    f->body_len = a->body_len;
    return VNS_EINTERNAL; /* Stops the read after one article. */
}

static void report(const char *path, long line, const char *id, const char *msg, void *ctx) {
    (void)id;
    (void)ctx;
    fprintf(stderr, "bench_update: %s:%ld: %s\n", path, line, msg);
}

/* The body with " word" appended (malloc'd). */
static char *with_word(const first *f, const char *word, size_t *len) {
    *len = f->body_len + 1 + strlen(word);
    char *b = malloc(*len + 1);
    if (b) snprintf(b, *len + 1, "%s %s", f->body, word);
    return b;
}

/* Whether the open searcher finds exactly the article by word. */
static int finds(vns_searcher *s, const char *word, const char *id) {
    vns_results *r = NULL;
    if (vns_searcher_query(&r, s, word, NULL) != VNS_OK) return 0;
    int ok = vns_results_next(r) == VNS_OK && strcmp(vns_results_id(r), id) == 0;
    vns_results_free(r);
    return ok;
}

static double update_round(vns_index *ix, vns_searcher *s, const first *f, const char *word) {
    size_t len;
    char *body = with_word(f, word, &len);
    vns_doc d = VNS_DOC_INIT;
    d.id = f->id;
    d.title = f->title;
    d.title_len = f->title_len;
    d.body = body;
    d.body_len = len;
    double t0 = now_ms();
    int ok = vns_index_put(NULL, ix, &d) == VNS_OK && vns_index_commit(ix) == VNS_OK &&
             vns_searcher_reopen(s) == VNS_OK && finds(s, word, f->id);
    double t = now_ms() - t0;
    free(body);
    return ok ? t : -1;
}

static double fts5_round(sqlite3 *w, sqlite3 *r, sqlite3_int64 rowid, const first *f,
                         const char *word) {
    size_t len;
    char *body = with_word(f, word, &len);
    sqlite3_stmt *up = NULL, *q = NULL;
    double t0 = now_ms();
    int ok = sqlite3_prepare_v2(w, "UPDATE docs SET body = ? WHERE rowid = ?", -1, &up, NULL) ==
             SQLITE_OK;
    ok = ok && sqlite3_bind_text(up, 1, body, (int)len, SQLITE_STATIC) == SQLITE_OK &&
         sqlite3_bind_int64(up, 2, rowid) == SQLITE_OK && sqlite3_step(up) == SQLITE_DONE;
    ok = ok && sqlite3_prepare_v2(r, "SELECT id FROM docs WHERE docs MATCH ? LIMIT 1", -1, &q,
                                  NULL) == SQLITE_OK;
    ok = ok && sqlite3_bind_text(q, 1, word, -1, SQLITE_STATIC) == SQLITE_OK &&
         sqlite3_step(q) == SQLITE_ROW &&
         strcmp((const char *)sqlite3_column_text(q, 0), f->id) == 0;
    double t = now_ms() - t0;
    sqlite3_finalize(up);
    sqlite3_finalize(q);
    free(body);
    return ok ? t : -1;
}

static double median(double *v, size_t n) {
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: bench_update INDEX FTS5_DB CORPUS\n");
        return 2;
    }
    first f = {0};
    cli_reader_callbacks cb = {.article = take_first, .failure = report, .ctx = &f};
    cli_read_source(argv[3], &cb, NULL);
    if (f.id == NULL) {
        fprintf(stderr, "bench_update: no article in %s\n", argv[3]);
        return 1;
    }
    char err[512];
    const char *paths[] = {argv[1]};
    vns_searcher *s = NULL;
    vns_index *ix = NULL;
    if (vns_searcher_open(&s, paths, 1, err, sizeof err) != VNS_OK ||
        vns_index_open(&ix, argv[1], NULL, err, sizeof err) != VNS_OK) {
        fprintf(stderr, "bench_update: %s\n", err);
        return 1;
    }
    sqlite3 *w = NULL, *r = NULL;
    sqlite3_stmt *find = NULL;
    sqlite3_int64 rowid = -1;
    if (sqlite3_open(argv[2], &w) != SQLITE_OK || sqlite3_open(argv[2], &r) != SQLITE_OK ||
        sqlite3_prepare_v2(w, "SELECT rowid FROM docs WHERE id = ?", -1, &find, NULL) !=
            SQLITE_OK) {
        fprintf(stderr, "bench_update: %s\n", sqlite3_errmsg(w));
        return 1;
    }
    sqlite3_bind_text(find, 1, f.id, -1, SQLITE_STATIC);
    if (sqlite3_step(find) == SQLITE_ROW) rowid = sqlite3_column_int64(find, 0);
    sqlite3_finalize(find);
    if (rowid < 0) {
        fprintf(stderr, "bench_update: %s is not in %s\n", f.id, argv[2]);
        return 1;
    }
    double tv[ROUNDS], tf[ROUNDS];
    int failed = 0;
    for (int i = 0; i < ROUNDS; i++) {
        char word[32];
        snprintf(word, sizeof word, "zqvnsbench%dx", i);
        tv[i] = update_round(ix, s, &f, word);
        tf[i] = fts5_round(w, r, rowid, &f, word);
        if (tv[i] < 0 || tf[i] < 0) failed = 1;
    }
    /* Put the article back as it was. */
    vns_doc d = VNS_DOC_INIT;
    d.id = f.id;
    d.title = f.title;
    d.title_len = f.title_len;
    d.body = f.body;
    d.body_len = f.body_len;
    if (vns_index_put(NULL, ix, &d) != VNS_OK || vns_index_close(ix) != VNS_OK) failed = 1;
    sqlite3_stmt *back = NULL;
    if (sqlite3_prepare_v2(w, "UPDATE docs SET body = ? WHERE rowid = ?", -1, &back, NULL) !=
            SQLITE_OK ||
        sqlite3_bind_text(back, 1, f.body, (int)f.body_len, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(back, 2, rowid) != SQLITE_OK || sqlite3_step(back) != SQLITE_DONE)
        failed = 1;
    sqlite3_finalize(back);
    vns_searcher_close(s);
    sqlite3_close(w);
    sqlite3_close(r);
    if (failed) {
        fprintf(stderr, "bench_update: an update was not found by the open searcher\n");
        return 1;
    }
    printf("{\"rounds\":%d,\"vnsearch_ms\":%.2f,\"fts5_ms\":%.2f}\n", ROUNDS, median(tv, ROUNDS),
           median(tf, ROUNDS));
    free(f.id);
    free(f.title);
    free(f.body);
    return 0;
}
