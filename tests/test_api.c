/* test_api.c: the public API's contract: options and struct versions, out-parameters, counts that
 * report failure, ids that must be UTF-8, and results that outlive their searcher. */
#define _XOPEN_SOURCE 700 /* nftw, in testutil.h */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"
#include "vnsearch.h"

static char path[600];

/* A fresh index at path holding one article; returns the open writer. */
static vns_index *new_index(const char *name) {
    snprintf(path, sizeof path, "%s/idx", scratch_dir(name));
    vns_index *ix = NULL;
    char err[256];
    assert_int_equal(vns_index_open(&ix, path, NULL, err, sizeof err), VNS_OK);
    vns_doc d = VNS_DOC_INIT;
    d.id = "a";
    d.title = "Chuyển đổi số";
    d.title_len = strlen(d.title);
    d.body = "Hội nghị về chuyển đổi số tại Lạng Sơn.";
    d.body_len = strlen(d.body);
    assert_int_equal(vns_index_put(NULL, ix, &d), VNS_OK);
    return ix;
}

static vns_searcher *open_searcher(void) {
    const char *paths[] = {path};
    vns_searcher *s = NULL;
    char err[256];
    assert_int_equal(vns_searcher_open(&s, paths, 1, err, sizeof err), VNS_OK);
    return s;
}

/* Versions a caller may hand in: 0 (a struct zeroed by hand) and one from the future are refused
 * with VNS_EINVAL and a message that names the struct; every known version is accepted. */
typedef struct version_row {
    unsigned version;
    vns_status want;
} version_row;

static const version_row index_option_versions[] = {{0, VNS_EINVAL},
                                                    {1, VNS_OK},
                                                    {VNS_INDEX_OPTIONS_VERSION, VNS_OK},
                                                    {VNS_INDEX_OPTIONS_VERSION + 1, VNS_EINVAL},
                                                    {1000, VNS_EINVAL}};
static const version_row query_option_versions[] = {{0, VNS_EINVAL},
                                                    {VNS_QUERY_OPTIONS_VERSION, VNS_OK},
                                                    {VNS_QUERY_OPTIONS_VERSION + 1, VNS_EINVAL}};
static const version_row doc_versions[] = {
    {0, VNS_EINVAL}, {VNS_DOC_VERSION, VNS_OK}, {VNS_DOC_VERSION + 1, VNS_EINVAL}};
static const version_row stats_versions[] = {
    {0, VNS_EINVAL}, {VNS_INDEX_STATS_VERSION, VNS_OK}, {VNS_INDEX_STATS_VERSION + 1, VNS_EINVAL}};

#define ROWS(a) (sizeof(a) / sizeof(a)[0])

static void api__index_options_versions(void **state) {
    (void)state;
    const char *dir = scratch_dir("api_index_options");
    for (size_t i = 0; i < ROWS(index_option_versions); i++) {
        const version_row *row = &index_option_versions[i];
        char p[700], err[256] = "";
        snprintf(p, sizeof p, "%s/idx%zu", dir, i);
        vns_index_options o = VNS_INDEX_OPTIONS_INIT;
        o.version = row->version;
        vns_index *ix = NULL;
        vns_status st = vns_index_open(&ix, p, &o, err, sizeof err);
        if (st != row->want)
            fail_msg("version %u: status %d, want %d", row->version, st, row->want);
        if (st != VNS_OK) {
            assert_null(ix);
            assert_non_null(strstr(err, "vns_index_options version"));
        }
        vns_index_close(ix);
        /* The init function agrees, and fills the defaults of that version. */
        vns_index_options init;
        memset(&init, 0xff, sizeof init);
        assert_int_equal(vns_index_options_init(&init, row->version), row->want);
        if (row->want == VNS_OK) {
            assert_int_equal(init.version, row->version);
            assert_int_equal(init.create, 1);
        }
    }
    assert_int_equal(vns_index_options_init(NULL, VNS_INDEX_OPTIONS_VERSION), VNS_EINVAL);
}

/* The init function writes only the fields of the version asked for: a caller built against an
 * older header has a shorter struct, and the bytes after it are not the library's. */
