/* query_build.h: parses the vnsearch query language into a Xapian query and a highlight spec. */
#ifndef VNS_QUERY_BUILD_H
#define VNS_QUERY_BUILD_H

#include <stddef.h>

#include "analyzer.h"
#include "ranking.h"
#include "vnsearch.h"
#include "xapian_shim.h"

/* Limits that keep absurd queries bounded. */
#define VNS_QUERY_MAX_BYTES 65536
#define VNS_QUERY_MAX_WORDS 256
#define VNS_QUERY_MAX_DEPTH 32
/* A prefix (word*) expands to at most this many of its most frequent terms. */
#define VNS_PREFIX_MAX_EXPANSION 200

/* What the snippet generator highlights: folded words anywhere, folded phrases only whole,
 * and words starting with a folded prefix. Strings are NUL-terminated folded forms. */
typedef struct vnsi_hl_spec {
    char **words;
    size_t nwords;
    char **prefixes;
    size_t nprefixes;
    /* Phrases: phrase i is words phrase_words[phrase_start[i] .. phrase_start[i+1]). */
    char **phrase_words;
    size_t nphrase_words;
    size_t *phrase_start; /* nphrases + 1 entries. */
    size_t nphrases;
} vnsi_hl_spec;

/* Frees everything the spec holds and zeroes it; accepts a zeroed spec. Never fails. */
void vnsi_hl_spec_clear(vnsi_hl_spec *spec);

/* Parses text:
 *   words           all must match (folded); adjacent words rank higher as a phrase;
 *   "a phrase"      the syllables in order;      -word, -"phrase", -(group)  exclude;
 *   a OR b          either (OR binds looser than the implicit AND);   ( ... ) group;
 *   word*           words starting with word;    title:word, title:"phrase", title:word*;
 * words typed with diacritics rank their exact forms higher, and with exact != 0 require them.
 * The boosts are weighted by weights (borrowed for the call).
 * *out (vxs_query_free) and *spec (vnsi_hl_spec_clear) are the caller's on VNS_OK.
 * Returns VNS_OK, VNS_EQUERY (syntax error or no words: err names the position, 1-based in
 * characters), VNS_ENOMEM, VNS_EINTERNAL. err gets errlen bytes at most. */
vns_status vnsi_query_build(vxs_query **out, vnsi_hl_spec *spec, vnsi_analyzer *an,
                            const char *text, int exact, const vnsi_ranking_weights *weights,
                            char *err, size_t errlen);

#endif /* VNS_QUERY_BUILD_H */
