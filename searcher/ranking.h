/* ranking.h: the weights vnsearch adds to BM25, each the factor of one OP_SCALE_WEIGHT boost. */
#ifndef VNS_RANKING_H
#define VNS_RANKING_H

#include <stdint.h>

/* Every value is chosen by tests/bench/known_item (1,000 VNTC titles as queries, typed with and
 * without diacritics); BENCHMARKS.md has the runs. The defaults live in ranking.c. */
typedef struct vnsi_ranking_weights {
    double phrase;              /* The words of a bare run standing together as a phrase. */
    double title_terms;         /* Each query word found in the title (S terms). */
    double title_phrase;        /* All the words of a run standing together in the title. */
    double exact;               /* The exact forms of words typed with diacritics (E terms). */
    double any_pair;            /* VNS_MATCH_ANY: two adjacent query words standing together. */
    double any_common;          /* VNS_MATCH_ANY: a word in more than this share of the documents is
                                   common: it ranks, but does not find (1: none is). */
    double any_common_min_docs; /* ... and in more than this many documents (below, its postings
                                   are cheap to read: it keeps finding). */
    double any_depth;           /* VNS_MATCH_ANY in two passes: the documents the first keeps. */
    double abbr_typed; /* An abbreviation or what it stands for, in the form typed (either form
                          finds, weighed as one word: rewrite.h). */
    /* VNS_MATCH_AUTO's rule (searcher.c): a query with a '?' or more than auto_max_words bare
     * words is answered as VNS_MATCH_ANY; a shorter one as VNS_MATCH_ALL when that answer holds
     * at least auto_min_matches documents, else as VNS_MATCH_ANY. */
    double auto_max_words;
    double auto_min_matches;
    double bm25_k1; /* BM25 term-frequency saturation. */
    double bm25_b;  /* BM25 length normalization. */
} vnsi_ranking_weights;

/* The default weights. Each searcher starts with a copy; only benchmarks give a searcher other
 * weights (vnsi_searcher_set_weights in searcher_sys.h), to measure them. */
extern const vnsi_ranking_weights vnsi_ranking_defaults;

/* The factor that weighs a common exact form's boost (query_build.c, exact_query) by the
 * documents that hold the form instead of Xapian's estimate of them. Its boost is
 * SYNONYM(folded AND_NOT (N OR E), E), and Xapian 1.4 weighs a SYNONYM by a document count it
 * estimates from its parts as if they were independent; but the N term's documents are a part of
 * the folded word's, so where few of them hold the form the estimate is far too high and the
 * boost too low (folded word in 306 articles, the form in 3: an estimate of about 266, and a
 * boost a third of an E term's: an outside attack, docs/schema.md). The documents that hold the
 * form are known, fold_df - absent_df; the factor is BM25's idf of that count over its idf of
 * Xapian's estimate (from fold_df, absent_df, exact_df and docs, as Xapian's AND_NOT and OR
 * estimate them), 1 when they agree or docs is 0. Never fails. */
double vnsi_common_idf_correction(uint64_t fold_df, uint64_t absent_df, uint64_t exact_df,
                                  uint64_t docs);

#endif /* VNS_RANKING_H */
