/* analyzer.c: ICU word breaking over UTF-8 plus table-driven folding of each word. */
#define _GNU_SOURCE /* memmem */
#include "analyzer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>

#include "fold.h"
#include "util.h"

/* At most this many code points of a word are folded: longer words are cut anyway, since every
 * code point but a combining mark gives at least one byte and forms stop at VNS_MAX_FORM_BYTES. */
#define MAX_WORD_CPS 512
/* The slow path normalizes at most this many bytes of a word. */
#define MAX_SLOW_BYTES 2048

struct vnsi_analyzer {
    UBreakIterator *bi;
    UText *ut;
    char folded[VNS_MAX_FORM_BYTES + 16];
    char exact[VNS_MAX_FORM_BYTES + 16];
    vnsi_fold_entry entries[MAX_WORD_CPS]; /* One per code point of the current word. */
    UChar u16[MAX_SLOW_BYTES + 1];
    UChar u16nfc[2 * MAX_SLOW_BYTES + 8];
    char *joined; /* The text with zero-width spaces made word joiners (vnsi_analyze). */
    size_t joined_cap;
    char err[256];
};

vns_status vnsi_analyzer_new(vnsi_analyzer **out) {
    *out = NULL;
    if (vnsi_fold_init() < 0) return VNS_EINTERNAL;
    vnsi_analyzer *a = calloc(1, sizeof *a);
    if (a == NULL) return VNS_ENOMEM;
    UErrorCode err = U_ZERO_ERROR;
    a->bi = ubrk_open(UBRK_WORD, "vi", NULL, 0, &err);
    if (U_FAILURE(err)) {
        free(a);
        return VNS_EINTERNAL;
    }
    *out = a;
    return VNS_OK;
}

void vnsi_analyzer_free(vnsi_analyzer *a) {
    if (a == NULL) return;
    ubrk_close(a->bi);
    utext_close(a->ut);
    free(a->joined);
    free(a);
}

const char *vnsi_analyzer_errmsg(const vnsi_analyzer *a) {
    return a ? a->err : "";
}

/* Appends n bytes to buf (of VNS_MAX_FORM_BYTES) unless that would pass the limit; a cut is
 * always at a code point boundary since entries are whole code points. */
static int append_form(char *buf, size_t *len, const char *s, size_t n) {
    if (*len + n > VNS_MAX_FORM_BYTES) return -1;
    memcpy(buf + *len, s, n);
    *len += n;
    return 0;
}

/* Tone placement: in the pairs oa, oe and uy the tone may sit on either vowel (hòa / hoà,
 * thủy / thuỷ). The exact form always puts it on the second. */
static int movable_pair(uint32_t first, uint32_t second) {
    return (first == 'o' && (second == 'a' || second == 'e')) || (first == 'u' && second == 'y');
}

static void canonical_tones(vnsi_fold_entry *e, size_t n) {
    for (size_t i = 0; i + 1 < n; i++) {
        if (e[i].tone == VNS_TONE_NONE || e[i + 1].tone != VNS_TONE_NONE) continue;
        if (!movable_pair(e[i].base, e[i + 1].base)) continue;
        uint32_t moved = vnsi_fold_compose(e[i + 1].base, e[i].tone);
        if (moved == 0) continue;
        vnsi_fold_entry a = {0}, b = {0};
        /* Both bases are ASCII vowels; the moved one is a precomposed Latin letter. */
        a.exact[0] = (char)e[i].base;
        a.exact_len = 1;
        int32_t k = 0;
        U8_APPEND_UNSAFE((uint8_t *)b.exact, k, moved);
        b.exact_len = (uint8_t)k;
        b.tone = e[i].tone;
        memcpy(e[i].exact, a.exact, sizeof a.exact);
        e[i].exact_len = a.exact_len;
        e[i].tone = VNS_TONE_NONE;
        memcpy(e[i + 1].exact, b.exact, sizeof b.exact);
        e[i + 1].exact_len = b.exact_len;
        e[i + 1].tone = b.tone;
        i++;
    }
}

