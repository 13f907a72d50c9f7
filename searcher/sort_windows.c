/* sort_windows.c: the months of an index as windows for the date orders (sort_windows.h). */
#include "sort_windows.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"

/* The months collected while walking the month terms. */
typedef struct walk {
    vnsi_months *m;
    size_t cap;
    int nomem;
} walk;

/* Keeps term when it is a month term (the prefix and six digits). Never fails: a lack of memory
 * stops the walk and is remembered. */
static int keep_month(const char *term, size_t len, uint64_t docs, void *p) {
    walk *w = p;
    size_t pl = strlen(VNS_PREFIX_META_MONTH);
    if (len != pl + 6) return 0;
    for (size_t i = pl; i < len; i++)
        if (term[i] < '0' || term[i] > '9') return 0;
    vnsi_months *m = w->m;
    if (m->n == w->cap) {
        size_t cap = w->cap ? 2 * w->cap : 64;
        void *t = realloc(m->term, cap * sizeof *m->term);
        if (t) m->term = t;
        void *d = realloc(m->docs, cap * sizeof *m->docs);
        if (d) m->docs = d;
        if (t == NULL || d == NULL) {
            w->nomem = 1;
            return 1;
        }
        w->cap = cap;
    }
    memcpy(m->term[m->n], term, len);
    m->term[m->n][len] = '\0';
    m->docs[m->n++] = docs;
    m->dated += docs;
    return 0;
}

vns_status vnsi_months_load(vnsi_months *out, vxs_db *db) {
    memset(out, 0, sizeof *out);
    walk w = {.m = out};
    vns_status st = vxs_db_each_term_freq(db, VNS_PREFIX_META_MONTH, strlen(VNS_PREFIX_META_MONTH),
                                          keep_month, &w);
    return st == VNS_OK && w.nomem ? VNS_ENOMEM : st;
}

void vnsi_months_free(vnsi_months *m) {
    free(m->term);
    free(m->docs);
    memset(m, 0, sizeof *m);
}

/* Whether month terms a and b are of the same year. Never fails. */
static int same_year(const char *a, const char *b) {
    size_t pl = strlen(VNS_PREFIX_META_MONTH);
    return memcmp(a + pl, b + pl, 4) == 0;
}

vns_status vnsi_months_window(vxs_query **out, double *covered, const vnsi_months *m, int newest,
                              double share, char *errbuf) {
    *out = NULL;
    *covered = 1.0;
    /* The months taken are [lo, hi) of m (sorted ascending). */
    size_t k = 0;
    uint64_t docs = 0;
    while (k < m->n && (double)docs < share * (double)m->dated)
        docs += m->docs[newest ? m->n - 1 - k++ : k++];
    if (k == m->n || m->dated == 0) return VNS_OK;
    size_t lo = newest ? m->n - k : 0, hi = newest ? m->n : k;
    vxs_query **terms = calloc(k, sizeof *terms);
    if (terms == NULL) return VNS_ENOMEM;
    vns_status st = VNS_OK;
    size_t nt = 0;
    for (size_t i = lo; st == VNS_OK && i < hi;) {
        /* The months of i's year in m, and those of them taken. */
        size_t a = i, b = i;
        while (a > 0 && same_year(m->term[a - 1], m->term[i])) a--;
        while (b < m->n && same_year(m->term[b], m->term[i])) b++;
        size_t end = b < hi ? b : hi;
        if (a >= lo && b <= hi) {
            char y[VNSI_DATE_TERM_CAP];
            snprintf(y, sizeof y, "%s%.4s", VNS_PREFIX_META_YEAR,
                     m->term[i] + strlen(VNS_PREFIX_META_MONTH));
            st = vxs_query_term(&terms[nt++], y, strlen(y), 1, 0, errbuf);
        } else {
            for (size_t j = i; st == VNS_OK && j < end; j++)
                st = vxs_query_term(&terms[nt++], m->term[j], strlen(m->term[j]), 1, 0, errbuf);
        }
        i = end;
    }
    if (st == VNS_OK) st = vxs_query_combine(out, VXS_OP_OR, terms, nt, 0, errbuf);
    for (size_t i = 0; i < nt; i++) vxs_query_free(terms[i]); /* NULL past a failure. */
    free(terms);
    if (st == VNS_OK) *covered = (double)docs / (double)m->dated;
    return st;
}
