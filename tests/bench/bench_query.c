/* bench_query.c: the query benchmark. `gen` draws a reproducible query set from a corpus;
 * `run` times each query in-process, warm, top 10 with snippets, in vnsearch and in FTS5. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyzer.h"
#include "bench_util.h"
#include "fts5_peer.h"
#include "ranking.h"
#include "readers.h"
#include "searcher_sys.h"
#include "vnsearch.h"

#define SEED 424242u
#define PER_KIND 50
#define MAX_DOCS 4000 /* Articles kept from the corpus to draw from. */
#define TIMED_PASSES 3
#define TOP 10 /* Results read per query. */

static bench_rng rng = {SEED};

/* The next seeded draw in [0, n). Never fails. */
static size_t pick(size_t n) {
    return bench_rng_below(&rng, n);
}

typedef struct tokv {
    char *surface, *folded;
} tokv;

typedef struct doc {
    tokv *t;
    size_t n;
} doc;

typedef struct gen {
    vnsi_analyzer *an;
    doc docs[MAX_DOCS];
    size_t ndocs, seen;
    const char *text;
    doc *cur;
} gen;

/* The analyzer's callback: keeps a word's two forms, up to 400 words a document. */
static int keep_token(const vnsi_token *t, void *p) {
    gen *g = p;
    if (g->cur->n >= 400 || t->kind != VNS_TOKEN_WORD) return g->cur->n >= 400;
    tokv *v = &g->cur->t[g->cur->n++];
    v->surface = strndup(g->text + t->start, t->end - t->start);
    v->folded = strndup(t->folded, t->folded_len);
    return 0;
}

/* Reservoir-samples MAX_DOCS articles' first 400 words. */
static vns_status sample_doc(const cli_article *a, void *p) {
    gen *g = p;
    size_t slot = g->seen < MAX_DOCS ? g->seen : pick(g->seen + 1);
    g->seen++;
    if (slot >= MAX_DOCS) return VNS_OK;
    doc *d = &g->docs[slot];
    for (size_t i = 0; i < d->n; i++) {
        free(d->t[i].surface);
        free(d->t[i].folded);
    }
    free(d->t);
    d->t = calloc(400, sizeof *d->t);
    d->n = 0;
    g->cur = d;
    g->text = a->body;
    vnsi_analyze(g->an, a->body, a->body_len < 20000 ? a->body_len : 20000, 0, keep_token, g, NULL);
    if (slot >= g->ndocs) g->ndocs = slot + 1;
    return VNS_OK;
}

/* Appends word w (surface or folded) to the vnsearch query and the FTS5 expression. */
static void add(char *vq, char *fq, const tokv *t, int folded, const char *fts_suffix) {
    const char *w = folded ? t->folded : t->surface;
    if (*vq) strcat(vq, " ");
    strcat(vq, w);
    if (*fq) strcat(fq, " ");
    strcat(fq, "\"");
    strcat(fq, w);
    strcat(fq, "\"");
    strcat(fq, fts_suffix);
}

/* qsort comparator of words, longest surface form first. */
static int cmp_len(const void *a, const void *b) {
    return (int)strlen(((const tokv *)b)->surface) - (int)strlen(((const tokv *)a)->surface);
}

/* Writes PER_KIND queries of each kind, typed with and without diacritics, drawn from corpus:
 * kind TAB vnsearch query TAB FTS5 MATCH expression, one a line. Returns 0. */