static void api__options_init_writes_only_its_version(void **state) {
    (void)state;
    static const struct {
        unsigned version;
        size_t size; /* The struct's size in that version. */
    } sizes[] = {{1, offsetof(vns_index_options, scratch)},
                 {2, offsetof(vns_index_options, base)},
                 {VNS_INDEX_OPTIONS_VERSION, sizeof(vns_index_options)}};
    for (size_t i = 0; i < ROWS(sizes); i++) {
        unsigned char buf[sizeof(vns_index_options) + 16];
        memset(buf, 0xab, sizeof buf);
        assert_int_equal(vns_index_options_init((vns_index_options *)(void *)buf, sizes[i].version),
                         VNS_OK);
        for (size_t b = sizes[i].size; b < sizeof buf; b++)
            if (buf[b] != 0xab) fail_msg("version %u wrote byte %zu", sizes[i].version, b);
        vns_index_options o;
        memcpy(&o, buf, sizes[i].size);
        assert_int_equal(o.version, sizes[i].version);
        assert_int_equal(o.create, 1);
    }
}

static void api__query_options_init_writes_only_its_version(void **state) {
    (void)state;
    static const struct {
        unsigned version;
        size_t size; /* The struct's size in that version. */
    } sizes[] = {{1, offsetof(vns_query_options, html)},
                 {2, offsetof(vns_query_options, match)},
                 {3, offsetof(vns_query_options, as_typed)},
                 {4, offsetof(vns_query_options, sort)},
                 {VNS_QUERY_OPTIONS_VERSION, sizeof(vns_query_options)}};
    for (size_t i = 0; i < ROWS(sizes); i++) {
        unsigned char buf[sizeof(vns_query_options) + 16];
        memset(buf, 0xab, sizeof buf);
        assert_int_equal(vns_query_options_init((vns_query_options *)(void *)buf, sizes[i].version),
                         VNS_OK);
        for (size_t b = sizes[i].size; b < sizeof buf; b++)
            if (buf[b] != 0xab) fail_msg("version %u wrote byte %zu", sizes[i].version, b);
    }
    vns_query_options o;
    assert_int_equal(vns_query_options_init(&o, VNS_QUERY_OPTIONS_VERSION), VNS_OK);
    assert_int_equal(o.match, VNS_MATCH_AUTO);
    assert_int_equal(o.literal, 0);
    assert_int_equal(o.as_typed, 0);
    assert_int_equal(o.sort, VNS_SORT_RELEVANCE);
    assert_int_equal(o.facets, 0);
}

/* Telex is read as Vietnamese by default (a version 3 caller too), and vns_results_searched_for
 * says how; as_typed searches the words as typed. vns_results_suggestion is NULL when the query
 * read as meant finds it, and both accessors accept NULL. */
static void api__as_typed(void **state) {
    (void)state;
    vns_index *ix = new_index("api_as_typed");
    assert_int_equal(vns_index_close(ix), VNS_OK);
    vns_searcher *s = open_searcher();
    static const struct {
        unsigned version;
        int as_typed;
        const char *searched_for; /* NULL: as typed. */
        size_t results;
    } rows[] = {{3, 0, "chuyển đổi số", 1}, {4, 0, "chuyển đổi số", 1}, {4, 1, NULL, 0}};
    for (size_t i = 0; i < ROWS(rows); i++) {
        vns_query_options o = VNS_QUERY_OPTIONS_INIT;
        o.version = rows[i].version;
        o.as_typed = rows[i].as_typed;
        o.match = VNS_MATCH_ALL;
        vns_results *r = NULL;
        assert_int_equal(vns_searcher_query(&r, s, "chuyeenr ddooir soos", &o), VNS_OK);
        if (rows[i].searched_for)
            assert_string_equal(vns_results_searched_for(r), rows[i].searched_for);
        else
            assert_null(vns_results_searched_for(r));
        size_t n = 0;
        while (vns_results_next(r) == VNS_OK) n++;
        assert_int_equal(n, rows[i].results);
        if (rows[i].results) assert_null(vns_results_suggestion(r)); /* It found what it sought. */
        vns_results_free(r);
    }
    assert_null(vns_results_searched_for(NULL));
    assert_null(vns_results_suggestion(NULL));
    vns_searcher_close(s);
}

