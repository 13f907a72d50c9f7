/* query_parse.c: a recursive-descent parser for the query language, building a query tree. */
#include "query_parse.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"
#include "util.h"

typedef struct parser {
    vnsi_analyzer *an;
    const char *text;
    size_t len, pos;
    int depth;
    size_t words;  /* Words used so far (limit VNS_QUERY_MAX_WORDS). */
    int literal;   /* Plain text: words past the limit are left out, not an error. */
    vns_status st; /* First failure. */
    char *err;
    size_t errlen;
} parser;

/* ---- errors ---------------------------------------------------------------------------- */

/* The 1-based character column of byte offset off. Never fails. */
static size_t column(const parser *p, size_t off) {
    size_t col = 1;
    for (size_t i = 0; i < off && i < p->len; i++)
        if (((unsigned char)p->text[i] & 0xC0) != 0x80) col++;
    return col;
}

/* Records a syntax error at byte off, unless a failure is recorded already. Never fails. */
static void syntax(parser *p, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void syntax(parser *p, size_t off, const char *fmt, ...) {
    if (p->st != VNS_OK) return;
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    p->st = vnsi_errbuf_set(p->err, p->errlen, VNS_EQUERY, "query error at position %zu: %s",
                            column(p, off), msg);
}

/* Records a lack of memory, unless a failure is recorded already. Never fails. */
static void nomem(parser *p) {
    if (p->st != VNS_OK) return;
    p->st = vnsi_errbuf_set(p->err, p->errlen, VNS_ENOMEM, "out of memory building the query");
}

/* ---- nodes ----------------------------------------------------------------------------- */

void vnsi_qnode_free(vnsi_qnode *n) {
    if (n == NULL) return;
    for (size_t i = 0; i < n->nkids; i++) vnsi_qnode_free(n->kids[i]);
    free(n->kids);
    free(n->words);
    free(n->alts);
    free(n);
}

/* A new node of kind starting at byte start; NULL (failure recorded) when out of memory. */
static vnsi_qnode *node(parser *p, vnsi_qkind kind, size_t start) {
    vnsi_qnode *n = calloc(1, sizeof *n);
    if (n == NULL) {
        nomem(p);
        return NULL;
    }
    n->kind = kind;
    n->start = n->end = start;
    n->field = "";
    return n;
}

/* Appends kid to n (taking it; freed on failure) and extends n to kid's end. Fails only for lack
 * of memory (recorded in p). */
static void adopt(parser *p, vnsi_qnode *n, vnsi_qnode *kid) {
    if (kid == NULL) return;
    if (vnsi_grow(&n->kids, &n->kids_cap, n->nkids + 1, sizeof *n->kids) != VNS_OK) {
        vnsi_qnode_free(kid);
        nomem(p);
        return;
    }
    n->kids[n->nkids++] = kid;
    n->end = kid->end;
}

/* A node of kind around kid (taken), from byte start; NULL (kid freed) on failure. */
static vnsi_qnode *wrap(parser *p, vnsi_qkind kind, size_t start, vnsi_qnode *kid) {
    vnsi_qnode *n = kid ? node(p, kind, start) : NULL;
    if (n == NULL) {
        vnsi_qnode_free(kid);
        return NULL;
    }
    adopt(p, n, kid);
    if (n->nkids == 0) {
        vnsi_qnode_free(n);
        return NULL;
    }
    return n;
}

/* Ends a list node (OR or AND): one with a single child gives way to it. Never fails. */
static vnsi_qnode *finish_list(vnsi_qnode *n) {
    if (n == NULL || n->nkids != 1) return n;
    vnsi_qnode *only = n->kids[0];
    n->nkids = 0;
    vnsi_qnode_free(n);
    return only;
}

/* ---- analysis of query words ----------------------------------------------------------- */

typedef struct collect_ctx {
    parser *p;
    vnsi_qnode *n;
    size_t base; /* Byte offset of the analyzed text in the query. */
} collect_ctx;

static int is_space(unsigned char ch);

void vnsi_qword_set_forms(vnsi_qword *w, const vnsi_token *tok) {
    memcpy(w->folded, tok->folded, tok->folded_len);
    w->folded[tok->folded_len] = '\0';
    w->folded_len = tok->folded_len;
    memcpy(w->exact, tok->exact, tok->exact_len);
    w->exact[tok->exact_len] = '\0';
    w->exact_len = tok->exact_len;
    w->accented =
        tok->exact_len != tok->folded_len || memcmp(tok->exact, tok->folded, tok->folded_len) != 0;
}

/* Analyzer callback: counts the word against the limit and appends it to the node. */
static int collect(const vnsi_token *tok, void *ctx) {
    collect_ctx *c = ctx;
    parser *p = c->p;
    if (++p->words > VNS_QUERY_MAX_WORDS) {
        if (!p->literal) syntax(p, p->pos, "the query has more than %d words", VNS_QUERY_MAX_WORDS);
        return 1;
    }
    vnsi_qnode *n = c->n;
    if (vnsi_grow(&n->words, &n->words_cap, n->nwords + 1, sizeof *n->words) != VNS_OK) {
        nomem(p);
        return 1;
    }
    vnsi_qword *w = &n->words[n->nwords++];
    memset(w, 0, sizeof *w);
    vnsi_qword_set_forms(w, tok);
    w->start = c->base + tok->start;
    w->end = c->base + tok->end;
    /* Joined to the word before it without a space (U-19, 6/2/2017, kinh tế-xã hội). */
    if (n->nwords > 1) {
        size_t from = n->words[n->nwords - 2].end;
        w->glued = 1;
        for (size_t i = from; i < w->start; i++)
            if (is_space((unsigned char)p->text[i])) w->glued = 0;
    }
    return 0;
}

/* Appends the words of text[from..to) to n. Fails (recorded in p) at the word limit, for lack
 * of memory, or when the analyzer fails. */
static void analyze_into(parser *p, size_t from, size_t to, vnsi_qnode *n) {
    collect_ctx c = {p, n, from};
    if (vnsi_analyze(p->an, p->text + from, to - from, 1, collect, &c, NULL) != VNS_OK &&
        p->st == VNS_OK)
        p->st = vnsi_errbuf_set(p->err, p->errlen, VNS_EINTERNAL, "analyzer: %s",
                                vnsi_analyzer_errmsg(p->an));
    if (n->kind == VNSI_Q_WORDS && n->nwords > 0) {
        n->start = n->words[0].start;
        n->end = n->words[n->nwords - 1].end;
    }
}

/* ---- lexing ---------------------------------------------------------------------------- */

static int is_space(unsigned char ch) {
    return ch == ' ' || (ch < 0x20) || ch == 0x7f;
}

static void skip_space(parser *p) {
    while (p->pos < p->len && is_space((unsigned char)p->text[p->pos])) p->pos++;
}

static int at(const parser *p, char ch) {
    return p->pos < p->len && p->text[p->pos] == ch;
}

/* The end of a bare word starting at p->pos. Never fails. */
static size_t word_end(const parser *p) {
    size_t e = p->pos;
    while (e < p->len && !is_space((unsigned char)p->text[e]) && p->text[e] != '"' &&
           p->text[e] != '(' && p->text[e] != ')')
        e++;
    return e;
}

/* Whether the operator OR starts at p->pos. Never fails. */
static int is_or(const parser *p) {
    return p->pos + 2 <= p->len && memcmp(p->text + p->pos, "OR", 2) == 0 &&
           (p->pos + 2 == p->len || is_space((unsigned char)p->text[p->pos + 2]) ||
            p->text[p->pos + 2] == '(' || p->text[p->pos + 2] == '"');
}

/* ---- items ----------------------------------------------------------------------------- */

static vnsi_qnode *parse_or(parser *p);

/* A group at p->pos ('('), started at byte item; NULL with the failure recorded in p. */
static vnsi_qnode *parse_group(parser *p, size_t item) {
    if (++p->depth > VNS_QUERY_MAX_DEPTH) {
        syntax(p, item, "groups nest deeper than %d", VNS_QUERY_MAX_DEPTH);
        return NULL;
    }
    size_t open = p->pos++;
    vnsi_qnode *inner = parse_or(p);
    p->depth--;
    if (p->st == VNS_OK && !at(p, ')')) syntax(p, item, "'(' is never closed");
    if (p->st != VNS_OK) {
        vnsi_qnode_free(inner);
        return NULL;
    }
    vnsi_qnode *g = wrap(p, VNSI_Q_GROUP, open, inner);
    p->pos++;
    if (g) g->end = p->pos;
    return g;
}

/* A quoted phrase at p->pos; NULL with the failure recorded in p. */
static vnsi_qnode *parse_phrase(parser *p) {
    size_t open = p->pos++;
    const char *close = memchr(p->text + p->pos, '"', p->len - p->pos);
    if (close == NULL) {
        syntax(p, open, "'\"' is never closed");
        return NULL;
    }
    size_t end = (size_t)(close - p->text);
    vnsi_qnode *n = node(p, VNSI_Q_PHRASE, open);
    if (n) analyze_into(p, p->pos, end, n);
    if (p->st == VNS_OK && n->nwords == 0) syntax(p, open, "the phrase has no words");
    p->pos = end + 1;
    if (p->st != VNS_OK) {
        vnsi_qnode_free(n);
        return NULL;
    }
    n->end = p->pos;
    return n;
}

/* A word* at p->pos up to end, started at byte item; NULL with the failure recorded in p. */
static vnsi_qnode *parse_prefix(parser *p, size_t item, size_t end) {
    vnsi_qnode *n = node(p, VNSI_Q_PREFIX, p->pos);
    if (n == NULL) return NULL;
    size_t len =
        vnsi_fold_text(p->an, p->text + p->pos, end - 1 - p->pos, n->prefix, sizeof n->prefix);
    if (len == 0 || n->prefix[0] == '*') {
        syntax(p, item, "'*' needs the start of a word before it");
        vnsi_qnode_free(n);
        return NULL;
    }
    n->end = end;
    if (++p->words > VNS_QUERY_MAX_WORDS) {
        syntax(p, item, "the query has more than %d words", VNS_QUERY_MAX_WORDS);
        vnsi_qnode_free(n);
        return NULL;
    }
    return n;
}

/* ---- filters ----------------------------------------------------------------------------- */

/* The metadata fields of the query language and their term prefixes (date: has none). */
static const struct {
    const char *name;
    const char *prefix;
} filter_fields[] = {
    {"source:", VNS_PREFIX_META_SOURCE},
    {"topic:", VNS_PREFIX_META_TOPIC},
    {"tag:", VNS_PREFIX_META_TAG},
    {"date:", NULL},
};

/* The filter field named at p->pos (its index), or -1. Never fails. */
static int filter_at(const parser *p) {
    for (size_t i = 0; i < sizeof filter_fields / sizeof filter_fields[0]; i++) {
        size_t n = strlen(filter_fields[i].name);
        if (p->len - p->pos >= n && memcmp(p->text + p->pos, filter_fields[i].name, n) == 0)
            return (int)i;
    }
    return -1;
}

/* A date filter's value text[from..to) (A, A..B, ..B, A..) into n. */
static void parse_dates(parser *p, vnsi_qnode *n, size_t from, size_t to) {
    const char *v = p->text + from, *dots = NULL;
    size_t len = to - from;
    for (size_t i = 0; i + 1 < len && dots == NULL; i++)
        if (v[i] == '.' && v[i + 1] == '.') dots = v + i;
    size_t a_len = dots ? (size_t)(dots - v) : len;
    const char *b = dots ? dots + 2 : NULL;
    size_t b_len = dots ? len - a_len - 2 : 0;
    int64_t lo, hi, unused;
    const char *why = NULL;
    if (dots && a_len == 0 && b_len == 0) {
        syntax(p, from, "'date:..' needs a date on one side at least (date:2024-01..2024-03)");
        return;
    }
    if (a_len > 0 && vnsi_period_parse(v, a_len, &lo, dots ? &unused : &hi, &why) < 0) {
        syntax(p, from, "'date:' %s (date:2024, date:2024-05, date:2024-05-06, date:A..B)", why);
        return;
    }
    if (b_len > 0 && vnsi_period_parse(b, b_len, &unused, &hi, &why) < 0) {
        syntax(p, (size_t)(b - p->text), "'date:' %s (date:2024, date:2024-05-06, date:A..B)", why);
        return;
    }
    n->has_lo = a_len > 0;
    n->has_hi = !dots || b_len > 0;
    n->date_lo = n->has_lo ? lo : 0;
    n->date_hi = n->has_hi ? hi : 0;
    if (n->has_lo && n->has_hi && n->date_lo > n->date_hi)
        syntax(p, from, "'date:' the range ends before it starts");
}

/* A filter (field index f) at p->pos, its field name not yet read; NULL with the failure
 * recorded in p. */
static vnsi_qnode *parse_filter(parser *p, size_t item, int f) {
    const char *name = filter_fields[f].name;
    p->pos += strlen(name);
    size_t from = p->pos, to;
    if (at(p, '"')) {
        const char *close = memchr(p->text + p->pos + 1, '"', p->len - p->pos - 1);
        if (close == NULL) {
            syntax(p, p->pos, "'\"' is never closed");
            return NULL;
        }
        from = p->pos + 1;
        to = (size_t)(close - p->text);
        p->pos = to + 1;
    } else {
        to = word_end(p);
        p->pos = to;
    }
    vnsi_qnode *n = to > from ? node(p, VNSI_Q_FILTER, item) : NULL;
    if (to <= from) syntax(p, item, "'%s' needs a value right after it", name);
    if (n == NULL) return NULL;
    n->end = p->pos;
    if (filter_fields[f].prefix == NULL) {
        parse_dates(p, n, from, to);
    } else if (vnsi_meta_term(p->an, filter_fields[f].prefix, p->text + from, to - from, n->term,
                              sizeof n->term) == 0) {
        syntax(p, item, "'%s' needs a value right after it", name);
    }
    if (p->st == VNS_OK && ++p->words > VNS_QUERY_MAX_WORDS)
        syntax(p, item, "the query has more than %d words", VNS_QUERY_MAX_WORDS);
    if (p->st != VNS_OK) {
        vnsi_qnode_free(n);
        return NULL;
    }
    return n;
}

/* ---- one AND level --------------------------------------------------------------------- */

/* Puts the pending run of bare words (if it has words) into the AND node. */
static void flush_run(parser *p, vnsi_qnode *items, vnsi_qnode **run) {
    if (*run && (*run)->nwords > 0)
        adopt(p, items, *run);
    else
        vnsi_qnode_free(*run);
    *run = NULL;
}

/* Parses one AND level: items until ')' or OR or the end. NULL with the failure in p. */
static vnsi_qnode *parse_and(parser *p) {
    size_t start = p->pos;
    vnsi_qnode *items = node(p, VNSI_Q_AND, start), *run = NULL;
    if (items == NULL) return NULL;
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
        int filter = filter_at(p);
        if (filter >= 0) {
            flush_run(p, items, &run);
            vnsi_qnode *n = parse_filter(p, item, filter);
            if (n && negated) n = wrap(p, VNSI_Q_NOT, item, n);
            if (n) adopt(p, items, n);
            continue;
        }
        size_t field_at = p->pos;
        if (p->len - p->pos >= 6 && memcmp(p->text + p->pos, "title:", 6) == 0) {
            field = VNS_PREFIX_TITLE;
            p->pos += 6;
            if (p->pos >= p->len || is_space((unsigned char)p->text[p->pos]) || at(p, ')')) {
                syntax(p, item, "'title:' needs a word or phrase right after it");
                break;
            }
        }
        /* A plain word joins the run of adjacent words; anything else ends it. */
        int plain_word = !negated && field[0] == '\0' && !at(p, '"') && !at(p, '(');
        if (!plain_word) flush_run(p, items, &run);

        vnsi_qnode *n = NULL;
        if (at(p, '(')) {
            if (field[0]) {
                syntax(p, item, "'title:' takes a word or phrase, not a group");
                break;
            }
            n = parse_group(p, item);
        } else if (at(p, '"')) {
            n = parse_phrase(p);
        } else {
            size_t end = word_end(p);
            if (end > p->pos && p->text[end - 1] == '*') {
                if (plain_word) flush_run(p, items, &run);
                n = parse_prefix(p, item, end);
            } else if (plain_word) {
                if (run == NULL) run = node(p, VNSI_Q_WORDS, p->pos);
                if (run) analyze_into(p, p->pos, end, run);
            } else {
                n = node(p, VNSI_Q_WORDS, p->pos);
                if (n) analyze_into(p, p->pos, end, n);
            }
            p->pos = end;
        }
        if (p->st != VNS_OK || n == NULL) {
            vnsi_qnode_free(n);
            continue; /* Ends the loop on failure; a run goes on. */
        }
        if (n->kind == VNSI_Q_WORDS && n->nwords == 0) {
            vnsi_qnode_free(n); /* A word of no words ("-..."): it adds nothing. */
            continue;
        }
        if (field[0] && (n = wrap(p, VNSI_Q_FIELD, field_at, n)) != NULL) n->field = field;
        if (negated) n = wrap(p, VNSI_Q_NOT, item, n);
        adopt(p, items, n);
    }
    if (p->st == VNS_OK) flush_run(p, items, &run);
    vnsi_qnode_free(run);
    int positive = 0, negative = 0;
    for (size_t i = 0; i < items->nkids; i++) {
        const vnsi_qnode *k = items->kids[i];
        negative |= k->kind == VNSI_Q_NOT;
        /* Filters alone (kept or excluded, also in groups) are a query: every article that
         * passes them. */
        positive |= k->kind != VNSI_Q_NOT || (k->nkids == 1 && vnsi_qnode_only_filters(k->kids[0]));
    }
    if (!positive && negative)
        syntax(p, start, "only excluded terms: add a word to search for");
    else if (!positive)
        syntax(p, start, "nothing to search for");
    if (p->st != VNS_OK) {
        vnsi_qnode_free(items);
        return NULL;
    }
    items->start = items->kids[0]->start;
    return finish_list(items);
}

