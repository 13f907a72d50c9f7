/* article_json.c: articles and answers as JSON (article_json.h). */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include "article_json.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"

const char *const cli_facet_names[VNS_FACET_COUNT] = {"source", "topic", "tag", "year", "month"};

/* Adds key: value to o when value is set (non-NULL, non-empty). Returns 0 or -1. */
static int put_str(json_t *o, const char *key, const char *value) {
    if (value == NULL || value[0] == '\0') return 0;
    json_t *v = json_string(value);
    return v ? json_object_set_new(o, key, v) : -1;
}

int cli_meta_json(json_t *o, const vns_meta *m) {
    if (m == NULL) return 0;
    if (put_str(o, "date", m->date) < 0 || put_str(o, "source", m->source) < 0 ||
        put_str(o, "topic", m->topic) < 0 || put_str(o, "url", m->url) < 0)
        return -1;
    if (m->ntags == 0) return 0;
    json_t *tags = json_array();
    if (tags == NULL || json_object_set_new(o, "tags", tags) < 0) return -1;
    for (size_t i = 0; i < m->ntags; i++)
        if (json_array_append_new(tags, json_string(m->tags[i])) < 0) return -1;
    return 0;
}

json_t *cli_document_json(const vns_document *d) {
    size_t len = 0;
    const char *body = vns_document_body(&len, d);
    json_t *o = json_object();
    if (o == NULL || json_object_set_new(o, "id", json_string(vns_document_id(d))) < 0 ||
        json_object_set_new(o, "title", json_string(vns_document_title(d))) < 0 ||
        json_object_set_new(o, "body", json_stringn(body, len)) < 0 ||
        cli_meta_json(o, vns_document_meta(d)) < 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* Sets err to the formatted message and returns NULL. */
static json_t *failed(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static json_t *failed(char *err, size_t errlen, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return NULL;
}

/* The number of characters (code points) in s[0..len) of UTF-8 text. Never fails. */
static size_t chars(const char *s, size_t len) {
    size_t n = 0;
    for (size_t i = 0; i < len; i++) n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

/* Highlight ranges as [[start, end], ...]: byte offsets, or (in_chars) character offsets into
 * the snippet. NULL when out of memory. */
static json_t *ranges_json(const char *snippet, const vns_range *hl, size_t n, int in_chars) {
    json_t *ranges = json_array();
    for (size_t i = 0; ranges && i < n; i++) {
        size_t a = in_chars ? chars(snippet, hl[i].start) : hl[i].start;
        size_t b = in_chars ? a + chars(snippet + hl[i].start, hl[i].end - hl[i].start) : hl[i].end;
        if (json_array_append_new(ranges, json_pack("[I,I]", (json_int_t)a, (json_int_t)b)) < 0) {
            json_decref(ranges);
            ranges = NULL;
        }
    }
    return ranges;
}

/* The current result as a JSON object; NULL with err set. */
static json_t *result_json(vns_results *r, int html, char *err, size_t errlen) {
    const char *snippet = vns_results_snippet(r);
    size_t n = 0, matched = 0;
    const vns_range *hl = vns_results_highlights(&n, r);
    if (snippet == NULL || vns_results_matched_words(&matched, r) != VNS_OK)
        return failed(err, errlen, "%s", vns_results_errmsg(r));
    json_t *bytes = ranges_json(snippet, hl, n, 0), *in_chars = ranges_json(snippet, hl, n, 1);
    json_error_t jerr;
    json_t *item = NULL;
    if (bytes && in_chars) {
        /* "o" takes the ranges, also when the packing fails. */
        item = json_pack_ex(&jerr, 0, "{s:I,s:s,s:s,s:f,s:s,s:o,s:o,s:I}", "rank",
                            (json_int_t)vns_results_rank(r), "id", vns_results_id(r), "title",
                            vns_results_title(r), "score", vns_results_score(r), "snippet", snippet,
                            "highlights", bytes, "highlights_chars", in_chars, "matched_words",
                            (json_int_t)matched);
        bytes = in_chars = NULL;
    } else {
        snprintf(jerr.text, sizeof jerr.text, "out of memory");
    }
    json_decref(bytes);
    json_decref(in_chars);
    const char *heading = vns_results_heading(r);
    if (item &&
        (heading == NULL || json_object_set_new(item, "heading", json_string(heading)) < 0)) {
        json_decref(item);
        item = NULL;
        snprintf(jerr.text, sizeof jerr.text, "%s",
                 heading ? "out of memory" : vns_results_errmsg(r));
    }
    if (item && cli_meta_json(item, vns_results_meta(r)) < 0) {
        json_decref(item);
        item = NULL;
        snprintf(jerr.text, sizeof jerr.text, "out of memory");
    }
    if (item && html &&
        json_object_set_new(item, "snippet_html", json_string(vns_results_snippet_marked(r))) < 0) {
        json_decref(item);
        item = NULL;
        snprintf(jerr.text, sizeof jerr.text, "the HTML snippet is not UTF-8, or out of memory");
    }
    if (item == NULL)
        return failed(err, errlen, "cannot encode result %zu as JSON: %s", vns_results_rank(r),
                      jerr.text);
    return item;
}

/* The facets asked for (bits) as {"source": [{"value": ..., "count": N}, ...], ...}: a new
 * reference, or NULL when out of memory. */
static json_t *facets_json(const vns_results *r, unsigned bits) {
    json_t *all = json_object();
    for (int f = 0; all && f < VNS_FACET_COUNT; f++) {
        if (!(bits & VNS_FACET_BIT(f))) continue;
        json_t *list = json_array();
        if (list == NULL || json_object_set_new(all, cli_facet_names[f], list) < 0) {
            json_decref(all);
            return NULL;
        }
        const char *value;
        uint64_t count;
        for (size_t i = 0; vns_results_facet(&value, &count, r, (vns_facet)f, i) == VNS_OK; i++) {
            if (json_array_append_new(
                    list, json_pack("{s:s,s:I}", "value", value, "count", (json_int_t)count)) < 0) {
                json_decref(all);
                return NULL;
            }
        }
    }
    return all;
}

/* Sets key to a new value in root (when value is set); decrefs root and returns NULL when that
 * fails. */
static json_t *with(json_t *root, const char *key, json_t *value) {
    if (root && value && json_object_set_new(root, key, value) == 0) return root;
    json_decref(root);
    return NULL;
}

json_t *cli_results_json(vns_results *r, const char *query, const cli_json_opts *o, char *err,
                         size_t errlen) {
    json_t *results = json_array();
    if (results == NULL) return failed(err, errlen, "out of memory");
    vns_status st;
    while ((st = vns_results_next(r)) == VNS_OK) {
        json_t *item = result_json(r, o->html, err, errlen);
        if (item == NULL || json_array_append_new(results, item) < 0) {
            json_decref(results);
            return item ? failed(err, errlen, "out of memory") : NULL;
        }
    }
    if (st < 0) {
        json_decref(results);
        return failed(err, errlen, "%s", vns_results_errmsg(r));
    }
    json_t *root =
        json_pack("{s:s,s:s,s:I,s:I,s:b,s:f,s:o}", "query", query, "match",
                  vns_results_match(r) == VNS_MATCH_ANY ? "any" : "all", "query_words",
                  (json_int_t)vns_results_query_words(r), "total", (json_int_t)vns_results_total(r),
                  "exact_total", vns_results_total_is_exact(r), "took_ms",
                  (cli_now() - o->started) * 1e3, "results", results);
    /* How the query was read, and a spelling it may have meant: only when there is one. */
    if (root && vns_results_searched_for(r))
        root = with(root, "searched_for", json_string(vns_results_searched_for(r)));
    if (root && vns_results_suggestion(r))
        root = with(root, "suggestion", json_string(vns_results_suggestion(r)));
    if (root && o->facets) root = with(root, "facets", facets_json(r, o->facets));
    if (root && o->nmissing) {
        json_t *missing = json_array();
        for (size_t i = 0; missing && i < o->nmissing; i++)
            if (json_array_append_new(missing, json_string(o->missing[i])) < 0) {
                json_decref(missing);
                missing = NULL;
            }
        root = with(root, "missing", missing);
    }
    if (root == NULL)
        return failed(err, errlen, "cannot encode the results as JSON (out of memory)");
    return root;
}
