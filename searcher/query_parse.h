/* query_parse.h: the vnsearch query language: text -> a tree of analyzed nodes with positions. */
#ifndef VNS_QUERY_PARSE_H
#define VNS_QUERY_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "analyzer.h"
#include "meta.h"
#include "vnsearch.h"

/* Limits that keep absurd queries bounded. */
#define VNS_QUERY_MAX_BYTES 65536
#define VNS_QUERY_MAX_DEPTH 32

/* The language:
 *   words           all must match (folded); adjacent words rank higher as a phrase; words
 *                   typed joined without a space (U-19, 6/2/2017) match as a phrase;
 *   "a phrase"      the syllables in order;      -word, -"phrase", -(group)  exclude;
 *   a OR b          either (OR binds looser than the implicit AND);   ( ... ) group;
 *   word*           words starting with word;    title:word, title:"phrase", title:word*;
 *   source:x  topic:"x y"  tag:x   the whole field value (folded);
 *   date:2024  date:2024-05  date:2024-05-06  date:A..B  date:..B  date:A..   (inclusive, in
 *                   Vietnam time). Filters never change scores; filters alone are a query.
 * A node with one child where two or more are possible (an OR of one alternative, an AND of one
 * item) is left out: its child stands in its place. */
typedef enum vnsi_qkind {
    VNSI_Q_OR,     /* kids: two or more alternatives (each an AND or a single item). */
    VNSI_Q_AND,    /* kids: two or more items; all but the NOT ones must match. */
    VNSI_Q_GROUP,  /* kid: a parenthesized OR or alternative, ranked as a unit of its own (its
                      boosts stay inside it, and its words never join a run outside it). */
    VNSI_Q_NOT,    /* kid: an excluded WORDS, PHRASE, PREFIX, FIELD or GROUP. */
    VNSI_Q_FIELD,  /* kid: a WORDS, PHRASE or PREFIX searched in one field (field below). */
    VNSI_Q_WORDS,  /* words: a run of adjacent bare words (one word or more). */
    VNSI_Q_PHRASE, /* words: a quoted phrase (one word or more). */
    VNSI_Q_PREFIX, /* prefix: the folded start of a word typed before '*'. */
    VNSI_Q_FILTER, /* A metadata filter: term (source:, topic:, tag:) or a date range. */
} vnsi_qkind;

/* One analyzed word of the query: its forms (NUL-terminated) and its bytes in the query text. */
typedef struct vnsi_qword {
    char folded[VNS_MAX_FORM_BYTES + 1];
    size_t folded_len;
    char exact[VNS_MAX_FORM_BYTES + 1];
    size_t exact_len;
    int accented; /* The exact form differs from the folded one (typed with diacritics). */
    int glued;    /* Typed joined to the word before it in its node, without a space between
                     (U-19, 6/2/2017, Covid-19): in a WORDS node such words are one unit,
                     matched as a phrase. */
    /* Set by the searcher: the documents holding the folded form (words of WORDS runs outside -);
     * and, for VNS_MATCH_ANY, whether it is in so many that it only ranks documents other words
     * found (common), or in none (absent). */
    uint64_t df;
    int common, absent;
    /* Set by the searcher for a common exact form of an index that writes them apart
     * (exact_common.h): the documents holding its N term and its E term (0 otherwise). */
    uint64_t absent_df, exact_df;
    size_t start, end;
} vnsi_qword;

/* Another way to write words [first, first + count) of a node: an abbreviation for what it
 * stands for, or the reverse (UBND, uy ban nhan dan), found by the searcher (rewrite.h). */
#define VNSI_QALT_CAP 256
typedef struct vnsi_qalt {
    size_t first, count;
    char folded[VNSI_QALT_CAP]; /* Folded words joined by single spaces, NUL-terminated. */
} vnsi_qalt;

typedef struct vnsi_qnode {
    vnsi_qkind kind;
    size_t start, end; /* The bytes of the query text the node covers. */
    struct vnsi_qnode **kids;
    size_t nkids, kids_cap;
    vnsi_qword *words; /* WORDS and PHRASE. */
    size_t nwords, words_cap;
    vnsi_qalt *alts; /* WORDS and PHRASE: other ways to write some of the words (by first). */
    size_t nalts, alts_cap;
    char prefix[VNS_MAX_FORM_BYTES + 2]; /* PREFIX: NUL-terminated. */
    const char *field;                   /* FIELD: the field's term prefix (VNS_PREFIX_TITLE). */
    /* FILTER: the term of a whole value (prefix VNS_PREFIX_META_*), NUL-terminated; or, when
     * term is empty, the dates [date_lo, date_hi] in Unix seconds (has_lo/has_hi 0: open). */
    char term[VNSI_META_TERM_CAP];
    int64_t date_lo, date_hi;
    int has_lo, has_hi;
} vnsi_qnode;

/* Parses text (NUL-terminated) into a tree; words are analyzed with an (the indexer's analyzer).
 * With literal non-zero the text is plain words, not the language: the tree is one WORDS run of
 * its first VNS_QUERY_MAX_WORDS words, and only an empty, oversized or non-UTF-8 text fails.
 * *out is the caller's on VNS_OK, freed with vnsi_qnode_free. Returns VNS_OK, VNS_EQUERY (a
 * syntax error, a limit passed, or no words: err names the position, 1-based in characters),
 * VNS_ENOMEM, or VNS_EINTERNAL (the analyzer failed). err gets errlen bytes at most. */
vns_status vnsi_query_parse(vnsi_qnode **out, vnsi_analyzer *an, const char *text, int literal,
                            char *err, size_t errlen);

/* The number of bare words in a tree: the words of its WORDS runs outside title: and -
 * (repeats counted). Never fails. */
size_t vnsi_query_bare_words(const vnsi_qnode *root);

/* Sets w's folded and exact forms (NUL-terminated) and accented from an analyzed word; the rest
 * of w is left as it is. Never fails (forms are at most VNS_MAX_FORM_BYTES). */
void vnsi_qword_set_forms(vnsi_qword *w, const vnsi_token *tok);

/* Whether n asks only filters (source:, topic:, tag:, date:), alone or in groups, ANDed or ORed
 * (not excluded inside): excluded, such a node still leaves a query of every other article.
 * Never fails. */
int vnsi_qnode_only_filters(const vnsi_qnode *n);

/* Frees a tree; accepts NULL. Never fails. */
void vnsi_qnode_free(vnsi_qnode *n);

#endif /* VNS_QUERY_PARSE_H */
