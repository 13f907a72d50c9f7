/* query_build.c: turns a query tree into a Xapian query, its ranking boosts and a highlight spec.
 */
#define _POSIX_C_SOURCE 200809L /* strndup */
#include "query_build.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exact_common.h"
#include "meta.h"
#include "schema.h"
#include "util.h"

typedef struct builder {
    int exact;
    int common_forms;   /* vnsi_build_opts.common_forms. */
    uint64_t docs;      /* vnsi_build_opts.docs. */
    vns_match match;    /* VNS_MATCH_ALL or VNS_MATCH_ANY: how bare words must match. */
    vnsi_part part;     /* VNS_MATCH_ANY: the whole query, or one part of it (vnsi_build_opts). */
    unsigned expansion; /* Terms each prefix expands to: its share of VNS_QUERY_MAX_EXPANSION. */
    const vnsi_ranking_weights *weights;
    vnsi_hl_spec *spec;
    vns_status st; /* First failure. */
    char *err;
    size_t errlen;
} builder;

/* A growable list of owned queries. */
typedef struct qlist {
    vxs_query **q;
    size_t n, cap;
} qlist;

/* ---- errors ---------------------------------------------------------------------------- */

/* Records a lack of memory, unless a failure is recorded already. Never fails. */
static void nomem(builder *b) {
    if (b->st != VNS_OK) return;
    b->st = vnsi_errbuf_set(b->err, b->errlen, VNS_ENOMEM, "out of memory building the query");
}

/* Records what the shim reported (status and message), unless a failure is recorded already;
 * returns NULL so that a constructor can end with it. Never fails. */
static vxs_query *shim_failed(builder *b, vns_status st, const char *msg) {
    if (b->st == VNS_OK)
        b->st = vnsi_errbuf_set(b->err, b->errlen, st, "building the query: %s", msg);
    return NULL;
}

/* ---- the shim's constructors: each returns NULL with the failure recorded in b ---------- */

/* A term query: prefix + form at position pos. */
static vxs_query *term(builder *b, const char *prefix, const char *form, size_t len, uint32_t pos) {
    char buf[VNS_MAX_FORM_BYTES + 4], msg[VXS_ERRLEN];
    size_t pl = strlen(prefix);
    memcpy(buf, prefix, pl);
    memcpy(buf + pl, form, len);
    vxs_query *q = NULL;
    vns_status st = vxs_query_term(&q, buf, pl + len, 1, pos, msg);
    return st == VNS_OK ? q : shim_failed(b, st, msg);
}

static vxs_query *mk_combine(builder *b, int op, vxs_query *const *subs, size_t n, unsigned win) {
    char msg[VXS_ERRLEN];
    vxs_query *q = NULL;
    vns_status st = vxs_query_combine(&q, op, subs, n, win, msg);
    return st == VNS_OK ? q : shim_failed(b, st, msg);
}

static vxs_query *mk_scale(builder *b, const vxs_query *sub, double factor) {
    char msg[VXS_ERRLEN];
    vxs_query *q = NULL;
    vns_status st = vxs_query_scale(&q, sub, factor, msg);
    return st == VNS_OK ? q : shim_failed(b, st, msg);
}

/* Words starting with field + prefix. */
static vxs_query *mk_wildcard(builder *b, const char *field, const char *prefix) {
    char t[VNS_MAX_FORM_BYTES + 4], msg[VXS_ERRLEN];
    int tl = snprintf(t, sizeof t, "%s%s", field, prefix);
    vxs_query *q = NULL;
    vns_status st = vxs_query_wildcard(&q, t, (size_t)tl, b->expansion, msg);
    return st == VNS_OK ? q : shim_failed(b, st, msg);
}

/* ---- lists ----------------------------------------------------------------------------- */

/* Appends q (taken; freed on failure) to l. A NULL q is a failure recorded already. */
static void qlist_push(builder *b, qlist *l, vxs_query *q) {
    if (q == NULL) {
        nomem(b); /* A no-op after the shim's own failure. */
        return;
    }
    if (vnsi_grow(&l->q, &l->cap, l->n + 1, sizeof *l->q) != VNS_OK) {
        vxs_query_free(q);
        nomem(b);
        return;
    }
    l->q[l->n++] = q;
}

static void qlist_free(qlist *l) {
    for (size_t i = 0; i < l->n; i++) vxs_query_free(l->q[i]);
    free(l->q);
    memset(l, 0, sizeof *l);
}

/* Combines the list with op (a single item is combined with AND, which Xapian reduces to the
 * item); NULL when empty or on failure. */
static vxs_query *combine(builder *b, int op, const qlist *l) {
    if (l->n == 0) return NULL;
    return mk_combine(b, l->n == 1 && op != VXS_OP_PHRASE ? VXS_OP_AND : op, l->q, l->n, 0);
}

