/* ranking.h: the weights added to BM25. Each is the factor of an OP_SCALE_WEIGHT boost. */
#ifndef VNS_RANKING_H
#define VNS_RANKING_H

/* Where each value comes from: tests/bench/known_item (1,000 VNTC titles as queries, with and
 * without diacritics), see BENCHMARKS.md. Until that run, 1.0 means "as strong as the BM25
 * weight of the same terms". */

/* The words of a bare run standing together as a phrase. */
#define VNS_PHRASE_BOOST 1.0
/* Each query word found in the title (S terms). */
#define VNS_TITLE_TERMS_BOOST 1.0
/* All the words of a run standing together in the title. */
#define VNS_TITLE_PHRASE_BOOST 1.0
/* The exact forms of words typed with diacritics (E terms). */
#define VNS_EXACT_BOOST 1.0

/* BM25 parameters (Xapian's BM25Weight(k1, k2, k3, b, min_normlen)). */
#define VNS_BM25_K1 1.2
#define VNS_BM25_B 0.75

#endif /* VNS_RANKING_H */
