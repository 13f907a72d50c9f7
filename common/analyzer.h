/* analyzer.h: splits UTF-8 text into words (ICU) and gives each a folded and an exact form. */
#ifndef VNS_ANALYZER_H
#define VNS_ANALYZER_H

#include <stddef.h>
#include <stdint.h>

#include "vnsearch.h"

/* Longest form (folded or exact) in bytes. Xapian refuses terms over 245 bytes; the longest
 * prefix we put before a form is 1 byte, so 240 leaves room. Longer forms are cut at a UTF-8
 * character boundary. */
#define VNS_MAX_FORM_BYTES 240

typedef enum vnsi_token_kind {
    VNS_TOKEN_WORD = 0,   /* Letters (syllables, abbreviations such as UBND). */
    VNS_TOKEN_NUMBER = 1, /* Numbers, separators kept: 70,91  65.329  3.500. */
    VNS_TOKEN_OTHER = 2   /* Ideographs, kana and other word-like runs. */
} vnsi_token_kind;

/* One word. The strings are borrowed: valid only during the callback. */
typedef struct vnsi_token {
    const char *folded; /* Marks removed (through NFD), đ->d, lowercase. Not NUL-terminated. */
    size_t folded_len;
    const char *exact; /* Lowercase NFC, tone placement canonical (hòa = hoà), i for a y that is
                          a syllable's whole vowel after a consonant (kỹ = kĩ). */
    size_t exact_len;
    size_t start, end; /* Byte range of the word in the analyzed text. */
    uint32_t pos;      /* 0-based word position. */
    vnsi_token_kind kind;
    int truncated; /* Non-zero when a form was cut to VNS_MAX_FORM_BYTES. */
} vnsi_token;

/* Called for each word; return non-zero to stop early. */
typedef int (*vnsi_token_fn)(const vnsi_token *tok, void *ctx);

/* Counters from one vnsi_analyze call. */
typedef struct vnsi_analyze_stats {
    uint32_t tokens;       /* Words given to the callback. */
    uint32_t invalid_utf8; /* Invalid UTF-8 sequences seen (read as U+FFFD, never a word). */
    uint32_t truncated;    /* Words whose forms were cut. */
} vnsi_analyze_stats;

/* An analyzer holds an ICU word break iterator and scratch space: one per thread. */
typedef struct vnsi_analyzer vnsi_analyzer;

/* Creates an analyzer; *out is the caller's, freed with vnsi_analyzer_free.
 * Returns VNS_OK, VNS_ENOMEM, or VNS_EINTERNAL (ICU could not load its break rules). */
vns_status vnsi_analyzer_new(vnsi_analyzer **out);

/* Frees an analyzer; accepts NULL. Never fails. */
void vnsi_analyzer_free(vnsi_analyzer *a);

/* Splits text (len bytes, need not be NUL-terminated, may hold invalid UTF-8) into words and calls
 * fn for each, with positions starting at first_pos. stats (may be NULL) gets the counters.
 * Invisible format characters (soft hyphen, zero-width space and joiners, direction marks, BOM)
 * neither break a word nor appear in its forms; full-width ASCII folds as ASCII; a syllable whose
 * whole vowel is y after a consonant is written with i in both forms (kỹ -> ki, kĩ).
 * Returns VNS_OK (also when fn stopped it early), VNS_EINVAL (text of 2 GiB or more: ICU's
 * offsets are 32-bit), VNS_ENOMEM (a text with a zero-width space could not be copied), or
 * VNS_EINTERNAL (ICU failure); the message is in errmsg. */
vns_status vnsi_analyze(vnsi_analyzer *a, const char *text, size_t len, uint32_t first_pos,
                        vnsi_token_fn fn, void *ctx, vnsi_analyze_stats *stats);

/* The last failure's message; borrowed. Never NULL. */
const char *vnsi_analyzer_errmsg(const vnsi_analyzer *a);

/* Folds a NUL-terminated word or text the same way, without breaking it and without the i/y
 * rule (a prefix such as quy* is the start of quyết, not the syllable quý): out gets at most cap
 * bytes (always NUL-terminated when cap > 0); returns the full folded length. Used for prefixes
 * typed in queries. */
size_t vnsi_fold_text(vnsi_analyzer *a, const char *text, size_t len, char *out, size_t cap);

#endif /* VNS_ANALYZER_H */
