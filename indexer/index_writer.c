/* index_writer.c: vns_index, the public writer: turns articles into Xapian documents,
 * incrementally. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer.h"
#include "docdata.h"
#include "exact_common.h"
#include "learn.h"
#include "meta.h"
#include "schema.h"
#include "strset.h"
#include "util.h"
#include "vnsearch.h"
#include "xapian_shim.h"

/* Measured on 20,000 VNTC articles (issue 4): batches of 50 took 33.7 s, 120: 27.7 s,
 * 250: 26.2 s, 1,000: 30.5 s, 2,000: 34.2 s, 8,000: 50.2 s (and 337 MB RSS). Xapian's
 * pending-change maps grow faster than a commit costs. */
#define DEFAULT_BATCH_DOCS 250
#define DEFAULT_BATCH_BYTES ((size_t)64 << 20)
/* A term: one prefix byte plus a form of at most VNS_MAX_FORM_BYTES. */
#define TERM_CAP 256

struct vns_index {
    vxs_db *db;
    vxs_db *base; /* vns_index_options.base, read only (NULL: none). */
    vnsi_analyzer *an;
    vnsi_strset seen; /* Ids put through this handle, for vns_index_prune. */
    int old_base;     /* The base holds documents of a schema before VNS_SCHEMA_COMMON_FORMS. */
    int common_forms; /* Writes the common exact forms as N terms (exact_common.h). */
    unsigned batch_docs;
    size_t batch_bytes;
    unsigned pending_docs; /* Changes since the last commit. */
    size_t pending_bytes;
    vns_index_stats stats;
    char err[VXS_ERRLEN + 64];
};

/* Records a formatted message as the handle's last error and returns st. */
#define fail(ix, st, ...) vnsi_errbuf_set((ix)->err, sizeof(ix)->err, (st), __VA_ARGS__)

/* Copies the shim's message for a failed call on db (ix's own or its base). */
static vns_status shim_fail_db(vns_index *ix, vxs_db *db, vns_status st) {
    return fail(ix, st, "%s", vxs_db_errmsg(db));
}

/* Copies the shim's message for a failed call on ix's own database. */
static vns_status shim_fail(vns_index *ix, vns_status st) {
    return shim_fail_db(ix, ix->db, st);
}

/* Refuses an id that has the form of a long id's stored term (docs/schema.md): it could replace
 * or delete another document. Returns VNS_EINVAL. */
static vns_status reserved_id(vns_index *ix, const char *id) {
    int shown = (int)vnsi_utf8_floor(id, strlen(id), 40);
    return fail(ix, VNS_EINVAL,
                "id %.*s... ends in '#' and 16 hex digits at the length vnsearch stores ids over "
                "239 bytes as, so it could stand for another document: change its last 17 bytes",
                shown, id);
}

vns_status vns_index_options_init(vns_index_options *opts, unsigned version) {
    if (opts == NULL || version == 0 || version > VNS_INDEX_OPTIONS_VERSION) return VNS_EINVAL;
    vns_index_options def = VNS_INDEX_OPTIONS_INIT;
    def.version = version;
    /* Only the fields of that version: an older caller's struct is shorter. */
    memcpy(opts, &def,
           version >= 3   ? sizeof def
           : version == 2 ? offsetof(vns_index_options, base)
                          : offsetof(vns_index_options, scratch));
    return VNS_OK;
}

/* Opens the index at path for reading as ix's base (vns_index_options.base), which must be a
 * vnsearch index of this schema. Returns VNS_OK, or the failure with its message in msg
 * (VXS_ERRLEN bytes). */
static vns_status open_base(vns_index *ix, const char *path, char *msg) {
    char inner[VXS_ERRLEN] = "";
    vns_status st = vxs_db_open_read(&ix->base, &path, 1, inner);
    char *schema = NULL;
    uint64_t docs = 0;
    if (st == VNS_OK && (st = vxs_db_get_metadata(ix->base, VNS_META_SCHEMA, &schema)) == VNS_OK &&
        (st = vxs_db_doc_count(ix->base, &docs)) == VNS_OK) {
        st = vnsi_schema_check(schema, docs, inner, sizeof inner);
        ix->old_base = docs > 0 && schema && strtol(schema, NULL, 10) < VNS_SCHEMA_COMMON_FORMS;
    } else if (st != VNS_OK && ix->base)
        snprintf(inner, sizeof inner, "%s", vxs_db_errmsg(ix->base));
    free(schema);
    if (st != VNS_OK) snprintf(msg, VXS_ERRLEN, "its base %.200s: %.250s", path, inner);
    return st;
}

