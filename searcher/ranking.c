/* ranking.c: the default ranking weights (see ranking.h for what each does). */
#include "ranking.h"

vns_ranking_weights vns_ranking = {
    .phrase = 1.0,
    .title_terms = 1.0,
    .title_phrase = 1.0,
    .exact = 1.0,
    .bm25_k1 = 1.2,
    .bm25_b = 0.75,
};
