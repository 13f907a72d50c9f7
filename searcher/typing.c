/* typing.c: Vietnamese syllables (a table of initials and rimes), their index forms, and
 * Telex / VNI decoding. No ICU: the few dozen precomposed letters are tables built once. */
#include "typing.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* The vowels of the letter alphabet, in the order of the rows of vowel_rows. */
static const char vowels[] = "aWAeEioOQuUy";

/* Each vowel with no tone, huyền, sắc, ngã, hỏi, nặng (VNSI_TONE_* order), lowercase. */
static const char *const vowel_rows[12] = {
    "aàáãảạ", "ăằắẵẳặ", "âầấẫẩậ", "eèéẽẻẹ", "êềếễểệ", "iìíĩỉị",
    "oòóõỏọ", "ôồốỗổộ", "ơờớỡởợ", "uùúũủụ", "ưừứữửự", "yỳýỹỷỵ",
};

/* Rimes as written: vowel nucleus (with its glide) and final. */
static const char *const rime_list[] = {
    "a",   "ai",  "ao",   "au",   "ay",  "ac",   "ach",  "am",   "an",   "ang",  "anh",  "ap",
    "at",  "ăc",  "ăm",   "ăn",   "ăng", "ăp",   "ăt",   "âc",   "âm",   "ân",   "âng",  "âp",
    "ât",  "âu",  "ây",   "e",    "eo",  "ec",   "em",   "en",   "eng",  "ep",   "et",   "ê",
    "êu",  "êch", "êm",   "ên",   "ênh", "êp",   "êt",   "i",    "ia",   "iu",   "ich",  "im",
    "in",  "inh", "ip",   "it",   "iêc", "iêm",  "iên",  "iêng", "iêp",  "iêt",  "iêu",  "y",
    "yêm", "yên", "yêng", "yêt",  "yêu", "o",    "oi",   "oc",   "om",   "on",   "ong",  "op",
    "ot",  "ooc", "oong", "ô",    "ôi",  "ôc",   "ôm",   "ôn",   "ông",  "ôp",   "ôt",   "ơ",
    "ơi",  "ơm",  "ơn",   "ơp",   "ơt",  "u",    "ua",   "ui",   "uc",   "um",   "un",   "ung",
    "up",  "ut",  "uôc",  "uôi",  "uôm", "uôn",  "uông", "uôt",  "ư",    "ưa",   "ưi",   "ưu",
    "ưc",  "ưm",  "ưn",   "ưng",  "ưt",  "ươc",  "ươi",  "ươm",  "ươn",  "ương", "ươp",  "ươt",
    "ươu", "oa",  "oai",  "oay",  "oac", "oach", "oam",  "oan",  "oang", "oanh", "oap",  "oat",
    "oăc", "oăm", "oăn",  "oăng", "oăt", "oe",   "oeo",  "oen",  "oet",  "uân",  "uâng", "uât",
    "uây", "uê",  "uêch", "uênh", "uơ",  "uy",   "uya",  "uych", "uyên", "uyêt", "uynh", "uyt",
    "uyu",
};
#define NRIMES (sizeof rime_list / sizeof rime_list[0])
#define RIME_MAX 6

/* Initials in the letter alphabet, "" first, longest before their prefixes. */
static const char *const initials_marked[] = {
    "",  "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", "b", "c",
    "d", "D",   "g",  "h",  "k",  "l",  "m",  "n",  "p",  "r",  "s",  "t",  "v", "x",
};
static const char *const initials_folded[] = {
    "",  "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", "b", "c",
    "d", "g",   "h",  "k",  "l",  "m",  "n",  "p",  "r",  "s",  "t",  "v",  "x",
};

/* One precomposed letter: its code point, its letter, tone and case. */
typedef struct letter {
    uint32_t cp;
    char base;
    uint8_t tone, upper;
} letter;

