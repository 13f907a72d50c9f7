/* bench_util.c: the helpers bench_util.h declares, shared by the benchmark programs. */
#define _POSIX_C_SOURCE 200809L
#include "bench_util.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "bench_weight_fields.h"
#include "searcher_sys.h"
#include "util.h"

/* The most index paths bench_searcher_open takes in one comma-separated list (more are left
 * out). */
#define MAX_PATHS 16

void bench_sample(void *base, size_t n, size_t size, size_t want, bench_rng *r) {
    unsigned char *b = base;
    if (want > n) want = n;
    for (size_t i = 0; i < want; i++) {
        size_t j = i + bench_rng_below(r, n - i);
        for (size_t k = 0; k < size; k++) {
            unsigned char t = b[i * size + k];
            b[i * size + k] = b[j * size + k];
            b[j * size + k] = t;
        }
    }
}

/* What bench_words_of's callback needs: the list, the text, which form, and a failure. */
typedef struct words_ctx {
    bench_words *out;
    const char *text;
    int folded;
    vns_status st;
} words_ctx;

/* Grows the three arrays of ws to hold need words. Returns VNS_OK or VNS_ENOMEM. */
static vns_status words_reserve(bench_words *ws, size_t need) {
    /* The arrays grow alike: each from the same capacity to the same new one, ws->cap last. */
    size_t cap_w = ws->cap, cap_start = ws->cap;
    if (vnsi_grow(&ws->w, &cap_w, need, sizeof *ws->w) != VNS_OK ||
        vnsi_grow(&ws->start, &cap_start, need, sizeof *ws->start) != VNS_OK ||
        vnsi_grow(&ws->end, &ws->cap, need, sizeof *ws->end) != VNS_OK)
        return VNS_ENOMEM;
    return VNS_OK;
}

/* The analyzer's callback: appends one word; stops the analysis when out of memory. */
static int add_word(const vnsi_token *t, void *p) {
    words_ctx *c = p;
    bench_words *ws = c->out;
    char *w = NULL;
    if (words_reserve(ws, ws->n + 1) == VNS_OK)
        w = c->folded ? strndup(t->folded, t->folded_len)
                      : strndup(c->text + t->start, t->end - t->start);
    if (w == NULL) {
        c->st = VNS_ENOMEM;
        return 1;
    }
    ws->w[ws->n] = w;
    ws->start[ws->n] = t->start;
    ws->end[ws->n] = t->end;
    ws->n++;
    return 0;
}

vns_status bench_words_of(bench_words *out, vnsi_analyzer *an, const char *text, size_t len,
                          int folded) {
    words_ctx c = {.out = out, .text = text, .folded = folded, .st = VNS_OK};
    vns_status st = vnsi_analyze(an, text, len, 0, add_word, &c, NULL);
    return st != VNS_OK ? st : c.st;
}

void bench_words_clear(bench_words *ws) {
    for (size_t i = 0; i < ws->n; i++) free(ws->w[i]);
    free(ws->w);
    free(ws->start);
    free(ws->end);
    memset(ws, 0, sizeof *ws);
}

char *bench_words_join(const bench_words *ws, size_t from, size_t n, const char *sep) {
    size_t len = 1;
    for (size_t i = from; i < from + n; i++) len += strlen(ws->w[i]) + strlen(sep);
    char *q = malloc(len), *p = q;
    if (q == NULL) return NULL;
    *p = '\0';
    for (size_t i = from; i < from + n; i++) {
        if (i > from) p = stpcpy(p, sep);
        p = stpcpy(p, ws->w[i]);
    }
    return q;
}

/* Appends one key and value (copied) to t. Returns VNS_OK or VNS_ENOMEM. */
static vns_status tsv_add(bench_tsv *t, const char *key, const char *value) {
    /* The arrays grow alike: each from the same capacity to the same new one, t->cap last. */
    size_t cap_key = t->cap;
    if (vnsi_grow(&t->key, &cap_key, t->n + 1, sizeof *t->key) != VNS_OK) return VNS_ENOMEM;
    if (vnsi_grow(&t->value, &t->cap, t->n + 1, sizeof *t->value) != VNS_OK) return VNS_ENOMEM;
    t->key[t->n] = strdup(key);
    t->value[t->n] = strdup(value);
    if (t->key[t->n] == NULL || t->value[t->n] == NULL) {
        free(t->key[t->n]);
        free(t->value[t->n]);
        return VNS_ENOMEM;
    }
    t->n++;
    return VNS_OK;
}

