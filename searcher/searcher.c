/* searcher.c: vns_searcher and vns_results: opens indexes, runs queries, iterates ranked results. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer.h"
#include "docdata.h"
#include "query_build.h"
#include "vnsearch.h"
#include "xapian_shim.h"

#define DEFAULT_LIMIT 10

struct vns_searcher {
    vxs_db *db;
    vns_analyzer *an;
    char err[VXS_ERRLEN + 64];
};

struct vns_results {
    vns_searcher *s;
    vxs_mset *mset;
    size_t next;     /* Index of the next item to visit. */
    int current;     /* Non-zero when positioned on an item. */
    char *data;      /* The current item's data blob. */
    char *id;        /* NUL-terminated copies from the blob. */
    char *title;
    double score;
};

static vns_status fail(vns_searcher *s, vns_status st, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->err, sizeof s->err, fmt, ap);
    va_end(ap);
    return st;
}

vns_status vns_searcher_open(vns_searcher **out, const char *const *paths, size_t n, char *errbuf,
                             size_t errlen) {
    if (out == NULL) return VNS_EINVAL;
    *out = NULL;
    if (paths == NULL || n == 0) {
        if (errbuf && errlen) snprintf(errbuf, errlen, "no index path given");
        return VNS_EINVAL;
    }
    vns_searcher *s = calloc(1, sizeof *s);
    if (s == NULL) return VNS_ENOMEM;
    char msg[VXS_ERRLEN] = "";
    vns_status st = vns_analyzer_new(&s->an);
    if (st != VNS_OK) {
        snprintf(msg, sizeof msg, "cannot start the ICU analyzer");
    } else {
        st = vxs_db_open_read(&s->db, paths, n, msg);
    }
    if (st != VNS_OK) {
        if (errbuf && errlen) snprintf(errbuf, errlen, "%s", msg);
        vns_analyzer_free(s->an);
        free(s);
        return st;
    }
    *out = s;
    return VNS_OK;
}

vns_status vns_searcher_reopen(vns_searcher *s) {
    if (s == NULL) return VNS_EINVAL;
    vns_status st = vxs_db_reopen(s->db);
    if (st != VNS_OK) return fail(s, st, "%s", vxs_db_errmsg(s->db));
    return VNS_OK;
}

const char *vns_searcher_errmsg(const vns_searcher *s) { return s ? s->err : ""; }

void vns_searcher_close(vns_searcher *s) {
    if (s == NULL) return;
    vxs_db_close(s->db);
    vns_analyzer_free(s->an);
    free(s);
}

vns_status vns_searcher_query(vns_searcher *s, const char *query, const vns_query_options *opts,
                              vns_results **out) {
    if (s == NULL || out == NULL) return VNS_EINVAL;
    *out = NULL;
    if (query == NULL) return fail(s, VNS_EINVAL, "no query given");
    vns_query_options def = VNS_QUERY_OPTIONS_INIT;
    if (opts == NULL) opts = &def;
    size_t limit = opts->limit ? opts->limit : DEFAULT_LIMIT;

    vxs_query *q = NULL;
    vns_status st = vns_query_build(s->an, query, &q, s->err, sizeof s->err);
    if (st != VNS_OK) return st;

    vns_results *r = calloc(1, sizeof *r);
    if (r == NULL) {
        vxs_query_free(q);
        return fail(s, VNS_ENOMEM, "out of memory");
    }
    r->s = s;
    st = vxs_db_search(s->db, q, opts->offset, limit, 0, &r->mset);
    if (st == VNS_EMODIFIED) {
        /* The revision was discarded by a writer: reopen once and run again. */
        if ((st = vxs_db_reopen(s->db)) == VNS_OK)
            st = vxs_db_search(s->db, q, opts->offset, limit, 0, &r->mset);
    }
    vxs_query_free(q);
    if (st != VNS_OK) {
        fail(s, st, "%s", vxs_db_errmsg(s->db));
        free(r);
        return st;
    }
    *out = r;
    return VNS_OK;
}

uint64_t vns_results_total(const vns_results *r) { return r ? vxs_mset_estimated(r->mset) : 0; }

static void clear_current(vns_results *r) {
    free(r->data);
    free(r->id);
    free(r->title);
    r->data = r->id = r->title = NULL;
    r->current = 0;
}

static char *dup_bytes(const char *p, size_t n) {
    char *s = malloc(n + 1);
    if (s) {
        memcpy(s, p, n);
        s[n] = '\0';
    }
    return s;
}

vns_status vns_results_next(vns_results *r) {
    if (r == NULL) return VNS_EINVAL;
    clear_current(r);
    if (r->next >= vxs_mset_size(r->mset)) return VNS_DONE;
    size_t i = r->next++;
    size_t len = 0;
    vns_status st = vxs_db_get_data(r->s->db, vxs_mset_docid(r->mset, i), &r->data, &len);
    if (st != VNS_OK) return fail(r->s, st, "%s", vxs_db_errmsg(r->s->db));
    vns_docdata d;
    if (vns_docdata_decode(r->data, len, &d) != VNS_OK)
        return fail(r->s, VNS_ECORRUPT, "document %u has unreadable data",
                    vxs_mset_docid(r->mset, i));
    r->id = dup_bytes(d.id, d.id_len);
    r->title = dup_bytes(d.title, d.title_len);
    if (r->id == NULL || r->title == NULL) return fail(r->s, VNS_ENOMEM, "out of memory");
    r->score = vxs_mset_weight(r->mset, i);
    r->current = 1;
    return VNS_OK;
}

const char *vns_results_id(const vns_results *r) { return r && r->current ? r->id : NULL; }

const char *vns_results_title(const vns_results *r) { return r && r->current ? r->title : NULL; }

double vns_results_score(const vns_results *r) { return r && r->current ? r->score : 0.0; }

void vns_results_free(vns_results *r) {
    if (r == NULL) return;
    clear_current(r);
    vxs_mset_free(r->mset);
    free(r);
}
