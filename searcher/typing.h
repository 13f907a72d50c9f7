/* typing.h: Vietnamese syllables: whether a word is one, its canonical index forms, and words
 * typed in Telex or VNI read back as the syllable meant. Pure functions, thread-safe. */
#ifndef VNS_TYPING_H
#define VNS_TYPING_H

#include <stddef.h>
#include <stdint.h>

/* The signatures below put the output buffer last, as the searcher's integration was agreed
 * with them; everything else in the module is internal. */

/* Tones, in the order of VNS_TONE_* (fold.h). */
enum {
    VNSI_TONE_NONE = 0,
    VNSI_TONE_GRAVE, /* huyền */
    VNSI_TONE_ACUTE, /* sắc */
    VNSI_TONE_TILDE, /* ngã */
    VNSI_TONE_HOOK,  /* hỏi */
    VNSI_TONE_DOT    /* nặng */
};

/* Most letters in a syllable (nghiêng has 7). */
#define VNSI_SYL_MAX 8

/* A syllable as letters. s is lowercase, one byte a letter: a-z, and for the marked letters
 * 'W' ă, 'A' â, 'E' ê, 'O' ô, 'Q' ơ, 'U' ư, 'D' đ. The tone is the syllable's, not a letter's:
 * where it is written is decided when the syllable is written out. */
typedef struct vnsi_syl {
    char s[VNSI_SYL_MAX + 1]; /* NUL-terminated. */
    uint8_t upper[VNSI_SYL_MAX];
    uint8_t n;
    uint8_t tone; /* VNSI_TONE_*. */
} vnsi_syl;

/* How vnsi_syl_write writes a syllable. */
typedef enum vnsi_form {
    VNSI_FORM_TYPED = 0, /* Each letter's case kept, tone on its canonical vowel. */
    VNSI_FORM_EXACT,     /* The index's exact form: lowercase NFC, tone canonical, y -> i. */
    VNSI_FORM_FOLDED     /* The index's folded form: lowercase, no marks, đ -> d, y -> i. */
} vnsi_form;

/* Whether the UTF-8 word s (any case, NFC or NFD, with or without diacritics) is a Vietnamese
 * syllable: an initial, a rime from the table of Vietnamese rimes, and a tone its final allows
 * (c, ch, p, t take only sắc or nặng). A word without any mark is checked against the rimes with
 * their marks removed ("nguyen" is valid as nguyễn, "the" as thẻ). Returns 1 or 0; never fails. */
int vnsi_syllable_valid(const char *s, size_t len);

/* When word reads as a syllable typed in Telex (a word of ASCII letters only) or VNI (ASCII
 * letters and digits), with at least one key that is not its letter, writes that syllable into
 * out (UTF-8 NFC, NUL-terminated, the case of the letters typed kept: "Vieejt" -> "Việt") and
 * returns 1. A syllable as typed has no such key, except oo: xoong, khoong read as xông, không
 * (whether to read them is the index's to say: rewrite.c). Returns 0 otherwise, and when it does
 * not fit in cap bytes; out then holds "" (when cap > 0). Never fails otherwise. */
int vnsi_typing_decode(const char *word, size_t len, char *out, size_t cap);

/* As vnsi_typing_decode, for the start of a word (a prefix typed before '*'): what it writes may
 * also be the start of a syllable, the keys typed so far applied ("vuwowj" -> "vượ" of vượt,
 * "lieef" -> "liề"). Never fails otherwise. */
int vnsi_typing_decode_prefix(const char *word, size_t len, char *out, size_t cap);

/* Writes the index form of the UTF-8 word into out (NUL-terminated): the exact form (lowercase
 * NFC, the tone of oa, oe and uy on the second vowel, a tone elsewhere on the vowel standard
 * spelling puts it on) when exact is non-zero, else the folded form (lowercase, marks removed,
 * đ -> d). In both, a lone i/y vowel after an initial (qu and gi count as initials) in an open
 * syllable is written i: kỹ -> kĩ, quý -> quí, hy -> hi; y in vowel groups (thủy, tay, yêu) and
 * alone (y tá) is kept. Returns the length written, or 0 when word is not made of Vietnamese
 * letters with at most one tone, is longer than a syllable, or does not fit in cap bytes. */
size_t vnsi_syllable_canonical_iy(const char *word, size_t len, int exact, char *out, size_t cap);

/* Reads the UTF-8 word into *out. Returns 0, or -1 when it holds anything but Vietnamese letters
 * (precomposed, or a base letter and combining marks), more than one tone, or more than
 * VNSI_SYL_MAX letters. */
int vnsi_syl_parse(vnsi_syl *out, const char *s, size_t len);

/* Whether the letters s[0..n) with tone form a syllable. marked says whether to compare with
 * the rimes as written (non-zero) or with their marks removed (0, for words typed without
 * diacritics; tone must then be VNSI_TONE_NONE). Never fails. */
int vnsi_syl_ok(const char *s, size_t n, int tone, int marked);

/* Whether y has a marked letter or a tone. Never fails. */
int vnsi_syl_marked(const vnsi_syl *y);

/* Writes y into out (NUL-terminated UTF-8) in the given form. Returns the length, or 0 when it
 * does not fit in cap bytes (out then holds "" when cap > 0). */
size_t vnsi_syl_write(const vnsi_syl *y, vnsi_form form, char *out, size_t cap);

/* The initials, "" first, each in the letter alphabet of vnsi_syl; *n receives their count.
 * The folded initials (marked 0) leave out đ. Never fails. */
const char *const *vnsi_syl_initials(int marked, size_t *n);

/* The rimes, as written (marked non-zero) or with their marks removed, sorted, each in the
 * letter alphabet of vnsi_syl; *n receives their count. Never fails. */
const char *const *vnsi_syl_rimes(int marked, size_t *n);

#endif /* VNS_TYPING_H */