/* Whether the bases of e[0..n) spell a Vietnamese initial consonant (qu counts as one). */
static int initial_consonant(const vnsi_fold_entry *e, size_t n) {
    static const char *const initials[] = {"b", "c", "ch", "d",  "g",   "gh", "h", "k",  "kh",
                                           "l", "m", "n",  "ng", "ngh", "nh", "p", "ph", "qu",
                                           "r", "s", "t",  "th", "tr",  "v",  "x"};
    if (n == 1 && e[0].base == 0x0111) return 1; /* đ */
    char s[4];
    if (n == 0 || n > 3) return 0;
    for (size_t i = 0; i < n; i++) {
        if (e[i].base < 'a' || e[i].base > 'z') return 0;
        s[i] = (char)e[i].base;
    }
    s[n] = '\0';
    for (size_t i = 0; i < sizeof initials / sizeof *initials; i++)
        if (strcmp(s, initials[i]) == 0) return 1;
    return 0;
}

/* i and y: where y is the whole vowel of a syllable after a consonant (kỹ, tỷ, lý, Mỹ, hy, quý),
 * it is written i in both forms (kĩ, tỉ, lí, mĩ, hi, quí), the spelling newspapers disagree on;
 * a y in a vowel group (thủy, tay, yêu, nguyên) is left alone. */
static void canonical_iy(vnsi_fold_entry *e, size_t n) {
    if (n < 2 || e[n - 1].base != 'y' || !initial_consonant(e, n - 1)) return;
    uint32_t i = vnsi_fold_compose('i', e[n - 1].tone);
    if (i == 0) return;
    vnsi_fold_entry *y = &e[n - 1];
    y->folded[0] = 'i';
    y->folded_len = 1;
    int32_t k = 0;
    U8_APPEND_UNSAFE((uint8_t *)y->exact, k, i);
    y->exact_len = (uint8_t)k;
    y->base = 'i';
}

/* Fills a->entries from UTF-8 bytes; returns the count, or -1 when a code point is outside the
 * table (the caller then takes the slow path). Invalid bytes are skipped. */
static long entries_fast(vnsi_analyzer *a, const char *s, size_t len) {
    long n = 0;
    for (size_t i = 0; i < len && n < MAX_WORD_CPS;) {
        UChar32 c;
        U8_NEXT(s, i, len, c);
        if (c < 0) continue;
        if (!vnsi_fold_in_table((uint32_t)c)) return -1;
        const vnsi_fold_entry *e = vnsi_fold_table_entry((uint32_t)c);
        if (e->folded_len > 0 || e->exact_len > 0) a->entries[n++] = *e; /* Not invisible. */
    }
    return n;
}

/* The slow path: NFC-normalizes the word with ICU, then folds each code point (table or ICU). */
static long entries_slow(vnsi_analyzer *a, const char *s, size_t len) {
    if (len > MAX_SLOW_BYTES) len = vnsi_utf8_floor(s, len, MAX_SLOW_BYTES);
    UErrorCode err = U_ZERO_ERROR;
    int32_t n16 = 0;
    u_strFromUTF8WithSub(a->u16, MAX_SLOW_BYTES + 1, &n16, s, (int32_t)len, 0xFFFD, NULL, &err);
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&err);
    int32_t nn = U_SUCCESS(err)
                     ? unorm2_normalize(nfc, a->u16, n16, a->u16nfc,
                                        (int32_t)(sizeof a->u16nfc / sizeof(UChar)), &err)
                     : 0;
    if (U_FAILURE(err)) {
        snprintf(a->err, sizeof a->err, "ICU normalization failed: %s", u_errorName(err));
        return -1;
    }
    long n = 0;
    for (int32_t i = 0; i < nn && n < MAX_WORD_CPS;) {
        UChar32 c;
        U16_NEXT(a->u16nfc, i, nn, c);
        if (vnsi_fold_in_table((uint32_t)c)) {
            a->entries[n] = *vnsi_fold_table_entry((uint32_t)c);
        } else if (vnsi_fold_compute((uint32_t)c, &a->entries[n]) < 0) {
            continue; /* A code point ICU cannot fold (an unpaired surrogate) is dropped. */
        }
        if (a->entries[n].folded_len > 0 || a->entries[n].exact_len > 0) n++; /* Not invisible. */
    }
    return n;
}

/* Folds one word (its bytes s..s+len) into tok's forms; a whole word (not the start of one,
 * typed before '*') gets its i/y spelling made canonical. Returns 0, or -1 on ICU failure. */
