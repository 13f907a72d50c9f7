/* known_item.c: known-item search quality on a JSONL corpus: each sampled article's title is the
 * query (with diacritics, and folded without), and the article should come first. Reports MRR@10
 * and success@1 for vnsearch and SQLite FTS5 side by side. --partial: the query is 3 to 5
 * consecutive words of the title instead, the harder case. */
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
#define DEFAULT_TITLES 1000   /* Titles sampled when N is not given. */
#define PARTIAL_MIN_WORDS 3   /* --partial: a query is 3 ... */
#define PARTIAL_MAX_WORDS 5   /* ... to 5 consecutive words of the title. */
#define MAX_MODES 3           /* --mode lists each of auto, all, any at most once. */
#define PRECISION_QUERIES 300 /* Two-word queries of the diacritic precision figure. */

typedef struct item {
    char *id, *title;
} item;

typedef struct corpus {
    item *items;
    size_t n, cap;
    vnsi_strset seen, dup; /* Titles seen once, and titles seen again. */
} corpus;

/* The reader's callback: keeps each titled article's id and title, and notes repeated titles.
 * Returns VNS_OK or VNS_ENOMEM. */
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

typedef struct score {
    double rr, s1;
    double *ms;
    size_t n;
} score;

/* Adds one query's outcome: the article at rank (0: not in the top 10), in ms. Never fails. */
static void record(score *s, int rank, double ms) {
    if (rank > 0 && rank <= TOP) s->rr += 1.0 / rank;
    if (rank == 1) s->s1 += 1;
    s->ms[s->n++] = ms;
}

/* Prints one Markdown row of s (its times get sorted). Never fails. */
static void report(const char *engine, const char *variant, score *s) {
    qsort(s->ms, s->n, sizeof *s->ms, cmp_double);
    double n = s->n ? (double)s->n : 1;
    printf("| %s | %s | %.3f | %.3f | %.1f |\n", engine, variant, s->rr / n, s->s1 / n,
           bench_percentile(s->ms, s->n, 0.5));
}

/* What a run asks for. */
typedef struct run {
    vns_match modes[MAX_MODES]; /* The vnsearch modes, each a row. */
    size_t nmodes;
    int named;   /* Rows say their mode ("vnsearch (all)"); else "vnsearch" is auto, as before. */
    int partial; /* Queries of 3 to 5 consecutive title words instead of whole titles. */
} run;

/* Runs the titles of items[0, want) (or parts of them) through each vnsearch mode and FTS5, with
 * and without diacritics: sc[m][folded] for mode m, sc[nmodes][folded] for FTS5. *skipped gets
 * the titles too short for --partial. Returns 0, or -1 when out of memory or the analyzer
 * fails. */
static int run_titles(const run *rn, const item *items, size_t want, vns_searcher *s, sqlite3 *fdb,
                      vnsi_analyzer *an, bench_rng *rng, score (*sc)[2], size_t *skipped) {
    vns_query_options qo = VNS_QUERY_OPTIONS_INIT;
    qo.limit = TOP;
    *skipped = 0;
    for (size_t i = 0; i < want; i++) {
        bench_words ws[2] = {{0}};
        const char *title = items[i].title;
        for (int folded = 0; folded < 2; folded++)
            if (bench_words_of(&ws[folded], an, title, strlen(title), folded) != VNS_OK) {
                bench_words_clear(&ws[0]);
                bench_words_clear(&ws[1]);
                return -1;
            }
        size_t from = 0, len = ws[0].n;
        if (rn->partial) {
            /* One start and length for both ways of typing, drawn whatever the title. */
            len =
                PARTIAL_MIN_WORDS + bench_rng_below(rng, PARTIAL_MAX_WORDS - PARTIAL_MIN_WORDS + 1);
            if (len > ws[0].n) len = ws[0].n;
            from = bench_rng_below(rng, ws[0].n - len + 1);
        }
        if (rn->partial && len < PARTIAL_MIN_WORDS) {
            (*skipped)++;
        } else {
            for (int folded = 0; folded < 2; folded++) {
                char *q = bench_words_join(&ws[folded], from, len, " ");
                if (q == NULL) {
                    bench_words_clear(&ws[0]);
                    bench_words_clear(&ws[1]);
                    return -1;
                }
                char *ids[TOP];
                for (size_t m = 0; m < rn->nmodes; m++) {
                    qo.match = rn->modes[m];
                    double t0 = now_ms();
                    int n = bench_vns_search(s, q, &qo, TOP, ids, NULL);
                    double ms = now_ms() - t0;
                    record(&sc[m][folded], n > 0 ? bench_rank_of(ids, n, items[i].id) : 0, ms);
                    if (n > 0) bench_ids_free(ids, n);
                }
                double t0 = now_ms();
                int n = fts5_search(fdb, (const char *const *)ws[folded].w + from, len, TOP, ids);
                double ms = now_ms() - t0;
                record(&sc[rn->nmodes][folded], n > 0 ? bench_rank_of(ids, n, items[i].id) : 0, ms);
                if (n > 0) bench_ids_free(ids, n);
                free(q);
            }
        }
        bench_words_clear(&ws[0]);
        bench_words_clear(&ws[1]);
    }
    return 0;
}