vns_status vns_index_open(vns_index **out, const char *path, const vns_index_options *opts,
                          char *errbuf, size_t errlen) {
    if (out == NULL) return vnsi_errbuf_set(errbuf, errlen, VNS_EINVAL, "no handle to open into");
    *out = NULL;
    if (path == NULL || *path == '\0')
        return vnsi_errbuf_set(errbuf, errlen, VNS_EINVAL, "no index path given");
    vns_index_options def = VNS_INDEX_OPTIONS_INIT;
    if (opts == NULL) opts = &def;
    if (opts->version == 0 || opts->version > VNS_INDEX_OPTIONS_VERSION)
        return vnsi_errbuf_set(errbuf, errlen, VNS_EINVAL,
                               "vns_index_options version %u is not one this library knows "
                               "(1 to %d): start from VNS_INDEX_OPTIONS_INIT",
                               opts->version, VNS_INDEX_OPTIONS_VERSION);
    vns_index *ix = calloc(1, sizeof *ix);
    if (ix == NULL) return vnsi_errbuf_set(errbuf, errlen, VNS_ENOMEM, "%s: out of memory", path);
    ix->batch_docs = opts->batch_docs ? opts->batch_docs : DEFAULT_BATCH_DOCS;
    ix->batch_bytes = opts->batch_bytes ? opts->batch_bytes : DEFAULT_BATCH_BYTES;

    char msg[VXS_ERRLEN] = "";
    vns_status st = vnsi_analyzer_new(&ix->an);
    if (st != VNS_OK) {
        snprintf(msg, sizeof msg, "cannot start the ICU analyzer");
        goto fail;
    }
    int flags = (opts->create ? VXS_CREATE : 0) | (opts->wait_for_lock ? VXS_WAIT_LOCK : 0);
    if (opts->version >= 2 && opts->scratch) flags |= VXS_SCRATCH;
    st = vxs_db_open_write(&ix->db, path, flags, msg);
    if (st != VNS_OK) goto fail;
    if (opts->version >= 3 && opts->base && (st = open_base(ix, opts->base, msg)) != VNS_OK)
        goto fail;

    /* A new index records its schema; a database of another schema, or of none while it holds
     * documents (not ours), is refused, not mixed. */
    char *schema = NULL;
    uint64_t docs = 0;
    st = vxs_db_get_metadata(ix->db, VNS_META_SCHEMA, &schema);
    if (st == VNS_OK) st = vxs_db_doc_count(ix->db, &docs);
    if (st != VNS_OK) {
        free(schema);
        snprintf(msg, sizeof msg, "%s", vxs_db_errmsg(ix->db));
        goto fail;
    }
    st = vnsi_schema_check(schema, docs, msg, sizeof msg);
    /* An index of an older schema this library writes (VNS_SCHEMA_OLDEST) is one of this
     * schema without its new parts: it records this one, so that older libraries, which could
     * not read what this one writes, refuse it. But documents of schema 2 or 3 hold every exact
     * form as an E term, and an index holding them (or a part merged into one) keeps doing so
     * and records 3: the searcher reads one layout per index (docs/schema.md). An empty index
     * takes the layout it will be written in. */
    long have = schema ? strtol(schema, NULL, 10) : 0;
    long want = VNS_SCHEMA_VERSION;
    if ((docs > 0 && have < VNS_SCHEMA_COMMON_FORMS) || (docs == 0 && ix->old_base))
        want = VNS_SCHEMA_COMMON_FORMS - 1;
    if (st == VNS_OK && have != want && (have < want || docs == 0)) {
        char v[16];
        snprintf(v, sizeof v, "%ld", want);
        st = vxs_db_set_metadata(ix->db, VNS_META_SCHEMA, v);
        if (st != VNS_OK) snprintf(msg, sizeof msg, "%s", vxs_db_errmsg(ix->db));
    }
    ix->common_forms = want >= VNS_SCHEMA_COMMON_FORMS;
    free(schema);
    if (st != VNS_OK) goto fail;
    *out = ix;
    return VNS_OK;

fail:
    vnsi_errbuf_set(errbuf, errlen, st, "%s: %s", path, msg);
    vxs_db_close(ix->base);
    vxs_db_abandon(ix->db);
    vnsi_analyzer_free(ix->an);
    free(ix);
    return st;
}

/* State while turning one article into a document. */
typedef struct build_ctx {
    vxs_doc *doc;
    int common_forms; /* vns_index.common_forms. */
    /* Per entry of the common forms (exact_common.h): the occurrences of its folded word in the
     * document (in any form), and of its form. */
    uint32_t fold_n[VNSI_COMMON_FORMS_MAX], form_n[VNSI_COMMON_FORMS_MAX];
    int title; /* Non-zero while analyzing the title. */
    uint32_t last_pos;
    vnsi_learn learn; /* Abbreviations defined in the field (learn.h). */
    char term[TERM_CAP];
} build_ctx;

/* Records in the document that it defines abbreviation key as phrase: one boolean term each
 * way, "A" key TAB phrase (docs/schema.md); a pair too long for a term is left out. */
static void learn_pair(build_ctx *b, const char *key, const char *phrase) {
    char term[TERM_CAP];
    int n = snprintf(term, sizeof term, "%s%s\t%s", VNS_PREFIX_ABBR, key, phrase);
    if (n < 0 || n > VNS_MAX_FORM_BYTES) return;
    vxs_doc_add_boolean_term(b->doc, term, (size_t)n);
    n = snprintf(term, sizeof term, "%s%s\t%s", VNS_PREFIX_ABBR, phrase, key);
    vxs_doc_add_boolean_term(b->doc, term, (size_t)n);
}

static int add_token(const vnsi_token *tok, void *p) {
    build_ctx *b = p;
    char key[VNSI_LEARN_CAP], phrase[VNSI_LEARN_CAP];
    if (vnsi_learn_token(&b->learn, tok, key, phrase)) learn_pair(b, key, phrase);
    vxs_doc_add_posting(b->doc, tok->folded, tok->folded_len, tok->pos);
    if (b->title) {
        b->term[0] = VNS_PREFIX_TITLE[0];
        memcpy(b->term + 1, tok->folded, tok->folded_len);
        vxs_doc_add_posting(b->doc, b->term, tok->folded_len + 1, tok->pos);
    }
    /* A common exact form is counted here and written by add_common_forms. */
    int common = 0;
    size_t first = 0,
           n = b->common_forms ? vnsi_common_by_fold(tok->folded, tok->folded_len, &first) : 0;
    for (size_t i = first; i < first + n; i++) {
        const char *form = vnsi_common_entry(i)->form;
        b->fold_n[i]++;
        if (strlen(form) == tok->exact_len && memcmp(form, tok->exact, tok->exact_len) == 0) {
            b->form_n[i]++;
            common = 1;
        }
    }
    /* The exact layer is only read for words typed with diacritics, whose exact form always
     * differs from the folded one: a word whose forms are equal needs no E term. */
    if (!common &&
        (tok->exact_len != tok->folded_len || memcmp(tok->exact, tok->folded, tok->folded_len))) {
        b->term[0] = VNS_PREFIX_EXACT[0];
        memcpy(b->term + 1, tok->exact, tok->exact_len);
        vxs_doc_add_term(b->doc, b->term, tok->exact_len + 1, 1);
    }
    b->last_pos = tok->pos;
    return 0;
}

