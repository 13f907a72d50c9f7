/* rewrite.c: Telex and VNI read back as Vietnamese; abbreviations and what they stand for. */
#include "rewrite.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abbrev.h"
#include "schema.h"
#include "typing.h"
#include "util.h"

/* ---- Telex and VNI --------------------------------------------------------------------- */

/* A word that is some document's word as typed is read as Telex or VNI when the syllable it
 * spells is VNSI_TYPING_SURE times as common, or VNSI_TYPING_RATIO times and another word of the
 * query is read: VNTC holds Telex typos (vaf 4 articles against và's 80,000; cuar, khoong, laf:
 * 68 of 270 queries typed in Telex held one, tests/bench/spelling_eval.md), while an English word
 * stays English (sex: 700 articles, sẽ 57 times as many; bus, max likewise below). Known
 * misses of the rule, measured over every word of VNTC: car (34 articles against cả's 46,850),
 * door, see and how typed alone are read as Telex (the answer says "Searched for", and
 * --as-typed searches them as typed); a higher VNSI_TYPING_SURE would read fewer typos. */
#define VNSI_TYPING_RATIO 100
#define VNSI_TYPING_SURE 1000
/* A word that is a syllable as typed (only oong and ooc words read as Telex: xoong, Loong) is
 * read alone only when VNSI_TYPING_SURE_VALID times rarer than what it reads: khoong is in 1
 * VNTC article against không's 65,015, while the names Loong (Lee Hsien Loong: 16 against lông's
 * 19,747), Soong (16 against 28,427) and Choong stay; coong (18 against 59,952) is then read only
 * beside another word read. */
#define VNSI_TYPING_SURE_VALID 10000

/* One word read as another: its bytes in the query and what to write there. */
typedef struct change {
    size_t start, end;
    char text[64];
    vnsi_qword read;  /* The forms read (a word), or */
    vnsi_qnode *node; /* the prefix node whose prefix is read (read.folded). */
    vnsi_qword *word; /* The word to rewrite. */
    int strong;       /* As typed in no document, or in VNSI_TYPING_SURE times fewer (judge). */
} change;

typedef struct typing_ctx {
    vnsi_analyzer *an;
    vxs_db *db;
    const char *text;
    change *changes;
    size_t nchanges, cap;
    vns_status st;
    char *err;
    size_t errlen;
} typing_ctx;

/* The forms of the one word analyzed from a decoded syllable. */
static int first_token(const vnsi_token *tok, void *p) {
    vnsi_qword_set_forms(p, tok);
    return 1;
}

/* The documents of db holding term (len bytes); failures recorded in c. */
static uint64_t docs_with(typing_ctx *c, const char *term, size_t len) {
    uint64_t df = 0;
    vns_status st = vxs_db_term_freq(c->db, term, len, &df);
    if (st != VNS_OK && c->st == VNS_OK)
        c->st = vnsi_errbuf_set(c->err, c->errlen, st, "%s", vxs_db_errmsg(c->db));
    return df;
}

/* Records a change (taken by value); failures in c. */
static void add_change(typing_ctx *c, const change *ch) {
    if (vnsi_grow(&c->changes, &c->cap, c->nchanges + 1, sizeof *c->changes) != VNS_OK) {
        c->st = vnsi_errbuf_set(c->err, c->errlen, VNS_ENOMEM, "out of memory");
        return;
    }
    c->changes[c->nchanges++] = *ch;
}

/* Records ch when what it reads reaches read documents against typed as typed: never when the
 * typed form is within VNSI_TYPING_RATIO of it; strong when typed is 0 or VNSI_TYPING_SURE
 * times fewer (VNSI_TYPING_SURE_VALID for a word that is a syllable as typed). */
static void judge(typing_ctx *c, change *ch, uint64_t typed, uint64_t read) {
    if (c->st != VNS_OK || read == 0 || (typed > 0 && typed * VNSI_TYPING_RATIO >= read)) return;
    uint64_t sure = ch->word && vnsi_syllable_valid(c->text + ch->start, ch->end - ch->start)
                        ? VNSI_TYPING_SURE_VALID
                        : VNSI_TYPING_SURE;
    ch->strong = typed == 0 || typed * sure < read;
    add_change(c, ch);
}

/* Considers word w (typed as text[w->start..w->end)) as Telex or VNI. */
/* Whether text[0..len) is two or more capital letters (digits allowed) with a vowel among
 * them: an abbreviation or a word shouted (OR, USA, CEO), which is never read as Telex or VNI
 * (pasted text with "OR" was searched for "Ỏ"). Capitals without a vowel (CDD, CD9) may still be
 * an abbreviation typed in Telex or VNI (typing.h). Never fails. */