/* Diacritic precision: two adjacent accented words of a sampled title, typed with their
 * diacritics and unquoted; the share of the top 10 that hold both exact forms (the set --exact
 * returns). Folding alone cannot tell sở from số; the exact boost should. Prints the figure for
 * vnsearch (default options) and FTS5. Never fails (a failed query leaves its title out). */
static void diacritic_precision(const item *items, size_t want, vns_searcher *s, sqlite3 *fdb,
                                vnsi_analyzer *an) {
    double prec[2] = {0, 0};
    size_t nq = 0;
    for (size_t i = 0; i < want && nq < PRECISION_QUERIES; i++) {
        bench_words ws = {0}, fs = {0};
        const char *title = items[i].title;
        bench_words_of(&ws, an, title, strlen(title), 0);
        bench_words_of(&fs, an, title, strlen(title), 1);
        size_t j = 0;
        while (j + 1 < ws.n && j + 1 < fs.n &&
               (strcmp(ws.w[j], fs.w[j]) == 0 || strcmp(ws.w[j + 1], fs.w[j + 1]) == 0))
            j++;
        if (j + 1 < ws.n && j + 1 < fs.n) {
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
            for (int k = 0; k < n; k++) fhit += vnsi_strset_has(&exact, ids[k], strlen(ids[k]));
            if (n > 0) bench_ids_free(ids, n);
            if (got > 0 && n > 0) {
                prec[0] += (double)hit / got;
                prec[1] += (double)fhit / n;
                nq++;
            }
            vnsi_strset_clear(&exact);
        }
        bench_words_clear(&ws);
        bench_words_clear(&fs);
    }
    printf("\nDiacritic precision@10 (%zu two-word queries typed with diacritics): "
           "vnsearch %.3f, FTS5 %.3f\n",
           nq, prec[0] / nq, prec[1] / nq);
}

/* Reads --mode's comma-separated list into rn. Returns 0, or -1 (an unknown or repeated mode,
 * more than MAX_MODES). */
static int parse_modes(run *rn, const char *list) {
    char *copy = strdup(list), *save = NULL;
    int rc = copy ? 0 : -1;
    rn->nmodes = 0;
    for (char *m = copy ? strtok_r(copy, ",", &save) : NULL; m && rc == 0;
         m = strtok_r(NULL, ",", &save)) {
        vns_match mode;
        rc = bench_match_parse(&mode, m) == 0 && rn->nmodes < MAX_MODES ? 0 : -1;
        for (size_t k = 0; rc == 0 && k < rn->nmodes; k++)
            if (rn->modes[k] == mode) rc = -1;
        if (rc == 0) rn->modes[rn->nmodes++] = mode;
    }
    free(copy);
    return rc == 0 && rn->nmodes > 0 ? 0 : -1;
}

/* Prints the usage on stderr; returns the exit status of a usage error. */
static int usage(void) {
    fprintf(stderr,
            "usage: known_item [--partial] [--mode auto|all|any[,...]] [--weights name=value,...] "
            "INDEX FTS5DB CORPUS.jsonl.gz [N] [phrase,title_terms,title_phrase,exact,k1,b]\n"
            "  --partial  queries of %d to %d consecutive title words (default modes auto,all)\n"
            "  --mode     the vnsearch modes to report, one row each (default: auto, the rows "
            "named \"vnsearch\")\n",
            PARTIAL_MIN_WORDS, PARTIAL_MAX_WORDS);
    return 2;
}

