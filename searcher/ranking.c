/* ranking.c: the default ranking weights (see ranking.h for what each does). */
#include "ranking.h"

#include <math.h>

/* Chosen with tests/bench/known_item on VNTC (BENCHMARKS.md, "Ranking weights"):
 * - phrase 1.0: adjacent query words as a phrase; 0 loses a little (MRR@10 0.994 vs 0.995) and
 *   the seeds' "dong chi" ranking needs it.
 * - title_terms 0: a title boost per word gained nothing on known-item search (0.995 either way)
 *   and lifted articles with one common word in the title above articles about the query, so it
 *   is left out of the query (it would only cost time).
 * - title_phrase 1.0: the query's words as a phrase in the title; 0 drops MRR@10 to 0.991.
 * - exact 2.0: diacritic precision@10 is 0.871 at 0, 0.953 at 1, 0.971 at 2, 0.987 at 4, with
 *   MRR@10 unchanged; above 2 the exact boost outweighs the phrase boost so much that scattered
 *   exact words beat the adjacent phrase, so 2.
 * - BM25 k1 1.2, b 0.75: the usual values, not tuned here.
 * VNS_MATCH_ANY and VNS_MATCH_AUTO, chosen with tests/bench/qa_eval (the QA sets, and the alqac
 * passages added to VNTC), bench_long and known_item (BENCHMARKS.md, "Questions and long queries"):
 * - any_pair 1.0: alqac nDCG@10 93.52 / 95.28 / 95.67 at 0 / 1 / 2 (noise above 1); inside VNTC
 *   the pairs holding a common syllable are what finds multi-syllable words (62-69 without, 79
 *   with, typed without diacritics).
 * - any_common 0.2, any_common_min_docs 1000: 40 ALQAC questions on VNTC, p50 450 ms with every
 *   word finding, 27 ms with the common words only ranking; x1.7 at 0.3, x2.3 at 0.5. The floor
 *   leaves small indexes without common words (a cut at 0.2 costs alqac 2 points on its 304
 *   passages, where every posting list is cheap anyway); 1,000 rather than 5,000: on the first
 *   10,000 VNTC articles (make bench-small) long-query p50 0.31x / 0.29x FTS5 (questions /
 *   passages) against 0.37x / 0.38x, the QA sets (under 1,000 passages) and VNTC unchanged.
 * - any_depth 50: bench_long on VNTC, p50 against FTS5 0.14x (questions) and 0.14x (passages)
 *   at 50, 0.17x and 0.16x at 100 (target 0.15x); inside VNTC alqac nDCG@10 73.11 / 78.37 (with
 *   / without diacritics) at 50, 76.26 / 79.23 at 100, 71.17 / 75.84 at 30 (FTS5 67.76 /
 *   46.34); 86 with every boost everywhere, at 4x the time.
 * - abbr_typed 0.2: "a little higher" for the form typed (issue 13). Either form of an
 *   abbreviation is weighed as one word (OP_SYNONYM), so an article with only the other form
 *   still ranks by it; 0.2 of a word's weight puts, between two articles alike but for the form,
 *   the one with the typed form first without lifting it over an article holding more of the
 *   query's other words. BENCHMARKS.md (issue 13) has the recall of 20 abbreviations with it.
 * - auto_max_words 12: full VNTC titles keep MRR@10 0.995 (0.994 at 8, where titles of 9 to 12
 *   words went to any) and 7 ms instead of 21; the QA sets without their '?' score the same from
 *   4 to 1,000 (the thin-answer rule sends the questions to any).
 * - auto_min_matches 10: a page; fewer documents holding every word is a thin answer, widened
 *   to the partial matches (unless they add nothing). Not tuned. */
const vnsi_ranking_weights vnsi_ranking_defaults = {
    .phrase = 1.0,
    .title_terms = 0.0,
    .title_phrase = 1.0,
    .exact = 2.0,
    .any_pair = 1.0,
    .any_common = 0.2,
    .any_common_min_docs = 1000,
    .any_depth = 50,
    .abbr_typed = 0.2,
    .auto_max_words = 12,
    .auto_min_matches = 10,
    .bm25_k1 = 1.2,
    .bm25_b = 0.75,
};

/* Xapian 1.4's BM25 idf of a term in tf of n documents (bm25weight.cc, without relevance
 * information): the log of (n - tf + 0.5) / (tf + 0.5), which below 2 is first smoothed to half
 * of it plus 1. */
static double bm25_idf(double tf, double n) {
    double tw = (n - tf + 0.5) / (tf + 0.5);
    if (tw < 2) tw = tw * 0.5 + 1;
    return log(tw);
}

/* Xapian 1.4's rounding of an estimate (postlist.h's TermFreqs hold whole documents). */
static double whole(double x) {
    return floor(x + 0.5);
}

double vnsi_common_idf_correction(uint64_t fold_df, uint64_t absent_df, uint64_t exact_df,
                                  uint64_t docs) {
    if (docs == 0 || fold_df <= absent_df) return 1.0;
    double n = (double)docs, a = (double)absent_df, e = (double)exact_df;
    /* OR and AND_NOT as Xapian estimates them: P(l or r) = P(l) + P(r) - P(l) P(r), and
     * P(l not r) = P(l) (1 - P(r)). */
    double other = whole(a + e - a * e / n);
    double alone = whole((double)fold_df * (1.0 - other / n));
    double est = whole(alone + e - alone * e / n);
    double want = bm25_idf((double)(fold_df - absent_df), n), got = bm25_idf(est, n);
    return got > 1e-9 && est != (double)(fold_df - absent_df) ? want / got : 1.0;
}
