/* snippet.c: our snippet generator: re-analyzes the stored text, matches folded query words and
 * phrases, and cuts the best window(s) out of the original text with the matches marked. */
#define _GNU_SOURCE
#include "snippet.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

#define ELLIPSIS "\xE2\x80\xA6" /* … */
/* At most this many bytes of punctuation stay glued after a fragment's last word ("cuối.",
 * "(2024)."): enough for any run of closing marks people write, not a page of them. */
#define SNIPPET_GLUE_MAX 16

typedef struct tok {
    size_t start, end; /* Bytes in the text. */
    size_t folded;     /* Offset of the folded form in the arena. */
    size_t folded_len;
    int id; /* Which query element matched it (-1: none). */
} tok;

typedef struct toks {
    tok *t;
    size_t n, cap;
    char *arena;
    size_t alen, acap;
    int failed;
    unsigned max; /* Stop after this many tokens (0: no limit). */
} toks;

static int add_tok(const vnsi_token *vt, void *p) {
    toks *ts = p;
    if (ts->max && ts->n >= ts->max) return 1;
    if (vnsi_grow(&ts->t, &ts->cap, ts->n + 1, sizeof *ts->t) != VNS_OK ||
        vnsi_grow(&ts->arena, &ts->acap, ts->alen + vt->folded_len, 1) != VNS_OK) {
        ts->failed = 1;
        return 1;
    }
    memcpy(ts->arena + ts->alen, vt->folded, vt->folded_len);
    ts->t[ts->n++] = (tok){vt->start, vt->end, ts->alen, vt->folded_len, -1};
    ts->alen += vt->folded_len;
    return 0;
}

static void toks_free(toks *ts) {
    free(ts->t);
    free(ts->arena);
}

static int tok_is(const toks *ts, size_t i, const char *s) {
    size_t n = strlen(s);
    return ts->t[i].folded_len == n && memcmp(ts->arena + ts->t[i].folded, s, n) == 0;
}

/* Marks the tokens each query element matches; ids: words, then prefixes, then phrases. */
static void mark(toks *ts, const vnsi_hl_spec *spec) {
    for (size_t i = 0; i < ts->n; i++) {
        tok *t = &ts->t[i];
        for (size_t w = 0; w < spec->nwords && t->id < 0; w++)
            if (tok_is(ts, i, spec->words[w])) t->id = (int)w;
        for (size_t k = 0; k < spec->nprefixes && t->id < 0; k++) {
            size_t pl = strlen(spec->prefixes[k]);
            if (t->folded_len >= pl && memcmp(ts->arena + t->folded, spec->prefixes[k], pl) == 0)
                t->id = (int)(spec->nwords + k);
        }
    }
    for (size_t k = 0; k < spec->nphrases; k++) {
        size_t a = spec->phrase_start[k], m = spec->phrase_start[k + 1] - a;
        for (size_t i = 0; m > 0 && i + m <= ts->n; i++) {
            size_t j = 0;
            while (j < m && tok_is(ts, i + j, spec->phrase_words[a + j])) j++;
            if (j < m) continue;
            for (j = 0; j < m; j++) ts->t[i + j].id = (int)(spec->nwords + spec->nprefixes + k);
            i += m - 1;
        }
    }
}

/* The weight of query element id in a window: a word's (spec->word_weight, its rarity) or 1
 * without weights; a prefix or a quoted phrase VNS_SNIPPET_EXPLICIT_WEIGHT. Never fails. */
static long weight_of(const vnsi_hl_spec *spec, int id) {
    if ((size_t)id < spec->nwords) return spec->word_weight ? (long)spec->word_weight[id] : 1;
    return spec->word_weight ? VNS_SNIPPET_EXPLICIT_WEIGHT : 1;
}

/* The best window of `size` tokens not overlapping [ex_lo, ex_hi): 1000 per distinct element
 * (times its weight) plus 1 per matched token. *score gets its score (0: no match). */
