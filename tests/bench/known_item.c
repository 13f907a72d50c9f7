/* known_item.c: known-item search quality on a JSONL corpus: each sampled article's title is the
 * query (with diacritics, and folded without), and the article should come first. Reports MRR@10
 * and success@1 for vnsearch and SQLite FTS5 side by side. */
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
#include "strset.h"
#include "util.h"
#include "vnsearch.h"

#define TOP 10
#define SEED 20261122u

typedef struct item {
    char *id, *title;
} item;

typedef struct corpus {
    item *items;
    size_t n, cap;
    vnsi_strset seen, dup; /* Titles seen once, and titles seen again. */
} corpus;

static vns_status collect(const cli_article *a, void *p) {
    corpus *c = p;
    if (a->title_len == 0) return VNS_OK;
    if (vnsi_strset_has(&c->seen, a->title, a->title_len)) {
        vnsi_strset_add(&c->dup, a->title, a->title_len);
        return VNS_OK;
    }
    vnsi_strset_add(&c->seen, a->title, a->title_len);
    if (vnsi_grow(&c->items, &c->cap, c->n + 1, sizeof *c->items) != VNS_OK) return VNS_ENOMEM;
    c->items[c->n].id = strdup(a->id);
    c->items[c->n].title = strndup(a->title, a->title_len);
    c->n++;
    return VNS_OK;
}

/* The query words of a title: surface forms, or folded forms. */
typedef struct words {
    char *w[256];
    size_t n;
    const char *text;
    int folded;
} words;

static int add_word(const vnsi_token *t, void *p) {
    words *ws = p;
    if (ws->n == 256) return 1;
    ws->w[ws->n++] = ws->folded ? strndup(t->folded, t->folded_len)
                                : strndup(ws->text + t->start, t->end - t->start);
    return 0;
}

typedef struct score {
    double rr, s1;
    double *ms;
    size_t n;
} score;

static void record(score *s, int rank, double ms) {
    if (rank > 0 && rank <= TOP) s->rr += 1.0 / rank;
    if (rank == 1) s->s1 += 1;
    s->ms[s->n++] = ms;
}