static void api__query_options_versions(void **state) {
    (void)state;
    vns_index *ix = new_index("api_query_options");
    assert_int_equal(vns_index_close(ix), VNS_OK);
    vns_searcher *s = open_searcher();
    for (size_t i = 0; i < ROWS(query_option_versions); i++) {
        const version_row *row = &query_option_versions[i];
        vns_query_options o = VNS_QUERY_OPTIONS_INIT;
        o.version = row->version;
        vns_results *r = NULL;
        vns_status st = vns_searcher_query(&r, s, "chuyen doi so", &o);
        if (st != row->want)
            fail_msg("version %u: status %d, want %d", row->version, st, row->want);
        if (st == VNS_OK) {
            assert_int_equal(vns_results_next(r), VNS_OK);
            assert_string_equal(vns_results_id(r), "a");
        } else {
            assert_null(r);
            assert_non_null(strstr(vns_searcher_errmsg(s), "vns_query_options version"));
        }
        vns_results_free(r);
        vns_query_options init;
        memset(&init, 0xff, sizeof init);
        assert_int_equal(vns_query_options_init(&init, row->version), row->want);
        if (row->want == VNS_OK) {
            assert_int_equal(init.version, row->version);
            assert_int_equal(init.limit, 0);
            assert_null(init.hl_start);
        }
    }
    vns_searcher_close(s);
}

static void api__doc_and_stats_versions(void **state) {
    (void)state;
    vns_index *ix = new_index("api_doc_versions");
    for (size_t i = 0; i < ROWS(doc_versions); i++) {
        vns_doc d = VNS_DOC_INIT;
        d.version = doc_versions[i].version;
        d.id = "b";
        d.body = "văn bản";
        d.body_len = strlen(d.body);
        vns_status st = vns_index_put(NULL, ix, &d);
        if (st != doc_versions[i].want)
            fail_msg("vns_doc version %u: status %d", doc_versions[i].version, st);
        if (st != VNS_OK) assert_non_null(strstr(vns_index_errmsg(ix), "vns_doc version"));
    }
    for (size_t i = 0; i < ROWS(stats_versions); i++) {
        vns_index_stats st = VNS_INDEX_STATS_INIT;
        st.version = stats_versions[i].version;
        st.bytes = 12345;
        assert_int_equal(vns_index_get_stats(&st, ix), stats_versions[i].want);
        /* Refused: nothing written. Accepted: the real count. */
        if (stats_versions[i].want == VNS_OK)
            assert_true(st.bytes > 0 && st.bytes != 12345);
        else
            assert_int_equal(st.bytes, 12345);
    }
    vns_index_stats st = VNS_INDEX_STATS_INIT;
    assert_int_equal(vns_index_get_stats(NULL, ix), VNS_EINVAL);
    assert_int_equal(vns_index_get_stats(&st, NULL), VNS_EINVAL);
    assert_int_equal(vns_index_close(ix), VNS_OK);
}

/* The count reports failure through its status, never as a count of 0. */
static void api__doc_count_has_a_status(void **state) {
    (void)state;
    vns_index *ix = new_index("api_doc_count");
    uint64_t n = 99;
    assert_int_equal(vns_index_doc_count(&n, ix), VNS_OK);
    assert_int_equal(n, 1);
    n = 99;
    assert_int_equal(vns_index_doc_count(&n, NULL), VNS_EINVAL);
    assert_int_equal(n, 0);
    assert_int_equal(vns_index_doc_count(NULL, ix), VNS_EINVAL);
    assert_int_equal(vns_index_close(ix), VNS_OK);
}

/* Ids come back as they went in (in JSON too): an id that is not UTF-8 is refused with
 * VNS_EENCODING, and nothing is written for it. */
typedef struct id_row {
    const char *id;
    vns_status want;
} id_row;

static const id_row ids[] = {
    {"caf\xc3\xa9.txt", VNS_OK},               /* café in UTF-8 */
    {"caf\xe9.txt", VNS_EENCODING},            /* café in Latin-1 */
    {"dir/\xff\xfe", VNS_EENCODING},           /* never UTF-8 */
    {"\xe1\xba\xa1/b\xc3.txt", VNS_EENCODING}, /* a cut sequence */
    {"th\xe1\xbb\xa7y.txt", VNS_OK},           /* thủy */
};