/* Writes the common forms of the folded words the document holds (exact_common.h): nothing
 * for a word held only in its common form, the boolean term N + form where the form is absent,
 * and its E term (wdf: its occurrences) where the word is held in that form and others, so that
 * the searcher weighs the form by its own occurrences there. The occurrences left without an E
 * term go to the L term's wdf: the document's length (the sum of its wdfs, which BM25
 * normalizes by) stays what it is with every form an E term. Never fails. */
static void add_common_forms(build_ctx *b) {
    char term[TERM_CAP];
    uint32_t unwritten = 0;
    for (size_t i = 0; b->common_forms && i < vnsi_common_count(); i++) {
        if (b->fold_n[i] == 0) continue;
        if (b->form_n[i] == b->fold_n[i]) {
            unwritten += b->form_n[i];
            continue;
        }
        int absent = b->form_n[i] == 0;
        int n = snprintf(term, sizeof term, "%s%s", absent ? VNS_PREFIX_ABSENT : VNS_PREFIX_EXACT,
                         vnsi_common_entry(i)->form);
        if (absent)
            vxs_doc_add_boolean_term(b->doc, term, (size_t)n);
        else
            vxs_doc_add_term(b->doc, term, (size_t)n, b->form_n[i]);
    }
    if (unwritten > 0)
        vxs_doc_add_term(b->doc, VNS_PREFIX_LENGTH, strlen(VNS_PREFIX_LENGTH), unwritten);
}

/* The content hash: VNS_HASH_SCHEMA, title and body, and the metadata fields when there are
 * any (an article without metadata keeps the hash schema 2 gave it), as 16 hex digits. */
static void content_hash(const char *title, size_t title_len, const char *meta, size_t meta_len,
                         const char *body, size_t body_len, char out[17]) {
    uint64_t h = VNSI_FNV_SEED;
    int schema = VNS_HASH_SCHEMA;
    uint64_t tl = title_len;
    h = vnsi_fnv1a(h, &schema, sizeof schema);
    h = vnsi_fnv1a(h, &tl, sizeof tl);
    h = vnsi_fnv1a(h, title, title_len);
    h = vnsi_fnv1a(h, body, body_len);
    if (meta_len > 0) {
        uint64_t ml = meta_len;
        h = vnsi_fnv1a(h, &ml, sizeof ml);
        h = vnsi_fnv1a(h, meta, meta_len);
    }
    snprintf(out, 17, "%016llx", (unsigned long long)h);
}

/* An article's metadata made ready to store: the fields blob (docdata.h) and what the terms
 * and values need. Strings are malloc'd (invalid UTF-8 replaced); freed by meta_free. */
typedef struct meta_build {
    char *blob;
    size_t len, cap;
    int has_date;
    int64_t secs;
    char *source, *topic, *url;
    char **tags;
    size_t ntags;
} meta_build;

static void meta_free(meta_build *m) {
    free(m->blob);
    free(m->source);
    free(m->topic);
    free(m->url);
    for (size_t i = 0; m->tags && i < m->ntags; i++) free(m->tags[i]);
    free(m->tags);
    memset(m, 0, sizeof *m);
}

/* A field's value sanitized into *out (NULL when absent or empty) and appended to the blob.
 * Returns VNS_OK or VNS_ENOMEM. */
static vns_status meta_field(vns_index *ix, meta_build *m, char tag, const char *value,
                             char **out) {
    *out = NULL;
    if (value == NULL || value[0] == '\0') return VNS_OK;
    size_t len = 0, bad = 0;
    if ((*out = vnsi_utf8_sanitize(value, strlen(value), &len, &bad)) == NULL) return VNS_ENOMEM;
    ix->stats.invalid_utf8 += bad;
    return vnsi_meta_append(&m->blob, &m->len, &m->cap, tag, *out, len);
}

/* Reads d->meta (version 2) into m. Returns VNS_OK, VNS_EINVAL (a date that does not parse,
 * tags NULL with ntags) or VNS_ENOMEM, with the message on ix. */
static vns_status meta_read(vns_index *ix, const vns_doc *d, meta_build *m) {
    memset(m, 0, sizeof *m);
    if (d->version < 2) return VNS_OK;
    const vns_meta *in = &d->meta;
    if (in->ntags > 0 && in->tags == NULL)
        return fail(ix, VNS_EINVAL, "document %s: meta.tags is NULL with ntags %zu", d->id,
                    in->ntags);
    vns_status st = VNS_OK;
    if (in->date && in->date[0]) {
        char canon[VNSI_DATE_CAP];
        const char *why = "";
        if (vnsi_date_parse(in->date, strlen(in->date), &m->secs, canon, &why) < 0) {
            int shown = (int)vnsi_utf8_floor(in->date, strlen(in->date), 40);
            return fail(ix, VNS_EINVAL, "document %s: date \"%.*s\" does not parse: %s", d->id,
                        shown, in->date, why);
        }
        m->has_date = 1;
        st = vnsi_meta_append(&m->blob, &m->len, &m->cap, VNSI_META_DATE, canon, strlen(canon));
    }
    if (st == VNS_OK) st = meta_field(ix, m, VNSI_META_SOURCE, in->source, &m->source);
    if (st == VNS_OK) st = meta_field(ix, m, VNSI_META_TOPIC, in->topic, &m->topic);
    if (st == VNS_OK) st = meta_field(ix, m, VNSI_META_URL, in->url, &m->url);
    if (st == VNS_OK && in->ntags > 0 && (m->tags = calloc(in->ntags, sizeof *m->tags)) == NULL)
        st = VNS_ENOMEM;
    for (size_t i = 0; st == VNS_OK && i < in->ntags; i++) {
        char *t = NULL;
        st = meta_field(ix, m, VNSI_META_TAG, in->tags[i], &t);
        if (t) m->tags[m->ntags++] = t;
    }
    if (st != VNS_OK) return fail(ix, st, "out of memory for the metadata of document %s", d->id);
    return VNS_OK;
}

