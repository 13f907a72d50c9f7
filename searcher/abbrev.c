/* abbrev.c: the built-in list of abbreviations, analyzed once, searched by any of its forms. */
#define _POSIX_C_SOURCE 200809L /* strndup */
#include "abbrev.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "abbrev_data.h" /* vnsi_abbrev_data: the lines of data/abbreviations.tsv (CMake). */
#include "analyzer.h"
#include "util.h"

/* One form of an entry: its folded words joined by spaces. */
typedef struct form {
    char *text;
    size_t entry;
} form;

static form *forms;
static size_t nforms, forms_cap, nentries;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static vns_status init_status = VNS_EINTERNAL;

typedef struct joined {
    char buf[512];
    size_t len;
    size_t words;
} joined;

static int join_word(const vnsi_token *tok, void *p) {
    joined *j = p;
    if (j->len + tok->folded_len + 2 > sizeof j->buf || ++j->words > VNSI_ABBREV_MAX_WORDS) {
        j->words = VNSI_ABBREV_MAX_WORDS + 1;
        return 1;
    }
    if (j->len) j->buf[j->len++] = ' ';
    memcpy(j->buf + j->len, tok->folded, tok->folded_len);
    j->len += tok->folded_len;
    j->buf[j->len] = '\0';
    return 0;
}

/* Adds the form text[0..len) (as typed) of entry e, analyzed; a form of no words or too many
 * is left out. Returns VNS_OK or VNS_ENOMEM. */
static vns_status add_form(vnsi_analyzer *an, const char *text, size_t len, size_t e) {
    joined j = {0};
    if (vnsi_analyze(an, text, len, 0, join_word, &j, NULL) != VNS_OK || j.words == 0 ||
        j.words > VNSI_ABBREV_MAX_WORDS)
        return VNS_OK;
    for (size_t i = 0; i < nforms; i++) /* The same form twice in one entry: once. */
        if (forms[i].entry == e && strcmp(forms[i].text, j.buf) == 0) return VNS_OK;
    if (vnsi_grow(&forms, &forms_cap, nforms + 1, sizeof *forms) != VNS_OK) return VNS_ENOMEM;
    if ((forms[nforms].text = strndup(j.buf, j.len)) == NULL) return VNS_ENOMEM;
    forms[nforms++].entry = e;
    return VNS_OK;
}

static int by_text(const void *a, const void *b) {
    return strcmp(((const form *)a)->text, ((const form *)b)->text);
}

/* Reads the lines "ABBR<TAB>expansion<TAB>counts...[<TAB>variants]" ('#' lines are comments;
 * variants are comma-separated other spellings of ABBR). */
static void load(void) {
    vnsi_analyzer *an = NULL;
    if (vnsi_analyzer_new(&an) != VNS_OK) return;
    vns_status st = VNS_OK;
    for (const char *line = vnsi_abbrev_data; *line && st == VNS_OK;) {
        const char *end = strchr(line, '\n');
        if (end == NULL) end = line + strlen(line);
        if (*line != '#' && end > line) {
            const char *col[8];
            size_t ncol = 0, lens[8];
            for (const char *c = line; ncol < 8;) {
                const char *tab = memchr(c, '\t', (size_t)(end - c));
                col[ncol] = c;
                lens[ncol++] = (size_t)((tab ? tab : end) - c);
                if (tab == NULL) break;
                c = tab + 1;
            }
            if (ncol >= 2) {
                size_t e = nentries++;
                st = add_form(an, col[0], lens[0], e);
                if (st == VNS_OK) st = add_form(an, col[1], lens[1], e);
                /* The last column, after the counts, may list variants. */
                for (size_t k = 2; k < ncol && st == VNS_OK; k++) {
                    const char *v = col[k], *vend = col[k] + lens[k];
                    if (v < vend && *v >= '0' && *v <= '9') continue; /* A count. */
                    while (v < vend && st == VNS_OK) {
                        const char *comma = memchr(v, ',', (size_t)(vend - v));
                        const char *stop = comma ? comma : vend;
                        st = add_form(an, v, (size_t)(stop - v), e);
                        v = comma ? comma + 1 : vend;
                    }
                }
            }
        }
        line = *end ? end + 1 : end;
    }
    vnsi_analyzer_free(an);
    if (st != VNS_OK) {
        init_status = st;
        return;
    }
    if (nforms > 0) qsort(forms, nforms, sizeof *forms, by_text);
    init_status = VNS_OK;
}

vns_status vnsi_abbrev_init(void) {
    pthread_once(&once, load);
    return init_status;
}

size_t vnsi_abbrev_entries(void) {
    return init_status == VNS_OK ? nentries : 0;
}

/* The first form whose text is key (len bytes), or nforms. Never fails. */
static size_t find_first(const char *key, size_t len) {
    size_t lo = 0, hi = nforms;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strncmp(forms[mid].text, key, len);
        if (c == 0 && forms[mid].text[len] != '\0') c = 1;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

void vnsi_abbrev_lookup(const char *key, size_t len,
                        int (*fn)(const char *form, size_t len, void *ctx), void *ctx) {
    if (init_status != VNS_OK) return;
    for (size_t i = find_first(key, len);
         i < nforms && strncmp(forms[i].text, key, len) == 0 && forms[i].text[len] == '\0'; i++)
        for (size_t k = 0; k < nforms; k++) /* The entry's other forms. */
            if (forms[k].entry == forms[i].entry && k != i &&
                fn(forms[k].text, strlen(forms[k].text), ctx))
                return;
}
