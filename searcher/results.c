/* results.c: the answer of a query as the caller reads it: the results one by one, their stored
 * data, snippets and highlights, and the answer's totals, facets and notes. */
#define _POSIX_C_SOURCE 200809L /* strndup */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "docdata.h"
#include "facets.h"
#include "results_int.h"
#include "schema.h"
#include "searcher_int.h"
#include "snippet.h"
#include "vnsearch.h"
#include "xapian_shim.h"

/* The data of this many results is read with the query, inside the retry; beyond it (huge -n),
 * it is read as the caller iterates, and VNS_EMODIFIED can reach the caller. */
#define VNSI_PREFETCH 1000
/* A heading made of opening words has at most this many. */
#define HEADING_WORDS 12
/* A snippet word's weight per halving of the documents holding it (weigh_words): 3 puts a word
 * in one document of 100,000 at 49, near a quoted phrase's VNS_SNIPPET_EXPLICIT_WEIGHT. */
#define VNS_SNIPPET_IDF_SCALE 3u

void vnsi_results_clear_answer(vns_results *r) {
    vxs_mset_free(r->mset);
    free(r->order);
    free(r->order_score);
    r->mset = NULL;
    r->order = NULL;
    r->order_score = NULL;
    r->norder = 0;
    vnsi_results_free_blobs(r);
}

/* The number of results, and result i's document and score: the two passes' order when there is
 * one, else the mset's. Never fail. */
static size_t res_size(const vns_results *r) {
    return r->order ? r->norder : r->mset ? vxs_mset_size(r->mset) : 0;
}

static uint32_t res_docid(const vns_results *r, size_t i) {
    return r->order ? r->order[i] : vxs_mset_docid(r->mset, i);
}

static double res_weight(const vns_results *r, size_t i) {
    return r->order ? r->order_score[i] : vxs_mset_weight(r->mset, i);
}

void vnsi_results_free_blobs(vns_results *r) {
    for (size_t i = 0; i < r->nblobs; i++) free(r->blobs[i]);
    free(r->blobs);
    free(r->blob_lens);
    r->blobs = NULL;
    r->blob_lens = NULL;
    r->nblobs = 0;
}

/* Reads the id of docid (its VNS_SLOT_ID value) into *out (malloc'd, *len bytes). Returns VNS_OK,
 * VNS_ENOMEM or the shim's status. */
static vns_status read_id(vxs_db *db, uint32_t docid, char **out, size_t *len) {
    char buf[256];
    vns_status st = vxs_db_get_value(db, docid, VNS_SLOT_ID, buf, sizeof buf, len);
    if (st != VNS_OK) return st;
    if ((*out = malloc(*len ? *len : 1)) == NULL) return VNS_ENOMEM;
    if (*len <= sizeof buf) {
        memcpy(*out, buf, *len);
        return VNS_OK;
    }
    return vxs_db_get_value(db, docid, VNS_SLOT_ID, *out, *len, len);
}

vns_status vnsi_results_prefetch(vns_results *r, uint32_t *failed_doc) {
    vnsi_results_free_blobs(r);
    r->reopens = vxs_db_reopens(vnsi_searcher_db(r->s));
    size_t n = res_size(r);
    if (n > VNSI_PREFETCH) n = VNSI_PREFETCH;
    if (r->ids_only && n > r->ids_only) n = r->ids_only;
    r->blobs = calloc(n ? n : 1, sizeof *r->blobs);
    r->blob_lens = calloc(n ? n : 1, sizeof *r->blob_lens);
    if (r->blobs == NULL || r->blob_lens == NULL) return VNS_ENOMEM;
    r->nblobs = n;
    for (size_t i = 0; i < n; i++) {
        *failed_doc = res_docid(r, i);
        vns_status st = r->ids_only ? read_id(vnsi_searcher_db(r->s), *failed_doc, &r->blobs[i],
                                              &r->blob_lens[i])
                                    : vxs_db_get_data(vnsi_searcher_db(r->s), *failed_doc,
                                                      &r->blobs[i], &r->blob_lens[i]);
        if (st != VNS_OK) return st;
    }
    return VNS_OK;
}