/* Sets the sort keys of a document (VNS_SLOT_NEWEST, VNS_SLOT_OLDEST), both sorted descending:
 * for a dated one the date key (newest) or its bytes inverted (oldest), for an undated one a
 * single 0 byte (below every date key either way: undated articles last); then the id's bytes
 * inverted and a 0xFF end (above any inverted id byte, which is never 0xFF: ids hold no NUL), so
 * that equal dates, and undated articles, are in id order ("a" before "ab") on one index and
 * on shards alike. key is NULL for an undated document. Returns VNS_OK or VNS_ENOMEM. */
static vns_status sort_keys(vxs_doc *doc, const unsigned char *key, const char *id) {
    size_t id_len = strlen(id), head = key ? VNSI_DATE_KEY_LEN : 1;
    unsigned char *k = malloc(head + id_len + 1);
    if (k == NULL) return VNS_ENOMEM;
    for (size_t i = 0; i < id_len; i++) k[head + i] = (unsigned char)~id[i];
    k[head + id_len] = 0xFF;
    if (key == NULL) {
        k[0] = 0;
        vxs_doc_set_value(doc, VNS_SLOT_NEWEST, (const char *)k, head + id_len + 1);
        vxs_doc_set_value(doc, VNS_SLOT_OLDEST, (const char *)k, head + id_len + 1);
        free(k);
        return VNS_OK;
    }
    memcpy(k, key, VNSI_DATE_KEY_LEN);
    vxs_doc_set_value(doc, VNS_SLOT_NEWEST, (const char *)k, head + id_len + 1);
    for (size_t i = 0; i < VNSI_DATE_KEY_LEN; i++) k[i] = (unsigned char)~key[i];
    vxs_doc_set_value(doc, VNS_SLOT_OLDEST, (const char *)k, head + id_len + 1);
    free(k);
    return VNS_OK;
}

/* Appends value (len bytes) to out at *o, its separator bytes written as spaces. */
static void put_field(char *out, size_t *o, const char *value, size_t len) {
    for (size_t k = 0; k < len; k++)
        out[(*o)++] = value[k] == VNSI_TAG_SEP || value[k] == VNSI_FIELD_SEP ? ' ' : value[k];
}

/* Adds m's filter terms and value slots to the document of id. Returns VNS_OK or VNS_ENOMEM. */
static vns_status meta_store(vns_index *ix, const meta_build *m, const char *id, vxs_doc *doc) {
    char term[VNSI_META_TERM_CAP];
    char month[VNSI_MONTH_CAP] = "";
    if (m->has_date) {
        unsigned char key[VNSI_DATE_KEY_LEN];
        vnsi_date_key(m->secs, key);
        vnsi_date_month(m->secs, month);
        vxs_doc_set_value(doc, VNS_SLOT_DATE, (const char *)key, sizeof key);
        if (sort_keys(doc, key, id) != VNS_OK) return VNS_ENOMEM;
    } else if (sort_keys(doc, NULL, id) != VNS_OK) {
        return VNS_ENOMEM;
    }
    if (m->has_date) {
        char y[VNSI_DATE_TERM_CAP], mo[VNSI_DATE_TERM_CAP], d[VNSI_DATE_TERM_CAP];
        vnsi_date_terms(m->secs, y, mo, d);
        vxs_doc_add_boolean_term(doc, y, strlen(y));
        vxs_doc_add_boolean_term(doc, mo, strlen(mo));
        vxs_doc_add_boolean_term(doc, d, strlen(d));
    }
    const char *fields[2] = {m->source, m->topic};
    const char *prefixes[2] = {VNS_PREFIX_META_SOURCE, VNS_PREFIX_META_TOPIC};
    size_t total = strlen(month) + 4;
    for (int i = 0; i < 2; i++) {
        if (fields[i] == NULL) continue;
        size_t n =
            vnsi_meta_term(ix->an, prefixes[i], fields[i], strlen(fields[i]), term, sizeof term);
        if (n) vxs_doc_add_boolean_term(doc, term, n);
        total += strlen(fields[i]);
    }
    for (size_t i = 0; i < m->ntags; i++) {
        size_t l = strlen(m->tags[i]), n;
        n = vnsi_meta_term(ix->an, VNS_PREFIX_META_TAG, m->tags[i], l, term, sizeof term);
        if (n) vxs_doc_add_boolean_term(doc, term, n);
        total += l + 1;
    }
    if (!m->has_date && !m->source && !m->topic && m->ntags == 0) return VNS_OK;
    /* The facets' slot: month, source, topic, tags. */
    char *v = malloc(total);
    if (v == NULL) return VNS_ENOMEM;
    size_t o = 0;
    put_field(v, &o, month, strlen(month));
    for (int i = 0; i < 2; i++) {
        v[o++] = VNSI_FIELD_SEP;
        if (fields[i]) put_field(v, &o, fields[i], strlen(fields[i]));
    }
    v[o++] = VNSI_FIELD_SEP;
    for (size_t i = 0; i < m->ntags; i++) {
        if (i) v[o++] = VNSI_TAG_SEP;
        put_field(v, &o, m->tags[i], strlen(m->tags[i]));
    }
    vxs_doc_set_value(doc, VNS_SLOT_FACETS, v, o);
    free(v);
    return VNS_OK;
}