/* Takes ownership of x and y; returns op(x, y), or NULL (both freed) on failure. */
static vxs_query *pair(builder *b, int op, vxs_query *x, vxs_query *y) {
    vxs_query *two[2] = {x, y};
    vxs_query *q = x && y ? mk_combine(b, op, two, 2, 0) : NULL;
    if (q == NULL) nomem(b);
    vxs_query_free(x);
    vxs_query_free(y);
    return q;
}

/* ---- highlight spec -------------------------------------------------------------------- */

/* Appends a copy of s (len bytes) to the string array *arr of *n (capacity *cap). */
static void spec_add(builder *b, char ***arr, size_t *n, size_t *cap, const char *s, size_t len) {
    char *d = vnsi_grow(arr, cap, *n + 1, sizeof **arr) == VNS_OK ? strndup(s, len) : NULL;
    if (d == NULL) {
        nomem(b);
        return;
    }
    (*arr)[(*n)++] = d;
}

/* Adds the folded form of query word w to the spec's words, with its document count. */
static void spec_add_word(builder *b, const vnsi_qword *w) {
    vnsi_hl_spec *s = b->spec;
    if (vnsi_grow(&s->word_df, &s->word_df_cap, s->nwords + 1, sizeof *s->word_df) != VNS_OK) {
        nomem(b);
        return;
    }
    s->word_df[s->nwords] = w->df;
    spec_add(b, &s->words, &s->nwords, &s->words_cap, w->folded, w->folded_len);
}

/* Adds a phrase to the spec (alt: another way to write query words) and returns its words'
 * array to append to, or NULL on failure (recorded in b). */
static int spec_open_phrase(builder *b, int alt) {
    vnsi_hl_spec *s = b->spec;
    if (vnsi_grow(&s->phrase_start, &s->phrase_start_cap, s->nphrases + 2,
                  sizeof *s->phrase_start) != VNS_OK ||
        vnsi_grow(&s->phrase_alt, &s->phrase_alt_cap, s->nphrases + 1, 1) != VNS_OK) {
        nomem(b);
        return -1;
    }
    s->phrase_alt[s->nphrases] = (unsigned char)alt;
    s->phrase_start[s->nphrases] = s->nphrase_words;
    return 0;
}

/* Adds the folded words of form (joined by spaces) to the spec as another way to write query
 * words. */
static void spec_add_alt(builder *b, const char *form) {
    vnsi_hl_spec *s = b->spec;
    if (spec_open_phrase(b, 1) < 0) return;
    for (const char *w = form; *w;) {
        const char *sp = strchr(w, ' ');
        size_t len = sp ? (size_t)(sp - w) : strlen(w);
        spec_add(b, &s->phrase_words, &s->nphrase_words, &s->phrase_words_cap, w, len);
        w += len + (sp != NULL);
    }
    s->nphrases++;
    s->phrase_start[s->nphrases] = s->nphrase_words;
}

/* Adds the folded forms of words w[0..n) to the spec as one phrase. */
static void spec_add_phrase(builder *b, const vnsi_qword *w, size_t n) {
    vnsi_hl_spec *s = b->spec;
    if (spec_open_phrase(b, 0) < 0) return;
    for (size_t i = 0; i < n; i++)
        spec_add(b, &s->phrase_words, &s->nphrase_words, &s->phrase_words_cap, w[i].folded,
                 w[i].folded_len);
    s->nphrases++;
    s->phrase_start[s->nphrases] = s->nphrase_words;
}

void vnsi_hl_spec_clear(vnsi_hl_spec *s) {
    for (size_t i = 0; i < s->nwords; i++) free(s->words[i]);
    for (size_t i = 0; i < s->nprefixes; i++) free(s->prefixes[i]);
    for (size_t i = 0; i < s->nphrase_words; i++) free(s->phrase_words[i]);
    free(s->words);
    free(s->prefixes);
    free(s->phrase_words);
    free(s->phrase_start);
    free(s->phrase_alt);
    free(s->word_df);
    free(s->word_weight);
    memset(s, 0, sizeof *s);
}

/* A filter node's query: a term; or a closed date range as an OR of its year, month and day
 * terms (a posting list to skip through, measured 4.44 ms p50 as a value range against 3.47 ms
 * for no filter on VNTC, tests/bench/bench_meta.c), or else a range on VNS_SLOT_DATE. */