vns_status vnsi_results_weigh_words(vns_results *r, uint64_t docs) {
    vnsi_hl_spec *sp = &r->spec;
    if (sp->nwords == 0) return VNS_OK;
    if ((sp->word_weight = calloc(sp->nwords, sizeof *sp->word_weight)) == NULL)
        return vnsi_searcher_fail(r->s, VNS_ENOMEM, "out of memory");
    for (size_t i = 0; i < sp->nwords; i++) {
        uint64_t df = sp->word_df[i];
        unsigned bits = 0;
        for (uint64_t ratio = df ? docs / df : 1; ratio > 1; ratio >>= 1) bits++;
        sp->word_weight[i] = 1 + VNS_SNIPPET_IDF_SCALE * bits;
    }
    return VNS_OK;
}

vns_status vnsi_results_collect_words(vns_results *r) {
    const vnsi_hl_spec *sp = &r->spec;
    size_t n = sp->nwords + sp->nphrase_words;
    r->words = calloc(n ? n : 1, sizeof *r->words);
    if (r->words == NULL) return VNS_ENOMEM;
    for (size_t i = 0, k = 0; i < n; i++) {
        if (i >= sp->nwords) { /* Phrase words: not those of another form of query words. */
            size_t pw = i - sp->nwords;
            while (k + 1 < sp->nphrases && sp->phrase_start[k + 1] <= pw) k++;
            if (sp->phrase_alt && sp->phrase_alt[k]) continue;
        }
        char *w = i < sp->nwords ? sp->words[i] : sp->phrase_words[i - sp->nwords];
        size_t j = 0;
        while (j < r->query_words && strcmp(r->words[j], w) != 0) j++;
        if (j == r->query_words) r->words[r->query_words++] = w;
    }
    return VNS_OK;
}

const char *vns_results_searched_for(const vns_results *r) {
    return r ? r->searched_for : NULL;
}

const char *vns_results_suggestion(const vns_results *r) {
    return r ? r->suggestion : NULL;
}

uint64_t vns_results_total(const vns_results *r) {
    return r ? r->total : 0;
}

int vns_results_total_is_exact(const vns_results *r) {
    return r ? r->total_exact : 0;
}

vns_match vns_results_match(const vns_results *r) {
    return r ? r->match : VNS_MATCH_ALL;
}

size_t vns_results_query_words(const vns_results *r) {
    return r ? r->query_words : 0;
}

/* Whether the searcher was reopened onto a newer revision since r's query read the index: then
 * r must not read it again (its documents may have changed or gone), and the message on the
 * searcher says so. Never fails. */
static int reopened_since(vns_results *r) {
    if (vxs_db_reopens(vnsi_searcher_db(r->s)) == r->reopens) return 0;
    vnsi_searcher_fail(r->s, VNS_EMODIFIED,
                       "the searcher was reopened onto a newer revision of the index after this "
                       "query: run the query again");
    return 1;
}

vns_status vns_results_matched_words(size_t *n, vns_results *r) {
    if (n) *n = 0;
    if (n == NULL || r == NULL || !r->current) return VNS_EINVAL;
    if (!r->matched_known) {
        if (reopened_since(r)) return VNS_EMODIFIED;
        size_t c = 0;
        for (size_t i = 0; i < r->query_words; i++) {
            int has = 0;
            vns_status st = vxs_db_doc_has_term(vnsi_searcher_db(r->s), r->docid, r->words[i],
                                                strlen(r->words[i]), &has);
            if (st != VNS_OK)
                return vnsi_searcher_fail(r->s, st, "%s", vxs_db_errmsg(vnsi_searcher_db(r->s)));
            c += has != 0;
        }
        r->matched = c;
        r->matched_known = 1;
    }
    *n = r->matched;
    return VNS_OK;
}

