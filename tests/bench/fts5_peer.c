/* fts5_peer.c: builds and queries the SQLite FTS5 table the benchmarks compare vnsearch with. */
#define _POSIX_C_SOURCE 200809L
#include "fts5_peer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "readers.h"

typedef struct build_ctx {
    sqlite3_stmt *ins;
    size_t docs, bytes;
} build_ctx;

static vns_status add_article(const cli_article *a, void *p) {
    build_ctx *b = p;
    sqlite3_bind_text(b->ins, 1, a->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(b->ins, 2, a->title ? a->title : "", (int)a->title_len, SQLITE_STATIC);
    sqlite3_bind_text(b->ins, 3, a->body, (int)a->body_len, SQLITE_STATIC);
    if (sqlite3_step(b->ins) != SQLITE_DONE) return VNS_EIO;
    sqlite3_reset(b->ins);
    b->docs++;
    b->bytes += a->title_len + a->body_len;
    return VNS_OK;
}

int fts5_build(const char *db_path, const char *corpus, int append, size_t *docs, size_t *bytes) {
    sqlite3 *db = NULL;
    if (!append) remove(db_path);
    if (sqlite3_open(db_path, &db) != SQLITE_OK) {
        fprintf(stderr, "fts5: cannot open %s\n", db_path);
        return -1;
    }
    char *err = NULL;
    int rc = append
                 ? SQLITE_OK
                 : sqlite3_exec(db,
                                "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body, "
                                "tokenize=\"unicode61 remove_diacritics 2\");",
                                NULL, NULL, &err);
    if (rc == SQLITE_OK) rc = sqlite3_exec(db, "BEGIN;", NULL, NULL, &err);
    build_ctx b = {0};
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(db, "INSERT INTO docs(id, title, body) VALUES (?, ?, ?)", -1,
                                &b.ins, NULL);
    if (rc == SQLITE_OK) {
        cli_reader_callbacks cb = {.article = add_article, .failure = NULL, .ctx = &b};
        if (cli_read_source(corpus, &cb, NULL) != VNS_OK) rc = SQLITE_ERROR;
    }
    sqlite3_finalize(b.ins);
    if (rc == SQLITE_OK) rc = sqlite3_exec(db, "COMMIT;", NULL, NULL, &err);
    if (rc != SQLITE_OK) fprintf(stderr, "fts5: %s\n", err ? err : sqlite3_errmsg(db));
    sqlite3_free(err);
    sqlite3_close(db);
    *docs = b.docs;
    *bytes = b.bytes;
    return rc == SQLITE_OK ? 0 : -1;
}

/* Runs the words, each a quoted FTS5 string ("" doubles a quote), joined by sep (" ": AND;
 * " OR "), as fts5_search describes. */
static int search_joined(sqlite3 *db, const char *const *words, size_t nwords, const char *sep,
                         int limit, char **ids) {
    if (nwords == 0) return 0; /* An empty MATCH is a syntax error; no words match nothing. */
    size_t cap = 1;
    for (size_t i = 0; i < nwords; i++) cap += 2 * strlen(words[i]) + 2 + strlen(sep);
    char *match = malloc(cap), *m = match;
    if (match == NULL) return -1;
    for (size_t i = 0; i < nwords; i++) {
        if (i > 0) m = stpcpy(m, sep);
        *m++ = '"';
        for (const char *w = words[i]; *w; w++) {
            if (*w == '"') *m++ = '"';
            *m++ = *w;
        }
        *m++ = '"';
    }
    *m = '\0';
    sqlite3_stmt *st = NULL;
    int n = 0;
    int rc = sqlite3_prepare_v2(db,
                                "SELECT id, snippet(docs, 2, '[', ']', '…', 30) FROM docs "
                                "WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?",
                                -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 2, limit);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < limit) {
            const char *id = (const char *)sqlite3_column_text(st, 0);
            (void)sqlite3_column_text(st, 1); /* The snippet is made, as users would. */
            ids[n++] = strdup(id ? id : "");
        }
        if (rc == SQLITE_DONE) rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    free(match);
    if (rc == SQLITE_OK || rc == SQLITE_ROW) return n;
    for (int i = 0; i < n; i++) free(ids[i]);
    return -1;
}

int fts5_search(sqlite3 *db, const char *const *words, size_t nwords, int limit, char **ids) {
    return search_joined(db, words, nwords, " ", limit, ids);
}

int fts5_search_any(sqlite3 *db, const char *const *words, size_t nwords, int limit, char **ids) {
    return search_joined(db, words, nwords, " OR ", limit, ids);
}
