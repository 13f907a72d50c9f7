/* visible.c: text from articles and file names written to a terminal without its control
 * characters acting. */
#define _GNU_SOURCE /* vasprintf */
#include "visible.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void cli_put_visible(FILE *f, const char *s, size_t len) {
    const unsigned char *t = (const unsigned char *)s;
    for (size_t i = 0; i < len; i++) {
        unsigned c = t[i];
        if (c == '\t') {
            fputc(' ', f);
        } else if (c < 0x20 || c == 0x7f) {
            fprintf(f, "\\x%02x", c);
        } else if (c == 0xC2 && i + 1 < len && t[i + 1] >= 0x80 && t[i + 1] <= 0x9F) {
            fprintf(f, "\\u%04x", t[++i]);
        } else if (c < 0x80) {
            fputc((int)c, f);
        } else {
            /* A whole UTF-8 sequence goes through as it is; a stray byte is escaped. */
            size_t n = c >= 0xF0 && c <= 0xF4 ? 3 : c >= 0xE0 ? 2 : c >= 0xC2 && c < 0xE0 ? 1 : 0;
            size_t k = 1;
            while (n && k <= n && i + k < len && (t[i + k] & 0xC0) == 0x80) k++;
            if (n == 0 || k != n + 1 || c > 0xF4) {
                fprintf(f, "\\x%02x", c);
            } else {
                fwrite(t + i, 1, k, f);
                i += n;
            }
        }
    }
}

void cli_say(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *msg = NULL;
    int n = vasprintf(&msg, fmt, ap);
    va_end(ap);
    if (n < 0) {
        /* Out of memory: the message as it is, rather than none. */
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
        return;
    }
    size_t len = (size_t)n;
    int newline = len > 0 && msg[len - 1] == '\n';
    /* Shown into memory first and written at once: stderr is unbuffered, and the --jobs
     * processes write to it side by side, so a line written a character at a time would be
     * interleaved with theirs. */
    char *shown = NULL;
    size_t shown_len = 0;
    FILE *m = open_memstream(&shown, &shown_len);
    if (m != NULL) {
        cli_put_visible(m, msg, len - (size_t)newline);
        if (newline) fputc('\n', m);
    }
    if (m != NULL && fclose(m) == 0) {
        fwrite(shown, 1, shown_len, stderr);
    } else {
        cli_put_visible(stderr, msg, len); /* Out of memory: shown all the same, if slowly. */
    }
    free(shown);
    free(msg);
}