static void api__ids_must_be_utf8(void **state) {
    (void)state;
    vns_index *ix = new_index("api_ids");
    for (size_t i = 0; i < ROWS(ids); i++) {
        vns_doc d = VNS_DOC_INIT;
        d.id = ids[i].id;
        d.body = "bánh mì";
        d.body_len = strlen(d.body);
        vns_status st = vns_index_put(NULL, ix, &d);
        if (st != ids[i].want) fail_msg("id %zu: status %d, want %d", i, st, ids[i].want);
        if (st == VNS_EENCODING) assert_non_null(strstr(vns_index_errmsg(ix), "not valid UTF-8"));
    }
    uint64_t n = 0;
    assert_int_equal(vns_index_doc_count(&n, ix), VNS_OK);
    assert_int_equal(n, 3); /* "a" and the two UTF-8 ids. */
    assert_int_equal(vns_index_close(ix), VNS_OK);
}

/* Results freed after their searcher was closed are still whole: the searcher is freed with the
 * last of them (AddressSanitizer and valgrind see any use after free). */
static void api__results_outlive_their_searcher(void **state) {
    (void)state;
    vns_index *ix = new_index("api_live_results");
    assert_int_equal(vns_index_close(ix), VNS_OK);
    vns_searcher *s = open_searcher();
    vns_results *r1 = NULL, *r2 = NULL;
    assert_int_equal(vns_searcher_query(&r1, s, "chuyen doi so", NULL), VNS_OK);
    assert_int_equal(vns_searcher_query(&r2, s, "lang son", NULL), VNS_OK);
    vns_searcher_close(s);
    assert_int_equal(vns_results_next(r1), VNS_OK);
    assert_string_equal(vns_results_id(r1), "a");
    assert_non_null(strstr(vns_results_snippet_marked(r1), "[chuyển đổi số]"));
    vns_results_free(r1);
    assert_int_equal(vns_results_next(r2), VNS_OK);
    size_t n = 0;
    assert_non_null(vns_results_highlights(&n, r2));
    assert_int_equal(n, 1);
    assert_string_equal(vns_results_errmsg(r2), "");
    assert_int_equal(vns_results_next(r2), VNS_DONE);
    vns_results_free(r2);
}

/* Metadata through the library: a version 2 doc with every field, read back by
 * vns_results_meta, vns_searcher_get and vns_searcher_scan (which also outlive their searcher);
 * a date that does not parse is VNS_EINVAL; version 5 options sort and count facets, and a sort
 * or facet set that is none is refused. */
