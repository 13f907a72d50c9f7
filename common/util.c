/* util.c: error messages, growable arrays, UTF-8 helpers and FNV-1a (see util.h). */
#define _DEFAULT_SOURCE /* reallocarray */
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/utf8.h>

vns_status vnsi_errbuf_set(char *buf, size_t cap, vns_status st, const char *fmt, ...) {
    if (buf == NULL || cap == 0) return st;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, cap, fmt, ap);
    va_end(ap);
    return st;
}

vns_status vnsi_grow(void *ptr, size_t *cap, size_t need, size_t elem) {
    if (need <= *cap) return VNS_OK;
    size_t ncap = *cap ? *cap : 8;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2) return VNS_ENOMEM;
        ncap *= 2;
    }
    void **p = ptr;
    /* reallocarray checks ncap * elem for overflow. */
    void *np = reallocarray(*p, ncap, elem);
    if (np == NULL) return VNS_ENOMEM;
    *p = np;
    *cap = ncap;
    return VNS_OK;
}

size_t vnsi_utf8_floor(const char *s, size_t len, size_t at) {
    if (at >= len) return len;
    while (at > 0 && U8_IS_TRAIL((uint8_t)s[at])) at--;
    return at;
}

size_t vnsi_utf8_count_invalid(const char *text, size_t len) {
    size_t bad = 0;
    for (size_t i = 0; i < len;) {
        if ((unsigned char)text[i] < 0x80) {
            i++;
            continue;
        }
        UChar32 c;
        U8_NEXT(text, i, len, c);
        if (c < 0) bad++;
    }
    return bad;
}

char *vnsi_utf8_sanitize(const char *text, size_t len, size_t *out_len, size_t *nbad) {
    /* Each invalid sequence (at least one byte) becomes 3 bytes: room for the worst case. */
    size_t bad = vnsi_utf8_count_invalid(text, len);
    char *out = malloc(len + 2 * bad + 1);
    if (out == NULL) return NULL;
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        unsigned char b = (unsigned char)text[i];
        if (b < 0x80) {
            out[o++] = b == 0 ? ' ' : (char)b;
            i++;
            continue;
        }
        size_t at = i;
        UChar32 c;
        U8_NEXT(text, i, len, c);
        if (c < 0) {
            memcpy(out + o, "\xEF\xBF\xBD", 3);
            o += 3;
        } else {
            memcpy(out + o, text + at, i - at);
            o += i - at;
        }
    }
    out[o] = '\0';
    *out_len = o;
    if (nbad) *nbad = bad;
    return out;
}

uint64_t vnsi_fnv1a(uint64_t h, const void *data, size_t len) {
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}
