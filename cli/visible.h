/* visible.h: text from articles and file names written to a terminal without its control
 * characters acting (moving the cursor, clearing the screen, retitling the window). */
#ifndef VNS_CLI_VISIBLE_H
#define VNS_CLI_VISIBLE_H

#include <stddef.h>
#include <stdio.h>

/* Writes s (len bytes) to f for a terminal: C0 controls and DEL as \xHH, C1 controls (U+0080 to
 * U+009F) as \u00HH and bytes that are not UTF-8 as \xHH, so that text from the index can neither
 * move the cursor, retitle the window nor break a line; a tab becomes a space. Never fails (f
 * records write errors). */
void cli_put_visible(FILE *f, const char *s, size_t len);

/* Writes the message fmt and its arguments make to stderr through cli_put_visible, but for one
 * newline at its end, in one write: the ids, paths and texts in it are shown, not obeyed, and
 * the line is not interleaved with another process's. Never fails. */
void cli_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* VNS_CLI_VISIBLE_H */