static int shouted(const char *text, size_t len) {
    int letters = 0, vowel = 0;
    for (size_t i = 0; i < len; i++) {
        char ch = text[i];
        if (ch >= 'A' && ch <= 'Z') {
            letters++;
            vowel |= strchr("AEIOUY", ch) != NULL;
        } else if (ch < '0' || ch > '9') {
            return 0;
        }
    }
    return letters >= 2 && vowel;
}

static void retype(typing_ctx *c, vnsi_qword *w) {
    change ch = {.start = w->start, .end = w->end, .word = w};
    size_t len = w->end - w->start;
    if (len == 0 || len >= sizeof ch.text || shouted(c->text + w->start, len) ||
        !vnsi_typing_decode(c->text + w->start, len, ch.text, sizeof ch.text))
        return;
    uint64_t typed = docs_with(c, w->folded, w->folded_len);
    if (c->st != VNS_OK ||
        vnsi_analyze(c->an, ch.text, strlen(ch.text), 1, first_token, &ch.read, NULL) != VNS_OK ||
        ch.read.folded_len == 0)
        return;
    judge(c, &ch, typed, docs_with(c, ch.read.folded, ch.read.folded_len));
}

/* The most documents one term starting with prefix is in; failures recorded in c. */
static uint64_t prefix_docs(typing_ctx *c, const char *prefix, size_t len) {
    uint64_t df = 0;
    vns_status st = vxs_db_prefix_top_freq(c->db, prefix, len, &df);
    if (st != VNS_OK && c->st == VNS_OK)
        c->st = vnsi_errbuf_set(c->err, c->errlen, st, "%s", vxs_db_errmsg(c->db));
    return df;
}

/* Considers the prefix of n (typed before its '*') as the start of a word typed in Telex or VNI
 * (vuwowj* for vượ*), judged as a word is, by the documents of the most common word each
 * prefix reaches: coon* reaches coong (a typo in 18 articles), côn* công. */
static void retype_prefix(typing_ctx *c, vnsi_qnode *n) {
    change ch = {.start = n->start, .end = n->end - 1, .node = n};
    size_t len = ch.end - ch.start;
    if (n->end == 0 || len == 0 || len >= sizeof ch.text ||
        !vnsi_typing_decode_prefix(c->text + ch.start, len, ch.text, sizeof ch.text))
        return;
    ch.read.folded_len =
        vnsi_fold_text(c->an, ch.text, strlen(ch.text), ch.read.folded, sizeof ch.read.folded);
    if (ch.read.folded_len == 0 || ch.read.folded_len >= sizeof n->prefix) return;
    uint64_t typed = prefix_docs(c, n->prefix, strlen(n->prefix));
    if (c->st != VNS_OK) return;
    judge(c, &ch, typed, prefix_docs(c, ch.read.folded, ch.read.folded_len));
}

static void retype_tree(typing_ctx *c, vnsi_qnode *n) {
    for (size_t i = 0; i < n->nkids && c->st == VNS_OK; i++) retype_tree(c, n->kids[i]);
    if (n->kind == VNSI_Q_PREFIX) retype_prefix(c, n);
    if (n->kind != VNSI_Q_WORDS && n->kind != VNSI_Q_PHRASE) return;
    for (size_t i = 0; i < n->nwords && c->st == VNS_OK; i++) retype(c, &n->words[i]);
}

/* Rewrites what change ch reads. */
static void apply(change *ch) {
    if (ch->node) {
        memcpy(ch->node->prefix, ch->read.folded, ch->read.folded_len + 1);
        return;
    }
    vnsi_qword *w = ch->word;
    memcpy(w->folded, ch->read.folded, ch->read.folded_len + 1);
    w->folded_len = ch->read.folded_len;
    memcpy(w->exact, ch->read.exact, ch->read.exact_len + 1);
    w->exact_len = ch->read.exact_len;
    w->accented = ch->read.accented;
}

static int by_start(const void *a, const void *b) {
    size_t x = ((const change *)a)->start, y = ((const change *)b)->start;
    return x < y ? -1 : x > y;
}