static size_t best_window(const toks *ts, const vnsi_hl_spec *spec, size_t size, size_t ex_lo,
                          size_t ex_hi, int nids, long *score) {
    int *count = calloc((size_t)nids + 1, sizeof *count);
    long best = -1, distinct = 0, hits = 0;
    size_t best_s = 0;
    if (count == NULL) {
        *score = 0;
        return 0;
    }
    for (size_t e = 0; e < ts->n; e++) {
        int id = ts->t[e].id;
        if (id >= 0) {
            if (count[id]++ == 0) distinct += weight_of(spec, id);
            hits++;
        }
        if (e >= size) {
            int old = ts->t[e - size].id;
            if (old >= 0) {
                if (--count[old] == 0) distinct -= weight_of(spec, old);
                hits--;
            }
        }
        size_t s = e + 1 >= size ? e + 1 - size : 0;
        if (e + 1 < size && e + 1 < ts->n) continue; /* Window not full yet. */
        if (s < ex_hi && e >= ex_lo) continue;       /* Overlaps the excluded range. */
        long sc = distinct * 1000 + hits;
        if (sc > best) {
            best = sc;
            best_s = s;
        }
    }
    free(count);
    *score = best < 0 ? 0 : best;
    return best_s;
}

/* Moves a window start right so that the first match has VNS_SNIPPET_LEAD words before it, and
 * left when the window runs past the end; every match stays inside. */
static size_t place(const toks *ts, size_t s, size_t size) {
    size_t first = s;
    while (first < ts->n && first < s + size && ts->t[first].id < 0) first++;
    if (first < s + size && first < ts->n && first > s + VNS_SNIPPET_LEAD)
        s = first - VNS_SNIPPET_LEAD;
    if (s + size > ts->n) s = ts->n > size ? ts->n - size : 0;
    return s;
}

typedef struct out {
    char *buf;
    size_t len, cap;
    vns_range *hl;
    size_t nhl, hlcap;
    int failed;
} out;

static void put(out *o, const char *s, size_t n) {
    if (vnsi_grow(&o->buf, &o->cap, o->len + n + 1, 1) != VNS_OK) {
        o->failed = 1;
        return;
    }
    /* Newlines and tabs become spaces: a snippet is one line. */
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        o->buf[o->len++] = (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
    }
    o->buf[o->len] = '\0';
}

static void add_hl(out *o, size_t start, size_t end) {
    if (vnsi_grow(&o->hl, &o->hlcap, o->nhl + 1, sizeof *o->hl) != VNS_OK) {
        o->failed = 1;
        return;
    }
    o->hl[o->nhl++] = (vns_range){start, end};
}

static int only_spaces(const char *s, size_t a, size_t b) {
    for (size_t i = a; i < b; i++)
        if (s[i] != ' ' && s[i] != '\n' && s[i] != '\r' && s[i] != '\t') return 0;
    return 1;
}

/* Copies tokens [a, b] with the text around them, marking runs of matched tokens. */
static void emit(out *o, const toks *ts, const char *text, size_t len, size_t a, size_t b) {
    size_t from = a == 0 ? 0 : ts->t[a].start;
    size_t to = ts->t[b].end;
    /* Keep punctuation glued to the last word (a full stop, a closing bracket), a little of it:
     * after the last word analyzed, the rest of a long text would follow. */
    size_t stop = b + 1 < ts->n ? ts->t[b + 1].start : len;
    if (stop - to > SNIPPET_GLUE_MAX) stop = vnsi_utf8_floor(text, len, to + SNIPPET_GLUE_MAX);
    while (to < stop && text[to] != ' ' && text[to] != '\n' && text[to] != '\t') to++;
    while (to > from && (text[to - 1] == ' ' || text[to - 1] == '\n' || text[to - 1] == '\r' ||
                         text[to - 1] == '\t'))
        to--;
    while (from < to && only_spaces(text, from, from + 1)) from++;
    if (from > 0) put(o, ELLIPSIS " ", sizeof ELLIPSIS);
    size_t base = o->len;
    put(o, text + from, to - from);
    for (size_t i = a; i <= b; i++) {
        if (ts->t[i].id < 0) continue;
        size_t j = i;
        while (j + 1 <= b && ts->t[j + 1].id >= 0 &&
               only_spaces(text, ts->t[j].end, ts->t[j + 1].start))
            j++;
        add_hl(o, base + (ts->t[i].start - from), base + (ts->t[j].end - from));
        i = j;
    }
    if (to < len && !only_spaces(text, to, len)) put(o, " " ELLIPSIS, sizeof ELLIPSIS);
}

