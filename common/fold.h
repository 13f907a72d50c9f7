/* fold.h: per-code-point folding data (folded form, exact form, tone), from ICU once, then a table.
 */
#ifndef VNS_FOLD_H
#define VNS_FOLD_H

#include <stdint.h>

/* Tones, as Vietnamese orders them; 0 is the level tone (no mark). */
enum {
    VNS_TONE_NONE = 0,
    VNS_TONE_GRAVE,
    VNS_TONE_ACUTE,
    VNS_TONE_TILDE,
    VNS_TONE_HOOK,
    VNS_TONE_DOT
};

typedef struct vnsi_fold_entry {
    char folded[16]; /* Marks removed (through NFD), đ->d, lowercase; UTF-8. */
    uint8_t folded_len;
    char exact[16]; /* Lowercase NFC; UTF-8. */
    uint8_t exact_len;
    uint8_t tone;  /* The tone mark the code point carries, VNS_TONE_*. */
    uint32_t base; /* Lowercase, tone removed, quality marks (ă â ê ô ơ ư đ) kept; 0 when
                      that is not a single code point. */
} vnsi_fold_entry;

/* True when cp is covered by the precomputed table (Latin, Latin Extended A/B, Vietnamese). */
static inline int vnsi_fold_in_table(uint32_t cp) {
    return cp < 0x250 || (cp >= 0x1E00 && cp < 0x1F00);
}

/* Builds the table once (thread-safe). Returns 0 on success, -1 when ICU fails. */
int vnsi_fold_init(void);

/* The table entry for cp; cp must satisfy vnsi_fold_in_table and vnsi_fold_init must have
 * succeeded. Never fails. */
const vnsi_fold_entry *vnsi_fold_table_entry(uint32_t cp);

/* Computes the entry for any code point with ICU (slow). A format character (general category
 * Cf, and U+200B) gets empty forms; a full-width ASCII form (U+FF01..U+FF5E) the entry of its
 * ASCII letter. Returns 0, or -1 when ICU fails. */
int vnsi_fold_compute(uint32_t cp, vnsi_fold_entry *out);

/* The precomposed code point for base carrying tone: base itself for VNS_TONE_NONE (or a tone out
 * of range), 0 when no precomposed form exists or ICU fails. Never fails otherwise. */
uint32_t vnsi_fold_compose(uint32_t base, int tone);

#endif /* VNS_FOLD_H */
