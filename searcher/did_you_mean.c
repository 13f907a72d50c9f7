/* did_you_mean.c: "did you mean": the query with one rare word written the far more common way,
 * when that finds more (suggest.c finds the spellings of one syllable). */
#include "did_you_mean.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer.h"
#include "exact_common.h"
#include "schema.h"
#include "searcher_int.h"
#include "suggest.h"
#include "typing.h"
#include "util.h"

/* A suggestion must be this many times as common as the word typed: measured with
 * tests/bench/misspell (BENCHMARKS.md, issue 13). */
#define VNS_SUGGEST_RATIO 20
/* Only a word in fewer than one document in this many is looked at (on VNTC, 420): measured
 * with tests/bench/spelling_eval.py (misspelled titles) and known_item (its cost). */
#define VNS_SUGGEST_RARE 200
/* At most this many words' spellings are tried, each costing one count of the query. */
#define VNS_SUGGEST_TRIES 3

/* One word written another way in the suggestion. */
typedef struct fix {
    size_t start, end;
    char text[64];
    double gain; /* How many times as common the spelling is as the word typed. */
} fix;

typedef struct suggest_ctx {
    vns_searcher *s;
    vns_status st;
    fix *fixes;
    size_t nfixes, cap;
    const char *text;
    uint64_t docs; /* The documents searched. */
} suggest_ctx;

/* The number of documents holding term (prefix, then len bytes of form), recording a failure in
 * c. */
static uint64_t term_df(suggest_ctx *c, const char *prefix, const char *form, size_t len) {
    uint64_t df = 0;
    vns_status st = vnsi_searcher_term_df(c->s, prefix, form, len, &df);
    if (st != VNS_OK && c->st == VNS_OK) c->st = st;
    return df;
}

/* vnsi_df_fn over the searcher's index: folded terms, or E terms for exact forms with marks
 * (an exact form without any is its folded term); a common form of an index that writes them as
 * N terms (exact_common.h) is held by the documents of its folded word without its N term. */
static uint64_t df_of(const char *form, size_t len, int exact, void *p) {
    suggest_ctx *c = p;
    int marked = 0;
    for (size_t i = 0; i < len; i++) marked |= (unsigned char)form[i] >= 0x80;
    if (len > VNS_MAX_FORM_BYTES) return 0;
    if (!exact || !marked) return term_df(c, "", form, len);
    if (vnsi_searcher_common_forms(c->s)) {
        char fold[VNS_MAX_FORM_BYTES + 1];
        size_t fl = vnsi_fold_text(vnsi_searcher_analyzer(c->s), form, len, fold, sizeof fold);
        if (fl < sizeof fold && vnsi_common_find(fold, fl, form, len) >= 0) {
            uint64_t all = term_df(c, "", fold, fl),
                     without = term_df(c, VNS_PREFIX_ABSENT, form, len);
            return all > without ? all - without : 0;
        }
    }
    return term_df(c, VNS_PREFIX_EXACT, form, len);
}

/* Adds to c->fixes each word of n's runs and phrases (outside -) that is rare as typed and has a
 * far more common spelling (vnsi_suggest_word), with how many times as common it is. A failure
 * (a lookup, memory) is left in c->st. */
