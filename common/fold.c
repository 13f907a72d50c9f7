/* fold.c: computes folding data per code point with ICU and caches the Latin/Vietnamese ranges. */
#include "fold.h"

#include <pthread.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

/* Table slots: [0, 0x250) then [0x1E00, 0x1F00). */
#define LOW_END 0x250
#define HIGH_START 0x1E00
#define HIGH_END 0x1F00
#define TABLE_SIZE (LOW_END + (HIGH_END - HIGH_START))

static vnsi_fold_entry table[TABLE_SIZE];
static pthread_once_t table_once = PTHREAD_ONCE_INIT;
static int table_status = -1;

/* The tone a combining mark stands for, or VNS_TONE_NONE. */
static int tone_of_mark(UChar32 c) {
    switch (c) {
    case 0x0300:
    case 0x0340: return VNS_TONE_GRAVE;
    case 0x0301:
    case 0x0341: return VNS_TONE_ACUTE;
    case 0x0303: return VNS_TONE_TILDE;
    case 0x0309: return VNS_TONE_HOOK;
    case 0x0323: return VNS_TONE_DOT;
    default: return VNS_TONE_NONE;
    }
}

static const UChar32 tone_marks[] = {0, 0x0300, 0x0301, 0x0303, 0x0309, 0x0323};

/* Appends c as UTF-8 to buf (cap bytes, *len used); returns -1 when it does not fit. */
static int put_utf8(char *buf, size_t cap, uint8_t *len, UChar32 c) {
    char tmp[4];
    int32_t n = 0;
    UBool err = 0;
    U8_APPEND((uint8_t *)tmp, n, 4, c, err);
    if (err || *len + (size_t)n > cap) return -1;
    memcpy(buf + *len, tmp, (size_t)n);
    *len = (uint8_t)(*len + n);
    return 0;
}

int vnsi_fold_compute(uint32_t cp, vnsi_fold_entry *out) {
    /* Format characters (soft hyphen, zero-width space and joiners, direction marks, BOM) are
     * invisible: they fold to nothing, so that a word they sit in is still the word. */
    if (u_charType((UChar32)cp) == U_FORMAT_CHAR || cp == 0x200B) {
        memset(out, 0, sizeof *out);
        return 0;
    }
    /* Full-width ASCII (U+FF01..U+FF5E, typed with East Asian input methods) folds as ASCII. */
    if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;
    UErrorCode err = U_ZERO_ERROR;
    const UNormalizer2 *nfd = unorm2_getNFDInstance(&err);
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&err);
    if (U_FAILURE(err)) return -1;

    UChar src[2], lower[16], dec[32], rest[32], comp[32];
    int32_t n = 0;
    UBool bad = 0;
    U16_APPEND(src, n, 2, (UChar32)cp, bad);
    if (bad) return -1;
    int32_t nl = u_strToLower(lower, 16, src, n, "", &err);
    int32_t nd = U_SUCCESS(err) ? unorm2_normalize(nfd, lower, nl, dec, 32, &err) : 0;
    int32_t nc = U_SUCCESS(err) ? unorm2_normalize(nfc, lower, nl, comp, 32, &err) : 0;
    if (U_FAILURE(err)) return -1;

    memset(out, 0, sizeof *out);
    int32_t nrest = 0;
    for (int32_t i = 0; i < nd;) {
        UChar32 c;
        U16_NEXT(dec, i, nd, c);
        int tone = tone_of_mark(c);
        if (tone != VNS_TONE_NONE && out->tone == VNS_TONE_NONE) {
            out->tone = (uint8_t)tone;
        } else {
            U16_APPEND_UNSAFE(rest, nrest, c);
        }
        if (u_charType(c) == U_NON_SPACING_MARK) continue;
        if (c == 0x0111) c = 'd'; /* đ has no decomposition; fold it by hand. */
        if (put_utf8(out->folded, sizeof out->folded, &out->folded_len, c) < 0) return -1;
    }
    for (int32_t i = 0; i < nc;) {
        UChar32 c;
        U16_NEXT(comp, i, nc, c);
        if (put_utf8(out->exact, sizeof out->exact, &out->exact_len, c) < 0) return -1;
    }
    /* The base: what is left without the tone, recomposed; kept only when one code point. */
    UChar based[32];
    int32_t nb = unorm2_normalize(nfc, rest, nrest, based, 32, &err);
    if (U_FAILURE(err)) return -1;
    UChar32 b = 0;
    int32_t i = 0;
    if (nb > 0) {
        U16_NEXT(based, i, nb, b);
        out->base = (i == nb) ? (uint32_t)b : 0;
    }
    return 0;
}

static void build_table(void) {
    for (uint32_t cp = 0; cp < HIGH_END; cp++) {
        if (!vnsi_fold_in_table(cp)) continue;
        size_t slot = cp < LOW_END ? cp : LOW_END + (cp - HIGH_START);
        if (vnsi_fold_compute(cp, &table[slot]) < 0) return;
    }
    table_status = 0;
}

int vnsi_fold_init(void) {
    pthread_once(&table_once, build_table);
    return table_status;
}

const vnsi_fold_entry *vnsi_fold_table_entry(uint32_t cp) {
    return &table[cp < LOW_END ? cp : LOW_END + (cp - HIGH_START)];
}

uint32_t vnsi_fold_compose(uint32_t base, int tone) {
    if (tone <= VNS_TONE_NONE || tone > VNS_TONE_DOT) return base;
    UErrorCode err = U_ZERO_ERROR;
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&err);
    if (U_FAILURE(err)) return 0;
    UChar32 c = unorm2_composePair(nfc, (UChar32)base, tone_marks[tone]);
    return c < 0 ? 0 : (uint32_t)c;
}
