/* qa_eval.c: question answering quality. Each question of a QA set (queries.tsv, qrels.tsv) is
 * run through vnsearch in each match mode (literal: pasted text) and through FTS5 with its words
 * ORed; the rank of its one relevant passage gives nDCG@10, MRR@10, R@10 and P@1, scored as
 * shared/corpus/qa/README.md says. Prints one JSON object per row, then a Markdown table. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer.h"
#include "bench_util.h"
#include "fts5_peer.h"
#include "ranking.h"
#include "strset.h"
#include "vnsearch.h"

#define TOP 10             /* Results read per question: every figure is @10. */
#define MAX_SHOWN_ERRORS 5 /* Failed questions shown on stderr per row. */
#define PERCENT 100.0      /* The figures are printed as percentages, as in the README. */

/* One row of the report: vnsearch in one match mode, or the FTS5 peer. */
typedef struct engine {
    const char *label; /* What --mode calls it, and the JSON "mode". */
    const char *row;   /* The Markdown row's name. */
    int fts5;
    vns_match match;
} engine;

static const engine engines[] = {
    {"auto", "vnsearch auto", 0, VNS_MATCH_AUTO},
    {"all", "vnsearch all", 0, VNS_MATCH_ALL},
    {"any", "vnsearch any", 0, VNS_MATCH_ANY},
    {"fts5", "FTS5 OR bm25", 1, VNS_MATCH_ANY},
};
#define N_ENGINES (sizeof engines / sizeof *engines)

/* A question with its judged passage and its words for FTS5. */
typedef struct question {
    const char *qid, *text, *relevant; /* Borrowed from the two tables. */
    bench_words words;                 /* Surface forms: FTS5 folds them itself. */
} question;

/* The sums behind one row. */
typedef struct tally {
    double ndcg, rr, found, first; /* Sums over the questions. */
    size_t unanswered;             /* Questions with no result (failed ones included). */
    size_t errors;                 /* Questions whose query failed. */
    size_t results;                /* Results returned, in all. */
    size_t as_any;                 /* vnsearch: answers made as VNS_MATCH_ANY. */
    double *ms;                    /* Each question's time. */
    size_t n;
} tally;

/* Adds one question's outcome: its relevant passage at rank (0: not in the top 10), nres
 * results (-1: the query failed), ms milliseconds. Never fails. */
static void record(tally *t, int rank, int nres, double ms) {
    if (rank > 0) {
        t->ndcg += 1.0 / log2(rank + 1.0);
        t->rr += 1.0 / rank;
        t->found += 1;
        t->first += rank == 1;
    }
    if (nres < 0) t->errors++;
    if (nres <= 0)
        t->unanswered++;
    else
        t->results += (size_t)nres;
    t->ms[t->n++] = ms;
}

/* Runs every question through engine e and tallies the outcomes in *t. Returns 0, or -1 when out
 * of memory. */
static int run_engine(const engine *e, question *qs, size_t nq, vns_searcher *s, sqlite3 *fdb,
                      tally *t) {
    t->ms = calloc(nq ? nq : 1, sizeof *t->ms);
    if (t->ms == NULL) return -1;
    vns_query_options qo = VNS_QUERY_OPTIONS_INIT;
    qo.limit = TOP;
    qo.literal = 1; /* Pasted questions: their punctuation is text, never query syntax. */
    qo.match = e->match;
    for (size_t i = 0; i < nq; i++) {
        char *ids[TOP];
        vns_match made = VNS_MATCH_ALL;
        double t0 = now_ms();
        int n = e->fts5 ? fts5_search_any(fdb, (const char *const *)qs[i].words.w, qs[i].words.n,
                                          TOP, ids)
                        : bench_vns_search(s, qs[i].text, &qo, TOP, ids, &made);
        double ms = now_ms() - t0;
        if (n < 0 && t->errors < MAX_SHOWN_ERRORS)
            fprintf(stderr, "qa_eval: %s: %s failed: %s\n", e->row, qs[i].qid,
                    e->fts5 ? sqlite3_errmsg(fdb) : vns_searcher_errmsg(s));
        if (n >= 0 && !e->fts5 && made == VNS_MATCH_ANY) t->as_any++;
        record(t, n > 0 ? bench_rank_of(ids, n, qs[i].relevant) : 0, n, ms);
        if (n > 0) bench_ids_free(ids, n);
    }
    return 0;
}