static vxs_query *filter_query(builder *b, const vnsi_qnode *n) {
    if (n->term[0]) return term(b, "", n->term, strlen(n->term), 0);
    char terms[VNSI_DATE_TERMS_MAX][VNSI_DATE_TERM_CAP];
    size_t nt = n->has_lo && n->has_hi
                    ? vnsi_period_terms(n->date_lo, n->date_hi, terms, VNSI_DATE_TERMS_MAX)
                    : 0;
    if (nt > 0) {
        qlist l = {0};
        for (size_t i = 0; i < nt; i++)
            qlist_push(b, &l, term(b, "", terms[i], strlen(terms[i]), 0));
        vxs_query *q = b->st == VNS_OK ? combine(b, VXS_OP_OR, &l) : NULL;
        qlist_free(&l);
        return q;
    }
    unsigned char lo[VNSI_DATE_KEY_LEN], hi[VNSI_DATE_KEY_LEN];
    vnsi_date_key(n->date_lo, lo);
    vnsi_date_key(n->date_hi, hi);
    char msg[VXS_ERRLEN];
    vxs_query *q = NULL;
    vns_status st =
        vxs_query_value_range(&q, VNS_SLOT_DATE, n->has_lo ? (const char *)lo : NULL, sizeof lo,
                              n->has_hi ? (const char *)hi : NULL, sizeof hi, msg);
    return st == VNS_OK ? q : shim_failed(b, st, msg);
}

/* ---- one AND level --------------------------------------------------------------------- */

typedef struct clause {
    qlist pos;    /* Required. */
    qlist opt;    /* Bare words under VNS_MATCH_ANY: some of them must match. */
    qlist common; /* Common bare words under VNS_MATCH_ANY: they rank what the others find. */
    qlist absent; /* Bare words under VNS_MATCH_ANY in no document: searched only alone. */
    qlist neg;    /* Excluded. */
    qlist boost;  /* Optional, already scaled by their weights: each becomes one AND_MAYBE. */
    qlist exact;  /* Exact forms required (--exact). */
    qlist filter; /* Metadata filters required (they never weigh). */
    int filters;  /* Filters met, kept or excluded: with nothing else, every article is searched. */
} clause;

static void clause_free(clause *c) {
    qlist_free(&c->pos);
    qlist_free(&c->opt);
    qlist_free(&c->common);
    qlist_free(&c->absent);
    qlist_free(&c->neg);
    qlist_free(&c->boost);
    qlist_free(&c->exact);
    qlist_free(&c->filter);
}

/* Adds q (taken) as a boost of weight w; one weighted 0 is left out altogether (it would only
 * cost time). */
static void add_boost(builder *b, clause *c, vxs_query *q, double w) {
    if (w <= 0 || q == NULL) {
        if (q == NULL) nomem(b);
        vxs_query_free(q);
        return;
    }
    qlist_push(b, &c->boost, mk_scale(b, q, w));
    vxs_query_free(q);
}

/* The terms of n's words under prefix, as a list of term queries at positions 1, 2, ... */
static void terms_of(builder *b, const vnsi_qnode *n, const char *prefix, qlist *out) {
    for (size_t i = 0; i < n->nwords; i++)
        qlist_push(b, out,
                   term(b, prefix, n->words[i].folded, n->words[i].folded_len, (uint32_t)(i + 1)));
}

/* The end of the unit of n's words that starts at word i: past the words typed joined to it
 * (glued). Never fails. */
static size_t unit_end(const vnsi_qnode *n, size_t i) {
    size_t j = i + 1;
    while (j < n->nwords && n->words[j].glued) j++;
    return j;
}

/* The unit of words i..end of n under prefix: the term of a single word, the phrase of words
 * typed joined (U-19); NULL with the failure in b. */
static vxs_query *unit_query(builder *b, const char *prefix, const vnsi_qnode *n, size_t i,
                             size_t end) {
    qlist t = {0};
    size_t k = end - i;
    for (size_t j = i; j < end; j++)
        qlist_push(b, &t,
                   term(b, prefix, n->words[j].folded, n->words[j].folded_len, (uint32_t)(j + 1)));
    vxs_query *q = combine(b, k > 1 ? VXS_OP_PHRASE : VXS_OP_AND, &t);
    qlist_free(&t);
    return q;
}

/* The query of an alternative form (folded words joined by spaces) under prefix: its term, or
 * the phrase of its words; NULL with the failure in b. */
static vxs_query *form_query(builder *b, const char *prefix, const char *form) {
    qlist t = {0};
    uint32_t pos = 1;
    for (const char *w = form; *w; pos++) {
        const char *sp = strchr(w, ' ');
        size_t len = sp ? (size_t)(sp - w) : strlen(w);
        qlist_push(b, &t, term(b, prefix, w, len, pos));
        w += len + (sp != NULL);
    }
    vxs_query *q = combine(b, t.n > 1 ? VXS_OP_PHRASE : VXS_OP_AND, &t);
    qlist_free(&t);
    return q;
}

/* The alternatives of n starting at word i (rewrite.h keeps spans apart): their number, and the
 * words they cover in *count. Never fails. */
static size_t alts_at(const vnsi_qnode *n, size_t i, size_t *count) {
    size_t k = 0;
    for (size_t a = 0; a < n->nalts; a++)
        if (n->alts[a].first == i) {
            *count = n->alts[a].count;
            k++;
        }
    return k;
}