/* The tables, built once. */
static struct {
    letter letters[12 * 6 * 2 + 2]; /* Sorted by code point. */
    size_t nletters;
    char utf8[12][6][2][4]; /* Each vowel, tone and case, UTF-8 (NUL-terminated). */
    char rimes[2][NRIMES][RIME_MAX];
    const char *rime_ptr[2][NRIMES]; /* [0] folded (unique), [1] as written; sorted. */
    size_t nrimes[2];
} T;
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static int parse(vnsi_syl *out, const char *s, size_t len);

/* Decodes one code point from s[*i..n); returns it, or (uint32_t)-1 on a bad sequence. */
static uint32_t next_cp(const char *s, size_t n, size_t *i) {
    const unsigned char *u = (const unsigned char *)s;
    unsigned char c = u[*i];
    if (c < 0x80) return (*i)++, c;
    size_t k = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC2 ? 1 : 0;
    if (k == 0 || c >= 0xF5 || *i + k >= n) return (uint32_t)-1;
    uint32_t cp = c & (0x3F >> k);
    for (size_t j = 1; j <= k; j++) {
        if ((u[*i + j] & 0xC0) != 0x80) return (uint32_t)-1;
        cp = cp << 6 | (u[*i + j] & 0x3F);
    }
    if ((k == 2 && cp < 0x800) || (k == 3 && cp < 0x10000)) return (uint32_t)-1; /* Overlong. */
    *i += k + 1;
    return cp;
}