/* Commits when the batch is full. */
static vns_status maybe_commit(vns_index *ix, size_t bytes) {
    ix->pending_docs++;
    ix->pending_bytes += bytes;
    if (ix->pending_docs < ix->batch_docs && ix->pending_bytes < ix->batch_bytes) return VNS_OK;
    return vns_index_commit(ix);
}

/* Analyzes one field into the document; updates the stats. */
static vns_status analyze_field(vns_index *ix, build_ctx *b, const char *text, size_t len,
                                uint32_t first_pos) {
    vnsi_analyze_stats as;
    vnsi_learn_field(&b->learn, text);
    vns_status st = vnsi_analyze(ix->an, text, len, first_pos, add_token, b, &as);
    if (st != VNS_OK) return fail(ix, st, "analyzer: %s", vnsi_analyzer_errmsg(ix->an));
    ix->stats.truncated += as.truncated;
    ix->stats.bytes += len;
    return VNS_OK;
}

vns_status vns_index_put(vns_put_result *out, vns_index *ix, const vns_doc *d) {
    if (ix == NULL) return VNS_EINVAL;
    if (d == NULL) return fail(ix, VNS_EINVAL, "no document given");
    if (d->version == 0 || d->version > VNS_DOC_VERSION)
        return fail(ix, VNS_EINVAL,
                    "vns_doc version %u is not one this library knows (1 to %d): start from "
                    "VNS_DOC_INIT",
                    d->version, VNS_DOC_VERSION);
    if (d->id == NULL || d->id[0] == '\0') return fail(ix, VNS_EINVAL, "document has no id");
    /* Ids are given back as they are (in JSON too): one that is not UTF-8 could not round-trip. */
    if (vnsi_utf8_count_invalid(d->id, strlen(d->id)) > 0)
        return fail(ix, VNS_EENCODING,
                    "document id is not valid UTF-8 (a file name in another encoding?): rename "
                    "it or convert it to UTF-8");
    if (vnsi_id_is_reserved(d->id, strlen(d->id))) return reserved_id(ix, d->id);
    if (d->body == NULL && d->body_len > 0) return fail(ix, VNS_EINVAL, "body is NULL");
    if (d->title == NULL && d->title_len > 0) return fail(ix, VNS_EINVAL, "title is NULL");
    if (d->body_len == 0 && d->title_len == 0)
        return fail(ix, VNS_EINVAL, "document %s has neither title nor body", d->id);

    vns_status st = VNS_OK;
    char *title = NULL, *body = NULL, *data = NULL;
    vxs_doc *doc = NULL;
    size_t id_len = strlen(d->id), title_len = 0, body_len = 0, data_len = 0, nbad = 0;
    size_t bad_title = 0;
    meta_build meta;
    if ((st = meta_read(ix, d, &meta)) != VNS_OK) goto done;

    /* Invalid UTF-8 and NULs are replaced before anything else, so the stored text is exactly the
     * analyzed text and snippet offsets always slice it. */
    title = vnsi_utf8_sanitize(d->title ? d->title : "", d->title_len, &title_len, &bad_title);
    body = vnsi_utf8_sanitize(d->body ? d->body : "", d->body_len, &body_len, &nbad);
    if (title == NULL || body == NULL) {
        st = fail(ix, VNS_ENOMEM, "out of memory for document %s", d->id);
        goto done;
    }
    ix->stats.invalid_utf8 += nbad + bad_title;

    if (vnsi_strset_add(&ix->seen, d->id, id_len) < 0) {
        st = fail(ix, VNS_ENOMEM, "out of memory");
        goto done;
    }
    char qterm[VNS_ID_TERM_CAP], hash[17], old[17];
    size_t qlen = vnsi_id_term(d->id, id_len, qterm), old_len = 0;
    content_hash(title, title_len, meta.blob, meta.len, body, body_len, hash);

    /* The id in this index, else in its base (whose version this one's replaces when merged). */
    uint32_t docid = 0, base_docid = 0;
    vxs_db *holder = ix->db;
    st = vxs_db_find_term(ix->db, qterm, qlen, &docid);
    if (st == VNS_OK && docid == 0 && ix->base) {
        holder = ix->base;
        st = vxs_db_find_term(ix->base, qterm, qlen, &base_docid);
    }
    if (st != VNS_OK) {
        shim_fail_db(ix, holder, st);
        goto done;
    }
    if (docid || base_docid) {
        uint32_t held = docid ? docid : base_docid;
        st = vxs_db_get_value(holder, held, VNS_SLOT_HASH, old, sizeof old, &old_len);
        int same = st == VNS_OK && old_len == 16 && memcmp(old, hash, 16) == 0;
        /* The same text from another source (its folder moved, copied or restored elsewhere):
         * rewritten with the new source's term, so that pruning that source finds it. */
        if (same && d->source && d->source[0]) {
            char rterm[VNS_SOURCE_TERM_CAP];
            size_t rlen = vnsi_source_term(d->source, rterm);
            st = vxs_db_doc_has_term(holder, held, rterm, rlen, &same);
        }
        if (st != VNS_OK) {
            shim_fail_db(ix, holder, st);
            goto done;
        }
        if (same) {
            if (out) *out = VNS_PUT_UNCHANGED;
            goto done;
        }
    }

    doc = vxs_doc_new();
    if (doc == NULL) {
        st = fail(ix, VNS_ENOMEM, "out of memory");
        goto done;
    }
    build_ctx b = {.doc = doc, .common_forms = ix->common_forms, .title = 1, .last_pos = 0};
    if ((st = analyze_field(ix, &b, title, title_len, 1)) != VNS_OK) goto done;
    b.title = 0;
    if ((st = analyze_field(ix, &b, body, body_len, b.last_pos + VNS_TITLE_BODY_GAP)) != VNS_OK)
        goto done;
    add_common_forms(&b);

    vxs_doc_add_boolean_term(doc, qterm, qlen);
    if (d->source && d->source[0]) {
        char rterm[VNS_SOURCE_TERM_CAP];
        vxs_doc_add_boolean_term(doc, rterm, vnsi_source_term(d->source, rterm));
    }
    vxs_doc_set_value(doc, VNS_SLOT_HASH, hash, 16);
    vxs_doc_set_value(doc, VNS_SLOT_ID, d->id, id_len);
    if ((st = meta_store(ix, &meta, d->id, doc)) != VNS_OK) {
        fail(ix, st, "out of memory for the metadata of document %s", d->id);
        goto done;
    }
    st = vnsi_docdata_encode(d->id, id_len, title, title_len, meta.blob, meta.len, body, body_len,
                             &data, &data_len);
    if (st != VNS_OK) {
        fail(ix, st, "out of memory for the data of document %s", d->id);
        goto done;
    }
    vxs_doc_set_data(doc, data, data_len);
    st = vxs_db_replace(ix->db, qterm, qlen, doc);
    if (st != VNS_OK) goto shim_failed;
    if (out) *out = docid || base_docid ? VNS_PUT_UPDATED : VNS_PUT_ADDED;
    st = maybe_commit(ix, title_len + body_len);
    goto done;

shim_failed:
    shim_fail(ix, st);
done:
    meta_free(&meta);
    vxs_doc_free(doc);
    free(data);
    free(title);
    free(body);
    return st;
}