/* SYNONYM of forms (the typed form first), the typed form boosted by weights->abbr_typed in c
 * (NULL: no boost); forms is emptied. NULL with the failure in b. */
static vxs_query *synonym_of(builder *b, clause *c, qlist *forms) {
    vxs_query *q = combine(b, VXS_OP_SYNONYM, forms);
    if (c && q && forms->n > 0 && b->weights->abbr_typed > 0) {
        vxs_query *one[1] = {forms->q[0]};
        add_boost(b, c, mk_combine(b, VXS_OP_AND, one, 1, 0), b->weights->abbr_typed);
    }
    qlist_free(forms);
    return q;
}

/* typed (taken), or with alternatives of n at word i: SYNONYM(typed, each alternative), every
 * form weighed as one word, and the typed form boosted by weights->abbr_typed (a copy of typed
 * into the clause's boosts). The alternatives are highlighted. NULL with the failure in b. */
static vxs_query *with_alts(builder *b, clause *c, const vnsi_qnode *n, size_t i,
                            const char *prefix, vxs_query *typed) {
    size_t count = 0;
    if (typed == NULL || alts_at(n, i, &count) == 0) return typed;
    qlist forms = {0};
    qlist_push(b, &forms, typed);
    for (size_t a = 0; a < n->nalts; a++) {
        if (n->alts[a].first != i) continue;
        qlist_push(b, &forms, form_query(b, prefix, n->alts[a].folded));
        if (c) spec_add_alt(b, n->alts[a].folded);
    }
    return synonym_of(b, c, &forms);
}

/* Whether a boost that costs most (costly) belongs to the part being built. Never fails. */
static int in_part(const builder *b, int costly) {
    return b->part == VNSI_PART_ALL || (b->part == VNSI_PART_COSTLY) == (costly != 0);
}

/* Documents holding word w in its exact form, weighed as a term at query position pos: its E
 * term; or, for a common form of an index that writes them apart (exact_common.h), the documents
 * of the folded word without its N term. Weighed (weighed non-zero), those are SYNONYM(folded
 * word AND_NOT (N OR E), E): a document holding the word in that form alone counts the folded
 * word's occurrences, one holding other forms too its E term's, so that the weight is the form's
 * own occurrences either way, as an E term's. NULL with the failure in b. */
static vxs_query *exact_query(builder *b, const vnsi_qword *w, uint32_t pos, int weighed) {
    if (!b->common_forms || vnsi_common_find(w->folded, w->folded_len, w->exact, w->exact_len) < 0)
        return term(b, VNS_PREFIX_EXACT, w->exact, w->exact_len, pos);
    vxs_query *folded = term(b, "", w->folded, w->folded_len, pos);
    vxs_query *absent = term(b, VNS_PREFIX_ABSENT, w->exact, w->exact_len, 0);
    if (!weighed) return pair(b, VXS_OP_AND_NOT, folded, absent);
    vxs_query *other =
        pair(b, VXS_OP_OR, absent, term(b, VNS_PREFIX_EXACT, w->exact, w->exact_len, 0));
    vxs_query *syn = pair(b, VXS_OP_SYNONYM, pair(b, VXS_OP_AND_NOT, folded, other),
                          term(b, VNS_PREFIX_EXACT, w->exact, w->exact_len, pos));
    double f = vnsi_common_idf_correction(w->df, w->absent_df, w->exact_df, b->docs);
    if (syn == NULL || f == 1.0) return syn;
    vxs_query *scaled = mk_scale(b, syn, f);
    vxs_query_free(syn);
    return scaled;
}

/* The exact-form boost (and, with --exact, requirement) for the accented words of n. */
static void add_exact(builder *b, clause *c, const vnsi_qnode *n, int any_run) {
    qlist ex = {0};
    for (size_t i = 0; i < n->nwords; i++) {
        const vnsi_qword *w = &n->words[i];
        if (!w->accented) continue;
        /* In a run under any, a common word's exact form costs the most to check (its part is
         * the costly one) and an absent word's is left out; elsewhere it is the cheap part's. */
        if (any_run ? !w->absent && in_part(b, w->common) : b->part != VNSI_PART_COSTLY)
            qlist_push(b, &ex, exact_query(b, w, 0, 1));
        /* With --exact the word must match exactly; in a run under any, where it matches (its
         * optional term is its exact form, add_any_words). */
        if (b->exact && !any_run && b->part != VNSI_PART_COSTLY)
            qlist_push(b, &c->exact, exact_query(b, w, 0, 0));
    }
    if (ex.n > 0) add_boost(b, c, combine(b, VXS_OP_OR, &ex), b->weights->exact);
    qlist_free(&ex);
}

/* Words w[0..n) under prefix as a phrase weighted as its words: AND(AND(terms), the phrase
 * scaled to 0). Scores are the same as the bare phrase's, but Xapian 1.4.22 checks a bare phrase
 * on the right of AND_MAYBE slowly for every document the left side matches (`cho biet` on VNTC:
 * 128 ms against 3.3 ms this way; BENCHMARKS.md); here it is checked only where the words all
 * are. NULL with the failure in b. */
