/* searcher_sys.h: white-box controls of a vns_searcher for benchmarks and tests, not the API. */
#ifndef VNS_SEARCHER_SYS_H
#define VNS_SEARCHER_SYS_H

#include "ranking.h"
#include "vnsearch.h"

/* Nothing here is in include/vnsearch.h or exported from libvnsearch.so: only programs linked
 * with the static library's internals (benchmarks, tests) can call these. */

/* Replaces the ranking weights s uses for every query it runs from now on (each searcher starts
 * with vnsi_ranking_defaults); w is copied. Returns VNS_OK, or VNS_EINVAL (s or w NULL, a weight
 * negative or not a number, or bm25_b above 1), with the message on the searcher. */
vns_status vnsi_searcher_set_weights(vns_searcher *s, const vnsi_ranking_weights *w);

/* Copies the weights s uses into *out. Returns VNS_OK, or VNS_EINVAL (out or s NULL). */
vns_status vnsi_searcher_weights(vnsi_ranking_weights *out, const vns_searcher *s);

#endif /* VNS_SEARCHER_SYS_H */