vns_status vns_index_delete(vns_index *ix, const char *id) {
    if (ix == NULL) return VNS_EINVAL;
    if (id == NULL || id[0] == '\0') return fail(ix, VNS_EINVAL, "no id given");
    if (vnsi_id_is_reserved(id, strlen(id))) return reserved_id(ix, id);
    char qterm[VNS_ID_TERM_CAP];
    size_t qlen = vnsi_id_term(id, strlen(id), qterm);
    uint32_t docid = 0;
    vns_status st = vxs_db_find_term(ix->db, qterm, qlen, &docid);
    if (st != VNS_OK) return shim_fail(ix, st);
    if (docid == 0) return fail(ix, VNS_ENOTFOUND, "no document with id %s", id);
    st = vxs_db_delete(ix->db, qterm, qlen);
    if (st != VNS_OK) return shim_fail(ix, st);
    return maybe_commit(ix, 0);
}

/* State while deleting many documents (prune, delete_prefix). */
typedef struct delete_ctx {
    vns_index *ix;
    uint64_t deleted;
    vns_status st;
    /* delete_prefix with a prefix longer than the part of an id every Q term keeps: each
     * candidate's whole id is compared with the whole prefix (NULL: the terms tell). */
    const char *prefix;
    size_t prefix_len;
    vns_id_filter_fn filter; /* vns_index_delete_prefix_if's (NULL: every id deleted). */
    void *filter_ctx;
} delete_ctx;

static int prune_one(uint32_t docid, const char *id, size_t len, void *p) {
    delete_ctx *c = p;
    if (vnsi_strset_has(&c->ix->seen, id, len)) return 0;
    c->st = vxs_db_delete_docid(c->ix->db, docid);
    if (c->st != VNS_OK) {
        shim_fail(c->ix, c->st);
        return 1;
    }
    c->st = maybe_commit(c->ix, 0);
    if (c->st != VNS_OK) return 1;
    c->deleted++;
    return 0;
}

vns_status vns_index_prune(uint64_t *deleted, vns_index *ix, const char *source) {
    if (ix == NULL) return VNS_EINVAL;
    if (deleted) *deleted = 0;
    if (source == NULL || source[0] == '\0') return fail(ix, VNS_EINVAL, "no source given");
    char rterm[VNS_SOURCE_TERM_CAP];
    size_t n = vnsi_source_term(source, rterm);
    delete_ctx c = {.ix = ix, .st = VNS_OK};
    vns_status st = vxs_db_each_posting(ix->db, rterm, n, VNS_SLOT_ID, prune_one, &c);
    if (deleted) *deleted = c.deleted;
    if (st != VNS_OK) return shim_fail(ix, st);
    return c.st;
}

/* Records in c the deletion of one document of delete_prefix, whose status is st: counts it and
 * commits when a batch is full. Returns non-zero on failure (in c->st, the message on c->ix). */
static int prefix_deleted(delete_ctx *c, vns_status st) {
    c->st = st;
    if (c->st != VNS_OK) {
        shim_fail(c->ix, c->st);
        return 1;
    }
    c->deleted++;
    c->st = maybe_commit(c->ix, 0);
    return c->st != VNS_OK;
}

/* vxs_posting_fn of delete_prefix's check: deletes docid when its whole id (value slot
 * VNS_SLOT_ID) starts with the whole prefix and the filter, if any, wants it. Returns non-zero
 * on failure (in c->st). */
static int delete_if_prefixed(uint32_t docid, const char *id, size_t len, void *p) {
    delete_ctx *c = p;
    if (c->prefix && (len < c->prefix_len || memcmp(id, c->prefix, c->prefix_len) != 0)) return 0;
    if (c->filter && !c->filter(id, c->filter_ctx)) return 0;
    return prefix_deleted(c, vxs_db_delete_docid(c->ix->db, docid));
}

/* vxs_term_fn of delete_prefix: deletes the document of the Q term, or when the prefix is longer
 * than the terms keep or a filter decides, checks its whole id first. Returns non-zero on
 * failure (in c->st). */
static int delete_term(const char *term, size_t len, void *p) {
    delete_ctx *c = p;
    if (c->prefix || c->filter) {
        vns_status st =
            vxs_db_each_posting(c->ix->db, term, len, VNS_SLOT_ID, delete_if_prefixed, c);
        if (st != VNS_OK) c->st = shim_fail(c->ix, st);
        return c->st != VNS_OK;
    }
    return prefix_deleted(c, vxs_db_delete(c->ix->db, term, len));
}

