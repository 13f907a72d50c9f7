/* query_build.c: bare words -> AND of folded syllables, with phrase and exact-diacritic boosts. */
#include "query_build.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"

/* Ranking weights. Provisional values (1.0: a boost as strong as one BM25 term) until the
 * known-item benchmark of tests/bench chooses them by measurement. */
#define PHRASE_BOOST 1.0
#define EXACT_BOOST 1.0

/* At most this many words of a query are used; the rest are ignored (and said so in err). */
#define MAX_QUERY_WORDS 64

typedef struct word {
    char folded[VNS_MAX_FORM_BYTES + 1];
    size_t folded_len;
    char exact[VNS_MAX_FORM_BYTES + 2]; /* With the E prefix. */
    size_t exact_len;
    int accented; /* Typed with diacritics (exact form differs from folded). */
} word;

typedef struct collect_ctx {
    word *words;
    size_t n;
} collect_ctx;

static int collect(const vns_token *tok, void *p) {
    collect_ctx *c = p;
    if (c->n >= MAX_QUERY_WORDS) return 1;
    word *w = &c->words[c->n++];
    memcpy(w->folded, tok->folded, tok->folded_len);
    w->folded_len = tok->folded_len;
    w->exact[0] = VNS_PREFIX_EXACT[0];
    memcpy(w->exact + 1, tok->exact, tok->exact_len);
    w->exact_len = tok->exact_len + 1;
    w->accented = tok->exact_len != tok->folded_len ||
                  memcmp(tok->exact, tok->folded, tok->folded_len) != 0;
    return 0;
}

/* q = AND_MAYBE(q, boost * sub); frees sub; returns the new q or NULL (q freed) on failure. */
static vxs_query *add_boost(vxs_query *q, vxs_query *sub, double boost) {
    vxs_query *scaled = sub ? vxs_query_scale(sub, boost) : NULL;
    vxs_query *pair[2] = {q, scaled};
    vxs_query *r = scaled ? vxs_query_combine(VXS_OP_AND_MAYBE, pair, 2, 0) : NULL;
    vxs_query_free(sub);
    vxs_query_free(scaled);
    vxs_query_free(q);
    return r;
}

vns_status vns_query_build(vns_analyzer *an, const char *text, vxs_query **out, char *err,
                           size_t errlen) {
    *out = NULL;
    word *words = calloc(MAX_QUERY_WORDS, sizeof *words);
    vxs_query **terms = calloc(MAX_QUERY_WORDS, sizeof *terms);
    vxs_query **exact = calloc(MAX_QUERY_WORDS, sizeof *exact);
    vns_status st = VNS_OK;
    vxs_query *q = NULL;
    if (words == NULL || terms == NULL || exact == NULL) {
        st = VNS_ENOMEM;
        snprintf(err, errlen, "out of memory");
        goto done;
    }
    collect_ctx c = {words, 0};
    st = vns_analyze(an, text, strlen(text), 1, collect, &c, NULL);
    if (st != VNS_OK) {
        snprintf(err, errlen, "analyzer: %s", vns_analyzer_errmsg(an));
        goto done;
    }
    if (c.n == 0) {
        st = VNS_EQUERY;
        snprintf(err, errlen, "the query has no words to search for");
        goto done;
    }
    size_t nexact = 0;
    for (size_t i = 0; i < c.n; i++) {
        terms[i] = vxs_query_term(words[i].folded, words[i].folded_len, 1, (uint32_t)(i + 1));
        if (terms[i] == NULL) goto nomem;
        if (words[i].accented) {
            exact[nexact] = vxs_query_term(words[i].exact, words[i].exact_len, 1, 0);
            if (exact[nexact++] == NULL) goto nomem;
        }
    }
    q = vxs_query_combine(VXS_OP_AND, terms, c.n, 0);
    if (q == NULL) goto nomem;
    if (c.n > 1) {
        q = add_boost(q, vxs_query_combine(VXS_OP_PHRASE, terms, c.n, 0), PHRASE_BOOST);
        if (q == NULL) goto nomem;
    }
    if (nexact > 0) {
        q = add_boost(q, vxs_query_combine(VXS_OP_OR, exact, nexact, 0), EXACT_BOOST);
        if (q == NULL) goto nomem;
    }
    *out = q;
    goto done;

nomem:
    st = VNS_ENOMEM;
    snprintf(err, errlen, "out of memory building the query");
done:
    for (size_t i = 0; terms && i < MAX_QUERY_WORDS; i++) vxs_query_free(terms[i]);
    for (size_t i = 0; exact && i < MAX_QUERY_WORDS; i++) vxs_query_free(exact[i]);
    free(words);
    free(terms);
    free(exact);
    return st;
}