vns_status bench_tsv_read(bench_tsv *out, const char *path, char *err, size_t errlen) {
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return vnsi_errbuf_set(err, errlen, errno == ENOENT ? VNS_ENOTFOUND : VNS_EIO,
                               "cannot open %s: %s", path, strerror(errno));
    vns_status st = VNS_OK;
    char *line = NULL;
    size_t cap = 0;
    long lineno = 0;
    ssize_t len;
    while (st == VNS_OK && (len = getline(&line, &cap, f)) >= 0) {
        lineno++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = '\0';
        if (len == 0) continue;
        char *tab = strchr(line, '\t');
        if (tab == NULL) {
            st = vnsi_errbuf_set(err, errlen, VNS_EINVAL, "%s:%ld: no tab", path, lineno);
            break;
        }
        *tab = '\0';
        st = tsv_add(out, line, tab + 1);
        if (st != VNS_OK) vnsi_errbuf_set(err, errlen, st, "%s: out of memory", path);
    }
    if (st == VNS_OK && ferror(f))
        st = vnsi_errbuf_set(err, errlen, VNS_EIO, "cannot read %s", path);
    free(line);
    fclose(f);
    return st;
}

void bench_tsv_clear(bench_tsv *t) {
    for (size_t i = 0; i < t->n; i++) {
        free(t->key[i]);
        free(t->value[i]);
    }
    free(t->key);
    free(t->value);
    memset(t, 0, sizeof *t);
}

/* Reads a whole-string number into *f. Returns 0, or -1 when v is not one. */
static int set_double(double *f, const char *v) {
    char *end;
    errno = 0;
    double d = strtod(v, &end);
    if (end == v || *end || errno) return -1;
    *f = d;
    return 0;
}

/* Reads a whole-string integer into *f. Returns 0, or -1 when v is not one or out of range. */
static int set_int(int *f, const char *v) {
    char *end;
    errno = 0;
    long l = strtol(v, &end, 10);
    if (end == v || *end || errno || l < INT_MIN || l > INT_MAX) return -1;
    *f = (int)l;
    return 0;
}

/* Reads a whole-string unsigned integer into *f. Returns 0, or -1 when v is not one. */
static int set_unsigned(unsigned *f, const char *v) {
    char *end;
    errno = 0;
    unsigned long l = strtoul(v, &end, 10);
    if (end == v || *end || errno || *v == '-' || l > UINT_MAX) return -1;
    *f = (unsigned)l;
    return 0;
}

/* The parser for a field of this type; another type is a compile error, to be added here. */
#define SET_FIELD(p, v)                                                                            \
    _Generic((p), double * : set_double, int * : set_int, unsigned * : set_unsigned)(p, v)

/* Sets the field called name in *w to the number v. Returns 0, 1 (no such field), or -1 (v is
 * not a number). */