/* Parses OR levels: and (OR and)*. NULL with the failure in p. */
static vnsi_qnode *parse_or(parser *p) {
    vnsi_qnode *alts = node(p, VNSI_Q_OR, p->pos);
    if (alts == NULL) return NULL;
    for (;;) {
        skip_space(p);
        size_t start = p->pos;
        if (is_or(p)) {
            syntax(p, start, "'OR' needs something to search for on its left");
            break;
        }
        vnsi_qnode *a = parse_and(p);
        if (p->st != VNS_OK) break;
        adopt(p, alts, a);
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
    if (p->st != VNS_OK) {
        vnsi_qnode_free(alts);
        return NULL;
    }
    alts->start = alts->kids[0]->start;
    return finish_list(alts);
}

int vnsi_qnode_only_filters(const vnsi_qnode *n) {
    if (n->kind == VNSI_Q_FILTER) return 1;
    if (n->kind != VNSI_Q_GROUP && n->kind != VNSI_Q_AND && n->kind != VNSI_Q_OR) return 0;
    for (size_t i = 0; i < n->nkids; i++)
        if (!vnsi_qnode_only_filters(n->kids[i])) return 0;
    return n->nkids > 0;
}

/* ---- repeats ---------------------------------------------------------------------------- */

/* Whether two trees ask the same: kinds, fields, prefixes, words (both forms, and typed joined
 * or apart) and kids alike; positions in the text do not count. Never fails. */
static int same(const vnsi_qnode *a, const vnsi_qnode *b) {
    if (a->kind != b->kind || a->nwords != b->nwords || a->nkids != b->nkids ||
        strcmp(a->field, b->field) != 0 || strcmp(a->prefix, b->prefix) != 0 ||
        strcmp(a->term, b->term) != 0 || a->has_lo != b->has_lo || a->has_hi != b->has_hi ||
        a->date_lo != b->date_lo || a->date_hi != b->date_hi)
        return 0;
    for (size_t i = 0; i < a->nwords; i++)
        if (strcmp(a->words[i].folded, b->words[i].folded) != 0 ||
            strcmp(a->words[i].exact, b->words[i].exact) != 0 ||
            a->words[i].glued != b->words[i].glued)
            return 0;
    for (size_t i = 0; i < a->nkids; i++)
        if (!same(a->kids[i], b->kids[i])) return 0;
    return 1;
}

/* Leaves out, at every AND and OR level, the items that repeat an earlier item of that level
 * ("t* t*", "a OR a", "-x -x"), so that a repeat costs nothing; a level left with one item gives
 * way to it. Comparing is quadratic in the items of a level, which the word limit bounds. Never
 * fails. */
static vnsi_qnode *merge_repeats(vnsi_qnode *n) {
    for (size_t i = 0; i < n->nkids; i++) n->kids[i] = merge_repeats(n->kids[i]);
    if (n->kind != VNSI_Q_AND && n->kind != VNSI_Q_OR) return n;
    size_t kept = 0;
    for (size_t i = 0; i < n->nkids; i++) {
        size_t j = 0;
        while (j < kept && !same(n->kids[j], n->kids[i])) j++;
        if (j < kept)
            vnsi_qnode_free(n->kids[i]);
        else
            n->kids[kept++] = n->kids[i];
    }
    n->nkids = kept;
    return finish_list(n);
}

/* The byte offset of the first invalid UTF-8 sequence in text (overlong forms, surrogates and
 * code points above U+10FFFF included), or len when there is none. Never fails. */
static size_t first_invalid_utf8(const char *text, size_t len) {
    const unsigned char *t = (const unsigned char *)text;
    size_t i = 0;
    while (i < len) {
        unsigned c = t[i], n, min;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            n = 1, min = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2, min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3, min = 0x10000;
        } else {
            return i;
        }
        if (len - i <= n) return i;
        unsigned cp = c & (0x3F >> n);
        for (unsigned k = 1; k <= n; k++) {
            if ((t[i + k] & 0xC0) != 0x80) return i;
            cp = (cp << 6) | (t[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
        i += n + 1;
    }
    return len;
}

/* Reads all of the text as one run of plain words (literal). NULL with the failure in p. */
static vnsi_qnode *parse_literal(parser *p) {
    vnsi_qnode *n = node(p, VNSI_Q_WORDS, p->pos);
    if (n) analyze_into(p, p->pos, p->len, n);
    if (p->st == VNS_OK && n->nwords == 0) syntax(p, p->pos, "the text has no words to search for");
    if (p->st != VNS_OK) {
        vnsi_qnode_free(n);
        return NULL;
    }
    return n;
}

vns_status vnsi_query_parse(vnsi_qnode **out, vnsi_analyzer *an, const char *text, int literal,
                            char *err, size_t errlen) {
    *out = NULL;
    parser p = {.an = an,
                .text = text,
                .len = strlen(text),
                .literal = literal,
                .err = err,
                .errlen = errlen};
    if (p.len > VNS_QUERY_MAX_BYTES)
        return vnsi_errbuf_set(err, errlen, VNS_EQUERY, "query error: the query is over %d bytes",
                               VNS_QUERY_MAX_BYTES);
    /* Refused, not replaced: a query the caller cannot see cannot be fixed, and JSON output
     * could not carry it back. */
    size_t bad = first_invalid_utf8(text, p.len);
    if (bad < p.len)
        return vnsi_errbuf_set(err, errlen, VNS_EQUERY,
                               "query error at position %zu: byte 0x%02X is not UTF-8 (convert "
                               "the query to UTF-8)",
                               column(&p, bad), (unsigned char)text[bad]);
    skip_space(&p);
    if (p.pos == p.len)
        return vnsi_errbuf_set(err, errlen, VNS_EQUERY, "query error: the query is empty");
    if (literal) {
        vnsi_qnode *root = parse_literal(&p);
        if (root) *out = root;
        return p.st;
    }
    vnsi_qnode *root = parse_or(&p);
    if (p.st == VNS_OK && p.pos < p.len) syntax(&p, p.pos, "')' has no matching '('");
    if (p.st != VNS_OK) {
        vnsi_qnode_free(root);
        return p.st;
    }
    *out = merge_repeats(root);
    return VNS_OK;
}

size_t vnsi_query_bare_words(const vnsi_qnode *n) {
    if (n->kind == VNSI_Q_NOT || n->kind == VNSI_Q_FIELD) return 0;
    size_t c = n->kind == VNSI_Q_WORDS ? n->nwords : 0;
    for (size_t i = 0; i < n->nkids; i++) c += vnsi_query_bare_words(n->kids[i]);
    return c;
}