static void api__metadata(void **state) {
    (void)state;
    vns_index *ix = new_index("api_metadata");
    static const char *tags[] = {"chuyển đổi số", "Lạng Sơn"};
    vns_doc d = VNS_DOC_INIT;
    d.id = "b";
    d.body = "Chuyển đổi số ở vùng cao.";
    d.body_len = strlen(d.body);
    d.meta.date = "2024-05-06";
    d.meta.source = "baolangson.vn";
    d.meta.topic = "Thời sự";
    d.meta.url = "https://baolangson.vn/b";
    d.meta.tags = tags;
    d.meta.ntags = 2;
    assert_int_equal(vns_index_put(NULL, ix, &d), VNS_OK);
    vns_doc bad = d;
    bad.id = "c";
    bad.meta.date = "2024-02-30";
    assert_int_equal(vns_index_put(NULL, ix, &bad), VNS_EINVAL);
    assert_non_null(strstr(vns_index_errmsg(ix), "date \"2024-02-30\" does not parse"));
    bad.meta.date = NULL;
    bad.meta.tags = NULL;
    assert_int_equal(vns_index_put(NULL, ix, &bad), VNS_EINVAL);
    assert_int_equal(vns_index_close(ix), VNS_OK);

    vns_searcher *s = open_searcher();
    vns_query_options o = VNS_QUERY_OPTIONS_INIT;
    o.sort = VNS_SORT_NEWEST;
    o.facets = VNS_FACET_BIT(VNS_FACET_SOURCE) | VNS_FACET_BIT(VNS_FACET_MONTH);
    vns_results *r = NULL;
    assert_int_equal(vns_searcher_query(&r, s, "chuyen doi so", &o), VNS_OK);
    assert_null(vns_results_meta(r)); /* Before the first result. */
    assert_int_equal(vns_results_next(r), VNS_OK);
    assert_string_equal(vns_results_id(r), "b"); /* The dated article first. */
    const vns_meta *m = vns_results_meta(r);
    assert_string_equal(m->date, "2024-05-06");
    assert_string_equal(m->source, "baolangson.vn");
    assert_string_equal(m->topic, "Thời sự");
    assert_string_equal(m->url, "https://baolangson.vn/b");
    assert_int_equal(m->ntags, 2);
    assert_string_equal(m->tags[0], "chuyển đổi số");
    assert_int_equal(vns_results_next(r), VNS_OK);
    assert_string_equal(vns_results_id(r), "a");
    assert_null(vns_results_meta(r)->date);
    const char *value = NULL;
    uint64_t count = 0;
    assert_int_equal(vns_results_facet(&value, &count, r, VNS_FACET_SOURCE, 0), VNS_OK);
    assert_string_equal(value, "baolangson.vn");
    assert_int_equal(count, 1);
    assert_int_equal(vns_results_facet(&value, &count, r, VNS_FACET_SOURCE, 1), VNS_DONE);
    assert_int_equal(vns_results_facet(&value, &count, r, VNS_FACET_MONTH, 0), VNS_OK);
    assert_string_equal(value, "2024-05");
    assert_int_equal(vns_results_facet(&value, &count, r, VNS_FACET_TOPIC, 0), VNS_DONE);
    assert_int_equal(vns_results_facet(&value, &count, r, (vns_facet)9, 0), VNS_EINVAL);
    assert_int_equal(vns_results_facet(NULL, &count, r, VNS_FACET_SOURCE, 0), VNS_EINVAL);
    vns_results_free(r);
    o.sort = (vns_sort)7;
    assert_int_equal(vns_searcher_query(&r, s, "chuyen", &o), VNS_EINVAL);
    assert_non_null(strstr(vns_searcher_errmsg(s), "sort 7"));
    o.sort = VNS_SORT_OLDEST;
    o.facets = VNS_FACET_BIT(VNS_FACET_COUNT);
    assert_int_equal(vns_searcher_query(&r, s, "chuyen", &o), VNS_EINVAL);

    vns_document *one = NULL, *all = NULL;
    assert_int_equal(vns_searcher_get(&one, s, "zzz"), VNS_ENOTFOUND);
    assert_non_null(strstr(vns_searcher_errmsg(s), "no document with id zzz"));
    assert_int_equal(vns_searcher_get(&one, s, NULL), VNS_EINVAL);
    assert_int_equal(vns_searcher_get(&one, s, "b"), VNS_OK);
    assert_int_equal(vns_searcher_scan(&all, s), VNS_OK);
    vns_searcher_close(s); /* Both outlive it. */
    size_t len = 0;
    assert_string_equal(vns_document_body(&len, one), "Chuyển đổi số ở vùng cao.");
    assert_int_equal(len, strlen("Chuyển đổi số ở vùng cao."));
    assert_string_equal(vns_document_meta(one)->tags[1], "Lạng Sơn");
    assert_string_equal(vns_document_title(one), "");
    assert_int_equal(vns_document_next(one), VNS_DONE);
    assert_null(vns_document_id(one));
    vns_document_free(one);
    assert_null(vns_document_id(all)); /* Before the first. */
    size_t n = 0;
    while (vns_document_next(all) == VNS_OK) n++;
    assert_int_equal(n, 2);
    vns_document_free(all);
    vns_document_free(NULL);
}

/* Puts id with body into ix; returns what the put did. */
static vns_put_result put_body(vns_index *ix, const char *id, const char *body) {
    vns_doc d = VNS_DOC_INIT;
    d.id = id;
    d.body = body;
    d.body_len = strlen(body);
    vns_put_result res = VNS_PUT_ADDED;
    assert_int_equal(vns_index_put(&res, ix, &d), VNS_OK);
    return res;
}

/* An index written with a base holds only what is new or changed against it, and merging the
 * base and it gives the base updated: each id once, with its last version. */
static const struct {
    const char *id, *body;
    vns_put_result want; /* What putting it over the base says. */
} over_base[] = {
    {"same", "Hà Nội mùa thu", VNS_PUT_UNCHANGED},      /* As the base holds it. */
    {"changed", "Đà Nẵng mùa hè", VNS_PUT_UPDATED},     /* The base has "Huế mùa xuân". */
    {"new", "Cần Thơ mùa nước nổi", VNS_PUT_ADDED},     /* Not in the base. */
    {"new", "Cần Thơ mùa nước nổi", VNS_PUT_UNCHANGED}, /* Now in the index itself. */
    {"new", "Cần Thơ chợ nổi", VNS_PUT_UPDATED},        /* Changed in the index itself. */
};

