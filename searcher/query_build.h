/* query_build.h: turns a query tree (query_parse.h) into a Xapian query and a highlight spec. */
#ifndef VNS_QUERY_BUILD_H
#define VNS_QUERY_BUILD_H

#include <stddef.h>

#include "analyzer.h"
#include "query_parse.h"
#include "ranking.h"
#include "vnsearch.h"
#include "xapian_shim.h"

/* A prefix (word*) expands to at most this many of its most frequent terms; the prefixes of one
 * query share VNS_QUERY_MAX_EXPANSION (vnsearch.h) among them. */
#define VNS_PREFIX_MAX_EXPANSION 200

/* The terms each of nprefixes prefixes in one query expands to: an equal share of
 * VNS_QUERY_MAX_EXPANSION, at most VNS_PREFIX_MAX_EXPANSION, at least 1. Never fails. */
unsigned vnsi_prefix_expansion(size_t nprefixes);

/* What the snippet generator highlights: folded words anywhere, folded phrases only whole,
 * and words starting with a folded prefix. Strings are NUL-terminated folded forms. */
typedef struct vnsi_hl_spec {
    char **words;
    size_t nwords, words_cap;
    char **prefixes;
    size_t nprefixes, prefixes_cap;
    /* Phrases: phrase i is words phrase_words[phrase_start[i] .. phrase_start[i+1]). */
    char **phrase_words;
    size_t nphrase_words, phrase_words_cap;
    size_t *phrase_start; /* nphrases + 1 entries. */
    size_t nphrases, phrase_start_cap;
    /* Whether phrase i is another way to write query words (an abbreviation's other form):
     * highlighted, not counted as query words (nphrases entries, phrase_alt_cap). */
    unsigned char *phrase_alt;
    size_t phrase_alt_cap;
    /* The documents holding each of words (its query word's df; nwords entries, word_df_cap). */
    uint64_t *word_df;
    size_t word_df_cap;
    /* What each of words weighs in a snippet window (nwords entries; NULL: 1 each), set by the
     * searcher from word_df. */
    unsigned *word_weight;
} vnsi_hl_spec;

/* Frees everything the spec holds and zeroes it; accepts a zeroed spec. Never fails. */
void vnsi_hl_spec_clear(vnsi_hl_spec *spec);

/* Under VNS_MATCH_ANY, the boosts that cost most to check are the pairs of two common words and
 * the exact forms of common words (the words' common flags, query_parse.h). The searcher may
 * build a query in two parts whose scores add up to the whole query's (searcher.c, two passes). */
typedef enum vnsi_part {
    VNSI_PART_ALL = 0, /* The whole query. */
    VNSI_PART_CHEAP,   /* Without the costliest boosts: what finds and most of the ranking. */
    VNSI_PART_COSTLY,  /* Only the costliest boosts, as one OR (NULL when there are none); the
                          tree must be one alternative (no OR at its top). */
} vnsi_part;

/* How to build a query. */
typedef struct vnsi_build_opts {
    int exact;        /* Words typed with diacritics must match exactly. */
    int common_forms; /* The index writes the common exact forms as N terms (exact_common.h). */
    vns_match match;  /* VNS_MATCH_ALL or VNS_MATCH_ANY (VNS_MATCH_AUTO is taken as ALL). */
    vnsi_part part;   /* VNS_MATCH_ANY: which part to build (default the whole query). */
    uint64_t docs;    /* The documents searched (0: unknown; a common form's boost then keeps
                         Xapian's estimate of its documents, exact_query). */
} vnsi_build_opts;

/* Builds the Xapian query of a tree (vnsi_query_parse): each AND level requires its items and
 * excludes its NOT items; a run of words also ranks higher as a phrase and in the title; words
 * typed with diacritics rank their exact forms higher, and with opts->exact require them. Under
 * VNS_MATCH_ANY the bare words of a run (outside title:) are optional: an alternative needs its
 * other items and some of them. The
 * boosts are weighted by weights (borrowed for the call). *out (vxs_query_free) and *spec
 * (vnsi_hl_spec_clear) are the caller's on VNS_OK (*out NULL for a VNSI_PART_COSTLY without
 * boosts); on failure *out is NULL and *spec empty.
 * Returns VNS_OK, VNS_ENOMEM, VNS_EINVAL (Xapian refused a query: its message in err), another
 * status the shim mapped, or VNS_EINTERNAL (a tree the parser cannot make). err gets errlen bytes
 * at most. */
vns_status vnsi_query_build_tree(vxs_query **out, vnsi_hl_spec *spec, const vnsi_qnode *root,
                                 const vnsi_build_opts *opts, const vnsi_ranking_weights *weights,
                                 char *err, size_t errlen);

/* Parses text (vnsi_query_parse, with an, not literal) and builds its query under VNS_MATCH_ALL
 * (vnsi_query_build_tree; exact and common_forms as in vnsi_build_opts).
 * *out and *spec are the caller's on VNS_OK. Returns what either returns: VNS_EQUERY (a syntax
 * error or no words: err names the position, 1-based in characters) and the statuses above. */
vns_status vnsi_query_build(vxs_query **out, vnsi_hl_spec *spec, vnsi_analyzer *an,
                            const char *text, int exact, int common_forms,
                            const vnsi_ranking_weights *weights, char *err, size_t errlen);

#endif /* VNS_QUERY_BUILD_H */