vns_status vnsi_rewrite_typing(vnsi_qnode *root, const char *text, vnsi_analyzer *an, vxs_db *db,
                               char **searched_for, char *err, size_t errlen) {
    *searched_for = NULL;
    typing_ctx c = {.an = an, .db = db, .text = text, .st = VNS_OK, .err = err, .errlen = errlen};
    retype_tree(&c, root);
    /* Words some document holds as typed are read only beside a word read for sure. */
    size_t kept = 0;
    int strong = 0;
    for (size_t i = 0; i < c.nchanges; i++) strong |= c.changes[i].strong;
    for (size_t i = 0; i < c.nchanges; i++)
        if (strong) {
            apply(&c.changes[i]);
            c.changes[kept++] = c.changes[i];
        }
    c.nchanges = kept;
    if (c.st == VNS_OK && c.nchanges > 0) {
        qsort(c.changes, c.nchanges, sizeof *c.changes, by_start);
        size_t len = strlen(text), cap = len + 1;
        for (size_t i = 0; i < c.nchanges; i++) cap += strlen(c.changes[i].text);
        char *out = malloc(cap);
        if (out == NULL) {
            c.st = vnsi_errbuf_set(err, errlen, VNS_ENOMEM, "out of memory");
        } else {
            size_t o = 0, from = 0;
            for (size_t i = 0; i < c.nchanges; i++) {
                memcpy(out + o, text + from, c.changes[i].start - from);
                o += c.changes[i].start - from;
                size_t n = strlen(c.changes[i].text);
                memcpy(out + o, c.changes[i].text, n);
                o += n;
                from = c.changes[i].end;
            }
            memcpy(out + o, text + from, len - from);
            out[o + len - from] = '\0';
            *searched_for = out;
        }
    }
    free(c.changes);
    return c.st;
}

/* ---- abbreviations --------------------------------------------------------------------- */

typedef struct alt_ctx {
    vnsi_qnode *n;
    size_t first, count;
    int found; /* Alternatives added for the current span. */
    vns_status st;
} alt_ctx;

/* Whether a form is one Vietnamese syllable (a word that cannot stand for a phrase unless typed
 * in capitals). Never fails. */
static int one_syllable(const char *form, size_t len) {
    return memchr(form, ' ', len) == NULL && vnsi_syllable_valid(form, len);
}

/* Adds form as an alternative to the current span of c->n, unless it repeats one. */
static int add_alt(const char *form, size_t len, void *p) {
    alt_ctx *c = p;
    vnsi_qnode *n = c->n;
    if (len == 0 || len >= VNSI_QALT_CAP || n->nalts >= VNSI_REWRITE_MAX_ALTS) return 0;
    if (c->count > 1 && one_syllable(form, len)) return 0; /* "cong an" is not "ca". */
    for (size_t i = 0; i < n->nalts; i++)
        if (n->alts[i].first == c->first && strlen(n->alts[i].folded) == len &&
            memcmp(n->alts[i].folded, form, len) == 0)
            return 0;
    if (vnsi_grow(&n->alts, &n->alts_cap, n->nalts + 1, sizeof *n->alts) != VNS_OK) {
        c->st = VNS_ENOMEM;
        return 1;
    }
    vnsi_qalt *a = &n->alts[n->nalts++];
    a->first = c->first;
    a->count = c->count;
    memcpy(a->folded, form, len);
    a->folded[len] = '\0';
    c->found = 1;
    return 0;
}

/* The learned pairs whose key starts with one word: the terms "A" word ... (docs/schema.md),
 * read with one term-list walk per word instead of one per span (a title of ten words made 60
 * walks: known-item queries took 12% longer). At most VNSI_REWRITE_MAX_TERMS are kept. */
#define VNSI_REWRITE_MAX_TERMS 256
typedef struct learned {
    char **terms;
    size_t n, cap;
    int failed; /* Out of memory. */
} learned;

static int keep_term(const char *term, size_t len, void *p) {
    learned *l = p;
    if (l->n == VNSI_REWRITE_MAX_TERMS) return 1;
    char *t = NULL;
    if (vnsi_grow(&l->terms, &l->cap, l->n + 1, sizeof *l->terms) != VNS_OK ||
        (t = malloc(len + 1)) == NULL) {
        l->failed = 1;
        return 1;
    }
    memcpy(t, term, len);
    t[len] = '\0';
    l->terms[l->n++] = t;
    return 0;
}

static void learned_clear(learned *l) {
    for (size_t i = 0; i < l->n; i++) free(l->terms[i]);
    free(l->terms);
    memset(l, 0, sizeof *l);
}