static void report(const char *engine, const char *variant, score *s) {
    qsort(s->ms, s->n, sizeof *s->ms, cmp_double);
    printf("| %s | %s | %.3f | %.3f | %.1f |\n", engine, variant, s->rr / s->n, s->s1 / s->n,
           s->ms[s->n / 2]);
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: known_item INDEX FTS5DB CORPUS.jsonl.gz [N] "
                        "[phrase,title_terms,title_phrase,exact,k1,b]\n");
        return 2;
    }
    size_t want = argc > 4 ? (size_t)atol(argv[4]) : 1000;
    vnsi_ranking_weights weights = vnsi_ranking_defaults;
    if (argc > 5 &&
        sscanf(argv[5], "%lf,%lf,%lf,%lf,%lf,%lf", &weights.phrase, &weights.title_terms,
               &weights.title_phrase, &weights.exact, &weights.bm25_k1, &weights.bm25_b) != 6) {
        fprintf(stderr, "known_item: weights are six numbers separated by commas\n");
        return 2;
    }
    corpus c = {0};
    cli_reader_callbacks cb = {.article = collect, .failure = NULL, .ctx = &c};
    cli_read_source(argv[3], &cb, NULL);
    /* Keep titles that occur once: a duplicated title has no single right answer. */
    size_t k = 0;
    for (size_t i = 0; i < c.n; i++)
        if (!vnsi_strset_has(&c.dup, c.items[i].title, strlen(c.items[i].title)))
            c.items[k++] = c.items[i];
    c.n = k;
    if (want > c.n) want = c.n;
    /* A fixed-seed partial Fisher-Yates shuffle (LCG): the same sample every run. */
    unsigned long long state = SEED;
    for (size_t i = 0; i < want; i++) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        size_t j = i + (size_t)((state >> 33) % (c.n - i));
        item t = c.items[i];
        c.items[i] = c.items[j];
        c.items[j] = t;
    }

    vns_searcher *s = NULL;
    char err[512];
    const char *paths[] = {argv[1]};
    if (vns_searcher_open(&s, paths, 1, err, sizeof err) != VNS_OK) {
        fprintf(stderr, "known_item: %s\n", err);
        return 1;
    }
    if (vnsi_searcher_set_weights(s, &weights) != VNS_OK) {
        fprintf(stderr, "known_item: %s\n", vns_searcher_errmsg(s));
        return 2;
    }
    sqlite3 *fdb = NULL;
    if (sqlite3_open_v2(argv[2], &fdb, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        fprintf(stderr, "known_item: cannot open %s\n", argv[2]);
        return 1;
    }
    vnsi_analyzer *an = NULL;
    vnsi_analyzer_new(&an);
    score sc[4] = {{0}};
    for (int e = 0; e < 4; e++) sc[e].ms = calloc(want, sizeof(double));

    for (size_t i = 0; i < want; i++) {
        for (int folded = 0; folded < 2; folded++) {
            words ws = {.text = c.items[i].title, .folded = folded};
            vnsi_analyze(an, ws.text, strlen(ws.text), 0, add_word, &ws, NULL);
            size_t qlen = 1;
            for (size_t j = 0; j < ws.n; j++) qlen += strlen(ws.w[j]) + 1;
            char *q = calloc(1, qlen);
            for (size_t j = 0; j < ws.n; j++) {
                if (j) strcat(q, " ");
                strcat(q, ws.w[j]);
            }
            /* vnsearch */
            int rank = 0;
            double t0 = now_ms();
            vns_results *r = NULL;
            vns_query_options qo = VNS_QUERY_OPTIONS_INIT;
            if (vns_searcher_query(&r, s, q, &qo) == VNS_OK) {
                for (int pos = 1; vns_results_next(r) == VNS_OK; pos++) {
                    (void)vns_results_snippet(r); /* Snippets are made, as for FTS5. */
                    if (rank == 0 && strcmp(vns_results_id(r), c.items[i].id) == 0) rank = pos;
                }
            }
            vns_results_free(r);
            record(&sc[folded], rank, now_ms() - t0);
            /* FTS5 */
            char *ids[TOP];
            rank = 0;
            t0 = now_ms();
            int n = fts5_search(fdb, (const char *const *)ws.w, ws.n, TOP, ids);
            for (int j = 0; j < n; j++) {
                if (rank == 0 && strcmp(ids[j], c.items[i].id) == 0) rank = j + 1;
                free(ids[j]);
            }
            record(&sc[2 + folded], rank, now_ms() - t0);
            for (size_t j = 0; j < ws.n; j++) free(ws.w[j]);
            free(q);
        }
    }
    printf("Known-item search: %zu titles (unique in the corpus, seed %u) of %s\n", want, SEED,
           argv[3]);
    printf("weights: phrase %.2f, title_terms %.2f, title_phrase %.2f, exact %.2f, k1 %.2f, "
           "b %.2f\n\n",
           weights.phrase, weights.title_terms, weights.title_phrase, weights.exact,
           weights.bm25_k1, weights.bm25_b);
    printf("| engine | query typed | MRR@10 | success@1 | median ms |\n|---|---|---|---|---|\n");
    report("vnsearch", "with diacritics", &sc[0]);
    report("vnsearch", "without diacritics", &sc[1]);
    report("FTS5", "with diacritics", &sc[2]);
    report("FTS5", "without diacritics", &sc[3]);

    /* Diacritic precision: two adjacent accented words of a sampled title, typed with their
     * diacritics and unquoted; the share of the top 10 that hold both exact forms (the set
     * --exact returns). Folding alone cannot tell sở from số; the exact boost should. */
    double prec[2] = {0, 0};
    size_t nq = 0;
    for (size_t i = 0; i < want && nq < 300; i++) {
        words ws = {.text = c.items[i].title, .folded = 0};
        words fs = {.text = c.items[i].title, .folded = 1};
        vnsi_analyze(an, ws.text, strlen(ws.text), 0, add_word, &ws, NULL);
        vnsi_analyze(an, fs.text, strlen(fs.text), 0, add_word, &fs, NULL);
        size_t j = 0;
        while (j + 1 < ws.n &&
               (strcmp(ws.w[j], fs.w[j]) == 0 || strcmp(ws.w[j + 1], fs.w[j + 1]) == 0))
            j++;
        if (j + 1 < ws.n) {
            char q[1024];
            snprintf(q, sizeof q, "%s %s", ws.w[j], ws.w[j + 1]);
            vnsi_strset exact = {0};
            vns_results *r = NULL;
            vns_query_options qo = VNS_QUERY_OPTIONS_INIT;
            qo.exact = 1;
            qo.limit = SIZE_MAX;
            qo.snippet_words = 1;
            if (vns_searcher_query(&r, s, q, &qo) == VNS_OK)
                while (vns_results_next(r) == VNS_OK)
                    vnsi_strset_add(&exact, vns_results_id(r), strlen(vns_results_id(r)));
            vns_results_free(r);
            qo.exact = 0;
            qo.limit = TOP;
            size_t got = 0, hit = 0;
            if (vns_searcher_query(&r, s, q, &qo) == VNS_OK)
                for (; vns_results_next(r) == VNS_OK; got++)
                    hit += vnsi_strset_has(&exact, vns_results_id(r), strlen(vns_results_id(r)));
            vns_results_free(r);
            char *ids[TOP];
            const char *pairw[2] = {ws.w[j], ws.w[j + 1]};
            int n = fts5_search(fdb, pairw, 2, TOP, ids);
            size_t fhit = 0;
            for (int k = 0; k < n; k++) {
                fhit += vnsi_strset_has(&exact, ids[k], strlen(ids[k]));
                free(ids[k]);
            }
            if (got > 0 && n > 0) {
                prec[0] += (double)hit / got;
                prec[1] += (double)fhit / n;
                nq++;
            }
            vnsi_strset_clear(&exact);
        }
        for (size_t k = 0; k < ws.n; k++) free(ws.w[k]);
        for (size_t k = 0; k < fs.n; k++) free(fs.w[k]);
    }
    printf("\nDiacritic precision@10 (%zu two-word queries typed with diacritics): "
           "vnsearch %.3f, FTS5 %.3f\n",
           nq, prec[0] / nq, prec[1] / nq);
    vnsi_analyzer_free(an);
    vns_searcher_close(s);
    sqlite3_close(fdb);
    return 0;
}