static void suggest_node(suggest_ctx *c, const vnsi_qnode *n) {
    if (n->kind == VNSI_Q_NOT) return;
    for (size_t i = 0; i < n->nkids && c->st == VNS_OK; i++) suggest_node(c, n->kids[i]);
    if (n->kind != VNSI_Q_WORDS && n->kind != VNSI_Q_PHRASE) return;
    for (size_t i = 0; i < n->nwords && c->st == VNS_OK; i++) {
        const vnsi_qword *w = &n->words[i];
        fix f = {.start = w->start, .end = w->end};
        size_t len = w->end - w->start;
        /* A letter alone (x, a) and a part of words typed joined (U-19, a-b) are no syllables
         * mistyped: they are left as typed. */
        int joined = w->glued || (i + 1 < n->nwords && n->words[i + 1].glued);
        if (len >= sizeof f.text || w->folded_len < 2 || joined) continue;
        /* A word typed without diacritics that is no syllable is a name or a foreign word
         * (Boeing, Mali, euro, UDRP): left as typed. */
        if (!w->accented && !vnsi_syllable_valid(c->text + w->start, len)) continue;
        /* A word in many documents as typed is no typo worth the candidates' lookups: known-item
         * title queries (thin answers of common words) cost 12% more without this check. */
        uint64_t own = df_of(w->accented ? w->exact : w->folded,
                             w->accented ? w->exact_len : w->folded_len, w->accented, c);
        if ((double)own * VNS_SUGGEST_RARE > (double)c->docs) continue;
        if (!vnsi_suggest_word(c->text + w->start, len, VNS_SUGGEST_RATIO, df_of, c, f.text,
                               sizeof f.text) ||
            c->st != VNS_OK)
            continue;
        /* The counts the suggestion compared: of the word as typed and as suggested. */
        char low[64];
        size_t ll =
            vnsi_syllable_canonical_iy(f.text, strlen(f.text), w->accented, low, sizeof low);

        f.gain = (double)(ll ? df_of(low, ll, w->accented, c) : 0) / (double)(own + 1);
        if (vnsi_grow(&c->fixes, &c->cap, c->nfixes + 1, sizeof *c->fixes) != VNS_OK) {
            c->st = vnsi_searcher_fail(c->s, VNS_ENOMEM, "out of memory");
            return;
        }
        c->fixes[c->nfixes++] = f;
    }
}

/* qsort order of fixes: the greatest gain first. */
static int by_gain(const void *a, const void *b) {
    double x = ((const fix *)a)->gain, y = ((const fix *)b)->gain;
    return x > y ? -1 : x < y;
}

/* A suggestion changes one word: the query with f's word written as f says (malloc'd), or
 * NULL when out of memory. */
static char *with_fix(const char *query, const fix *f) {
    size_t len = strlen(query), n = strlen(f->text);
    char *out = malloc(len + n + 1);
    if (out == NULL) return NULL;
    memcpy(out, query, f->start);
    memcpy(out + f->start, f->text, n);
    memcpy(out + f->start + n, query + f->end, len - f->end);
    out[f->start + n + len - f->end] = '\0';
    return out;
}

/* Sets r->suggestion to the query with one word written the way that is far more common
 * (vnsi_suggest_word), the word whose spelling gains most among the first SUGGEST_TRIES, when
 * the query so written finds more documents with all its words than the query as typed
 * (found); else leaves it NULL. Words read from Telex or VNI are left as read. Returns VNS_OK,
 * VNS_ENOMEM, or the shim's status. */
vns_status vnsi_did_you_mean(vns_results *r, const vnsi_qnode *root, const char *query,
                             uint64_t found, uint64_t docs) {
    suggest_ctx c = {.s = r->s, .st = VNS_OK, .text = query, .docs = docs};
    if (r->searched_for || vnsi_searcher_checking(r->s)) return VNS_OK;
    suggest_node(&c, root);
    if (c.st == VNS_OK && c.nfixes > 0) qsort(c.fixes, c.nfixes, sizeof *c.fixes, by_gain);
    for (size_t i = 0; c.st == VNS_OK && i < c.nfixes && i < VNS_SUGGEST_TRIES; i++) {
        char *text = with_fix(query, &c.fixes[i]);
        if (text == NULL) {
            c.st = vnsi_searcher_fail(r->s, VNS_ENOMEM, "out of memory");
            break;
        }
        if (vnsi_searcher_count_all(r->s, text) > found) {
            r->suggestion = text;
            break;
        }
        free(text);
    }
    free(c.fixes);
    return c.st;
}
