/* document.c: vns_document: stored articles read back by id, or all of them in index order. */
#define _POSIX_C_SOURCE 200809L /* strndup */
#include <stdlib.h>
#include <string.h>

#include "docdata.h"
#include "schema.h"
#include "searcher_int.h"
#include "util.h"
#include "vnsearch.h"
#include "xapian_shim.h"

struct vns_document {
    vns_searcher *s;
    uint32_t *docids; /* A scan: every document, in order (NULL for one read by id). */
    size_t n, next;
    int current;
    /* The current article: its data, decoded, and NUL-terminated copies. */
    char *data;
    size_t data_len;
    vnsi_docdata doc;
    vnsi_meta_view meta;
    char *id, *title, *body;
    size_t body_len;
};

static void clear(vns_document *d) {
    free(d->data);
    free(d->id);
    free(d->title);
    free(d->body);
    vnsi_meta_view_free(&d->meta);
    d->data = d->id = d->title = d->body = NULL;
    d->current = 0;
}

/* Reads document docid into d. Returns VNS_OK or a status with the searcher's message set. */
static vns_status load(vns_document *d, uint32_t docid) {
    vxs_db *db = vnsi_searcher_db(d->s);
    clear(d);
    vns_status st = vxs_db_get_data(db, docid, &d->data, &d->data_len);
    if (st != VNS_OK) return vnsi_searcher_fail(d->s, st, "%s", vxs_db_errmsg(db));
    if (vnsi_docdata_decode(d->data, d->data_len, &d->doc) != VNS_OK ||
        (st = vnsi_meta_unpack(&d->meta, d->doc.meta, d->doc.meta_len)) == VNS_ECORRUPT)
        return vnsi_searcher_fail(d->s, VNS_ECORRUPT, "document %u has unreadable data", docid);
    if (st == VNS_OK) st = vnsi_docdata_body(&d->doc, &d->body, &d->body_len);
    if (st == VNS_ECORRUPT)
        return vnsi_searcher_fail(d->s, st, "document %u has an unreadable text", docid);
    d->id = strndup(d->doc.id, d->doc.id_len);
    d->title = strndup(d->doc.title, d->doc.title_len);
    if (st != VNS_OK || d->id == NULL || d->title == NULL)
        return vnsi_searcher_fail(d->s, VNS_ENOMEM, "out of memory");
    d->current = 1;
    return VNS_OK;
}

/* A new document handle on s, or NULL (out of memory, said on s). */
static vns_document *make(vns_searcher *s) {
    vns_document *d = calloc(1, sizeof *d);
    if (d == NULL) {
        vnsi_searcher_fail(s, VNS_ENOMEM, "out of memory");
        return NULL;
    }
    d->s = s;
    vnsi_searcher_hold(s);
    return d;
}

vns_status vns_searcher_get(vns_document **out, vns_searcher *s, const char *id) {
    if (out) *out = NULL;
    if (out == NULL || s == NULL || vnsi_searcher_closed(s)) return VNS_EINVAL;
    if (id == NULL || id[0] == '\0') return vnsi_searcher_fail(s, VNS_EINVAL, "no id given");
    char term[VNS_ID_TERM_CAP];
    size_t tl = vnsi_id_term(id, strlen(id), term);
    uint32_t docid = 0;
    vxs_db *db = vnsi_searcher_db(s);
    vns_status st = vxs_db_find_term(db, term, tl, &docid);
    if (st != VNS_OK) return vnsi_searcher_fail(s, st, "%s", vxs_db_errmsg(db));
    if (docid == 0) {
        int shown = (int)vnsi_utf8_floor(id, strlen(id), 200);
        return vnsi_searcher_fail(s, VNS_ENOTFOUND, "no document with id %.*s%s", shown, id,
                                  (size_t)shown < strlen(id) ? "..." : "");
    }
    vns_document *d = make(s);
    if (d == NULL) return VNS_ENOMEM;
    if ((st = load(d, docid)) != VNS_OK) {
        vns_document_free(d);
        return st;
    }
    *out = d;
    return VNS_OK;
}

typedef struct collect_ctx {
    vns_document *d;
    size_t cap;
    int nomem;
} collect_ctx;

static int collect(uint32_t docid, const char *value, size_t len, void *p) {
    (void)value;
    (void)len;
    collect_ctx *c = p;
    if (vnsi_grow(&c->d->docids, &c->cap, c->d->n + 1, sizeof *c->d->docids) != VNS_OK) {
        c->nomem = 1;
        return 1;
    }
    c->d->docids[c->d->n++] = docid;
    return 0;
}

vns_status vns_searcher_scan(vns_document **out, vns_searcher *s) {
    if (out) *out = NULL;
    if (out == NULL || s == NULL || vnsi_searcher_closed(s)) return VNS_EINVAL;
    vns_document *d = make(s);
    if (d == NULL) return VNS_ENOMEM;
    collect_ctx c = {d, 0, 0};
    vxs_db *db = vnsi_searcher_db(s);
    /* The empty term's postings are every document. */
    vns_status st = vxs_db_each_posting(db, "", 0, VNS_SLOT_ID, collect, &c);
    if (st != VNS_OK)
        vnsi_searcher_fail(s, st, "%s", vxs_db_errmsg(db));
    else if (c.nomem)
        st = vnsi_searcher_fail(s, VNS_ENOMEM, "out of memory listing the documents");
    if (st != VNS_OK) {
        vns_document_free(d);
        return st;
    }
    if (d->docids == NULL) d->docids = malloc(1); /* A scan, even of nothing. */
    if (d->docids == NULL) {
        vns_document_free(d);
        return vnsi_searcher_fail(s, VNS_ENOMEM, "out of memory");
    }
    *out = d;
    return VNS_OK;
}

vns_status vns_document_next(vns_document *d) {
    if (d == NULL) return VNS_EINVAL;
    clear(d);
    if (d->docids == NULL || d->next >= d->n) {
        d->next = d->n;
        return VNS_DONE;
    }
    return load(d, d->docids[d->next++]);
}

const char *vns_document_id(const vns_document *d) {
    return d && d->current ? d->id : NULL;
}

const char *vns_document_title(const vns_document *d) {
    return d && d->current ? d->title : NULL;
}

const char *vns_document_body(size_t *len, const vns_document *d) {
    int ok = d && d->current;
    if (len) *len = ok ? d->body_len : 0;
    return ok ? d->body : NULL;
}

const vns_meta *vns_document_meta(const vns_document *d) {
    return d && d->current ? &d->meta.meta : NULL;
}

void vns_document_free(vns_document *d) {
    if (d == NULL) return;
    clear(d);
    free(d->docids);
    vns_searcher *s = d->s;
    free(d);
    vnsi_searcher_release(s);
}