static vxs_query *checked_phrase(builder *b, const char *prefix, const vnsi_qword *w, size_t n) {
    qlist words = {0}, phrase = {0};
    for (size_t i = 0; i < n; i++) {
        qlist_push(b, &words, term(b, prefix, w[i].folded, w[i].folded_len, (uint32_t)(i + 1)));
        qlist_push(b, &phrase, term(b, prefix, w[i].folded, w[i].folded_len, (uint32_t)(i + 1)));
    }
    vxs_query *check = combine(b, VXS_OP_PHRASE, &phrase);
    vxs_query *unweighted = check ? mk_scale(b, check, 0.0) : NULL;
    vxs_query_free(check);
    vxs_query *q = pair(b, VXS_OP_AND, combine(b, VXS_OP_AND, &words), unweighted);
    qlist_free(&words);
    qlist_free(&phrase);
    return q;
}

/* The title boosts of n's words: each found in the title, and all of them as a title phrase. */
static void add_title_boosts(builder *b, clause *c, const vnsi_qnode *n) {
    qlist s = {0};
    terms_of(b, n, VNS_PREFIX_TITLE, &s);
    add_boost(b, c, combine(b, VXS_OP_OR, &s), b->weights->title_terms);
    if (n->nwords > 1 && b->weights->title_phrase > 0)
        add_boost(b, c, checked_phrase(b, VNS_PREFIX_TITLE, n->words, n->nwords),
                  b->weights->title_phrase);
    qlist_free(&s);
}

/* Whether word i of n repeats an earlier word of n: the same folded word, and with --exact the
 * same exact form where either is typed with diacritics (số and sơ are two words then, so and
 * số too). Never fails. */
static int repeated(const builder *b, const vnsi_qnode *n, size_t i) {
    const vnsi_qword *w = &n->words[i];
    for (size_t j = 0; j < i; j++) {
        const vnsi_qword *v = &n->words[j];
        if (strcmp(v->folded, w->folded) != 0) continue;
        if (!b->exact || (!v->accented && !w->accented)) return 1;
        if (v->accented && w->accented && v->exact_len == w->exact_len &&
            memcmp(v->exact, w->exact, w->exact_len) == 0)
            return 1;
    }
    return 0;
}

/* A run of bare words under VNS_MATCH_ANY: each distinct word optional (BM25 ranks documents by
 * the words they hold, the rarer the better; a common word only ranks what the others find, an
 * absent one is left out), each pair of adjacent words ranked higher when it stands together (a
 * pair is how most Vietnamese words are written), the title boosts and the exact boost as under
 * VNS_MATCH_ALL. */
static void add_any_words(builder *b, clause *c, const vnsi_qnode *n) {
    for (size_t i = 0, end; i < n->nwords; i = end) {
        const vnsi_qword *w = &n->words[i];
        end = unit_end(n, i);
        if (b->part == VNSI_PART_COSTLY) continue;
        if (end - i > 1) { /* Words typed joined: one optional phrase. */
            int absent = 0;
            for (size_t j = i; j < end; j++) absent |= n->words[j].absent;
            qlist_push(b, absent ? &c->absent : &c->opt, unit_query(b, "", n, i, end));
            spec_add_phrase(b, w, end - i);
            continue;
        }
        size_t count = 0;
        if (alts_at(n, i, &count) > 0 && count > 1) { /* Another form of these words. */
            for (size_t a = 0; a < n->nalts; a++)
                if (n->alts[a].first == i) {
                    qlist_push(b, &c->opt, form_query(b, "", n->alts[a].folded));
                    spec_add_alt(b, n->alts[a].folded);
                }
        } else if (count == 1 && !repeated(b, n, i)) { /* This word, or another form of it. */
            spec_add_word(b, w);
            int exact_form = b->exact && w->accented;
            vxs_query *typed = exact_form
                                   ? exact_query(b, w, (uint32_t)(i + 1), 1)
                                   : term(b, "", w->folded, w->folded_len, (uint32_t)(i + 1));
            qlist_push(b, &c->opt, with_alts(b, c, n, i, "", typed));
            continue;
        }
        if (repeated(b, n, i)) continue;
        spec_add_word(b, w);
        /* An absent word would find nothing, and leave the common words out. With --exact a
         * word typed with diacritics counts only in its exact form. */
        int exact_form = b->exact && w->accented;
        qlist_push(b,
                   w->absent   ? &c->absent
                   : w->common ? &c->common
                               : &c->opt,
                   exact_form ? exact_query(b, w, (uint32_t)(i + 1), 1)
                              : term(b, "", w->folded, w->folded_len, (uint32_t)(i + 1)));
    }
    if (n->nwords > 1 && b->weights->any_pair > 0) {
        qlist pairs = {0};
        for (size_t i = 0; i + 1 < n->nwords; i++) {
            const vnsi_qword *x = &n->words[i], *y = &n->words[i + 1];
            /* Two common words together cost the most to check (vnsi_build_opts); words typed
             * joined are a phrase already. */
            if (!in_part(b, x->common || y->common) || x->absent || y->absent || y->glued) continue;
            qlist_push(b, &pairs, checked_phrase(b, "", x, 2));
        }
        if (pairs.n > 0) add_boost(b, c, combine(b, VXS_OP_OR, &pairs), b->weights->any_pair);
        qlist_free(&pairs);
    }
    if (b->part != VNSI_PART_COSTLY) add_title_boosts(b, c, n);
    add_exact(b, c, n, 1);
}

