/* ranking.c: the default ranking weights (see ranking.h for what each does). */
#include "ranking.h"

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
 * - BM25 k1 1.2, b 0.75: the usual values, not tuned here. */
const vnsi_ranking_weights vnsi_ranking_defaults = {
    .phrase = 1.0,
    .title_terms = 0.0,
    .title_phrase = 1.0,
    .exact = 2.0,
    .any_pair = 1.0,
    .any_common = 0.2,
    .any_common_min_docs = 5000,
    .any_depth = 100,
    .auto_max_words = 8,
    .auto_min_matches = 10,
    .bm25_k1 = 1.2,
    .bm25_b = 0.75,
};