/* Adds the forms of the terms of l that are "A" key TAB form. */
static void learned_forms(const learned *l, const char *key, size_t kl, alt_ctx *c) {
    for (size_t i = 0; i < l->n && c->st == VNS_OK; i++) {
        const char *t = l->terms[i] + 1;
        if (strncmp(t, key, kl) == 0 && t[kl] == '\t') add_alt(t + kl + 1, strlen(t + kl + 1), c);
    }
}

/* Whether text[s..e) is two or more capital letters (with dots between: TP.HCM). */
static int typed_in_capitals(const char *text, size_t s, size_t e) {
    size_t letters = 0;
    for (size_t i = s; i < e; i++) {
        unsigned char ch = (unsigned char)text[i];
        if (ch == '.') continue;
        if (ch >= 'a' && ch <= 'z') return 0;
        if (ch >= 0x80) { /* A Vietnamese capital: Đ is C4 90; lowercase đ C4 91 and others. */
            if (ch == 0xC4 && i + 1 < e && (unsigned char)text[i + 1] == 0x90) {
                letters++;
                i++;
                continue;
            }
            return 0;
        }
        if (ch >= 'A' && ch <= 'Z') letters++;
    }
    return letters >= 2;
}

static vns_status alts_of(vnsi_qnode *n, const char *text, vxs_db *db, char *err, size_t errlen) {
    size_t scan = n->nwords < VNSI_REWRITE_SCAN_WORDS ? n->nwords : VNSI_REWRITE_SCAN_WORDS;
    char key[VNSI_QALT_CAP];
    for (size_t i = 0; i < scan;) {
        size_t taken = 1;
        learned l = {0};
        char prefix[VNS_MAX_FORM_BYTES + 4];
        int pl = snprintf(prefix, sizeof prefix, "%s%s", VNS_PREFIX_ABBR, n->words[i].folded);
        vns_status st = vxs_db_each_term(db, prefix, (size_t)pl, keep_term, &l);
        if (st == VNS_OK && l.failed) st = VNS_ENOMEM;
        if (st != VNS_OK) {
            learned_clear(&l);
            return st == VNS_ENOMEM ? vnsi_errbuf_set(err, errlen, st, "out of memory")
                                    : vnsi_errbuf_set(err, errlen, st, "%s", vxs_db_errmsg(db));
        }
        for (size_t count = VNSI_ABBREV_MAX_WORDS; count >= 1; count--) {
            if (i + count > scan) continue;
            /* A span never cuts words typed joined (U-19). */
            if (n->words[i].glued || (i + count < n->nwords && n->words[i + count].glued)) continue;
            size_t kl = 0;
            int fits = 1;
            for (size_t j = i; j < i + count && fits; j++) {
                size_t wl = n->words[j].folded_len;
                if (kl + wl + 2 > sizeof key) fits = 0;
                if (!fits) break;
                if (j > i) key[kl++] = ' ';
                memcpy(key + kl, n->words[j].folded, wl);
                kl += wl;
            }
            if (!fits) continue;
            key[kl] = '\0';
            /* A syllable (ca) is an abbreviation only when typed in capitals (CA). */
            if (count == 1 && one_syllable(key, kl) &&
                !typed_in_capitals(text, n->words[i].start, n->words[i].end))
                continue;
            alt_ctx c = {.n = n, .first = i, .count = count, .st = VNS_OK};
            vnsi_abbrev_lookup(key, kl, add_alt, &c);
            learned_forms(&l, key, kl, &c);
            if (c.st != VNS_OK) {
                learned_clear(&l);
                return vnsi_errbuf_set(err, errlen, c.st, "out of memory");
            }
            if (c.found) {
                taken = count;
                break;
            }
        }
        learned_clear(&l);
        i += taken;
    }
    return VNS_OK;
}

static vns_status alts_tree(vnsi_qnode *n, const char *text, vxs_db *db, char *err, size_t errlen) {
    for (size_t i = 0; i < n->nkids; i++) {
        vns_status st = alts_tree(n->kids[i], text, db, err, errlen);
        if (st != VNS_OK) return st;
    }
    if (n->kind != VNSI_Q_WORDS && n->kind != VNSI_Q_PHRASE) return VNS_OK;
    return alts_of(n, text, db, err, errlen);
}

vns_status vnsi_rewrite_alternatives(vnsi_qnode *root, const char *text, vxs_db *db, char *err,
                                     size_t errlen) {
    vns_status st = vnsi_abbrev_init();
    if (st != VNS_OK)
        return vnsi_errbuf_set(err, errlen, st, "the built-in abbreviations could not be read");
    return alts_tree(root, text, db, err, errlen);
}
