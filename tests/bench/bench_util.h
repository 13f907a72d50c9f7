/* bench_util.h: what the benchmark programs share: the clock, sorting and percentiles, a seeded
 * generator, the words of a text, tab-separated files, ranking weights by name, query modes by
 * name, and one vnsearch query read the way the FTS5 peer reads one. */
#ifndef VNS_BENCH_UTIL_H
#define VNS_BENCH_UTIL_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "analyzer.h"
#include "bench_clock.h"
#include "ranking.h"
#include "vnsearch.h"

/* qsort comparator for doubles, ascending. */
static inline int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The value at fraction p (0 to 1) of n sorted values, nearest rank; 0 when n is 0. Never fails. */
static inline double bench_percentile(const double *sorted, size_t n, double p) {
    return n ? sorted[(size_t)(p * (n - 1) + 0.5)] : 0;
}

/* A seeded linear congruential generator (Knuth's MMIX constants): the same draws every run. */
typedef struct bench_rng {
    unsigned long long state;
} bench_rng;

/* The next draw, in [0, n) (0 when n is 0). Never fails. */
static inline size_t bench_rng_below(bench_rng *r, size_t n) {
    r->state = r->state * 6364136223846793005ULL + 1442695040888963407ULL;
    return n ? (size_t)((r->state >> 33) % n) : 0;
}

/* Moves a random sample of want of the n elements (each size bytes) of base to its front, in
 * draw order (a partial Fisher-Yates shuffle); want is capped at n. Never fails. */
void bench_sample(void *base, size_t n, size_t size, size_t want, bench_rng *r);

/* The words of a text as the analyzer splits it (words, numbers and other runs alike). */
typedef struct bench_words {
    char **w;            /* Each word as typed, or folded; malloc'd, owned by the list. */
    size_t *start, *end; /* Its byte range in the analyzed text. */
    size_t n, cap;
} bench_words;

/* Appends the words of text (len bytes) to *out, each as typed (folded 0) or folded. Returns
 * VNS_OK, VNS_ENOMEM, or the analyzer's failure (its message in vnsi_analyzer_errmsg). */
vns_status bench_words_of(bench_words *out, vnsi_analyzer *an, const char *text, size_t len,
                          int folded);

/* Frees the words; the list is empty and reusable afterwards. Never fails. */
void bench_words_clear(bench_words *ws);

/* Words [from, from + n) of ws joined with sep: a malloc'd string the caller frees, or NULL when
 * out of memory. */
char *bench_words_join(const bench_words *ws, size_t from, size_t n, const char *sep);

/* The lines of a tab-separated file: key TAB value (the value is the rest of the line). */
typedef struct bench_tsv {
    char **key, **value; /* malloc'd, owned by the table. */
    size_t n, cap;
} bench_tsv;

/* Appends the lines of path to *out (blank lines skipped; CR LF read as LF). Returns VNS_OK, or
 * VNS_ENOTFOUND / VNS_EIO (cannot read), VNS_EINVAL (a line without a tab) or VNS_ENOMEM, with
 * the message in err. */
vns_status bench_tsv_read(bench_tsv *out, const char *path, char *err, size_t errlen);

/* Frees the table's strings; the table is empty and reusable afterwards. Never fails. */
void bench_tsv_clear(bench_tsv *t);

/* Sets the fields spec names ("name=value,name=value": any field vnsi_ranking_weights has in
 * this build) in *w and leaves the others. Returns 0, or -1 (a name the struct does not have, a
 * value that is not a number) with the message in err. */
int bench_weights_parse(vnsi_ranking_weights *w, const char *spec, char *err, size_t errlen);

/* Writes w as one JSON object, every field by name. Never fails. */
void bench_weights_json(FILE *f, const vnsi_ranking_weights *w);

/* The mode named "auto", "all" or "any" in *out. Returns 0, or -1 for another name. */
int bench_match_parse(vns_match *out, const char *name);

/* The name of a mode ("auto", "all", "any"). Never fails ("?" for another value). */
const char *bench_match_name(vns_match m);

/* Opens a searcher over paths (one index, or several separated by commas, searched as one) that
 * ranks with weights w; *out is the caller's, closed with vns_searcher_close. Returns 0, or -1
 * with the message on stderr after prog. */
int bench_searcher_open(vns_searcher **out, const char *paths, const vnsi_ranking_weights *w,
                        const char *prog);

/* Runs q with options o and reads the results as a user would, the snippet of each made: up to
 * limit ids (malloc'd; the caller frees each, see bench_ids_free) go to ids, and *made (may be
 * NULL) gets how the answer was made. Returns the number of results, or -1 when the query
 * failed (the message in vns_searcher_errmsg, or vns_results_errmsg while reading). */
int bench_vns_search(vns_searcher *s, const char *q, const vns_query_options *o, int limit,
                     char **ids, vns_match *made);

/* Frees the n ids. Never fails. */
void bench_ids_free(char **ids, int n);

/* The 1-based rank of id among the n ids, or 0 when absent. Never fails. */
int bench_rank_of(char *const *ids, int n, const char *id);

/* Runs query i of a set in one engine (ctx: the set and the engine's handles). Returns the
 * number of results, or -1 when the query failed. */
typedef int (*bench_query_fn)(size_t i, void *ctx);

/* Times n queries in two engines, alternating query by query (a's, then b's), so that both see
 * the machine in the same state: pass 0 warms the caches and is not counted, then `passes`
 * timed passes; ta[i] and tb[i] get query i's median time over them in ms (on a shared machine
 * one slow moment then moves one pass only), na[i] and nb[i] its result counts in the first
 * timed pass. Returns 0, or -1 when out of memory. */
int bench_time_alternating(size_t n, int passes, bench_query_fn a, bench_query_fn b, void *ctx,
                           double *ta, double *tb, int *na, int *nb);

/* BENCH_SLOWEST=N (environment): prints the N slowest of the n queries in engine a's times ta
 * (ms; tb: engine b's, shown beside) on stderr, each with its label (labels[i], or label for
 * every query when labels is NULL) and its text queries[i], to see what a tail is made of.
 * Nothing without the variable. Never fails. */
void bench_print_slowest(const double *ta, const double *tb, size_t n, char *const *labels,
                         const char *label, char *const *queries);

#endif /* VNS_BENCH_UTIL_H */