static int set_weight(vnsi_ranking_weights *w, const char *name, const char *v) {
#define TRY_FIELD(f)                                                                               \
    if (strcmp(name, #f) == 0) return SET_FIELD(&w->f, v);
    BENCH_WEIGHT_FIELDS(TRY_FIELD)
#undef TRY_FIELD
    return 1;
}

int bench_weights_parse(vnsi_ranking_weights *w, const char *spec, char *err, size_t errlen) {
    char *copy = strdup(spec), *save = NULL;
    int rc = copy ? 0 : -1;
    if (copy == NULL) snprintf(err, errlen, "out of memory");
    for (char *item = copy ? strtok_r(copy, ",", &save) : NULL; item && rc == 0;
         item = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(item, '=');
        if (eq) *eq = '\0';
        int got = eq ? set_weight(w, item, eq + 1) : 1;
        if (got == 1) {
            char names[1024] = "";
#define NAME_FIELD(f) strncat(names, " " #f, sizeof names - strlen(names) - 1);
            BENCH_WEIGHT_FIELDS(NAME_FIELD)
#undef NAME_FIELD
            snprintf(err, errlen, "'%s' is not name=value with a name among:%s", item, names);
            rc = -1;
        } else if (got < 0) {
            snprintf(err, errlen, "%s: '%s' is not a number", item, eq + 1);
            rc = -1;
        }
    }
    free(copy);
    return rc;
}

void bench_weights_json(FILE *f, const vnsi_ranking_weights *w) {
    const char *sep = "";
    fputc('{', f);
#define PRINT_FIELD(name)                                                                          \
    fprintf(f, "%s\"" #name "\":%g", sep, (double)w->name);                                        \
    sep = ",";
    BENCH_WEIGHT_FIELDS(PRINT_FIELD)
#undef PRINT_FIELD
    fputc('}', f);
}

/* The names of the modes, indexed by vns_match. */
static const char *const match_names[] = {"auto", "all", "any"};
#define N_MATCH (sizeof match_names / sizeof *match_names)

int bench_match_parse(vns_match *out, const char *name) {
    for (size_t i = 0; i < N_MATCH; i++)
        if (strcmp(name, match_names[i]) == 0) {
            *out = (vns_match)i;
            return 0;
        }
    return -1;
}

const char *bench_match_name(vns_match m) {
    return (size_t)m < N_MATCH ? match_names[m] : "?";
}

int bench_searcher_open(vns_searcher **out, const char *paths, const vnsi_ranking_weights *w,
                        const char *prog) {
    char *list = strdup(paths), *save = NULL, err[512];
    const char *p[MAX_PATHS];
    size_t n = 0;
    *out = NULL;
    if (list == NULL) return -1;
    for (char *tok = strtok_r(list, ",", &save); tok && n < MAX_PATHS;
         tok = strtok_r(NULL, ",", &save))
        p[n++] = tok;
    int rc = 0;
    if (vns_searcher_open(out, p, n, err, sizeof err) != VNS_OK) {
        fprintf(stderr, "%s: %s\n", prog, err);
        rc = -1;
    } else if (vnsi_searcher_set_weights(*out, w) != VNS_OK) {
        fprintf(stderr, "%s: weights: %s\n", prog, vns_searcher_errmsg(*out));
        vns_searcher_close(*out);
        *out = NULL;
        rc = -1;
    }
    free(list);
    return rc;
}

int bench_vns_search(vns_searcher *s, const char *q, const vns_query_options *o, int limit,
                     char **ids, vns_match *made) {
    vns_results *r = NULL;
    int n = 0;
    vns_status st = vns_searcher_query(&r, s, q, o);
    if (st == VNS_OK && made) *made = vns_results_match(r);
    while (st == VNS_OK && n < limit && (st = vns_results_next(r)) == VNS_OK) {
        (void)vns_results_snippet(r); /* Snippets are made, as for FTS5. */
        ids[n] = strdup(vns_results_id(r));
        if (ids[n] == NULL)
            st = VNS_ENOMEM;
        else
            n++;
    }
    vns_results_free(r);
    if (st < 0) {
        bench_ids_free(ids, n);
        return -1;
    }
    return n;
}

void bench_ids_free(char **ids, int n) {
    for (int i = 0; i < n; i++) free(ids[i]);
}

int bench_rank_of(char *const *ids, int n, const char *id) {
    for (int i = 0; i < n; i++)
        if (strcmp(ids[i], id) == 0) return i + 1;
    return 0;
}

int bench_time_alternating(size_t n, int passes, bench_query_fn a, bench_query_fn b, void *ctx,
                           double *ta, double *tb, int *na, int *nb) {
    size_t per = passes > 0 ? (size_t)passes : 1;
    double *pa = calloc(n * per + 1, sizeof *pa), *pb = calloc(n * per + 1, sizeof *pb);
    if (pa == NULL || pb == NULL) {
        free(pa);
        free(pb);
        return -1;
    }
    for (size_t pass = 0; pass <= per; pass++) {
        for (size_t i = 0; i < n; i++) {
            double t0 = now_ms();
            int ra = a(i, ctx);
            double t1 = now_ms();
            int rb = b(i, ctx);
            double t2 = now_ms();
            if (pass == 0) continue;
            pa[i * per + pass - 1] = t1 - t0;
            pb[i * per + pass - 1] = t2 - t1;
            if (pass == 1) {
                na[i] = ra;
                nb[i] = rb;
            }
        }
    }
    for (size_t i = 0; i < n; i++) {
        qsort(pa + i * per, per, sizeof *pa, cmp_double);
        qsort(pb + i * per, per, sizeof *pb, cmp_double);
        ta[i] = pa[i * per + per / 2];
        tb[i] = pb[i * per + per / 2];
    }
    free(pa);
    free(pb);
    return 0;
}

void bench_print_slowest(const double *ta, const double *tb, size_t n, char *const *labels,
                         const char *label, char *const *queries) {
    const char *env = getenv("BENCH_SLOWEST");
    long want = env ? strtol(env, NULL, 10) : 0;
    char *shown = calloc(n ? n : 1, 1);
    for (long k = 0; shown && k < want; k++) {
        size_t worst = n;
        for (size_t i = 0; i < n; i++)
            if (!shown[i] && (worst == n || ta[i] > ta[worst])) worst = i;
        if (worst == n) break;
        shown[worst] = 1;
        fprintf(stderr, "slow %8.2f ms (fts5 %7.2f)  %-18s %s\n", ta[worst], tb[worst],
                labels ? labels[worst] : label, queries[worst]);
    }
    free(shown);
}