static void clear_current(vns_results *r) {
    free(r->data);
    free(r->id);
    free(r->title);
    free(r->heading);
    free(r->snippet);
    free(r->marked);
    free(r->hl);
    vnsi_meta_view_free(&r->meta);
    r->data = r->id = r->title = r->heading = r->snippet = r->marked = NULL;
    r->hl = NULL;
    r->nhl = 0;
    r->current = 0;
    r->matched_known = 0;
}

/* The entity for byte c in HTML text, or NULL when c stands for itself. Never fails. */
static const char *html_entity(char c) {
    switch (c) {
    case '&': return "&amp;";
    case '<': return "&lt;";
    case '>': return "&gt;";
    case '"': return "&quot;";
    case '\'': return "&#39;";
    default: return NULL;
    }
}

/* Copies text[0..len) to m + *o (when m is not NULL), as HTML when html; *o grows by the bytes
 * it takes either way (so a first pass with m NULL measures). Never fails. */
static void put_text(char *m, size_t *o, const char *text, size_t len, int html) {
    for (size_t i = 0; i < len; i++) {
        const char *e = html ? html_entity(text[i]) : NULL;
        size_t el = e ? strlen(e) : 1;
        if (m) memcpy(m + *o, e ? e : text + i, el);
        *o += el;
    }
}

/* The snippet (sl bytes) with markers around each highlight, its text escaped for HTML when
 * r->html (the markers never). Returns NULL when out of memory. */
static char *mark_snippet(const vns_results *r, size_t sl) {
    size_t a = strlen(r->hl_start), b = strlen(r->hl_end);
    char *m = NULL;
    size_t o = 0;
    for (int pass = 0; pass < 2; pass++) {
        size_t from = 0;
        o = 0;
        for (size_t i = 0; i < r->nhl; i++) {
            put_text(m, &o, r->snippet + from, r->hl[i].start - from, r->html);
            put_text(m, &o, r->hl_start, a, 0);
            put_text(m, &o, r->snippet + r->hl[i].start, r->hl[i].end - r->hl[i].start, r->html);
            put_text(m, &o, r->hl_end, b, 0);
            from = r->hl[i].end;
        }
        put_text(m, &o, r->snippet + from, sl - from, r->html);
        if (pass == 0 && (m = malloc(o + 1)) == NULL) return NULL;
    }
    m[o] = '\0';
    return m;
}

vns_status vns_results_next(vns_results *r) {
    if (r == NULL) return VNS_EINVAL;
    clear_current(r);
    if (r->next >= res_size(r)) return VNS_DONE;
    size_t i = r->next++;
    uint32_t docid = res_docid(r, i);
    if (i < r->nblobs) {
        /* Prefetched: take it over. */
        r->data = r->blobs[i];
        r->data_len = r->blob_lens[i];
        r->blobs[i] = NULL;
    } else {
        if (reopened_since(r)) return VNS_EMODIFIED;
        vns_status st = vxs_db_get_data(vnsi_searcher_db(r->s), docid, &r->data, &r->data_len);
        if (st != VNS_OK) {
            vnsi_searcher_fail(r->s, st, "%s", vxs_db_errmsg(vnsi_searcher_db(r->s)));
            if (st == VNS_ENETWORK) vnsi_searcher_name_remote(r->s, docid);
            return st;
        }
    }
    if (vnsi_docdata_decode(r->data, r->data_len, &r->doc) != VNS_OK)
        return vnsi_searcher_fail(r->s, VNS_ECORRUPT, "document %u has unreadable data", docid);
    vns_status st = vnsi_meta_unpack(&r->meta, r->doc.meta, r->doc.meta_len);
    if (st != VNS_OK)
        return vnsi_searcher_fail(r->s, st, "document %u: %s", docid,
                                  st == VNS_ENOMEM ? "out of memory" : "unreadable metadata");
    r->id = strndup(r->doc.id, r->doc.id_len);
    r->title = strndup(r->doc.title, r->doc.title_len);
    if (r->id == NULL || r->title == NULL)
        return vnsi_searcher_fail(r->s, VNS_ENOMEM, "out of memory");
    r->score = res_weight(r, i);
    r->docid = docid;
    r->current = 1;
    return VNS_OK;
}