static int do_gen(const char *corpus) {
    static gen g;
    vnsi_analyzer_new(&g.an);
    cli_reader_callbacks cb = {.article = sample_doc, .failure = NULL, .ctx = &g};
    cli_read_source(corpus, &cb, NULL);
    const char *kinds[] = {"common", "rare", "phrase", "words", "exclude", "prefix"};
    for (int k = 0; k < 6; k++) {
        for (int i = 0; i < PER_KIND; i++) {
            doc *d = &g.docs[pick(g.ndocs)];
            if (d->n < 8) {
                i--;
                continue;
            }
            size_t at = pick(d->n - 5), len = 2 + pick(3);
            for (int folded = 0; folded < 2; folded++) {
                char vq[2048] = "", fq[2048] = "";
                if (k == 0) {
                    add(vq, fq, &d->t[at], folded, "");
                } else if (k == 1) {
                    tokv copy[30];
                    size_t m = d->n < 30 ? d->n : 30;
                    memcpy(copy, d->t, m * sizeof *copy);
                    qsort(copy, m, sizeof *copy, cmp_len);
                    add(vq, fq, &copy[0], folded, "");
                } else if (k == 2 || k == 3) {
                    for (size_t j = 0; j < len; j++) add(vq, fq, &d->t[at + j], folded, "");
                    if (k == 2) {
                        /* One quoted phrase for both engines. */
                        size_t l = strlen(vq);
                        if (l > 2044) l = 2044;
                        memmove(vq + 1, vq, l);
                        vq[0] = vq[l + 1] = '"';
                        vq[l + 2] = '\0';
                        memcpy(fq, vq, l + 3);
                    }
                } else if (k == 4) {
                    add(vq, fq, &d->t[at], folded, "");
                    add(vq, fq, &d->t[at + 1], folded, "");
                    tokv *x = &g.docs[pick(g.ndocs)].t[0];
                    if (x == NULL) continue;
                    strcat(vq, folded ? " -" : " -");
                    strcat(vq, folded ? x->folded : x->surface);
                    strcat(fq, " NOT \"");
                    strcat(fq, folded ? x->folded : x->surface);
                    strcat(fq, "\"");
                } else {
                    const char *w = folded ? d->t[at].folded : d->t[at].surface;
                    /* The first 3 characters of the word. */
                    size_t b = 0;
                    for (int c = 0; c < 3 && w[b]; c++) {
                        b++;
                        while (w[b] && ((unsigned char)w[b] & 0xC0) == 0x80) b++;
                    }
                    snprintf(vq, sizeof vq, "%.*s*", (int)b, w);
                    snprintf(fq, sizeof fq, "\"%.*s\"*", (int)b, w);
                }
                printf("%s-%s\t%s\t%s\n", kinds[k], folded ? "plain" : "accented", vq, fq);
            }
        }
    }
    return 0;
}

/* The queries of a run and the two engines' handles, for the timing callbacks. */
typedef struct run_ctx {
    vns_searcher *s;
    sqlite3 *db;
    char **vq, **fq;
} run_ctx;