/* vns_index_delete_prefix and _if: filter NULL deletes every id with the prefix. */
static vns_status delete_prefix(uint64_t *deleted, vns_index *ix, const char *prefix,
                                vns_id_filter_fn filter, void *ctx) {
    if (deleted) *deleted = 0;
    if (ix == NULL) return VNS_EINVAL;
    if (prefix == NULL || prefix[0] == '\0') return fail(ix, VNS_EINVAL, "no prefix given");
    /* Every Q term keeps at least an id's first VNS_ID_TERM_KEEP - 3 bytes (vnsi_id_term cuts a
     * long id before a character that byte VNS_ID_TERM_KEEP would split): a prefix that long
     * finds its ids by their terms alone; a longer one finds candidates by that much of it, then
     * checks each whole id. */
    char qterm[VNS_ID_TERM_CAP];
    size_t plen = strlen(prefix), keep = plen;
    delete_ctx c = {.ix = ix, .st = VNS_OK, .filter = filter, .filter_ctx = ctx};
    if (plen > VNS_ID_TERM_KEEP - 3) {
        keep = VNS_ID_TERM_KEEP - 3;
        c.prefix = prefix;
        c.prefix_len = plen;
    }
    qterm[0] = VNS_PREFIX_ID[0];
    memcpy(qterm + 1, prefix, keep);
    vns_status st = vxs_db_each_term(ix->db, qterm, keep + 1, delete_term, &c);
    if (deleted) *deleted = c.deleted;
    if (st != VNS_OK) return shim_fail(ix, st);
    return c.st;
}

vns_status vns_index_delete_prefix(uint64_t *deleted, vns_index *ix, const char *prefix) {
    return delete_prefix(deleted, ix, prefix, NULL, NULL);
}

vns_status vns_index_delete_prefix_if(uint64_t *deleted, vns_index *ix, const char *prefix,
                                      vns_id_filter_fn filter, void *ctx) {
    if (deleted) *deleted = 0;
    if (ix == NULL) return VNS_EINVAL;
    if (filter == NULL) return fail(ix, VNS_EINVAL, "no filter given");
    return delete_prefix(deleted, ix, prefix, filter, ctx);
}

vns_status vns_index_touch(vns_index *ix, const char *id) {
    if (ix == NULL || id == NULL) return VNS_EINVAL;
    if (vnsi_strset_add(&ix->seen, id, strlen(id)) < 0)
        return fail(ix, VNS_ENOMEM, "out of memory");
    return VNS_OK;
}

vns_status vns_index_commit(vns_index *ix) {
    if (ix == NULL) return VNS_EINVAL;
    vns_status st = vxs_db_commit(ix->db);
    if (st != VNS_OK) return shim_fail(ix, st);
    ix->pending_docs = 0;
    ix->pending_bytes = 0;
    return VNS_OK;
}

vns_status vns_index_doc_count(uint64_t *out, vns_index *ix) {
    if (out) *out = 0;
    if (out == NULL || ix == NULL) return VNS_EINVAL;
    vns_status st = vxs_db_doc_count(ix->db, out);
    if (st != VNS_OK) {
        *out = 0;
        return shim_fail(ix, st);
    }
    return VNS_OK;
}

vns_status vns_index_get_stats(vns_index_stats *out, const vns_index *ix) {
    if (out == NULL || ix == NULL) return VNS_EINVAL;
    /* Version 1 is every field there is today; a later version copies only what the caller's
     * version has. */
    if (out->version == 0 || out->version > VNS_INDEX_STATS_VERSION) return VNS_EINVAL;
    out->invalid_utf8 = ix->stats.invalid_utf8;
    out->truncated = ix->stats.truncated;
    out->bytes = ix->stats.bytes;
    return VNS_OK;
}

const char *vns_index_errmsg(const vns_index *ix) {
    return ix ? ix->err : "";
}

vns_status vns_index_close(vns_index *ix) {
    if (ix == NULL) return VNS_OK;
    vns_status st = vxs_db_close(ix->db);
    vxs_db_close(ix->base);
    vnsi_analyzer_free(ix->an);
    vnsi_strset_clear(&ix->seen);
    free(ix);
    return st;
}

void vns_index_abandon(vns_index *ix) {
    if (ix == NULL) return;
    vxs_db_abandon(ix->db);
    vxs_db_close(ix->base);
    vnsi_analyzer_free(ix->an);
    vnsi_strset_clear(&ix->seen);
    free(ix);
}

/* An id term that more than one document of a merged index holds (malloc'd, len bytes). */
typedef struct dup_id {
    char *term;
    size_t len;
} dup_id;

/* The id terms that more than one document of a merged index holds; failed set when out of
 * memory. */
typedef struct dup_ids {
    dup_id *ids;
    size_t n, cap;
    int failed;
} dup_ids;

/* vxs_term_freq_fn: keeps an id term that several documents hold. Returns non-zero (stop) when
 * out of memory. */
static int note_dup(const char *term, size_t len, uint64_t docs, void *p) {
    dup_ids *d = p;
    if (docs < 2) return 0;
    char *copy = malloc(len ? len : 1);
    if (copy == NULL || vnsi_grow(&d->ids, &d->cap, d->n + 1, sizeof *d->ids) != VNS_OK) {
        free(copy);
        return d->failed = 1;
    }
    memcpy(copy, term, len);
    d->ids[d->n++] = (dup_id){copy, len};
    return 0;
}

/* vxs_posting_fn: keeps the highest docid holding the term in *(uint32_t *)p. Never stops. */
static int last_docid(uint32_t docid, const char *value, size_t len, void *p) {
    (void)value;
    (void)len;
    if (docid > *(uint32_t *)p) *(uint32_t *)p = docid;
    return 0;
}