vns_status vnsi_snippet_make(vnsi_analyzer *an, const vnsi_hl_spec *spec, const char *text,
                             size_t len, unsigned words, char **res, size_t *res_len,
                             vns_range **hl, size_t *nhl) {
    *res = NULL;
    *hl = NULL;
    *nhl = 0;
    if (words == 0) words = 1;
    size_t scan = len < VNS_SNIPPET_MAX_SCAN ? len : VNS_SNIPPET_MAX_SCAN;
    scan = vnsi_utf8_floor(text, len, scan);
    toks ts = {0};
    vns_status st = vnsi_analyze(an, text, scan, 0, add_tok, &ts, NULL);
    if (st != VNS_OK || ts.failed) {
        toks_free(&ts);
        return st != VNS_OK ? st : VNS_ENOMEM;
    }
    out o = {0};
    put(&o, "", 0);
    if (ts.n > 0) {
        mark(&ts, spec);
        int nids = (int)(spec->nwords + spec->nprefixes + spec->nphrases);
        long score1, sa, sb;
        size_t s1 = best_window(&ts, spec, words, 0, 0, nids, &score1);
        size_t total = 0, inside = 0;
        for (size_t i = 0; i < ts.n; i++) {
            if (ts.t[i].id < 0) continue;
            total++;
            if (i >= s1 && i < s1 + words) inside++;
        }
        size_t half = words / 2 ? words / 2 : 1;
        size_t a = 0, b = 0;
        int two = 0;
        if (total > inside) {
            a = place(&ts, best_window(&ts, spec, half, 0, 0, nids, &sa), half);
            b = best_window(&ts, spec, half, a, a + half, nids, &sb);
            two = sb > 0 && (b + half <= a || b >= a + half);
            if (two) b = place(&ts, b, half);
            two = two && (b + half <= a || b >= a + half);
        }
        if (two) {
            size_t lo = a < b ? a : b, hi = a < b ? b : a;
            emit(&o, &ts, text, len, lo, lo + half - 1 < ts.n ? lo + half - 1 : ts.n - 1);
            size_t mark_len = o.len;
            emit(&o, &ts, text, len, hi, hi + half - 1 < ts.n ? hi + half - 1 : ts.n - 1);
            /* Two ellipses meeting between the fragments (the first's " …" at its end, the
             * second's "… " at its start) become one; the text's own are left as written. */
            const char dbl[] = " " ELLIPSIS ELLIPSIS " ";
            size_t cut = sizeof ELLIPSIS - 1;
            if (mark_len >= 1 + cut && o.len >= mark_len + cut + 1 &&
                memcmp(o.buf + mark_len - 1 - cut, dbl, sizeof dbl - 1) == 0) {
                size_t at = mark_len;
                memmove(o.buf + at, o.buf + at + cut, o.len - at - cut + 1);
                o.len -= cut;
                for (size_t i = 0; i < o.nhl; i++)
                    if (o.hl[i].start >= at) {
                        o.hl[i].start -= cut;
                        o.hl[i].end -= cut;
                    }
            }
        } else {
            s1 = place(&ts, s1, words);
            size_t e1 = s1 + words - 1 < ts.n ? s1 + words - 1 : ts.n - 1;
            emit(&o, &ts, text, len, s1, e1);
        }
    }
    toks_free(&ts);
    if (o.failed) {
        free(o.buf);
        free(o.hl);
        return VNS_ENOMEM;
    }
    *res = o.buf;
    *res_len = o.len;
    *hl = o.hl;
    *nhl = o.nhl;
    return VNS_OK;
}

char *vnsi_opening_words(vnsi_analyzer *an, const char *text, size_t len, unsigned words) {
    toks ts = {.max = words + 1};
    size_t scan = len < 65536 ? len : 65536;
    scan = vnsi_utf8_floor(text, len, scan);
    vnsi_analyze(an, text, scan, 0, add_tok, &ts, NULL);
    out o = {0};
    put(&o, "", 0);
    if (ts.n > 0 && !ts.failed) {
        size_t last = ts.n > words ? words - 1 : ts.n - 1;
        size_t from = ts.t[0].start, to = ts.t[last].end;
        put(&o, text + from, to - from);
        if (ts.n > words) put(&o, ELLIPSIS, sizeof ELLIPSIS - 1);
    }
    toks_free(&ts);
    free(o.hl);
    if (o.failed) {
        free(o.buf);
        return NULL;
    }
    return o.buf;
}
