/* suggest.h: the likeliest correction of one misspelt Vietnamese syllable, from document counts. */
#ifndef VNS_SUGGEST_H
#define VNS_SUGGEST_H

#include <stddef.h>
#include <stdint.h>

/* Most document-count lookups for the candidates of one word; with the word's own lookup,
 * vnsi_suggest_word calls df at most VNSI_SUGGEST_MAX_LOOKUPS + 1 times. */
#define VNSI_SUGGEST_MAX_LOOKUPS 64

/* Looks up how many documents hold a form: the folded form (no diacritics) when exact is 0,
 * else the exact form (lowercase NFC), both as vnsi_syllable_canonical_iy writes them. Returns
 * the count; a lookup that fails should count 0. */
typedef uint64_t (*vnsi_df_fn)(const char *form, size_t len, int exact, void *ctx);

/* Writes into out the best correction of word (UTF-8, as typed): the valid syllable at most two
 * edits away whose document count is at least ratio times the word's own and at least 1 (exact
 * forms compared when the word was typed with diacritics, folded forms otherwise). An edit is
 * one of the usual Vietnamese confusions (initials s/x, ch/tr, d/gi/r, n/l; finals n/ng, c/t;
 * another tone, for words typed with diacritics) or an ordinary letter insertion, deletion,
 * substitution or transposition. The fewest edits win, then the higher count. Candidates are
 * enumerated from the table of syllables, so df only ever sees valid syllables: those made by
 * the confusions first, then the others, fewest edits first, at most VNSI_SUGGEST_MAX_LOOKUPS
 * of them (for a short word typed without diacritics the two-edit candidates outnumber that, and
 * the rest are not tried). The correction keeps the word's case pattern (all capitals, a capital
 * first, or lowercase: "Sảy" -> "Xảy") and is written in full NFC (kỹ, not the index's kĩ).
 * Returns 1 with out filled (NUL-terminated), 0 when there is none, when word is not made of
 * Vietnamese letters, when the answer does not fit in cap bytes, or when memory runs out.
 * ratio 0 counts as 1. */
int vnsi_suggest_word(const char *word, size_t len, uint64_t ratio, vnsi_df_fn df, void *ctx,
                      char *out, size_t cap);

#endif /* VNS_SUGGEST_H */