/* Makes the snippet, highlights and heading of the current result, once, on first use: callers
 * that only want ids never pay for them. Returns 0, or -1 (the message is on the searcher). */
static int make_snippet(vns_results *r) {
    if (!r->current) return -1;
    if (r->snippet) return 0;
    char *body = NULL;
    size_t body_len = 0, len = 0;
    vns_status st = vnsi_docdata_body(&r->doc, &body, &body_len);
    if (st != VNS_OK) {
        vnsi_searcher_fail(r->s, st, "document %u: cannot read its stored text", r->docid);
        return -1;
    }
    /* A document with only a title gets its snippet from the title. */
    const char *text = body_len ? body : r->title;
    size_t text_len = body_len ? body_len : r->doc.title_len;
    st = vnsi_snippet_make(vnsi_searcher_analyzer(r->s), &r->spec, text, text_len, r->snippet_words,
                           &r->snippet, &len, &r->hl, &r->nhl);
    if (st == VNS_OK) {
        /* The writer stores a NUL as a space; one in the text (a damaged index) is shown as one
         * too, so that the snippet is a whole C string with its highlights inside it. */
        for (char *z = memchr(r->snippet, '\0', len); z;
             z = memchr(z, '\0', len - (size_t)(z - r->snippet)))
            *z = ' ';
        r->heading = r->doc.title_len ? strndup(r->doc.title, r->doc.title_len)
                                      : vnsi_opening_words(vnsi_searcher_analyzer(r->s), body,
                                                           body_len, HEADING_WORDS);
        r->marked = mark_snippet(r, len);
        if (r->heading == NULL || r->marked == NULL) st = VNS_ENOMEM;
    }
    free(body);
    if (st != VNS_OK) {
        vnsi_searcher_fail(r->s, st, "cannot make the snippet of document %u", r->docid);
        return -1;
    }
    return 0;
}

const char *vns_results_id(const vns_results *r) {
    return r && r->current ? r->id : NULL;
}

const char *vns_results_title(const vns_results *r) {
    return r && r->current ? r->title : NULL;
}

const char *vns_results_heading(vns_results *r) {
    return r && make_snippet(r) == 0 ? r->heading : NULL;
}

double vns_results_score(const vns_results *r) {
    return r && r->current ? r->score : 0.0;
}

size_t vns_results_rank(const vns_results *r) {
    return r && r->current ? r->offset + r->next : 0;
}

const char *vns_results_snippet(vns_results *r) {
    return r && make_snippet(r) == 0 ? r->snippet : NULL;
}

const vns_range *vns_results_highlights(size_t *n, vns_results *r) {
    int ok = r && make_snippet(r) == 0;
    if (n) *n = ok ? r->nhl : 0;
    return ok ? r->hl : NULL;
}

const char *vns_results_snippet_marked(vns_results *r) {
    return r && make_snippet(r) == 0 ? r->marked : NULL;
}

const vns_meta *vns_results_meta(const vns_results *r) {
    return r && r->current ? &r->meta.meta : NULL;
}

vns_status vns_results_facet(const char **value, uint64_t *count, const vns_results *r, vns_facet f,
                             size_t i) {
    if (value == NULL || count == NULL || r == NULL) return VNS_EINVAL;
    if ((int)f < 0 || f >= VNS_FACET_COUNT) return VNS_EINVAL;
    return vnsi_facets_get(r->facets, f, i, value, count);
}

const char *vns_results_errmsg(const vns_results *r) {
    return r ? vns_searcher_errmsg(r->s) : "";
}

void vns_results_free(vns_results *r) {
    if (r == NULL) return;
    clear_current(r);
    vnsi_results_clear_answer(r);
    vnsi_hl_spec_clear(&r->spec);
    free(r->words);
    free(r->searched_for);
    free(r->suggestion);
    vnsi_facets_free(r->facets);
    free(r->hl_start);
    free(r->hl_end);
    vns_searcher *s = r->s;
    free(r);
    vnsi_searcher_release(s);
}
