/* suggest.c: spelling candidates for one syllable, enumerated from the syllable table and
 * ranked by edits and document counts. */
#include "suggest.h"

/* A candidate outside the usual confusions wins over one they make only when this many times as
 * common (tests/bench/spelling_eval.md, section 4). */
#define VNSI_SUGGEST_TIER_GAP 10

#include <stdlib.h>
#include <string.h>

#include "typing.h"

/* Most candidates kept for ranking; the enumeration stops adding past it. */
#define CANDS_MAX 2048
/* Most edits from the word to a candidate. */
#define MAX_EDITS 2
/* Longest form written for a lookup: 8 letters of 3 bytes and a NUL. */
#define FORM_MAX 32
/* Letters of a word variant: a syllable with its initial swapped (d -> gi) can grow by one. */
#define WMAX (VNSI_SYL_MAX + 2)

/* One candidate: its letters and tone, its index form, its edits, whether the usual
 * confusions alone make it (tier 0) or not (1), whether its tone differs from the word's and by
 * how many letters its length does. */
typedef struct cand {
    vnsi_syl y;
    char form[FORM_MAX];
    uint8_t form_len, edits, tier, tone_off, len_off;
} cand;

/* The candidates being gathered. */
typedef struct pool {
    cand *c;
    size_t n;
    int marked;
    const vnsi_syl *word;
    const char *own; /* The word's own form. */
} pool;

/* The initials swapped for one another, each swap one edit. */
static const char *const swaps[][2] = {
    {"s", "x"},  {"x", "s"},  {"ch", "tr"}, {"tr", "ch"}, {"d", "gi"}, {"d", "r"},
    {"gi", "d"}, {"gi", "r"}, {"r", "d"},   {"r", "gi"},  {"n", "l"},  {"l", "n"},
};
#define NSWAPS (sizeof swaps / sizeof swaps[0])

/* Adds the syllable s[0..n) with tone at the given edits and tier, unless it is the word
 * itself or the pool is full. */
static void add(pool *p, const char *s, size_t n, int tone, int edits, int tier) {
    if (edits < 1 || edits > MAX_EDITS || p->n == CANDS_MAX || n > VNSI_SYL_MAX) return;
    cand *c = &p->c[p->n];
    memset(&c->y, 0, sizeof c->y);
    memcpy(c->y.s, s, n);
    c->y.n = (uint8_t)n;
    c->y.tone = (uint8_t)tone;
    size_t k = vnsi_syl_write(&c->y, p->marked ? VNSI_FORM_EXACT : VNSI_FORM_FOLDED, c->form,
                              sizeof c->form);
    if (k == 0 || strcmp(c->form, p->own) == 0) return;
    c->form_len = (uint8_t)k;
    c->edits = (uint8_t)edits;
    c->tier = (uint8_t)tier;
    c->tone_off = tone != p->word->tone;
    c->len_off = (uint8_t)(n > p->word->n ? n - p->word->n : p->word->n - n);
    p->n++;
}

/* Adds s[0..n) with the word's tone at `edits`, and with each other tone at one edit more (only
 * for words typed with diacritics). */
static void add_tones(pool *p, const char *s, size_t n, int edits, int tier) {
    if (edits > MAX_EDITS) return;
    if (!p->marked) {
        if (vnsi_syl_ok(s, n, VNSI_TONE_NONE, 0)) add(p, s, n, VNSI_TONE_NONE, edits, tier);
        return;
    }
    /* Tones matter only through the final: c, ch, p, t take sắc and nặng alone. */
    if (!vnsi_syl_ok(s, n, VNSI_TONE_ACUTE, 1)) return;
    int any = vnsi_syl_ok(s, n, VNSI_TONE_NONE, 1);
    for (int t = VNSI_TONE_NONE; t <= VNSI_TONE_DOT; t++)
        if (any || t == VNSI_TONE_ACUTE || t == VNSI_TONE_DOT)
            add(p, s, n, t, edits + (t != p->word->tone), tier);
}

/* The length of the longest initial of the table that begins s[0..n). */
static size_t initial_of(const char *s, size_t n) {
    size_t ni, best = 0;
    const char *const *ini = vnsi_syl_initials(1, &ni);
    for (size_t i = 0; i < ni; i++) {
        size_t l = strlen(ini[i]);
        if (l <= n && l > best && memcmp(s, ini[i], l) == 0) best = l;
    }
    return best;
}

/* Adds what the usual confusions make of the word: a swapped initial, final n/ng or c/t, another
 * tone, and two of these together. */