/* FTS5 with a raw MATCH expression, top 10 by bm25 with snippet(). */
static int fts5_raw(sqlite3 *db, const char *match) {
    sqlite3_stmt *st = NULL;
    int n = 0;
    if (sqlite3_prepare_v2(db,
                           "SELECT id, snippet(docs, 2, '[', ']', '…', 30) FROM docs WHERE docs "
                           "MATCH ? ORDER BY bm25(docs) LIMIT 10",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW) {
        (void)sqlite3_column_text(st, 1);
        n++;
    }
    sqlite3_finalize(st);
    return n;
}

/* Runs query i in vnsearch, top 10 with snippets. Returns the result count or -1. */
static int run_vns(size_t i, void *p) {
    run_ctx *c = p;
    char *ids[TOP];
    int n = bench_vns_search(c->s, c->vq[i], NULL, TOP, ids, NULL);
    if (n > 0) bench_ids_free(ids, n);
    return n;
}

/* Runs query i's MATCH expression in FTS5. Returns the result count or -1. */
static int run_fts(size_t i, void *p) {
    run_ctx *c = p;
    return fts5_raw(c->db, c->fq[i]);
}

/* Times the queries of the file queries in both engines and prints the figures (JSON on stdout,
 * per kind on stderr). Returns 0, 1 (a file or index that cannot be opened), or 2 (bad
 * BENCH_WEIGHTS). */
static int do_run(const char *index, const char *fts, const char *queries) {
    FILE *f = fopen(queries, "r");
    if (f == NULL) return 1;
    char line[8192];
    char *vq[2000], *fq[2000], *kind[2000];
    size_t n = 0;
    while (n < 2000 && fgets(line, sizeof line, f)) {
        char *a = strchr(line, '\t'), *b = a ? strchr(a + 1, '\t') : NULL;
        if (!b) continue;
        *a = *b = '\0';
        b[strcspn(b + 1, "\n") + 1] = '\0';
        kind[n] = strndup(line, (size_t)(a - line));
        vq[n] = strdup(a + 1);
        fq[n] = strdup(b + 1);
        n++;
    }
    fclose(f);
    /* BENCH_WEIGHTS=phrase,title_terms,title_phrase,exact,k1,b: other ranking weights, to see
     * what each costs. */
    const char *w = getenv("BENCH_WEIGHTS");
    vnsi_ranking_weights weights = vnsi_ranking_defaults;
    if (w &&
        sscanf(w, "%lf,%lf,%lf,%lf,%lf,%lf", &weights.phrase, &weights.title_terms,
               &weights.title_phrase, &weights.exact, &weights.bm25_k1, &weights.bm25_b) != 6) {
        fprintf(stderr, "BENCH_WEIGHTS needs six numbers, not '%s'\n", w);
        return 2;
    }
    vns_searcher *s = NULL;
    /* INDEX may list several indexes separated by commas: searched as one. */
    if (bench_searcher_open(&s, index, &weights, "bench_query") < 0) return 1;
    sqlite3 *db = NULL;
    sqlite3_open_v2(fts, &db, SQLITE_OPEN_READONLY, NULL);
    double *tv = calloc(n + 1, sizeof *tv), *tf = calloc(n + 1, sizeof *tf);
    int *nv = calloc(n + 1, sizeof *nv), *nf = calloc(n + 1, sizeof *nf);
    run_ctx ctx = {.s = s, .db = db, .vq = vq, .fq = fq};
    if (!tv || !tf || !nv || !nf ||
        bench_time_alternating(n, TIMED_PASSES, run_vns, run_fts, &ctx, tv, tf, nv, nf) < 0) {
        fprintf(stderr, "bench_query: out of memory\n");
        return 1;
    }
    size_t verr = 0, ferr = 0;
    for (size_t i = 0; i < n; i++) {
        verr += nv[i] < 0;
        ferr += nf[i] < 0;
    }
    free(nv);
    free(nf);
    /* Per kind, on stderr: where the time goes. */
    for (size_t i = 0; i < n; i++) {
        int first = 1;
        for (size_t j = 0; j < i; j++) first &= strcmp(kind[j], kind[i]) != 0;
        if (!first) continue;
        double kv[2000], kf[2000];
        size_t m = 0;
        for (size_t j = i; j < n; j++)
            if (strcmp(kind[j], kind[i]) == 0) {
                kv[m] = tv[j];
                kf[m++] = tf[j];
            }
        qsort(kv, m, sizeof *kv, cmp_double);
        qsort(kf, m, sizeof *kf, cmp_double);
        fprintf(stderr, "%-18s vnsearch p50 %7.2f p95 %7.2f | fts5 p50 %7.2f p95 %7.2f\n", kind[i],
                bench_percentile(kv, m, .5), bench_percentile(kv, m, .95),
                bench_percentile(kf, m, .5), bench_percentile(kf, m, .95));
    }
    /* BENCH_SLOWEST=N: the N slowest vnsearch queries, on stderr, to see what the tail is. */
    bench_print_slowest(tv, tf, n, kind, NULL, vq);
    qsort(tv, n, sizeof *tv, cmp_double);
    qsort(tf, n, sizeof *tf, cmp_double);
    printf("{\"queries\":%zu,\"vnsearch_errors\":%zu,\"fts5_errors\":%zu,"
           "\"vnsearch_ms\":{\"p50\":%.2f,\"p95\":%.2f,\"p99\":%.2f},"
           "\"fts5_ms\":{\"p50\":%.2f,\"p95\":%.2f,\"p99\":%.2f}}\n",
           n, verr, ferr, bench_percentile(tv, n, .5), bench_percentile(tv, n, .95),
           bench_percentile(tv, n, .99), bench_percentile(tf, n, .5), bench_percentile(tf, n, .95),
           bench_percentile(tf, n, .99));
    vns_searcher_close(s);
    sqlite3_close(db);
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 3 && strcmp(argv[1], "gen") == 0) return do_gen(argv[2]);
    if (argc == 5 && strcmp(argv[1], "run") == 0) return do_run(argv[2], argv[3], argv[4]);
    fprintf(stderr, "usage: bench_query gen CORPUS > queries.tsv\n"
                    "       bench_query run INDEX[,INDEX...] FTS5DB queries.tsv\n");
    return 2;
}