/* Writes cp (below U+10000) as UTF-8 into b; returns the length. */
static size_t put_cp(char *b, uint32_t cp) {
    if (cp < 0x80) return b[0] = (char)cp, 1;
    if (cp < 0x800) {
        b[0] = (char)(0xC0 | cp >> 6);
        b[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    b[0] = (char)(0xE0 | cp >> 12);
    b[1] = (char)(0x80 | (cp >> 6 & 0x3F));
    b[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
}

/* Orders letters by code point. */
static int by_cp(const void *a, const void *b) {
    uint32_t x = ((const letter *)a)->cp, y = ((const letter *)b)->cp;
    return (x > y) - (x < y);
}

/* Orders strings behind pointers. */
static int by_str(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The letter a marked letter of the alphabet folds to. */
static char fold_letter(char c) {
    switch (c) {
    case 'W':
    case 'A': return 'a';
    case 'E': return 'e';
    case 'O':
    case 'Q': return 'o';
    case 'U': return 'u';
    case 'D': return 'd';
    default: return c;
    }
}

/* Builds the letter and rime tables. The tables are literals of this file, so it cannot fail. */
static void build_tables(void) {
    size_t m = 0;
    for (size_t v = 0; v < 12; v++) {
        const char *row = vowel_rows[v];
        size_t i = 0, len = strlen(row);
        for (uint8_t t = 0; t < 6; t++) {
            uint32_t cp = next_cp(row, len, &i);
            /* Vietnamese letters: Latin-1 pairs 32 apart, the others adjacent. */
            uint32_t up = cp < 0x100 ? cp - 32 : cp - 1;
            T.utf8[v][t][0][put_cp(T.utf8[v][t][0], cp)] = 0;
            T.utf8[v][t][1][put_cp(T.utf8[v][t][1], up)] = 0;
            if (t > 0 || cp >= 0x80) {
                T.letters[m++] = (letter){cp, vowels[v], t, 0};
                T.letters[m++] = (letter){up, vowels[v], t, 1};
            }
        }
    }
    T.letters[m++] = (letter){0x111, 'D', 0, 0}; /* đ */
    T.letters[m++] = (letter){0x110, 'D', 0, 1}; /* Đ */
    T.nletters = m;
    qsort(T.letters, m, sizeof T.letters[0], by_cp);
    size_t nf = 0;
    for (size_t r = 0; r < NRIMES; r++) {
        vnsi_syl y;
        parse(&y, rime_list[r], strlen(rime_list[r]));
        memcpy(T.rimes[1][r], y.s, y.n + 1);
        T.rime_ptr[1][r] = T.rimes[1][r];
        for (size_t i = 0; i <= y.n; i++) T.rimes[0][r][i] = fold_letter(y.s[i]);
    }
    for (size_t r = 0; r < NRIMES; r++) T.rime_ptr[0][r] = T.rimes[0][r];
    qsort(T.rime_ptr[0], NRIMES, sizeof(char *), by_str);
    qsort(T.rime_ptr[1], NRIMES, sizeof(char *), by_str);
    for (size_t r = 0; r < NRIMES; r++)
        if (nf == 0 || strcmp(T.rime_ptr[0][nf - 1], T.rime_ptr[0][r]) != 0)
            T.rime_ptr[0][nf++] = T.rime_ptr[0][r];
    T.nrimes[0] = nf;
    T.nrimes[1] = NRIMES;
}

/* Builds the tables on first use (thread-safe). */
static void tables(void) {
    pthread_once(&tables_once, build_tables);
}

/* The precomposed letter cp, or NULL. */
static const letter *find_letter(uint32_t cp) {
    letter key = {cp, 0, 0, 0};
    return bsearch(&key, T.letters, T.nletters, sizeof key, by_cp);
}

/* Whether c is a vowel of the letter alphabet. */
static int is_vowel(char c) {
    return c != 0 && strchr(vowels, c) != NULL;
}

/* Whether c is a vowel carrying a quality mark (ă â ê ô ơ ư). */
static int is_marked_vowel(char c) {
    return c != 0 && strchr("WAEOQU", c) != NULL;
}

/* vnsi_syl_parse once the letter table is built. */
static int parse(vnsi_syl *out, const char *s, size_t len) {
    memset(out, 0, sizeof *out);
    int toned = 0;
    size_t i = 0;
    while (i < len) {
        uint32_t cp = next_cp(s, len, &i);
        if (cp == (uint32_t)-1) return -1;
        char base = 0;
        uint8_t up = 0, tone = 0;
        if ((cp | 32) >= 'a' && (cp | 32) <= 'z') {
            base = (char)(cp | 32);
            up = cp < 'a';
        } else if (cp >= 0x300 && cp < 0x330) { /* A combining mark on the letter before. */
            if (out->n == 0) return -1;
            char *b = &out->s[out->n - 1];
            int t = cp == 0x300   ? VNSI_TONE_GRAVE
                    : cp == 0x301 ? VNSI_TONE_ACUTE
                    : cp == 0x303 ? VNSI_TONE_TILDE
                    : cp == 0x309 ? VNSI_TONE_HOOK
                    : cp == 0x323 ? VNSI_TONE_DOT
                                  : -1;
            if (t > 0 && is_vowel(*b) && !toned) {
                out->tone = (uint8_t)t;
                toned = 1;
            } else if (cp == 0x302 && strchr("aeo", *b)) {
                *b = *b == 'a' ? 'A' : *b == 'e' ? 'E' : 'O';
            } else if (cp == 0x306 && *b == 'a') {
                *b = 'W';
            } else if (cp == 0x31B && (*b == 'o' || *b == 'u')) {
                *b = *b == 'o' ? 'Q' : 'U';
            } else {
                return -1;
            }
            continue;
        } else {
            const letter *l = find_letter(cp);
            if (l == NULL) return -1;
            base = l->base;
            up = l->upper;
            tone = l->tone;
        }
        if (out->n == VNSI_SYL_MAX) return -1;
        if (tone) {
            if (toned) return -1;
            out->tone = tone;
            toned = 1;
        }
        out->upper[out->n] = up;
        out->s[out->n++] = base;
    }
    out->s[out->n] = 0;
    return 0;
}

int vnsi_syl_parse(vnsi_syl *out, const char *s, size_t len) {
    tables();
    return parse(out, s, len);
}

int vnsi_syl_marked(const vnsi_syl *y) {
    if (y->tone) return 1;
    for (size_t i = 0; i < y->n; i++)
        if (fold_letter(y->s[i]) != y->s[i]) return 1;
    return 0;
}

/* Whether the rime r[0..n) is in the table (as written when marked). */
static int rime_in(const char *r, size_t n, int marked) {
    if (n >= RIME_MAX) return 0;
    char key[RIME_MAX];
    memcpy(key, r, n);
    key[n] = 0;
    const char *k = key;
    return bsearch(&k, T.rime_ptr[marked != 0], T.nrimes[marked != 0], sizeof(char *), by_str) !=
           NULL;
}

/* Whether rime r[0..n) may follow the initial of length init_len: iê... needs an initial and
 * yê... needs none (after a glide u it is part of uyê...). */
static int rime_fits(const char *r, size_t n, size_t init_len, int marked) {
    if (n >= 2 && r[0] == 'i' && (r[1] == 'E' || r[1] == 'e') && init_len == 0) return 0;
    if (n >= 2 && r[0] == 'y' && (r[1] == 'E' || r[1] == 'e') && init_len > 0) return 0;
    return rime_in(r, n, marked);
}

/* Whether the rime r[0..n) (n > 0) may follow initial ini, by spelling: c, g, ng not before
 * e, ê, i, y; k only before them; gh, ngh only before e, ê, i; c and k not before a glide (oa,
 * oe, uy, uâ, uê, uơ: that sound is spelt qu). Without marks, ua and uo are let through (cua,
 * cuộc). */
static int spelling_fits(const char *ini, const char *r, size_t n) {
    int front = r[0] == 'e' || r[0] == 'E' || r[0] == 'i' || r[0] == 'y';
    int glide =
        n >= 2 && ((r[0] == 'o' && strchr("aWe", r[1])) || (r[0] == 'u' && strchr("AEyQ", r[1])));
    if (glide && (!strcmp(ini, "c") || !strcmp(ini, "k"))) return 0;
    if (!strcmp(ini, "c") || !strcmp(ini, "g") || !strcmp(ini, "ng")) return !front;
    if (!strcmp(ini, "k")) return front;
    if (!strcmp(ini, "gh") || !strcmp(ini, "ngh")) return front && r[0] != 'y';
    return 1;
}

/* Whether the rest r[0..n) after the initial ini makes a syllable. */
static int rest_ok(const char *ini, const char *r, size_t n, int marked) {
    char buf[RIME_MAX + 1];
    size_t il = strlen(ini);
    if (!strcmp(ini, "gi")) { /* gi + rime, or gi with the rime's i merged (gì, gìn). */
        if (n > 0 && r[0] == 'i') return 0;
        if (n > 0 && rime_fits(r, n, il, marked)) return 1;
        if (n + 1 >= sizeof buf) return 0;
        buf[0] = 'i';
        memcpy(buf + 1, r, n);
        return rime_fits(buf, n + 1, il, marked);
    }
    if (!strcmp(ini, "qu")) { /* qu + rime, or qu + rime with its glide u (quy, quyết). */
        if (n == 0 || r[0] == 'u' || r[0] == 'o') return 0;
        if (rime_fits(r, n, il, marked)) return 1;
        if (n + 1 >= sizeof buf) return 0;
        buf[0] = 'u';
        memcpy(buf + 1, r, n);
        return rime_in(buf, n + 1, marked);
    }
    if (n == 0) return 0;
    return spelling_fits(ini, r, n) && rime_fits(r, n, il, marked);
}

/* Whether the letters end in a stop final (c, ch, p, t). */
static int stop_final(const char *s, size_t n) {
    if (n == 0) return 0;
    char c = s[n - 1];
    return c == 'c' || c == 'p' || c == 't' || (c == 'h' && n >= 2 && s[n - 2] == 'c');
}

int vnsi_syl_ok(const char *s, size_t n, int tone, int marked) {
    tables();
    if (!marked && tone) return 0;
    if (marked && stop_final(s, n) && tone != VNSI_TONE_ACUTE && tone != VNSI_TONE_DOT) return 0;
    size_t ni;
    const char *const *ini = vnsi_syl_initials(marked, &ni);
    for (size_t i = 0; i < ni; i++) {
        size_t il = strlen(ini[i]);
        if (il > n || memcmp(s, ini[i], il) != 0) continue;
        if (rest_ok(ini[i], s + il, n - il, marked)) return 1;
    }
    return 0;
}

int vnsi_syllable_valid(const char *s, size_t len) {
    vnsi_syl y;
    if (vnsi_syl_parse(&y, s, len) != 0) return 0;
    return vnsi_syl_ok(y.s, y.n, y.tone, vnsi_syl_marked(&y));
}

const char *const *vnsi_syl_initials(int marked, size_t *n) {
    if (marked) {
        *n = sizeof initials_marked / sizeof initials_marked[0];
        return initials_marked;
    }
    *n = sizeof initials_folded / sizeof initials_folded[0];
    return initials_folded;
}

const char *const *vnsi_syl_rimes(int marked, size_t *n) {
    tables();
    *n = T.nrimes[marked != 0];
    return T.rime_ptr[marked != 0];
}

/* The length of the initial of s[0..n): the consonants before the first vowel, with the u of
 * qu and the i of gi when a vowel follows them. */
static size_t initial_len(const char *s, size_t n) {
    if (n >= 3 && is_vowel(s[2]) && ((s[0] == 'q' && s[1] == 'u') || (s[0] == 'g' && s[1] == 'i')))
        return 2;
    size_t i = 0;
    while (i < n && !is_vowel(s[i])) i++;
    return i;
}

/* Where the tone goes in s[0..n), or -1 without a vowel: on the vowel with a quality mark (the
 * last: ơ of ươ); else on the last vowel before a final consonant; in an open syllable on the
 * only vowel, the first of two (ai, ua, ia) but the second of oa, oe, uy, the middle of three. */
static int tone_pos(const char *s, size_t n) {
    size_t b = initial_len(s, n), e = b;
    while (e < n && is_vowel(s[e])) e++;
    if (e == b) return -1;
    for (size_t i = e; i-- > b;)
        if (is_marked_vowel(s[i])) return (int)i;
    if (e < n) return (int)e - 1;
    if (e - b == 1) return (int)b;
    if (e - b == 2) {
        int second = (s[b] == 'o' && (s[b + 1] == 'a' || s[b + 1] == 'e')) ||
                     (s[b] == 'u' && s[b + 1] == 'y');
        return (int)b + second;
    }
    return (int)b + 1;
}

size_t vnsi_syl_write(const vnsi_syl *y, vnsi_form form, char *out, size_t cap) {
    tables();
    int at = y->tone && form != VNSI_FORM_FOLDED ? tone_pos(y->s, y->n) : -1;
    size_t b = initial_len(y->s, y->n);
    /* A lone y after an initial in an open syllable is written i in the index forms. */
    int y_as_i = form != VNSI_FORM_TYPED && b > 0 && b + 1 == y->n && y->s[b] == 'y';
    size_t len = 0;
    for (size_t i = 0; i < y->n; i++) {
        char c = y->s[i], buf[4];
        size_t k;
        int up = form == VNSI_FORM_TYPED && y->upper[i];
        if (y_as_i && i == b) c = 'i';
        if (form == VNSI_FORM_FOLDED) c = fold_letter(c);
        const char *v = strchr(vowels, c);
        if (c != 0 && v != NULL) {
            const char *u = T.utf8[v - vowels][(int)i == at ? y->tone : 0][up];
            k = strlen(u);
            memcpy(buf, u, k);
        } else if (c == 'D') {
            k = put_cp(buf, up ? 0x110 : 0x111);
        } else {
            buf[0] = (char)(up ? c - 32 : c);
            k = 1;
        }
        if (len + k + 1 > cap) {
            if (cap > 0) out[0] = 0;
            return 0;
        }
        memcpy(out + len, buf, k);
        len += k;
    }
    if (len + 1 > cap) {
        if (cap > 0) out[0] = 0;
        return 0;
    }
    out[len] = 0;
    return len;
}

size_t vnsi_syllable_canonical_iy(const char *word, size_t len, int exact, char *out, size_t cap) {
    vnsi_syl y;
    if (vnsi_syl_parse(&y, word, len) != 0) return 0;
    return vnsi_syl_write(&y, exact ? VNSI_FORM_EXACT : VNSI_FORM_FOLDED, out, cap);
}

/* ---- Telex and VNI ---------------------------------------------------------------------- */

/* Longest word decoded, in bytes. */
#define KEYS_MAX 16
/* Most modifier keys (w, 6, 7, 8) in a word. */
#define MODS_MAX 3

/* A modifier key: the ways it may apply, best first; each changes one or two letters. */
typedef struct mod {
    uint8_t nopt;
    struct {
        int8_t pos[2]; /* -1: unused. */
        char to[2];
    } opt[4];
} mod;

/* The letter a mark makes of c: circumflex ('6', aa), breve ('8'), horn ('7', w); 0 if none. */
static char marked_as(char c, char mark) {
    if (mark == '6') return c == 'a' ? 'A' : c == 'e' ? 'E' : c == 'o' ? 'O' : 0;
    if (mark == '8') return c == 'a' ? 'W' : 0;
    return c == 'o' ? 'Q' : c == 'u' ? 'U' : 0;
}

/* Adds to m the ways mark ('6', '7', '8', or 'w': breve or horn) applies to the last vowels of
 * y: uo -> ươ first, then each vowel it marks, last first (a before o before u for w). Returns
 * the number of ways. */
static int add_ways(mod *m, const vnsi_syl *y, char mark) {
    int e = (int)y->n;
    while (e > 0 && !is_vowel(y->s[e - 1])) e--;
    int b = e;
    while (b > 0 && is_vowel(y->s[b - 1])) b--;
    m->nopt = 0;
    if (mark == '7' || mark == 'w')
        for (int i = b; i + 1 < e; i++)
            if (y->s[i] == 'u' && y->s[i + 1] == 'o') {
                m->opt[m->nopt].pos[0] = (int8_t)i;
                m->opt[m->nopt].to[0] = 'U';
                m->opt[m->nopt].pos[1] = (int8_t)(i + 1);
                m->opt[m->nopt++].to[1] = 'Q';
                break;
            }
    const char *order = mark == 'w' ? "aou" : mark == '6' ? "aeo" : mark == '7' ? "ou" : "a";
    /* Each vowel of a group the mark fits, not only the last: uu7 is ưu (VNI, mark at the end). */
    for (const char *o = order; *o; o++)
        for (int i = e; i-- > b && m->nopt < 4;)
            if (y->s[i] == *o) {
                char to = marked_as(*o, mark == 'w' ? (*o == 'a' ? '8' : '7') : mark);
                m->opt[m->nopt].pos[0] = (int8_t)i;
                m->opt[m->nopt].to[0] = to;
                m->opt[m->nopt++].pos[1] = -1;
            }
    return m->nopt;
}

/* Reads the keys of word in Telex (vni 0) or VNI into the letters *y, the tone *tone and the
 * modifier keys m[*nm]. Returns the number of keys that were not letters, or -1 when the word
 * cannot be such typing. */
static int read_keys(const char *w, size_t len, int vni, vnsi_syl *y, int *tone, mod *m,
                     size_t *nm) {
    int keys = 0, vowel_seen = 0, toned = 0;
    char prev = 0; /* The previous key when it was put down as a letter. */
    memset(y, 0, sizeof *y);
    *tone = 0;
    *nm = 0;
    for (size_t i = 0; i < len; i++) {
        char c = w[i], l = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
        int up = c >= 'A' && c <= 'Z';
        const char *tk = vni ? strchr("12345", l) : strchr("fsxrjz", l);
        if (l != 0 && tk != NULL && vowel_seen) { /* A tone key. */
            if (toned) return -1;
            toned = 1;
            /* Telex f s x r j z; VNI 1 sắc, 2 huyền, 3 hỏi, 4 ngã, 5 nặng. */
            static const uint8_t vni_tones[] = {VNSI_TONE_ACUTE, VNSI_TONE_GRAVE, VNSI_TONE_HOOK,
                                                VNSI_TONE_TILDE, VNSI_TONE_DOT};
            static const uint8_t telex_tones[] = {VNSI_TONE_GRAVE, VNSI_TONE_ACUTE, VNSI_TONE_TILDE,
                                                  VNSI_TONE_HOOK,  VNSI_TONE_DOT,   VNSI_TONE_NONE};
            *tone = vni ? vni_tones[l - '1'] : telex_tones[tk - "fsxrjz"];
            keys++;
            prev = 0;
            continue;
        }
        if (!vni && l == 'd' && prev == 'd' && y->n == 1) { /* dd -> đ */
            y->s[0] = 'D';
            keys++;
            prev = 0;
            continue;
        }
        if (vni && l == '9') {
            if (y->n == 0 || y->s[0] != 'd') return -1;
            y->s[0] = 'D';
            keys++;
            continue;
        }
        if (!vni && (l == 'a' || l == 'e' || l == 'o') && prev == l) { /* aa, ee, oo */
            y->s[y->n - 1] = marked_as(l, '6');
            keys++;
            prev = 0;
            continue;
        }
        if ((!vni && l == 'w' && vowel_seen) || (vni && l >= '6' && l <= '8')) {
            if (*nm == MODS_MAX || add_ways(&m[*nm], y, l) == 0) return -1;
            (*nm)++;
            keys++;
            prev = 0;
            continue;
        }
        if (!vni && l == 'w') { /* w with no vowel before it is the vowel ư. */
            l = 'U';
            keys++;
        } else if (l < 'a' || l > 'z') {
            return -1;
        }
        if (y->n == VNSI_SYL_MAX) return -1;
        y->upper[y->n] = (uint8_t)up;
        y->s[y->n++] = l;
        vowel_seen |= is_vowel(l);
        prev = l;
    }
    y->s[y->n] = 0;
    return keys;
}

/* Applies way k of each modifier to y; returns 0, or -1 when one finds its letter marked
 * already. */
static int apply_ways(vnsi_syl *y, const mod *m, size_t nm, unsigned combo) {
    for (size_t j = 0; j < nm; j++) {
        unsigned k = combo % m[j].nopt;
        combo /= m[j].nopt;
        for (int p = 0; p < 2; p++) {
            int at = m[j].opt[k].pos[p];
            if (at < 0) continue;
            if (is_marked_vowel(y->s[at])) return -1;
            y->s[at] = m[j].opt[k].to[p];
        }
    }
    return 0;
}

/* Whether y is the start of a syllable: an initial and the first letters of a rime that may
 * follow it (vượ of vượt, liề of liều). Never fails. */
static int starts_syllable(const vnsi_syl *y) {
    size_t ni;
    const char *const *ini = vnsi_syl_initials(1, &ni);
    for (size_t i = 0; i < ni; i++) {
        size_t il = strlen(ini[i]), rn = y->n - il;
        if (il >= y->n || memcmp(y->s, ini[i], il) != 0) continue;
        for (size_t r = 0; r < T.nrimes[1]; r++) {
            const char *rime = T.rime_ptr[1][r];
            size_t len = strlen(rime);
            if (len > rn && memcmp(rime, y->s + il, rn) == 0 && rest_ok(ini[i], rime, len, 1))
                return 1;
        }
    }
    return 0;
}

/* Whether y is a syllable (or, when partial, the start of one). */
static int fits(const vnsi_syl *y, int partial) {
    if (vnsi_syl_ok(y->s, y->n, y->tone, vnsi_syl_marked(y))) return 1;
    return partial && starts_syllable(y);
}

/* Whether y fits, trying also ưo and uơ as ươ (typed "uwo", "uow" half-way). */
static int settle(vnsi_syl *y, int partial) {
    if (fits(y, partial)) return 1;
    char *p = strstr(y->s, "Uo");
    if (p == NULL) p = strstr(y->s, "uQ");
    if (p == NULL) return 0;
    p[0] = 'U';
    p[1] = 'Q';
    return fits(y, partial);
}

/* Reads word as an abbreviation typed in capitals without a vowel (CĐ, ĐBSCL): in Telex DD is Đ
 * (CDD: CĐ); in VNI the 9s typed at its end stroke its Ds, as many 9s as Ds (CD9: CĐ). DDD, or
 * fewer or more 9s than Ds, could be read either way and are left as typed (returns 0). Returns
 * -1 when word is not such an abbreviation; else 1 with out written, or 0 with out "". */
static int decode_capitals(const char *word, size_t len, int vni, char *out, size_t cap) {
    size_t nines = 0, ds = 0, letters, o = 0;
    while (vni && nines < len && word[len - 1 - nines] == '9') nines++;
    letters = len - nines;
    if (letters < 2) return -1;
    for (size_t i = 0; i < letters; i++)
        if (word[i] < 'A' || word[i] > 'Z' || strchr("AEIOUY", word[i])) return -1;
    for (size_t i = 0; i < letters; i++) {
        size_t run = 1;
        if (word[i] == 'D' && !vni) {
            while (i + run < letters && word[i + run] == 'D') run++;
            if (run > 2) {
                if (cap > 0) out[0] = 0;
                return 0;
            }
        }
        if (o + 3 > cap) {
            if (cap > 0) out[0] = 0;
            return 0;
        }
        if (word[i] == 'D' && (vni ? nines > 0 : run == 2)) {
            out[o++] = (char)0xC4; /* Đ */
            out[o++] = (char)0x90;
            ds++;
        } else {
            out[o++] = word[i];
        }
        i += run - 1;
    }
    out[o] = 0;
    if (ds > 0 && (!vni || ds == nines)) return 1;
    out[0] = 0;
    return ds == 0 && nines == 0 ? -1 : 0;
}

/* vnsi_typing_decode, and vnsi_typing_decode_prefix when partial. */
static int decode(const char *word, size_t len, char *out, size_t cap, int partial) {
    if (cap > 0) out[0] = 0;
    if (len == 0 || len > KEYS_MAX) return 0;
    int vni = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)word[i];
        if (c >= '0' && c <= '9')
            vni = 1;
        else if (!((c | 32) >= 'a' && (c | 32) <= 'z'))
            return 0;
    }
    if (!partial) {
        int caps = decode_capitals(word, len, vni, out, cap);
        if (caps >= 0) return caps;
    }
    tables();
    vnsi_syl typed;
    mod m[MODS_MAX];
    size_t nm;
    int tone;
    /* No key read: the word is its letters (a syllable as typed is never read another way,
     * except for oo, which Telex types for ô: xoong, khoong). */
    if (read_keys(word, len, vni, &typed, &tone, m, &nm) <= 0) return 0;
    typed.tone = (uint8_t)tone;
    unsigned combos = 1;
    for (size_t j = 0; j < nm; j++) combos *= m[j].nopt;
    for (unsigned c = 0; c < combos; c++) {
        vnsi_syl y = typed;
        if (apply_ways(&y, m, nm, c) != 0 || !settle(&y, partial)) continue;
        size_t n = vnsi_syl_write(&y, VNSI_FORM_TYPED, out, cap);
        if (n == 0) break;
        if (n == len && memcmp(out, word, len) == 0) break;
        return 1;
    }
    if (cap > 0) out[0] = 0;
    return 0;
}

int vnsi_typing_decode(const char *word, size_t len, char *out, size_t cap) {
    return decode(word, len, out, cap, 0);
}

int vnsi_typing_decode_prefix(const char *word, size_t len, char *out, size_t cap) {
    return decode(word, len, out, cap, 1);
}
