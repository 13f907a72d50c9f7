/* learn.h: finds abbreviations defined in passing, "chuyển đổi số (CĐS)", in analyzed text. */
#ifndef VNS_LEARN_H
#define VNS_LEARN_H

#include <stddef.h>

#include "analyzer.h"

/* An abbreviation has 2 to this many letters (TP.HCM: 5; ĐBSCL: 5; LĐTBXH: 6). */
#define VNSI_LEARN_MAX_LETTERS 8
/* A word of the phrase is kept in at most this many folded bytes (longer ones end a phrase). */
#define VNSI_LEARN_FORM_CAP 32
/* The longest key and phrase written (NUL included). */
#define VNSI_LEARN_CAP (VNSI_LEARN_MAX_LETTERS * (VNSI_LEARN_FORM_CAP + 1) + 1)

/* The last words seen in one field. Zero it, or call vnsi_learn_field, before each field. */
typedef struct vnsi_learn_word {
    char folded[VNSI_LEARN_FORM_CAP];
    size_t len; /* 0: a word that cannot be part of a phrase. */
    size_t start, end;
} vnsi_learn_word;

typedef struct vnsi_learn {
    const char *text; /* The field's text (borrowed), which the tokens' offsets index. */
    vnsi_learn_word ring[VNSI_LEARN_MAX_LETTERS];
    size_t n; /* Words seen in the field. */
} vnsi_learn;

/* Starts a field whose text (borrowed until the next call) the next tokens come from. Never
 * fails. */
void vnsi_learn_field(vnsi_learn *l, const char *text);

/* Feeds the field's next token. When tok is a bracketed abbreviation right after the words
 * whose initials spell it, writes its folded form to key and those words' folded forms, joined
 * by single spaces, to phrase (each VNSI_LEARN_CAP bytes, NUL-terminated) and returns 1: an
 * abbreviation is 2 to VNSI_LEARN_MAX_LETTERS capital letters (dots between them allowed, as in
 * TP.HCM), right after '(' and before ')', the phrase the words just before the bracket with
 * only spaces between them, one word per letter, each word's folded form starting with its
 * letter folded (Đ and D are both d). Returns 0 otherwise. Never fails. */
int vnsi_learn_token(vnsi_learn *l, const vnsi_token *tok, char *key, char *phrase);

#endif /* VNS_LEARN_H */