/* Prints row e's figures as one JSON object on a line. Never fails. */
static void print_json(const engine *e, tally *t, size_t repeated, const vnsi_ranking_weights *w) {
    qsort(t->ms, t->n, sizeof *t->ms, cmp_double);
    double n = t->n ? (double)t->n : 1;
    printf("{\"engine\":\"%s\",\"mode\":\"%s\",\"queries\":%zu,\"ndcg10\":%.2f,\"mrr10\":%.2f,"
           "\"r10\":%.2f,\"p1\":%.2f,\"unanswered\":%zu,\"errors\":%zu,\"mean_results\":%.2f,"
           "\"median_ms\":%.3f,",
           e->fts5 ? "fts5" : "vnsearch", e->label, t->n, PERCENT * t->ndcg / n,
           PERCENT * t->rr / n, PERCENT * t->found / n, PERCENT * t->first / n, t->unanswered,
           t->errors, t->results / n, bench_percentile(t->ms, t->n, 0.5));
    if (!e->fts5) printf("\"answered_as_any\":%zu,", t->as_any);
    printf("\"repeated_texts\":%zu,\"weights\":", repeated);
    bench_weights_json(stdout, w);
    printf("}\n");
}

/* Prints row e's figures as a Markdown table row (t's times sorted by print_json); the
 * unanswered questions include the failed ones, whose number follows. Never fails. */
static void print_row(const engine *e, const tally *t) {
    double n = t->n ? (double)t->n : 1;
    char failed[64] = "";
    if (t->errors) snprintf(failed, sizeof failed, " (%zu failed)", t->errors);
    printf("| %s | %.2f | %.2f | %.2f | %.2f | %zu%s | %.2f | %.2f |\n", e->row,
           PERCENT * t->ndcg / n, PERCENT * t->rr / n, PERCENT * t->found / n,
           PERCENT * t->first / n, t->unanswered, failed, t->results / n,
           bench_percentile(t->ms, t->n, 0.5));
}

/* One judgment: a question and its relevant passage (borrowed from the qrels table). */
typedef struct qrel {
    const char *qid, *passage;
} qrel;

/* qsort and bsearch comparator of judgments, by qid. */
static int cmp_qrel(const void *a, const void *b) {
    return strcmp(((const qrel *)a)->qid, ((const qrel *)b)->qid);
}

/* Pairs each question of queries with its judged passage in qrels, tokenized for FTS5, into
 * *out (malloc'd, the caller's; *nq gets the count). Questions without a judgment are left out
 * (said on stderr). Returns 0, or -1 (a qid judged twice, no memory, an analyzer failure) with
 * the message on stderr. */
static int pair_questions(question **out, size_t *nq, const bench_tsv *queries,
                          const bench_tsv *qrels, vnsi_analyzer *an) {
    qrel *judged = malloc((qrels->n + 1) * sizeof *judged);
    question *qs = calloc(queries->n + 1, sizeof *qs);
    int rc = judged && qs ? 0 : -1;
    if (rc < 0) fprintf(stderr, "qa_eval: out of memory\n");
    for (size_t i = 0; rc == 0 && i < qrels->n; i++)
        judged[i] = (qrel){qrels->key[i], qrels->value[i]};
    if (rc == 0) qsort(judged, qrels->n, sizeof *judged, cmp_qrel);
    for (size_t i = 1; rc == 0 && i < qrels->n; i++)
        if (strcmp(judged[i - 1].qid, judged[i].qid) == 0) {
            fprintf(stderr,
                    "qa_eval: %s is judged twice: the scoring assumes one relevant "
                    "passage per question\n",
                    judged[i].qid);
            rc = -1;
        }
    size_t n = 0, unjudged = 0;
    for (size_t i = 0; rc == 0 && i < queries->n; i++) {
        qrel key = {queries->key[i], NULL};
        const qrel *hit = bsearch(&key, judged, qrels->n, sizeof *judged, cmp_qrel);
        if (hit == NULL) {
            unjudged++;
            continue;
        }
        question *q = &qs[n++];
        *q =
            (question){.qid = queries->key[i], .text = queries->value[i], .relevant = hit->passage};
        if (bench_words_of(&q->words, an, q->text, strlen(q->text), 0) != VNS_OK) {
            fprintf(stderr, "qa_eval: %s: %s\n", q->qid, vnsi_analyzer_errmsg(an));
            rc = -1;
        }
    }
    if (unjudged)
        fprintf(stderr, "qa_eval: %zu questions have no judged passage: left out\n", unjudged);
    free(judged);
    if (rc < 0) {
        for (size_t i = 0; i < n; i++) bench_words_clear(&qs[i].words);
        free(qs);
        return -1;
    }
    *out = qs;
    *nq = n;
    return 0;
}