/* Adds the unit of words i..end of n (unit_query) to out, and unless negated its words to the
 * spec (a phrase when typed joined). */
static void add_unit(builder *b, const vnsi_qnode *n, size_t i, size_t end, const char *field,
                     int negated, qlist *out) {
    qlist_push(b, out, unit_query(b, field, n, i, end));
    if (negated) return;
    if (end - i > 1)
        spec_add_phrase(b, &n->words[i], end - i);
    else
        spec_add_word(b, &n->words[i]);
}

/* A quoted phrase (typed, taken) of n, or with n's alternatives: SYNONYM of it and the phrase
 * with each alternative in place of the words it stands for, the typed phrase boosted by
 * weights->abbr_typed (c NULL: excluded, neither boosted nor highlighted). NULL with the failure
 * in b. */
static vxs_query *phrase_with_alts(builder *b, clause *c, const vnsi_qnode *n, const char *field,
                                   vxs_query *typed) {
    if (typed == NULL || n->nalts == 0) return typed;
    qlist forms = {0};
    qlist_push(b, &forms, typed);
    for (size_t a = 0; a < n->nalts; a++) {
        const vnsi_qalt *alt = &n->alts[a];
        qlist t = {0};
        uint32_t pos = 1;
        for (size_t i = 0; i < alt->first; i++, pos++)
            qlist_push(b, &t, term(b, field, n->words[i].folded, n->words[i].folded_len, pos));
        for (const char *w = alt->folded; *w; pos++) {
            const char *sp = strchr(w, ' ');
            size_t len = sp ? (size_t)(sp - w) : strlen(w);
            qlist_push(b, &t, term(b, field, w, len, pos));
            w += len + (sp != NULL);
        }
        for (size_t i = alt->first + alt->count; i < n->nwords; i++, pos++)
            qlist_push(b, &t, term(b, field, n->words[i].folded, n->words[i].folded_len, pos));
        qlist_push(b, &forms, combine(b, VXS_OP_PHRASE, &t));
        qlist_free(&t);
        if (c) spec_add_alt(b, alt->folded);
    }
    return synonym_of(b, c, &forms);
}

/* A run of adjacent bare words, or a phrase (quoted): required terms (or the phrase), the phrase
 * boost, the title boosts and the exact boost; excluded terms (or phrase) when negated. field is
 * "" or the title prefix. Under VNS_MATCH_ANY a run of bare words outside a field is
 * add_any_words' instead. */
static void add_words(builder *b, clause *c, const vnsi_qnode *n, const char *field, int negated) {
    int quoted = n->kind == VNSI_Q_PHRASE;
    if (b->match == VNS_MATCH_ANY && !quoted && !negated && field[0] == '\0') {
        add_any_words(b, c, n);
        return;
    }
    qlist t = {0};
    if (quoted) {
        terms_of(b, n, field, &t);
    } else { /* Each word, or the phrase of words typed joined. */
        for (size_t i = 0, end; i < n->nwords; i = end) {
            size_t count = 0;
            if (alts_at(n, i, &count) > 0) { /* The words as typed, or another form. */
                qlist u = {0};
                for (size_t j = i, e; j < i + count; j = e)
                    add_unit(b, n, j, e = unit_end(n, j), field, negated, &u);
                vxs_query *typed = combine(b, VXS_OP_AND, &u);
                qlist_free(&u);
                qlist_push(b, &t, with_alts(b, negated ? NULL : c, n, i, field, typed));
                end = i + count;
                continue;
            }
            add_unit(b, n, i, end = unit_end(n, i), field, negated, &t);
        }
    }
    if (quoted) {
        vxs_query *q =
            phrase_with_alts(b, negated ? NULL : c, n, field, combine(b, VXS_OP_PHRASE, &t));
        qlist_free(&t);
        qlist_push(b, &t, q);
    }
    if (negated) {
        qlist_push(b, &c->neg, combine(b, VXS_OP_AND, &t));
        qlist_free(&t);
        return;
    }
    if (quoted) {
        qlist_push(b, &c->pos, t.q[0]);
        t.q[0] = NULL;
        spec_add_phrase(b, n->words, n->nwords);
    } else {
        for (size_t i = 0; i < t.n; i++) {
            qlist_push(b, &c->pos, t.q[i]);
            t.q[i] = NULL;
        }
        if (n->nwords > 1) {
            qlist t2 = {0};
            terms_of(b, n, field, &t2);
            add_boost(b, c, combine(b, VXS_OP_PHRASE, &t2), b->weights->phrase);
            qlist_free(&t2);
        }
    }
    qlist_free(&t);
    if (field[0] == '\0') add_title_boosts(b, c, n);
    add_exact(b, c, n, 0);
}

