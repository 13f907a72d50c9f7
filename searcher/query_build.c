/* query_build.c: a recursive-descent parser for the query language, building Xapian queries. */
#define _POSIX_C_SOURCE 200809L /* strndup */
#include "query_build.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ranking.h"
#include "schema.h"

/* A growable list of owned queries. */
typedef struct qlist {
    vxs_query **q;
    double *w; /* Boost weights (only for boost lists). */
    size_t n, cap;
} qlist;

typedef struct parser {
    vnsi_analyzer *an;
    const char *text;
    size_t len, pos;
    int exact;
    const vnsi_ranking_weights *weights;
    int depth;
    size_t words;  /* Words used so far (limit VNS_QUERY_MAX_WORDS). */
    vns_status st; /* First failure. */
    char *err;
    size_t errlen;
    vnsi_hl_spec *spec;
} parser;

/* One analyzed word of the query. */
typedef struct qword {
    char folded[VNS_MAX_FORM_BYTES + 2];
    size_t folded_len;
    char exact[VNS_MAX_FORM_BYTES + 2];
    size_t exact_len;
    int accented;
} qword;

/* The words of one bare run or phrase. */
typedef struct wordlist {
    qword *w;
    size_t n, cap;
} wordlist;

/* ---- errors ---------------------------------------------------------------------------- */

/* 1-based character column of byte offset off. */
static size_t column(const parser *p, size_t off) {
    size_t col = 1;
    for (size_t i = 0; i < off && i < p->len; i++)
        if (((unsigned char)p->text[i] & 0xC0) != 0x80) col++;
    return col;
}