static void add_confusions(pool *p) {
    const vnsi_syl *w = p->word;
    size_t il = initial_of(w->s, w->n);
    /* Initials: the word's own (no edit) and its swaps (one). */
    char heads[1 + NSWAPS][4];
    int head_cost[1 + NSWAPS], nh = 0;
    memcpy(heads[0], w->s, il);
    heads[0][il] = 0;
    head_cost[nh++] = 0;
    for (size_t i = 0; i < NSWAPS; i++)
        if (strlen(swaps[i][0]) == il && memcmp(w->s, swaps[i][0], il) == 0) {
            strcpy(heads[nh], swaps[i][1]);
            head_cost[nh++] = 1;
        }
    /* Rests: the word's own and with its final swapped. */
    char tails[2][WMAX];
    size_t rn = w->n - il, nt = 1;
    memcpy(tails[0], w->s + il, rn);
    tails[0][rn] = 0;
    const char *r = tails[0];
    if (rn >= 2 && r[rn - 2] != 'n' && r[rn - 1] == 'n') { /* n -> ng */
        memcpy(tails[1], r, rn);
        memcpy(tails[1] + rn, "g", 2);
        nt = 2;
    } else if (rn >= 3 && r[rn - 2] == 'n' && r[rn - 1] == 'g') { /* ng -> n */
        memcpy(tails[1], r, rn - 1);
        tails[1][rn - 1] = 0;
        nt = 2;
    } else if (rn >= 2 && (r[rn - 1] == 'c' || r[rn - 1] == 't')) { /* c <-> t */
        memcpy(tails[1], r, rn + 1);
        tails[1][rn - 1] = r[rn - 1] == 'c' ? 't' : 'c';
        nt = 2;
    }
    for (int h = 0; h < nh; h++)
        for (size_t t = 0; t < nt; t++) {
            char s[2 * WMAX];
            size_t hl = strlen(heads[h]), tl = strlen(tails[t]);
            if (hl + tl > VNSI_SYL_MAX) continue;
            memcpy(s, heads[h], hl);
            memcpy(s + hl, tails[t], tl);
            add_tones(p, s, hl + tl, head_cost[h] + (t > 0), 0);
        }
}

/* One spelling of the word to measure candidates against, at `extra` edits already. */
typedef struct variant {
    char s[WMAX];
    size_t n;
    int extra;
    uint8_t d[WMAX + 1][WMAX + 1]; /* d[i][j]: candidate prefix i against word prefix j. */
} variant;

/* Fills row i (i >= 1) of v's table for the candidate letters c; returns the row's least value
 * (optimal string alignment: insert, delete, substitute, swap two neighbours). */
static int row(variant *v, const char *c, size_t i) {
    int least = v->d[i][0] = (uint8_t)i;
    for (size_t j = 1; j <= v->n; j++) {
        int x = v->d[i - 1][j - 1] + (c[i - 1] != v->s[j - 1]);
        if (v->d[i - 1][j] + 1 < x) x = v->d[i - 1][j] + 1;
        if (v->d[i][j - 1] + 1 < x) x = v->d[i][j - 1] + 1;
        if (i > 1 && j > 1 && c[i - 1] == v->s[j - 2] && c[i - 2] == v->s[j - 1] &&
            v->d[i - 2][j - 2] + 1 < x)
            x = v->d[i - 2][j - 2] + 1;
        v->d[i][j] = (uint8_t)(x > 255 ? 255 : x);
        if (x < least) least = x;
    }
    return least;
}

/* Adds every syllable of the table (initial + rime) within MAX_EDITS letter edits of one of
 * the variants, with its tones. */
static void add_near(pool *p, variant *v, size_t nv) {
    size_t ni, nr;
    const char *const *ini = vnsi_syl_initials(p->marked, &ni);
    const char *const *rimes = vnsi_syl_rimes(p->marked, &nr);
    for (size_t k = 0; k < nv; k++)
        for (size_t j = 0; j <= v[k].n; j++) v[k].d[0][j] = (uint8_t)j;
    /* The table's initials, and q for qu + a rime with its glide u (quy, quynh). */
    for (size_t i = 0; i <= ni; i++) {
        const char *head = i < ni ? ini[i] : "q";
        size_t hl = strlen(head);
        char c[2 * WMAX];
        memcpy(c, head, hl);
        int alive = 0;
        for (size_t k = 0; k < nv; k++) {
            int least = (int)hl;
            for (size_t r = 1; r <= hl; r++) least = row(&v[k], c, r);
            alive |= least + v[k].extra <= MAX_EDITS;
        }
        if (!alive) continue;
        for (size_t r = 0; r < nr; r++) {
            size_t rl = strlen(rimes[r]), n = hl + rl;
            if (n > VNSI_SYL_MAX) continue;
            memcpy(c + hl, rimes[r], rl);
            int best = MAX_EDITS + 1;
            for (size_t k = 0; k < nv; k++) {
                size_t diff = n > v[k].n ? n - v[k].n : v[k].n - n;
                if ((int)diff + v[k].extra > MAX_EDITS) continue;
                int least = 0;
                for (size_t q = hl + 1; q <= n && least + v[k].extra <= MAX_EDITS; q++)
                    least = row(&v[k], c, q);
                if (least + v[k].extra > MAX_EDITS) continue;
                int d = v[k].d[n][v[k].n] + v[k].extra;
                if (d < best) best = d;
            }
            if (best <= MAX_EDITS) add_tones(p, c, n, best, 1);
        }
    }
}

