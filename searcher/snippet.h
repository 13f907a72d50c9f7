/* snippet.h: picks the best window(s) of the original text and finds the matched words in it. */
#ifndef VNS_SNIPPET_H
#define VNS_SNIPPET_H

#include <stddef.h>

#include "analyzer.h"
#include "query_build.h"
#include "vnsearch.h"

/* Only the first this many bytes of a text are searched for a snippet. */
#define VNS_SNIPPET_MAX_SCAN ((size_t)4 << 20)
/* Words before the first match in a window, for context. */
#define VNS_SNIPPET_LEAD 3
/* With word weights, what a prefix or a quoted phrase weighs in a window: as a word in one
 * document of 100,000 or so (its user typed it on purpose). */
#define VNS_SNIPPET_EXPLICIT_WEIGHT 50

/* Makes a snippet of about `words` words from text (valid UTF-8): the window with the most
 * distinct query elements (weighted by spec->word_weight when set) and the most matches; when
 * matches also lie outside it, two windows of half the size.
 * "…" marks cuts; newlines become spaces. *out (NUL-terminated) and *hl (*nhl ranges, byte
 * offsets into *out) are malloc'd for the caller. Returns VNS_OK, VNS_ENOMEM, VNS_EINTERNAL. */
vns_status vnsi_snippet_make(vnsi_analyzer *an, const vnsi_hl_spec *spec, const char *text,
                             size_t len, unsigned words, char **out, size_t *out_len,
                             vns_range **hl, size_t *nhl);

/* The opening words of text (at most `words`), with "…" when cut; malloc'd for the caller.
 * NULL when out of memory. */
char *vnsi_opening_words(vnsi_analyzer *an, const char *text, size_t len, unsigned words);

#endif /* VNS_SNIPPET_H */
