/* results_int.h: a query's answer (vns_results) as the searcher makes it (searcher.c) and the
 * results functions read it (results.c). */
#ifndef VNS_RESULTS_INT_H
#define VNS_RESULTS_INT_H

#include <stddef.h>
#include <stdint.h>

#include "docdata.h"
#include "facets.h"
#include "query_build.h"
#include "vnsearch.h"
#include "xapian_shim.h"

struct vns_results {
    vns_searcher *s;
    vxs_mset *mset;
    /* The results when two passes ranked them (search_any): norder documents with their scores,
     * in rank order; NULL when the results are mset's. */
    uint32_t *order;
    double *order_score;
    size_t norder;
    vnsi_hl_spec spec; /* What to highlight. */
    size_t offset;
    unsigned snippet_words;
    char *hl_start, *hl_end;
    int html; /* The marked snippet is HTML (vns_query_options.html). */
    uint64_t total;
    int total_exact;
    vns_match match;     /* How the answer was made: ALL or ANY. */
    size_t query_words;  /* Distinct folded words searched for (r->words). */
    char **words;        /* Those words as terms (NUL-terminated), to count matched_words. */
    char *searched_for;  /* The query with Telex / VNI words read (NULL: as typed). */
    char *suggestion;    /* A much more common spelling of the query (NULL: none). */
    vnsi_facets *facets; /* The facets counted (NULL: none asked for). */
    size_t matched;      /* matched_words of the current result, once looked up. */
    int matched_known;
    uint64_t reopens; /* The database's vxs_db_reopens when the query read it. */
    char **blobs;     /* Prefetched data of the first items (NULL beyond VNSI_PREFETCH). */
    size_t ids_only;  /* The first of two passes: blobs hold the ids of this many first documents,
                         not their data (0: data). */
    size_t *blob_lens;
    size_t nblobs;
    size_t next; /* Index of the next item to visit. */
    int current; /* Non-zero when positioned on an item. */
    /* The current item (strings malloc'd, NUL-terminated; snippet fields made on first use). */
    uint32_t docid;
    char *data;
    size_t data_len;
    vnsi_docdata doc; /* Points into data. */
    vnsi_meta_view meta;
    char *id;
    char *title;
    char *heading;
    char *snippet;
    char *marked;
    vns_range *hl;
    size_t nhl;
    double score;
};

/* Forgets the answer of r (its mset, its two-pass order and the data read). Never fails. */
void vnsi_results_clear_answer(vns_results *r);

/* Frees the data read ahead (vnsi_results_prefetch). Never fails. */
void vnsi_results_free_blobs(vns_results *r);

/* Reads the data of the first VNSI_PREFETCH results (the ids of the first r->ids_only instead),
 * so that a writer's commit cannot fail the caller's iteration; *failed_doc gets the docid being
 * read when it fails. Returns VNS_OK or the shim's status (VNS_EMODIFIED: run again). */
vns_status vnsi_results_prefetch(vns_results *r, uint32_t *failed_doc);

/* Sets r->spec's word weights for snippets from the documents holding each word (of docs): 1 +
 * VNS_SNIPPET_IDF_SCALE x floor(log2(docs / df)) (a word in every document 1, in one of 100,000
 * 49), so that a window of the rare words of a question beats one of its particles. Returns
 * VNS_OK or VNS_ENOMEM (the message on the searcher). */
vns_status vnsi_results_weigh_words(vns_results *r, uint64_t docs);

/* Sets r->words to the distinct words of r->spec (plain and phrase words; borrowed from it).
 * Returns VNS_OK or VNS_ENOMEM. */
vns_status vnsi_results_collect_words(vns_results *r);

#endif /* VNS_RESULTS_INT_H */