static int fold_word(vnsi_analyzer *a, const char *s, size_t len, int whole, vnsi_token *tok) {
    long n = entries_fast(a, s, len);
    if (n < 0) n = entries_slow(a, s, len);
    if (n < 0) return -1;
    canonical_tones(a->entries, (size_t)n);
    if (whole) canonical_iy(a->entries, (size_t)n);
    size_t fl = 0, el = 0;
    int cut = 0;
    for (long i = 0; i < n; i++) {
        const vnsi_fold_entry *e = &a->entries[i];
        if (append_form(a->folded, &fl, e->folded, e->folded_len) < 0) cut = 1;
        if (append_form(a->exact, &el, e->exact, e->exact_len) < 0) cut = 1;
        if (cut) break;
    }
    /* A word cut short of its code points counts as truncated too. */
    if (n == MAX_WORD_CPS) cut = 1;
    tok->folded = a->folded;
    tok->folded_len = fl;
    tok->exact = a->exact;
    tok->exact_len = el;
    tok->truncated = cut;
    return 0;
}

size_t vnsi_fold_text(vnsi_analyzer *a, const char *text, size_t len, char *out, size_t cap) {
    vnsi_token tok;
    if (fold_word(a, text, len, 0, &tok) < 0) tok.folded_len = 0;
    if (cap > 0) {
        size_t n = tok.folded_len < cap - 1 ? tok.folded_len : cap - 1;
        memcpy(out, tok.folded, n);
        out[n] = '\0';
    }
    return tok.folded_len;
}

vns_status vnsi_analyze(vnsi_analyzer *a, const char *text, size_t len, uint32_t first_pos,
                        vnsi_token_fn fn, void *ctx, vnsi_analyze_stats *stats) {
    vnsi_analyze_stats st = {0};
    if (stats) *stats = st;
    if (len == 0) return VNS_OK;
    if (len > INT32_MAX) { /* ICU break positions are 32-bit. */
        snprintf(a->err, sizeof a->err, "text of %zu bytes is over the 2 GiB limit", len);
        return VNS_EINVAL;
    }
    /* A pass over the text of its own: only when asked for (snippets do not ask). */
    if (stats) st.invalid_utf8 = (uint32_t)vnsi_utf8_count_invalid(text, len);
    /* ICU breaks words at a zero-width space (U+200B), which web text hides inside words; a word
     * joiner (U+2060, as long in UTF-8) breaks nothing and folds to nothing like the space
     * (fold.h), so the text is analyzed with every U+200B made U+2060: offsets stay exact. */
    static const char zwsp[] = "\xE2\x80\x8B";
    const char *hit = memmem(text, len, zwsp, 3);
    if (hit != NULL) {
        if (vnsi_grow(&a->joined, &a->joined_cap, len, 1) != VNS_OK) {
            snprintf(a->err, sizeof a->err, "out of memory copying a text of %zu bytes", len);
            return VNS_ENOMEM;
        }
        memcpy(a->joined, text, len);
        for (size_t i = (size_t)(hit - text); i + 3 <= len; i++)
            if (memcmp(a->joined + i, zwsp, 3) == 0) memcpy(a->joined + i, "\xE2\x81\xA0", 3);
        text = a->joined;
    }

    UErrorCode err = U_ZERO_ERROR;
    a->ut = utext_openUTF8(a->ut, text, (int64_t)len, &err);
    if (U_SUCCESS(err)) ubrk_setUText(a->bi, a->ut, &err);
    if (U_FAILURE(err)) {
        snprintf(a->err, sizeof a->err, "ICU word break failed: %s", u_errorName(err));
        return VNS_EINTERNAL;
    }
    uint32_t pos = first_pos;
    int32_t start = ubrk_first(a->bi);
    for (int32_t end = ubrk_next(a->bi); end != UBRK_DONE; start = end, end = ubrk_next(a->bi)) {
        int32_t rule = ubrk_getRuleStatus(a->bi);
        if (rule < UBRK_WORD_NONE_LIMIT) continue;
        vnsi_token tok;
        if (fold_word(a, text + start, (size_t)(end - start), 1, &tok) < 0) return VNS_EINTERNAL;
        if (tok.folded_len == 0) continue;
        tok.start = (size_t)start;
        tok.end = (size_t)end;
        tok.pos = pos++;
        tok.kind = rule < UBRK_WORD_NUMBER_LIMIT   ? VNS_TOKEN_NUMBER
                   : rule < UBRK_WORD_LETTER_LIMIT ? VNS_TOKEN_WORD
                                                   : VNS_TOKEN_OTHER;
        st.tokens++;
        if (tok.truncated) st.truncated++;
        if (stats) *stats = st;
        if (fn(&tok, ctx)) break;
    }
    if (stats) *stats = st;
    return VNS_OK;
}