/* The docid to keep and the writable database a duplicate is deleted from. */
typedef struct dup_pass {
    vxs_db *db;
    uint32_t keep;
    vns_status st;
    char *msg; /* VXS_ERRLEN bytes: the failure's message (the shim's is gone once the walk
                  that called back ends well). */
} dup_pass;

/* vxs_posting_fn: deletes each document holding the term but the one to keep. Returns non-zero
 * (stop) when a deletion failed (its status in the pass). */
static int drop_older(uint32_t docid, const char *value, size_t len, void *p) {
    (void)value;
    (void)len;
    dup_pass *d = p;
    if (docid != d->keep) d->st = vxs_db_delete_docid(d->db, docid);
    if (d->st != VNS_OK) snprintf(d->msg, VXS_ERRLEN, "%s", vxs_db_errmsg(d->db));
    return d->st != VNS_OK;
}

/* The highest schema version the n indexes at parts record (0 when none does or one cannot be
 * read: the merge then says why). *mixed is set to the index of a part holding documents with
 * every exact form as an E term when another holds documents with the common forms as N terms
 * (exact_common.h), else to -1: their merge would answer wrongly. Never fails. */
static long parts_schema(const char *const *parts, size_t n, long *mixed) {
    long best = 0, old_part = -1, new_part = -1;
    for (size_t i = 0; i < n; i++) {
        vxs_db *db = NULL;
        char msg[VXS_ERRLEN], *schema = NULL;
        uint64_t docs = 0;
        if (vxs_db_open_read(&db, &parts[i], 1, msg) == VNS_OK &&
            vxs_db_get_metadata(db, VNS_META_SCHEMA, &schema) == VNS_OK && schema &&
            vxs_db_doc_count(db, &docs) == VNS_OK) {
            long v = strtol(schema, NULL, 10);
            if (v > best) best = v;
            if (docs > 0 && v < VNS_SCHEMA_COMMON_FORMS && old_part < 0) old_part = (long)i;
            if (docs > 0 && v >= VNS_SCHEMA_COMMON_FORMS && new_part < 0) new_part = (long)i;
        }
        free(schema);
        vxs_db_close(db);
    }
    *mixed = old_part >= 0 && new_part >= 0 ? old_part : -1;
    /* Parts of one layout: the merge records the lower of 3 and 4 when they hold old ones. */
    if (old_part >= 0 && best >= VNS_SCHEMA_COMMON_FORMS) best = VNS_SCHEMA_COMMON_FORMS - 1;
    return best;
}

/* In the merged index at dest, deletes every document whose id a later document also has: the
 * compaction numbers each part's documents after the previous part's, so the highest docid is
 * the last part's version. Records schema (when > 0): the compaction keeps the first part's,
 * and a later part may hold documents of a newer one. Returns VNS_OK or the failure, with its
 * message in msg. */
static vns_status drop_replaced(const char *dest, long schema, char *msg) {
    vxs_db *db = NULL;
    vns_status st = vxs_db_open_write(&db, dest, 0, msg);
    if (st != VNS_OK) return st;
    if (schema > 0) {
        char v[24];
        snprintf(v, sizeof v, "%ld", schema);
        st = vxs_db_set_metadata(db, VNS_META_SCHEMA, v);
    }
    dup_ids d = {0};
    if (st == VNS_OK)
        st = vxs_db_each_term_freq(db, VNS_PREFIX_ID, strlen(VNS_PREFIX_ID), note_dup, &d);
    if (st == VNS_OK && d.failed) {
        snprintf(msg, VXS_ERRLEN, "out of memory");
        st = VNS_ENOMEM;
    }
    for (size_t i = 0; st == VNS_OK && i < d.n; i++) {
        dup_pass pass = {.db = db, .st = VNS_OK, .msg = msg};
        const dup_id *id = &d.ids[i];
        st = vxs_db_each_posting(db, id->term, id->len, VNS_SLOT_ID, last_docid, &pass.keep);
        if (st == VNS_OK)
            st = vxs_db_each_posting(db, id->term, id->len, VNS_SLOT_ID, drop_older, &pass);
        if (st == VNS_OK) st = pass.st;
    }
    if (st != VNS_OK && msg[0] == '\0') snprintf(msg, VXS_ERRLEN, "%s", vxs_db_errmsg(db));
    for (size_t i = 0; i < d.n; i++) free(d.ids[i].term);
    free(d.ids);
    if (st != VNS_OK) {
        vxs_db_abandon(db);
        return st;
    }
    if ((st = vxs_db_close(db)) != VNS_OK) snprintf(msg, VXS_ERRLEN, "committing it failed");
    return st;
}

vns_status vns_index_merge(const char *const *parts, size_t n, const char *dest, char *errbuf,
                           size_t errlen) {
    if (parts == NULL || n == 0 || dest == NULL || dest[0] == '\0')
        return vnsi_errbuf_set(errbuf, errlen, VNS_EINVAL, "nothing to merge");
    char msg[VXS_ERRLEN] = "";
    long mixed = -1;
    long schema = n > 1 ? parts_schema(parts, n, &mixed) : 0;
    if (mixed >= 0)
        return vnsi_errbuf_set(errbuf, errlen, VNS_EINVAL,
                               "merging into %s: %s holds documents of schema 2 or 3, which keep "
                               "every exact form, and another part documents of schema %d, which "
                               "do not (docs/schema.md): re-index the older part's articles with "
                               "this vnindex into a new index, then merge",
                               dest, parts[mixed], VNS_SCHEMA_COMMON_FORMS);
    vns_status st = vxs_compact(parts, n, dest, msg);
    if (st == VNS_OK && n > 1) st = drop_replaced(dest, schema, msg);
    if (st != VNS_OK) vnsi_errbuf_set(errbuf, errlen, st, "merging into %s: %s", dest, msg);
    return st;
}