static vxs_query *build_or(builder *b, const vnsi_qnode *n);

/* Adds one item of an AND level (in field, excluded when negated) to the clause. */
static void add_item(builder *b, clause *c, const vnsi_qnode *n, const char *field, int negated) {
    switch (n->kind) {
    case VNSI_Q_NOT: add_item(b, c, n->kids[0], field, 1); break;
    case VNSI_Q_FIELD: add_item(b, c, n->kids[0], n->field, negated); break;
    case VNSI_Q_GROUP:
        /* Filters excluded in a group leave every other article, as one excluded alone. */
        if (negated && vnsi_qnode_only_filters(n)) c->filters++;
        qlist_push(b, negated ? &c->neg : &c->pos, build_or(b, n->kids[0]));
        break;
    case VNSI_Q_WORDS:
    case VNSI_Q_PHRASE: add_words(b, c, n, field, negated); break;
    case VNSI_Q_FILTER:
        c->filters++;
        qlist_push(b, negated ? &c->neg : &c->filter, filter_query(b, n));
        break;
    case VNSI_Q_PREFIX:
        qlist_push(b, negated ? &c->neg : &c->pos, mk_wildcard(b, field, n->prefix));
        if (!negated)
            spec_add(b, &b->spec->prefixes, &b->spec->nprefixes, &b->spec->prefixes_cap, n->prefix,
                     strlen(n->prefix));
        break;
    default:
        if (b->st == VNS_OK)
            b->st = vnsi_errbuf_set(b->err, b->errlen, VNS_EINTERNAL,
                                    "query tree: node kind %d inside an AND", (int)n->kind);
    }
}

/* The costly boosts of one alternative (VNSI_PART_COSTLY) as one OR query: those of its runs of
 * bare words; NULL when it has none (b->st stays VNS_OK) or with the failure in b. */
static vxs_query *build_costly(builder *b, const vnsi_qnode *n) {
    clause c = {0};
    const vnsi_qnode *const *items = (const vnsi_qnode *const *)&n;
    size_t nitems = 1;
    if (n->kind == VNSI_Q_AND) {
        items = (const vnsi_qnode *const *)n->kids;
        nitems = n->nkids;
    }
    for (size_t i = 0; i < nitems && b->st == VNS_OK; i++)
        if (items[i]->kind == VNSI_Q_WORDS) add_any_words(b, &c, items[i]);
    vxs_query *q = b->st == VNS_OK && c.boost.n > 0 ? combine(b, VXS_OP_OR, &c.boost) : NULL;
    clause_free(&c);
    return q;
}

/* One alternative (an AND node, or a single item) as a query; NULL with the failure in b. */
static vxs_query *build_and(builder *b, const vnsi_qnode *n) {
    if (b->part == VNSI_PART_COSTLY) return build_costly(b, n);
    clause c = {0};
    if (n->kind == VNSI_Q_AND)
        for (size_t i = 0; i < n->nkids && b->st == VNS_OK; i++) add_item(b, &c, n->kids[i], "", 0);
    else
        add_item(b, &c, n, "", 0);
    vxs_query *q = NULL;
    int nothing = c.pos.n == 0 && c.opt.n == 0 && c.common.n == 0 && c.absent.n == 0;
    if (b->st == VNS_OK && nothing && c.filters == 0)
        b->st = vnsi_errbuf_set(b->err, b->errlen, VNS_EINTERNAL,
                                "query tree: an alternative with nothing to search for");
    if (b->st == VNS_OK) {
        /* Required items, ranked by the optional words too; or the optional words alone. Common
         * words rank what the others find; they find only when there is nothing else. Filters
         * alone search every article (weighted 0). */
        if (nothing) {
            char msg[VXS_ERRLEN];
            vns_status st = vxs_query_match_all(&q, msg);
            if (st != VNS_OK) shim_failed(b, st, msg);
        } else if (c.pos.n == 0 && c.opt.n == 0 && c.common.n == 0)
            q = combine(b, VXS_OP_OR, &c.absent); /* Nothing to find: it finds nothing. */
        else if (c.pos.n == 0 && c.opt.n == 0)
            q = combine(b, VXS_OP_OR, &c.common);
        else if (c.pos.n == 0)
            q = combine(b, VXS_OP_OR, &c.opt);
        else if (c.opt.n == 0)
            q = combine(b, VXS_OP_AND, &c.pos);
        else
            q = pair(b, VXS_OP_AND_MAYBE, combine(b, VXS_OP_AND, &c.pos),
                     combine(b, VXS_OP_OR, &c.opt));
        if ((c.pos.n > 0 || c.opt.n > 0) && c.common.n > 0)
            q = pair(b, VXS_OP_AND_MAYBE, q, combine(b, VXS_OP_OR, &c.common));
        if (c.exact.n > 0) q = pair(b, VXS_OP_FILTER, q, combine(b, VXS_OP_AND, &c.exact));
        if (c.filter.n > 0) q = pair(b, VXS_OP_FILTER, q, combine(b, VXS_OP_AND, &c.filter));
        if (c.neg.n > 0) q = pair(b, VXS_OP_AND_NOT, q, combine(b, VXS_OP_OR, &c.neg));
        /* One AND_MAYBE per boost: scores then stay the same on one index and across shards. */
        for (size_t i = 0; i < c.boost.n && q; i++) {
            q = pair(b, VXS_OP_AND_MAYBE, q, c.boost.q[i]);
            c.boost.q[i] = NULL;
        }
    }
    clause_free(&c);
    return q;
}