int main(int argc, char **argv) {
    run rn = {.modes = {VNS_MATCH_AUTO}, .nmodes = 1};
    vnsi_ranking_weights weights = vnsi_ranking_defaults;
    char err[1024];
    int a = 1, named_weights = 0;
    for (; a < argc && strncmp(argv[a], "--", 2) == 0; a++) {
        if (strcmp(argv[a], "--partial") == 0) {
            rn.partial = 1;
            if (!rn.named) parse_modes(&rn, "auto,all");
        } else if (strcmp(argv[a], "--mode") == 0 && a + 1 < argc) {
            if (parse_modes(&rn, argv[++a]) < 0) return usage();
            rn.named = 1;
        } else if (strcmp(argv[a], "--weights") == 0 && a + 1 < argc) {
            if (bench_weights_parse(&weights, argv[++a], err, sizeof err) < 0) {
                fprintf(stderr, "known_item: --weights: %s\n", err);
                return 2;
            }
            named_weights = 1;
        } else {
            return usage();
        }
    }
    rn.named |= rn.partial;
    argc -= a - 1;
    argv += a - 1;
    if (argc < 4) return usage();
    size_t want = argc > 4 ? (size_t)atol(argv[4]) : DEFAULT_TITLES;
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
    for (size_t i = 0; i < c.n; i++) {
        if (!vnsi_strset_has(&c.dup, c.items[i].title, strlen(c.items[i].title))) {
            c.items[k++] = c.items[i];
        } else {
            free(c.items[i].id);
            free(c.items[i].title);
        }
    }
    c.n = k;
    vnsi_strset_clear(&c.seen);
    vnsi_strset_clear(&c.dup);
    if (want > c.n) want = c.n;
    /* A fixed-seed sample: the same titles every run; --partial draws on from the same seed. */
    bench_rng rng = {SEED};
    bench_sample(c.items, c.n, sizeof *c.items, want, &rng);

    vns_searcher *s = NULL;
    if (bench_searcher_open(&s, argv[1], &weights, "known_item") < 0) return 1;
    sqlite3 *fdb = NULL;
    if (sqlite3_open_v2(argv[2], &fdb, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        fprintf(stderr, "known_item: cannot open %s\n", argv[2]);
        return 1;
    }
    vnsi_analyzer *an = NULL;
    if (vnsi_analyzer_new(&an) != VNS_OK) return 1;
    score sc[MAX_MODES + 1][2] = {{{0}}};
    for (size_t e = 0; e <= rn.nmodes; e++)
        for (int f = 0; f < 2; f++) sc[e][f].ms = calloc(want ? want : 1, sizeof(double));
    size_t skipped = 0;
    if (run_titles(&rn, c.items, want, s, fdb, an, &rng, sc, &skipped) < 0) {
        fprintf(stderr, "known_item: out of memory, or the analyzer failed: %s\n",
                vnsi_analyzer_errmsg(an));
        return 1;
    }
    if (rn.partial)
        printf("Known-item search, partial titles: %zu titles (unique in the corpus, seed %u) of "
               "%s, each queried by %d to %d consecutive words of it (%zu titles shorter than %d "
               "words left out)\n",
               want - skipped, SEED, argv[3], PARTIAL_MIN_WORDS, PARTIAL_MAX_WORDS, skipped,
               PARTIAL_MIN_WORDS);
    else
        printf("Known-item search: %zu titles (unique in the corpus, seed %u) of %s\n", want, SEED,
               argv[3]);
    printf("weights: phrase %.2f, title_terms %.2f, title_phrase %.2f, exact %.2f, k1 %.2f, "
           "b %.2f\n\n",
           weights.phrase, weights.title_terms, weights.title_phrase, weights.exact,
           weights.bm25_k1, weights.bm25_b);
    if (named_weights) {
        /* Every field, the ones the line above leaves out too. */
        printf("all weights: ");
        bench_weights_json(stdout, &weights);
        printf("\n\n");
    }
    printf("| engine | query typed | MRR@10 | success@1 | median ms |\n|---|---|---|---|---|\n");
    const char *typed[2] = {"with diacritics", "without diacritics"};
    for (size_t m = 0; m < rn.nmodes; m++) {
        char engine[64] = "vnsearch";
        if (rn.named)
            snprintf(engine, sizeof engine, "vnsearch (%s)", bench_match_name(rn.modes[m]));
        for (int f = 0; f < 2; f++) report(engine, typed[f], &sc[m][f]);
    }
    for (int f = 0; f < 2; f++)
        report(rn.partial ? "FTS5 (AND)" : "FTS5", typed[f], &sc[rn.nmodes][f]);
    if (!rn.partial) diacritic_precision(c.items, want, s, fdb, an);
    for (size_t e = 0; e <= rn.nmodes; e++)
        for (int f = 0; f < 2; f++) free(sc[e][f].ms);
    for (size_t i = 0; i < c.n; i++) {
        free(c.items[i].id);
        free(c.items[i].title);
    }
    free(c.items);
    vnsi_analyzer_free(an);
    vns_searcher_close(s);
    sqlite3_close(fdb);
    return 0;
}
