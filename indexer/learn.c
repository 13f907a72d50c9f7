/* learn.c: finds abbreviations defined in passing, "Ủy ban nhân dân (UBND)", as text is indexed.
 */
#include "learn.h"

#include <string.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

void vnsi_learn_field(vnsi_learn *l, const char *text) {
    memset(l, 0, sizeof *l);
    l->text = text;
}

/* Whether text[from..to) holds only spaces and tabs. Never fails. */
static int only_blanks(const char *text, size_t from, size_t to) {
    for (size_t i = from; i < to; i++)
        if (text[i] != ' ' && text[i] != '\t') return 0;
    return 1;
}

/* Whether text[from..to) is blanks, c, blanks. Never fails. */
static int just(const char *text, size_t from, size_t to, char c) {
    size_t i = from;
    while (i < to && (text[i] == ' ' || text[i] == '\t')) i++;
    if (i == to || text[i] != c) return 0;
    return only_blanks(text, i + 1, to);
}

/* The letters of an abbreviation as typed, s[0..len): capital letters and dots between them.
 * Returns their number, or 0 when s is not one. Never fails. */
static size_t capitals(const char *s, size_t len) {
    size_t letters = 0;
    for (size_t i = 0; i < len;) {
        UChar32 c;
        U8_NEXT(s, i, len, c);
        if (c == '.' && letters > 0 && i < len) continue;
        if (c < 0 || !u_isupper(c)) return 0;
        letters++;
    }
    return letters;
}

/* Remembers tok as the field's latest word. */
static void push(vnsi_learn *l, const vnsi_token *tok) {
    size_t slot = l->n % VNSI_LEARN_MAX_LETTERS;
    int fits = tok->kind == VNS_TOKEN_WORD && tok->folded_len < VNSI_LEARN_FORM_CAP;
    l->ring[slot].len = fits ? tok->folded_len : 0;
    if (fits) memcpy(l->ring[slot].folded, tok->folded, tok->folded_len);
    l->ring[slot].start = tok->start;
    l->ring[slot].end = tok->end;
    l->n++;
}

int vnsi_learn_token(vnsi_learn *l, const vnsi_token *tok, char *key, char *phrase) {
    int found = 0;
    size_t letters = tok->kind == VNS_TOKEN_WORD && l->text
                         ? capitals(l->text + tok->start, tok->end - tok->start)
                         : 0;
    /* The folded letters, dots left out: ASCII, or it is not an abbreviation of syllables. */
    char initials[VNSI_LEARN_MAX_LETTERS];
    size_t ni = 0;
    for (size_t i = 0; letters >= 2 && letters <= VNSI_LEARN_MAX_LETTERS && i < tok->folded_len;
         i++) {
        char c = tok->folded[i];
        if (c == '.') continue;
        if (c < 'a' || c > 'z' || ni == VNSI_LEARN_MAX_LETTERS) {
            ni = 0;
            break;
        }
        initials[ni++] = c;
    }
    size_t line_end = tok->end;
    while (l->text && l->text[line_end] == ' ') line_end++;
    if (ni >= 2 && ni == letters && l->n >= ni && l->text[line_end] == ')') {
        size_t first = l->n - ni;
        found = 1;
        for (size_t j = 0; j < ni && found; j++) {
            const vnsi_learn_word *w = &l->ring[(first + j) % VNSI_LEARN_MAX_LETTERS];
            found = w->len > 0 && w->folded[0] == initials[j];
            if (found && j > 0) {
                size_t prev_end = l->ring[(first + j - 1) % VNSI_LEARN_MAX_LETTERS].end;
                found = prev_end < w->start && only_blanks(l->text, prev_end, w->start);
            }
        }
        const vnsi_learn_word *last = &l->ring[(l->n - 1) % VNSI_LEARN_MAX_LETTERS];
        found = found && just(l->text, last->end, tok->start, '(');
        if (found) {
            memcpy(key, tok->folded, tok->folded_len);
            key[tok->folded_len] = '\0';
            size_t o = 0;
            for (size_t j = 0; j < ni; j++) {
                const vnsi_learn_word *w = &l->ring[(first + j) % VNSI_LEARN_MAX_LETTERS];
                if (j > 0) phrase[o++] = ' ';
                memcpy(phrase + o, w->folded, w->len);
                o += w->len;
            }
            phrase[o] = '\0';
        }
    }
    push(l, tok);
    return found;
}