/* Orders candidates by form, then fewer edits, then tier, to merge duplicates. */
static int by_form(const void *a, const void *b) {
    const cand *x = a, *y = b;
    int c = strcmp(x->form, y->form);
    if (c) return c;
    if (x->edits != y->edits) return x->edits - y->edits;
    return x->tier - y->tier;
}

/* Orders candidates for lookup: fewer edits, confusions first, the word's tone first, length
 * nearer the word's, then by form (for a stable answer). */
static int by_rank(const void *a, const void *b) {
    const cand *x = a, *y = b;
    if (x->edits != y->edits) return x->edits - y->edits;
    if (x->tier != y->tier) return x->tier - y->tier;
    if (x->tone_off != y->tone_off) return x->tone_off - y->tone_off;
    if (x->len_off != y->len_off) return x->len_off - y->len_off;
    return strcmp(x->form, y->form);
}

/* Gives y the case pattern of the word w: all capitals, a capital first, or lowercase. */
static void take_case(vnsi_syl *y, const vnsi_syl *w) {
    size_t ups = 0;
    for (size_t i = 0; i < w->n; i++) ups += w->upper[i];
    int all = w->n > 1 && ups == w->n, first = w->n > 0 && w->upper[0];
    for (size_t i = 0; i < y->n; i++) y->upper[i] = (uint8_t)(all || (first && i == 0));
}

int vnsi_suggest_word(const char *word, size_t len, uint64_t ratio, vnsi_df_fn df, void *ctx,
                      char *out, size_t cap) {
    if (cap > 0) out[0] = 0;
    vnsi_syl w;
    if (df == NULL || vnsi_syl_parse(&w, word, len) != 0 || w.n == 0) return 0;
    pool p = {NULL, 0, vnsi_syl_marked(&w), &w, NULL};
    char own[FORM_MAX];
    size_t own_len =
        vnsi_syl_write(&w, p.marked ? VNSI_FORM_EXACT : VNSI_FORM_FOLDED, own, sizeof own);
    if (own_len == 0) return 0;
    p.own = own;
    uint64_t have = df(own, own_len, p.marked, ctx);
    if (ratio == 0) ratio = 1;
    uint64_t need = have > UINT64_MAX / ratio ? UINT64_MAX : have * ratio;
    if (need == 0) need = 1;

    p.c = malloc(CANDS_MAX * sizeof *p.c);
    if (p.c == NULL) return 0;
    add_confusions(&p);
    /* The word, and its initial swapped where a swap changes more than one letter. */
    variant v[4];
    size_t nv = 1, il = initial_of(w.s, w.n);
    memcpy(v[0].s, w.s, w.n);
    v[0].n = w.n;
    v[0].extra = 0;
    for (size_t i = 0; i < NSWAPS && nv < 4; i++) {
        size_t a = strlen(swaps[i][0]), b = strlen(swaps[i][1]);
        if (a != il || memcmp(w.s, swaps[i][0], a) != 0 || (a == 1 && b == 1)) continue;
        memcpy(v[nv].s, swaps[i][1], b);
        memcpy(v[nv].s + b, w.s + a, w.n - a);
        v[nv].n = b + w.n - a;
        v[nv++].extra = 1;
    }
    add_near(&p, v, nv);

    /* Duplicates (the same form reached twice) keep their fewest edits. */
    qsort(p.c, p.n, sizeof *p.c, by_form);
    size_t m = 0;
    for (size_t i = 0; i < p.n; i++)
        if (m == 0 || strcmp(p.c[m - 1].form, p.c[i].form) != 0) p.c[m++] = p.c[i];
    qsort(p.c, m, sizeof *p.c, by_rank);

    /* Of the fewest edits, the most common candidate the usual confusions make (tier 0: sao na
     * is sao la, not sao va), unless another is VNSI_SUGGEST_TIER_GAP times as common. */
    const cand *best = NULL, *best0 = NULL;
    uint64_t best_count = 0, best0_count = 0;
    for (size_t i = 0; i < m && i < VNSI_SUGGEST_MAX_LOOKUPS; i++) {
        if (best != NULL && p.c[i].edits > best->edits) break;
        uint64_t n = df(p.c[i].form, p.c[i].form_len, p.marked, ctx);
        if (n >= need && n > best_count) {
            best = &p.c[i];
            best_count = n;
        }
        if (n >= need && p.c[i].tier == 0 && n > best0_count) {
            best0 = &p.c[i];
            best0_count = n;
        }
    }
    if (best0 != NULL && best0->edits == best->edits &&
        best_count < VNSI_SUGGEST_TIER_GAP * best0_count)
        best = best0;
    int found = 0;
    if (best != NULL) {
        vnsi_syl y = best->y;
        take_case(&y, &w);
        found = vnsi_syl_write(&y, VNSI_FORM_TYPED, out, cap) > 0;
    }
    free(p.c);
    return found;
}