static void syntax(parser *p, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void syntax(parser *p, size_t off, const char *fmt, ...) {
    if (p->st != VNS_OK) return;
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(p->err, p->errlen, "query error at position %zu: %s", column(p, off), msg);
    p->st = VNS_EQUERY;
}

static void nomem(parser *p) {
    if (p->st != VNS_OK) return;
    snprintf(p->err, p->errlen, "out of memory building the query");
    p->st = VNS_ENOMEM;
}

/* Records a failure the shim reported (its status and message), if none was recorded yet. */
static vxs_query *shim_failed(parser *p, vns_status st, const char *msg) {
    if (p->st == VNS_OK) {
        snprintf(p->err, p->errlen, "building the query: %s", msg);
        p->st = st;
    }
    return NULL;
}

/* The shim's constructors, recording a failure in p: each returns NULL when it fails. */
static vxs_query *mk_combine(parser *p, int op, vxs_query *const *subs, size_t n, unsigned win) {
    char msg[VXS_ERRLEN];
    vxs_query *q = NULL;
    vns_status st = vxs_query_combine(&q, op, subs, n, win, msg);
    return st == VNS_OK ? q : shim_failed(p, st, msg);
}

static vxs_query *mk_scale(parser *p, const vxs_query *sub, double factor) {
    char msg[VXS_ERRLEN];
    vxs_query *q = NULL;
    vns_status st = vxs_query_scale(&q, sub, factor, msg);
    return st == VNS_OK ? q : shim_failed(p, st, msg);
}

/* ---- lists ----------------------------------------------------------------------------- */

static void qlist_push(parser *p, qlist *l, vxs_query *q, double w) {
    if (q == NULL) {
        nomem(p);
        return;
    }
    if (l->n == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 8;
        vxs_query **nq = realloc(l->q, ncap * sizeof *nq);
        double *nw = nq ? realloc(l->w, ncap * sizeof *nw) : NULL;
        if (nq) l->q = nq;
        if (nw) l->w = nw;
        if (nq == NULL || nw == NULL) {
            vxs_query_free(q);
            nomem(p);
            return;
        }
        l->cap = ncap;
    }
    l->q[l->n] = q;
    l->w[l->n++] = w;
}

static void qlist_free(qlist *l) {
    for (size_t i = 0; i < l->n; i++) vxs_query_free(l->q[i]);
    free(l->q);
    free(l->w);
    memset(l, 0, sizeof *l);
}

/* Combines the list with op (a single item is returned as a copy); NULL when empty. */
static vxs_query *combine(parser *p, int op, const qlist *l, unsigned window) {
    if (l->n == 0) return NULL;
    return mk_combine(p, l->n == 1 && op != VXS_OP_PHRASE ? VXS_OP_AND : op, l->q, l->n, window);
}

/* Takes ownership of a and b; returns op(a, b) or NULL (both freed) when out of memory. */
static vxs_query *pair(parser *p, int op, vxs_query *a, vxs_query *b) {
    vxs_query *two[2] = {a, b};
    vxs_query *q = a && b ? mk_combine(p, op, two, 2, 0) : NULL;
    if (q == NULL) nomem(p);
    vxs_query_free(a);
    vxs_query_free(b);
    return q;
}

/* ---- highlight spec -------------------------------------------------------------------- */

static void spec_add(parser *p, char ***arr, size_t *n, const char *s, size_t len) {
    char **na = realloc(*arr, (*n + 1) * sizeof *na);
    char *d = na ? strndup(s, len) : NULL;
    if (na) *arr = na;
    if (d == NULL) {
        nomem(p);
        return;
    }
    na[(*n)++] = d;
}

static void spec_add_phrase(parser *p, const wordlist *wl) {
    vnsi_hl_spec *s = p->spec;
    size_t *ns = realloc(s->phrase_start, (s->nphrases + 2) * sizeof *ns);
    if (ns == NULL) {
        nomem(p);
        return;
    }
    s->phrase_start = ns;
    ns[s->nphrases] = s->nphrase_words;
    for (size_t i = 0; i < wl->n; i++)
        spec_add(p, &s->phrase_words, &s->nphrase_words, wl->w[i].folded, wl->w[i].folded_len);
    s->nphrases++;
    ns[s->nphrases] = s->nphrase_words;
}

void vnsi_hl_spec_clear(vnsi_hl_spec *s) {
    for (size_t i = 0; i < s->nwords; i++) free(s->words[i]);
    for (size_t i = 0; i < s->nprefixes; i++) free(s->prefixes[i]);
    for (size_t i = 0; i < s->nphrase_words; i++) free(s->phrase_words[i]);
    free(s->words);
    free(s->prefixes);
    free(s->phrase_words);
    free(s->phrase_start);
    memset(s, 0, sizeof *s);
}

/* ---- analysis of query words --------------------------------------------------------------- */

typedef struct collect_ctx {
    parser *p;
    wordlist *wl;
} collect_ctx;

static int collect(const vnsi_token *tok, void *ctx) {
    collect_ctx *c = ctx;
    parser *p = c->p;
    if (++p->words > VNS_QUERY_MAX_WORDS) {
        syntax(p, p->pos, "the query has more than %d words", VNS_QUERY_MAX_WORDS);
        return 1;
    }
    wordlist *wl = c->wl;
    if (wl->n == wl->cap) {
        size_t ncap = wl->cap ? wl->cap * 2 : 8;
        qword *nw = realloc(wl->w, ncap * sizeof *nw);
        if (nw == NULL) {
            nomem(p);
            return 1;
        }
        wl->w = nw;
        wl->cap = ncap;
    }
    qword *w = &wl->w[wl->n++];
    memcpy(w->folded, tok->folded, tok->folded_len);
    w->folded[tok->folded_len] = '\0';
    w->folded_len = tok->folded_len;
    memcpy(w->exact, tok->exact, tok->exact_len);
    w->exact[tok->exact_len] = '\0';
    w->exact_len = tok->exact_len;
    w->accented =
        tok->exact_len != tok->folded_len || memcmp(tok->exact, tok->folded, tok->folded_len) != 0;
    return 0;
}

/* Appends the words of text[0..len) to wl. */
static void analyze_into(parser *p, const char *text, size_t len, wordlist *wl) {
    collect_ctx c = {p, wl};
    if (vnsi_analyze(p->an, text, len, 1, collect, &c, NULL) != VNS_OK && p->st == VNS_OK) {
        snprintf(p->err, p->errlen, "analyzer: %s", vnsi_analyzer_errmsg(p->an));
        p->st = VNS_EINTERNAL;
    }
}

/* A term query: prefix + form. */
static vxs_query *term(parser *p, const char *prefix, const char *form, size_t len, uint32_t pos) {
    char buf[VNS_MAX_FORM_BYTES + 4], msg[VXS_ERRLEN];
    size_t pl = strlen(prefix);
    memcpy(buf, prefix, pl);
    memcpy(buf + pl, form, len);
    vxs_query *q = NULL;
    vns_status st = vxs_query_term(&q, buf, pl + len, 1, pos, msg);
    return st == VNS_OK ? q : shim_failed(p, st, msg);
}

/* ---- one AND level ----------------------------------------------------------------------- */

typedef struct clause {
    qlist pos;   /* Required. */
    qlist neg;   /* Excluded. */
    qlist boost; /* Optional, with weights: each becomes one AND_MAYBE. */
    qlist exact; /* Exact forms required (--exact). */
} clause;

static void clause_free(clause *c) {
    qlist_free(&c->pos);
    qlist_free(&c->neg);
    qlist_free(&c->boost);
    qlist_free(&c->exact);
}

/* Adds a boost; one weighted 0 is left out altogether (it would only cost time). */
static void add_boost(parser *p, clause *c, vxs_query *q, double w) {
    if (w <= 0) {
        vxs_query_free(q);
        return;
    }
    qlist_push(p, &c->boost, q, w);
}

/* The exact-form boost (and requirement) for the accented words of wl. */
static void add_exact(parser *p, clause *c, const wordlist *wl) {
    qlist ex = {0};
    for (size_t i = 0; i < wl->n; i++) {
        if (!wl->w[i].accented) continue;
        qlist_push(p, &ex, term(p, VNS_PREFIX_EXACT, wl->w[i].exact, wl->w[i].exact_len, 0), 0);
        if (p->exact)
            qlist_push(p, &c->exact,
                       term(p, VNS_PREFIX_EXACT, wl->w[i].exact, wl->w[i].exact_len, 0), 0);
    }
    if (ex.n > 0) add_boost(p, c, combine(p, VXS_OP_OR, &ex, 0), p->weights->exact);
    qlist_free(&ex);
}

/* The terms of wl under prefix, as a list of term queries. */
static void terms_of(parser *p, const wordlist *wl, const char *prefix, qlist *out) {
    for (size_t i = 0; i < wl->n; i++)
        qlist_push(p, out, term(p, prefix, wl->w[i].folded, wl->w[i].folded_len, (uint32_t)(i + 1)),
                   0);
}

/* A run of adjacent bare words (or a quoted phrase when quoted): required terms (or the phrase),
 * the phrase boost, the title boosts and the exact boost. field is "" or the title prefix. */
static void add_words(parser *p, clause *c, const wordlist *wl, int quoted, const char *field,
                      int negated) {
    if (wl->n == 0) return;
    qlist t = {0};
    terms_of(p, wl, field, &t);
    if (negated) {
        qlist_push(p, &c->neg, combine(p, quoted ? VXS_OP_PHRASE : VXS_OP_AND, &t, 0), 0);
        qlist_free(&t);
        return;
    }
    if (quoted) {
        qlist_push(p, &c->pos, combine(p, VXS_OP_PHRASE, &t, 0), 0);
        spec_add_phrase(p, wl);
    } else {
        for (size_t i = 0; i < t.n; i++) {
            qlist_push(p, &c->pos, t.q[i], 0);
            spec_add(p, &p->spec->words, &p->spec->nwords, wl->w[i].folded, wl->w[i].folded_len);
            t.q[i] = NULL;
        }
        if (wl->n > 1) {
            qlist t2 = {0};
            terms_of(p, wl, field, &t2);
            add_boost(p, c, combine(p, VXS_OP_PHRASE, &t2, 0), p->weights->phrase);
            qlist_free(&t2);
        }
    }
    qlist_free(&t);
    if (field[0] == '\0') {
        /* Title boosts: each query word found in the title, and all of them as a title phrase. */
        qlist s = {0};
        terms_of(p, wl, VNS_PREFIX_TITLE, &s);
        add_boost(p, c, combine(p, VXS_OP_OR, &s, 0), p->weights->title_terms);
        if (wl->n > 1 && p->weights->title_phrase > 0) {
            /* The title phrase, weighted as its words: AND(words, phrase scaled to 0). Scores are
             * the same as the bare phrase's, but Xapian 1.4.22 checks a bare phrase on the right
             * of AND_MAYBE slowly for every document the left side matches (`cho biet` on VNTC:
             * 128 ms against 3.3 ms this way; BENCHMARKS.md). */
            qlist t3 = {0};
            terms_of(p, wl, VNS_PREFIX_TITLE, &t3);
            vxs_query *check = combine(p, VXS_OP_PHRASE, &t3, 0);
            vxs_query *unweighted = check ? mk_scale(p, check, 0.0) : NULL;
            vxs_query_free(check);
            add_boost(p, c, pair(p, VXS_OP_AND, combine(p, VXS_OP_AND, &s, 0), unweighted),
                      p->weights->title_phrase);
            qlist_free(&t3);
        }
        qlist_free(&s);
    }
    add_exact(p, c, wl);
}

/* Finishes a clause into one query (NULL with p->st set on failure). */
static vxs_query *clause_query(parser *p, clause *c, size_t start) {
    if (p->st != VNS_OK) return NULL;
    if (c->pos.n == 0) {
        if (c->neg.n > 0)
            syntax(p, start, "only excluded terms: add a word to search for");
        else
            syntax(p, start, "nothing to search for");
        return NULL;
    }
    vxs_query *q = combine(p, VXS_OP_AND, &c->pos, 0);
    if (c->exact.n > 0) q = pair(p, VXS_OP_FILTER, q, combine(p, VXS_OP_AND, &c->exact, 0));
    if (c->neg.n > 0) q = pair(p, VXS_OP_AND_NOT, q, combine(p, VXS_OP_OR, &c->neg, 0));
    /* One AND_MAYBE per boost: scores then stay the same on one index and across shards. */
    for (size_t i = 0; i < c->boost.n && q; i++) {
        vxs_query *scaled = mk_scale(p, c->boost.q[i], c->boost.w[i]);
        q = pair(p, VXS_OP_AND_MAYBE, q, scaled);
    }
    return q;
}

/* ---- lexing -------------------------------------------------------------------------------- */

static int is_space(unsigned char ch) {
    return ch == ' ' || (ch < 0x20) || ch == 0x7f;
}

static void skip_space(parser *p) {
    while (p->pos < p->len && is_space((unsigned char)p->text[p->pos])) p->pos++;
}

static int at(const parser *p, char ch) {
    return p->pos < p->len && p->text[p->pos] == ch;
}

/* The end of a bare word starting at p->pos. */
static size_t word_end(const parser *p) {
    size_t e = p->pos;
    while (e < p->len && !is_space((unsigned char)p->text[e]) && p->text[e] != '"' &&
           p->text[e] != '(' && p->text[e] != ')')
        e++;
    return e;
}

static int is_or(const parser *p) {
    return p->pos + 2 <= p->len && memcmp(p->text + p->pos, "OR", 2) == 0 &&
           (p->pos + 2 == p->len || is_space((unsigned char)p->text[p->pos + 2]) ||
            p->text[p->pos + 2] == '(' || p->text[p->pos + 2] == '"');
}

static vxs_query *parse_or(parser *p);

/* Flushes the pending bare run into the clause. */
static void flush_run(parser *p, clause *c, wordlist *run) {
    add_words(p, c, run, 0, "", 0);
    run->n = 0;
}

/* Parses one AND level: items until ')' or OR or the end. */
static vxs_query *parse_and(parser *p) {
    clause c = {0};
    wordlist run = {0};
    size_t start = p->pos;
    for (;;) {
        skip_space(p);
        if (p->st != VNS_OK || p->pos >= p->len || at(p, ')') || is_or(p)) break;
        size_t item = p->pos;
        int negated = 0;
        const char *field = "";
        if (at(p, '-')) {
            negated = 1;
            p->pos++;
            if (p->pos >= p->len || is_space((unsigned char)p->text[p->pos])) {
                syntax(p, item, "'-' needs a word, phrase or group right after it");
                break;
            }
        }
        if (p->len - p->pos >= 6 && memcmp(p->text + p->pos, "title:", 6) == 0) {
            field = VNS_PREFIX_TITLE;
            p->pos += 6;
            if (p->pos >= p->len || is_space((unsigned char)p->text[p->pos]) || at(p, ')')) {
                syntax(p, item, "'title:' needs a word or phrase right after it");
                break;
            }
        }
        int plain_word = !negated && field[0] == '\0' && !at(p, '"') && !at(p, '(');
        if (!plain_word) flush_run(p, &c, &run);

        if (at(p, '(')) {
            if (field[0]) {
                syntax(p, item, "'title:' takes a word or phrase, not a group");
                break;
            }
            if (++p->depth > VNS_QUERY_MAX_DEPTH) {
                syntax(p, item, "groups nest deeper than %d", VNS_QUERY_MAX_DEPTH);
                break;
            }
            p->pos++;
            vxs_query *g = parse_or(p);
            p->depth--;
            if (p->st != VNS_OK) {
                vxs_query_free(g);
                break;
            }
            if (!at(p, ')')) {
                vxs_query_free(g);
                syntax(p, item, "'(' is never closed");
                break;
            }
            p->pos++;
            qlist_push(p, negated ? &c.neg : &c.pos, g, 0);
        } else if (at(p, '"')) {
            size_t open = p->pos++;
            const char *close = memchr(p->text + p->pos, '"', p->len - p->pos);
            if (close == NULL) {
                syntax(p, open, "'\"' is never closed");
                break;
            }
            size_t end = (size_t)(close - p->text);
            wordlist wl = {0};
            analyze_into(p, p->text + p->pos, end - p->pos, &wl);
            if (p->st == VNS_OK && wl.n == 0) syntax(p, open, "the phrase has no words");
            add_words(p, &c, &wl, 1, field, negated);
            free(wl.w);
            p->pos = end + 1;
        } else {
            size_t end = word_end(p);
            int prefix = end > p->pos && p->text[end - 1] == '*';
            size_t wend = prefix ? end - 1 : end;
            if (prefix) {
                char folded[VNS_MAX_FORM_BYTES + 2];
                size_t n =
                    vnsi_fold_text(p->an, p->text + p->pos, wend - p->pos, folded, sizeof folded);
                if (n == 0 || folded[0] == '*') {
                    syntax(p, item, "'*' needs the start of a word before it");
                    break;
                }
                if (plain_word) flush_run(p, &c, &run);
                char t[VNS_MAX_FORM_BYTES + 4];
                int tl = snprintf(t, sizeof t, "%s%s", field, folded);
                char msg[VXS_ERRLEN];
                vxs_query *w = NULL;
                vns_status wst =
                    vxs_query_wildcard(&w, t, (size_t)tl, VNS_PREFIX_MAX_EXPANSION, msg);
                if (wst != VNS_OK) shim_failed(p, wst, msg);
                qlist_push(p, negated ? &c.neg : &c.pos, w, 0);
                if (!negated) spec_add(p, &p->spec->prefixes, &p->spec->nprefixes, folded, n);
                p->words++;
            } else if (plain_word) {
                analyze_into(p, p->text + p->pos, end - p->pos, &run);
            } else {
                wordlist wl = {0};
                analyze_into(p, p->text + p->pos, end - p->pos, &wl);
                add_words(p, &c, &wl, 0, field, negated);
                free(wl.w);
            }
            p->pos = end;
        }
    }
    if (p->st == VNS_OK) flush_run(p, &c, &run);
    free(run.w);
    vxs_query *q = clause_query(p, &c, start);
    clause_free(&c);
    return q;
}

/* Parses OR levels: and (OR and)*. */
static vxs_query *parse_or(parser *p) {
    qlist alts = {0};
    for (;;) {
        skip_space(p);
        size_t start = p->pos;
        if (is_or(p)) {
            syntax(p, start, "'OR' needs something to search for on its left");
            break;
        }
        vxs_query *q = parse_and(p);
        if (p->st != VNS_OK) {
            vxs_query_free(q);
            break;
        }
        qlist_push(p, &alts, q, 0);
        skip_space(p);
        if (!is_or(p)) break;
        size_t or_at = p->pos;
        p->pos += 2;
        skip_space(p);
        if (p->pos >= p->len || at(p, ')') || is_or(p)) {
            syntax(p, or_at, "'OR' needs something to search for on its right");
            break;
        }
    }
    vxs_query *q = p->st == VNS_OK ? combine(p, VXS_OP_OR, &alts, 0) : NULL;
    qlist_free(&alts);
    return q;
}

vns_status vnsi_query_build(vxs_query **out, vnsi_hl_spec *spec, vnsi_analyzer *an,
                            const char *text, int exact, const vnsi_ranking_weights *weights,
                            char *err, size_t errlen) {
    *out = NULL;
    memset(spec, 0, sizeof *spec);
    parser p = {.an = an,
                .text = text,
                .len = strlen(text),
                .exact = exact,
                .weights = weights,
                .err = err,
                .errlen = errlen,
                .spec = spec};
    if (p.len > VNS_QUERY_MAX_BYTES) {
        snprintf(err, errlen, "query error: the query is over %d bytes", VNS_QUERY_MAX_BYTES);
        return VNS_EQUERY;
    }
    skip_space(&p);
    if (p.pos == p.len) {
        snprintf(err, errlen, "query error: the query is empty");
        return VNS_EQUERY;
    }
    vxs_query *q = parse_or(&p);
    if (p.st == VNS_OK && p.pos < p.len) syntax(&p, p.pos, "')' has no matching '('");
    if (p.st != VNS_OK) {
        vxs_query_free(q);
        vnsi_hl_spec_clear(spec);
        return p.st;
    }
    *out = q;
    return VNS_OK;
}