static void api__index_over_a_base(void **state) {
    (void)state;
    const char *dir = scratch_dir("api_base");
    char base[700], part[700], merged[700], err[256] = "";
    snprintf(base, sizeof base, "%s/base", dir);
    snprintf(part, sizeof part, "%s/part", dir);
    snprintf(merged, sizeof merged, "%s/merged", dir);
    vns_index *ix = NULL;
    assert_int_equal(vns_index_open(&ix, base, NULL, err, sizeof err), VNS_OK);
    put_body(ix, "same", "Hà Nội mùa thu");
    put_body(ix, "changed", "Huế mùa xuân");
    put_body(ix, "kept", "Sài Gòn mùa mưa");
    assert_int_equal(vns_index_close(ix), VNS_OK);

    vns_index_options o = VNS_INDEX_OPTIONS_INIT;
    o.base = base;
    o.scratch = 1;
    assert_int_equal(vns_index_open(&ix, part, &o, err, sizeof err), VNS_OK);
    for (size_t i = 0; i < ROWS(over_base); i++)
        if (put_body(ix, over_base[i].id, over_base[i].body) != over_base[i].want)
            fail_msg("row %zu (%s): not %d", i, over_base[i].id, over_base[i].want);
    uint64_t docs = 0;
    assert_int_equal(vns_index_doc_count(&docs, ix), VNS_OK);
    assert_int_equal(docs, 2); /* "changed" and "new": the base is not written. */
    assert_int_equal(vns_index_close(ix), VNS_OK);

    const char *parts[] = {base, part};
    assert_int_equal(vns_index_merge(parts, 2, merged, err, sizeof err), VNS_OK);
    static const struct {
        const char *id, *body;
    } want[] = {{"same", "Hà Nội mùa thu"},
                {"changed", "Đà Nẵng mùa hè"},
                {"kept", "Sài Gòn mùa mưa"},
                {"new", "Cần Thơ chợ nổi"}};
    const char *paths[] = {merged};
    vns_searcher *s = NULL;
    assert_int_equal(vns_searcher_open(&s, paths, 1, err, sizeof err), VNS_OK);
    assert_int_equal(vns_searcher_doc_count(&docs, s), VNS_OK);
    assert_int_equal(docs, ROWS(want));
    for (size_t i = 0; i < ROWS(want); i++) {
        vns_document *d = NULL;
        assert_int_equal(vns_searcher_get(&d, s, want[i].id), VNS_OK);
        assert_string_equal(vns_document_body(NULL, d), want[i].body);
        vns_document_free(d);
    }
    /* The replaced version is gone from the postings too. */
    vns_results *r = NULL;
    assert_int_equal(vns_searcher_query(&r, s, "Huế", NULL), VNS_OK);
    assert_int_equal(vns_results_next(r), VNS_DONE);
    vns_results_free(r);
    vns_searcher_close(s);

    /* A base that is not there is said, and nothing is opened. */
    snprintf(base, sizeof base, "%s/missing", dir);
    snprintf(part, sizeof part, "%s/part2", dir);
    assert_int_equal(vns_index_open(&ix, part, &o, err, sizeof err), VNS_ENOTFOUND);
    assert_null(ix);
    assert_non_null(strstr(err, "its base"));
}

/* The version is written once (the numbers); the string and the number follow from it, and the
 * library reports the same. */
static void api__version(void **state) {
    (void)state;
    char want[32];
    snprintf(want, sizeof want, "%d.%d.%d", VNS_VERSION_MAJOR, VNS_VERSION_MINOR,
             VNS_VERSION_PATCH);
    assert_string_equal(VNS_VERSION_STRING, want);
    int n = 0;
    assert_string_equal(vns_version(&n), want);
    assert_int_equal(n, VNS_VERSION_MAJOR * 10000 + VNS_VERSION_MINOR * 100 + VNS_VERSION_PATCH);
}

/* Every status has its own text, from the lowest to VNS_DONE. */
static void api__every_status_has_a_text(void **state) {
    (void)state;
    for (int a = VNS_STATUS_MIN; a <= VNS_DONE; a++) {
        const char *s = vns_status_str((vns_status)a);
        assert_true(strcmp(s, "unknown status") != 0);
        for (int b = VNS_STATUS_MIN; b < a; b++)
            assert_true(strcmp(s, vns_status_str((vns_status)b)) != 0);
    }
    assert_string_equal(vns_status_str((vns_status)(VNS_STATUS_MIN - 1)), "unknown status");
}