/* The number of questions whose text an earlier question already has (vire4mrc has some: the
 * same question judged against different passages; each is scored on its own). Never fails. */
static size_t count_repeated(const question *qs, size_t nq) {
    vnsi_strset seen = {0};
    size_t repeated = 0;
    for (size_t i = 0; i < nq; i++) {
        size_t len = strlen(qs[i].text);
        if (vnsi_strset_has(&seen, qs[i].text, len))
            repeated++;
        else
            vnsi_strset_add(&seen, qs[i].text, len);
    }
    vnsi_strset_clear(&seen);
    return repeated;
}

/* Prints the usage line on stderr; returns the exit status of a usage error. */
static int usage(void) {
    fprintf(stderr, "usage: qa_eval [--weights name=value,...] [--mode auto|all|any|fts5] "
                    "VNS_DB FTS5_DB QUERIES.tsv QRELS.tsv\n");
    return 2;
}

int main(int argc, char **argv) {
    vnsi_ranking_weights weights = vnsi_ranking_defaults;
    const char *only = NULL;
    char err[1024];
    int a = 1;
    for (; a + 1 < argc && strncmp(argv[a], "--", 2) == 0; a += 2) {
        if (strcmp(argv[a], "--weights") == 0) {
            if (bench_weights_parse(&weights, argv[a + 1], err, sizeof err) < 0) {
                fprintf(stderr, "qa_eval: --weights: %s\n", err);
                return 2;
            }
        } else if (strcmp(argv[a], "--mode") == 0) {
            only = argv[a + 1];
        } else {
            return usage();
        }
    }
    if (argc - a != 4) return usage();
    int selected = 0;
    for (size_t e = 0; e < N_ENGINES; e++) selected |= !only || strcmp(only, engines[e].label) == 0;
    if (!selected) return usage();
    const char *vns_db = argv[a], *fts_db = argv[a + 1], *qpath = argv[a + 2];

    int rc = 1;
    bench_tsv queries = {0}, qrels = {0};
    question *qs = NULL;
    size_t nq = 0;
    vns_searcher *s = NULL;
    sqlite3 *fdb = NULL;
    vnsi_analyzer *an = NULL;
    tally tallies[N_ENGINES] = {{0}};
    if (bench_tsv_read(&queries, qpath, err, sizeof err) != VNS_OK ||
        bench_tsv_read(&qrels, argv[a + 3], err, sizeof err) != VNS_OK) {
        fprintf(stderr, "qa_eval: %s\n", err);
        goto done;
    }
    if (vnsi_analyzer_new(&an) != VNS_OK || pair_questions(&qs, &nq, &queries, &qrels, an) < 0)
        goto done;
    if (bench_searcher_open(&s, vns_db, &weights, "qa_eval") < 0) goto done;
    if (sqlite3_open_v2(fts_db, &fdb, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        fprintf(stderr, "qa_eval: cannot open %s\n", fts_db);
        goto done;
    }
    size_t repeated = count_repeated(qs, nq);
    if (repeated)
        fprintf(stderr, "qa_eval: %zu questions repeat an earlier question's text\n", repeated);
    for (size_t e = 0; e < N_ENGINES; e++) {
        if (only && strcmp(only, engines[e].label) != 0) continue;
        if (run_engine(&engines[e], qs, nq, s, fdb, &tallies[e]) < 0) goto done;
        print_json(&engines[e], &tallies[e], repeated, &weights);
    }
    printf("\n%zu questions of %s, top %d (vnsearch: literal, snippets made; FTS5: the "
           "question's words ORed, bm25, snippet())\n\n",
           nq, qpath, TOP);
    printf("| engine / mode | nDCG@10 | MRR@10 | R@10 | P@1 | unanswered | mean results | "
           "median ms |\n|---|---|---|---|---|---|---|---|\n");
    for (size_t e = 0; e < N_ENGINES; e++)
        if (tallies[e].ms) print_row(&engines[e], &tallies[e]);
    rc = 0;
done:
    for (size_t e = 0; e < N_ENGINES; e++) free(tallies[e].ms);
    for (size_t i = 0; i < nq; i++) bench_words_clear(&qs[i].words);
    free(qs);
    bench_tsv_clear(&queries);
    bench_tsv_clear(&qrels);
    vnsi_analyzer_free(an);
    vns_searcher_close(s);
    sqlite3_close(fdb);
    return rc;
}