/* An OR node, or a single alternative, as a query; NULL with the failure in b. */
static vxs_query *build_or(builder *b, const vnsi_qnode *n) {
    const vnsi_qnode *const *alts = (const vnsi_qnode *const *)&n;
    size_t nalts = 1;
    if (n->kind == VNSI_Q_OR) {
        alts = (const vnsi_qnode *const *)n->kids;
        nalts = n->nkids;
    }
    qlist l = {0};
    for (size_t i = 0; i < nalts && b->st == VNS_OK; i++) qlist_push(b, &l, build_and(b, alts[i]));
    vxs_query *q = b->st == VNS_OK ? combine(b, VXS_OP_OR, &l) : NULL;
    qlist_free(&l);
    return q;
}

/* The number of prefixes (word*) in a tree. Never fails. */
static size_t count_prefixes(const vnsi_qnode *n) {
    size_t c = n->kind == VNSI_Q_PREFIX;
    for (size_t i = 0; i < n->nkids; i++) c += count_prefixes(n->kids[i]);
    return c;
}

unsigned vnsi_prefix_expansion(size_t nprefixes) {
    size_t share = nprefixes ? VNS_QUERY_MAX_EXPANSION / nprefixes : VNS_PREFIX_MAX_EXPANSION;
    if (share > VNS_PREFIX_MAX_EXPANSION) share = VNS_PREFIX_MAX_EXPANSION;
    return share ? (unsigned)share : 1;
}

vns_status vnsi_query_build_tree(vxs_query **out, vnsi_hl_spec *spec, const vnsi_qnode *root,
                                 const vnsi_build_opts *opts, const vnsi_ranking_weights *weights,
                                 char *err, size_t errlen) {
    *out = NULL;
    memset(spec, 0, sizeof *spec);
    builder b = {.exact = opts->exact,
                 .common_forms = opts->common_forms,
                 .docs = opts->docs,
                 .match = opts->match == VNS_MATCH_ANY ? VNS_MATCH_ANY : VNS_MATCH_ALL,
                 .part = opts->match == VNS_MATCH_ANY ? opts->part : VNSI_PART_ALL,
                 .expansion = vnsi_prefix_expansion(count_prefixes(root)),
                 .weights = weights,
                 .spec = spec,
                 .err = err,
                 .errlen = errlen};
    if (b.part == VNSI_PART_COSTLY && root->kind == VNSI_Q_OR)
        return vnsi_errbuf_set(err, errlen, VNS_EINTERNAL,
                               "query tree: the costly part of several alternatives");
    vxs_query *q = b.part == VNSI_PART_COSTLY ? build_and(&b, root) : build_or(&b, root);
    if (b.st != VNS_OK) {
        vxs_query_free(q);
        vnsi_hl_spec_clear(spec);
        return b.st;
    }
    *out = q;
    return VNS_OK;
}

vns_status vnsi_query_build(vxs_query **out, vnsi_hl_spec *spec, vnsi_analyzer *an,
                            const char *text, int exact, int common_forms,
                            const vnsi_ranking_weights *weights, char *err, size_t errlen) {
    *out = NULL;
    memset(spec, 0, sizeof *spec);
    vnsi_qnode *root = NULL;
    vns_status st = vnsi_query_parse(&root, an, text, 0, err, errlen);
    vnsi_build_opts o = {.exact = exact, .common_forms = common_forms, .match = VNS_MATCH_ALL};
    if (st == VNS_OK) st = vnsi_query_build_tree(out, spec, root, &o, weights, err, errlen);
    vnsi_qnode_free(root);
    return st;
}