/* Puts articles from..to-1 into ix: source one of three (two spellings of one), a tag each, a
 * month each. Never fails (asserts). */
static void put_sourced(vns_index *ix, int from, int to) {
    static const char *sources[] = {"tuoitre.vn", "VnExpress.net", "vnexpress.net"};
    for (int i = from; i < to; i++) {
        char id[16], date[16], tag[16];
        snprintf(id, sizeof id, "s%d", i);
        snprintf(date, sizeof date, "2024-%02d-01", 1 + i % 12);
        snprintf(tag, sizeof tag, "tag%d", i % 5);
        const char *tags[] = {tag};
        vns_doc d = VNS_DOC_INIT;
        d.id = id;
        d.body = i % 2 ? "giá vàng tăng" : "giá xăng tăng";
        d.body_len = strlen(d.body);
        d.meta.date = date;
        d.meta.source = sources[i % 3];
        d.meta.tags = tags;
        d.meta.ntags = 1;
        assert_int_equal(vns_index_put(NULL, ix, &d), VNS_OK);
    }
}

/* The facets of query on s, one line per value ("facet value count"), into out. Never fails
 * (asserts). */
static void facet_lines(char *out, size_t cap, vns_searcher *s, const char *query) {
    vns_query_options o = VNS_QUERY_OPTIONS_INIT;
    o.facets = VNS_FACET_BIT(VNS_FACET_SOURCE) | VNS_FACET_BIT(VNS_FACET_TAG) |
               VNS_FACET_BIT(VNS_FACET_MONTH);
    vns_results *r = NULL;
    assert_int_equal(vns_searcher_query(&r, s, query, &o), VNS_OK);
    size_t used = 0;
    out[0] = '\0';
    for (int f = VNS_FACET_SOURCE; f < VNS_FACET_COUNT; f++) {
        const char *value = NULL;
        uint64_t count = 0;
        for (size_t i = 0; vns_results_facet(&value, &count, r, (vns_facet)f, i) == VNS_OK; i++)
            used += (size_t)snprintf(out + used, cap - used, "%d %s %llu\n", f, value,
                                     (unsigned long long)count);
    }
    assert_true(used > 0 && used < cap);
    vns_results_free(r);
}

/* Facets counted again on one searcher (from the slot's table read once: shim) equal the first
 * count of a searcher just opened, for several queries; a writer's commit seen after a reopen
 * is counted (the table is read again). */
static void api__facets_counted_again(void **state) {
    (void)state;
    vns_index *ix = new_index("api_facets_again");
    put_sourced(ix, 0, 60);
    assert_int_equal(vns_index_close(ix), VNS_OK);
    static const char *queries[] = {"giá", "vàng", "xăng", "source:vnexpress.net", "giá vàng"};
    char want[4096], got[4096];
    vns_searcher *s = open_searcher();
    for (int round = 0; round < 2; round++) {
        for (size_t q = 0; q < sizeof queries / sizeof *queries; q++) {
            vns_searcher *fresh = open_searcher();
            facet_lines(want, sizeof want, fresh, queries[q]);
            vns_searcher_close(fresh);
            facet_lines(got, sizeof got, s, queries[q]);
            assert_string_equal(got, want);
        }
        if (round == 0) {
            char err[256];
            assert_int_equal(vns_index_open(&ix, path, NULL, err, sizeof err), VNS_OK);
            put_sourced(ix, 60, 90);
            assert_int_equal(vns_index_close(ix), VNS_OK);
            assert_int_equal(vns_searcher_reopen(s), VNS_OK);
        }
    }
    facet_lines(got, sizeof got, s, "giá");
    /* 90 articles now: 2 in 3 from one source in two spellings, 1 in 3 from the other. */
    assert_non_null(strstr(got, "0 VnExpress.net 60\n0 tuoitre.vn 30\n"));
    vns_searcher_close(s);

    /* Two shards (a spy sees each shard's own docids): counted again = counted fresh. */
    char second[sizeof path + 8];
    snprintf(second, sizeof second, "%s2", path);
    char err[256];
    assert_int_equal(vns_index_open(&ix, second, NULL, err, sizeof err), VNS_OK);
    put_sourced(ix, 90, 101);
    assert_int_equal(vns_index_close(ix), VNS_OK);
    const char *both[] = {path, second};
    vns_searcher *two = NULL;
    assert_int_equal(vns_searcher_open(&two, both, 2, err, sizeof err), VNS_OK);
    facet_lines(want, sizeof want, two, "giá");
    assert_non_null(strstr(want, "0 VnExpress.net 67\n0 tuoitre.vn 34\n"));
    for (int round = 0; round < 2; round++) {
        facet_lines(got, sizeof got, two, "giá");
        assert_string_equal(got, want);
    }
    vns_searcher_close(two);
}

/* Facets of a word that every article holds, after a deletion from an index merged from parts
 * (postlists of several chunks): counted as on an index that never held the deleted article.
 * Xapian 1.4.22 fails such a count unless the shim filters it (vxs_query_unweighted). */
static void api__facets_after_a_deletion(void **state) {
    (void)state;
    const char *dir = scratch_dir("api_facets_deleted");
    char a[700], b[700], merged[700], fresh[700], err[256] = "";
    snprintf(a, sizeof a, "%s/a", dir);
    snprintf(b, sizeof b, "%s/b", dir);
    snprintf(merged, sizeof merged, "%s/merged", dir);
    snprintf(fresh, sizeof fresh, "%s/fresh", dir);
    vns_index *ix = NULL;
    assert_int_equal(vns_index_open(&ix, a, NULL, err, sizeof err), VNS_OK);
    put_sourced(ix, 0, 10);
    assert_int_equal(vns_index_close(ix), VNS_OK);
    assert_int_equal(vns_index_open(&ix, b, NULL, err, sizeof err), VNS_OK);
    put_sourced(ix, 10, 20);
    assert_int_equal(vns_index_close(ix), VNS_OK);
    const char *parts[] = {a, b};
    assert_int_equal(vns_index_merge(parts, 2, merged, err, sizeof err), VNS_OK);
    vns_index_options o = VNS_INDEX_OPTIONS_INIT;
    o.create = 0;
    assert_int_equal(vns_index_open(&ix, merged, &o, err, sizeof err), VNS_OK);
    assert_int_equal(vns_index_delete(ix, "s13"), VNS_OK);
    assert_int_equal(vns_index_close(ix), VNS_OK);
    assert_int_equal(vns_index_open(&ix, fresh, NULL, err, sizeof err), VNS_OK);
    put_sourced(ix, 0, 13);
    put_sourced(ix, 14, 20);
    assert_int_equal(vns_index_close(ix), VNS_OK);

    char got[4096], want[4096];
    const char *paths[] = {merged}, *fresh_paths[] = {fresh};
    vns_searcher *s = NULL, *f = NULL;
    assert_int_equal(vns_searcher_open(&s, paths, 1, err, sizeof err), VNS_OK);
    assert_int_equal(vns_searcher_open(&f, fresh_paths, 1, err, sizeof err), VNS_OK);
    static const char *queries[] = {"giá", "tăng", "giá vàng", "source:tuoitre.vn giá", "gi*"};
    for (size_t i = 0; i < ROWS(queries); i++) {
        facet_lines(got, sizeof got, s, queries[i]);
        facet_lines(want, sizeof want, f, queries[i]);
        assert_string_equal(got, want);
    }
    vns_searcher_close(s);
    vns_searcher_close(f);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(api__index_options_versions),
        cmocka_unit_test(api__options_init_writes_only_its_version),
        cmocka_unit_test(api__query_options_versions),
        cmocka_unit_test(api__as_typed),
        cmocka_unit_test(api__metadata),
        cmocka_unit_test(api__query_options_init_writes_only_its_version),
        cmocka_unit_test(api__doc_and_stats_versions),
        cmocka_unit_test(api__doc_count_has_a_status),
        cmocka_unit_test(api__facets_counted_again),
        cmocka_unit_test(api__ids_must_be_utf8),
        cmocka_unit_test(api__results_outlive_their_searcher),
        cmocka_unit_test(api__index_over_a_base),
        cmocka_unit_test(api__facets_after_a_deletion),
        cmocka_unit_test(api__version),
        cmocka_unit_test(api__every_status_has_a_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
