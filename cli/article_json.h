/* article_json.h: articles and answers as JSON: an article's fields as vnindex reads them, and
 * the results object vnsearch --json and vnsearch-server write. */
#ifndef VNS_CLI_ARTICLE_JSON_H
#define VNS_CLI_ARTICLE_JSON_H

#include <jansson.h>

#include "vnsearch.h"

/* Adds the metadata fields m has (date, source, topic, url, tags) to object o, under the names
 * vnindex reads. Returns 0, or -1 when out of memory (o may hold some of them). */
int cli_meta_json(json_t *o, const vns_meta *m);

/* The current article of d as a new JSON object: id, title, body and its metadata. NULL when out
 * of memory. */
json_t *cli_document_json(const vns_document *d);

/* The facets by name, indexed by vns_facet: "source", "topic", "tag", "year", "month". */
extern const char *const cli_facet_names[VNS_FACET_COUNT];

/* How to write an answer. */
typedef struct cli_json_opts {
    int html;                   /* Each result also has snippet_html. */
    unsigned facets;            /* The facets asked for (VNS_FACET_BIT set): "facets". */
    const char *const *missing; /* Indexes left out (--allow-partial): "missing" when any. */
    size_t nmissing;
    double started; /* cli_now() when the query started: "took_ms". */
} cli_json_opts;

/* The whole answer of r (iterated to its end here) as one new JSON object: query, match,
 * query_words, total, exact_total, took_ms, results (rank, id, title, heading, score, snippet,
 * highlights as byte ranges, highlights_chars as character ranges, matched_words, the metadata
 * fields, snippet_html with html), and searched_for, suggestion, facets and missing when there
 * are. NULL on failure, with err (errlen bytes) saying why: a result that cannot be read (the
 * searcher's message) or encoded (text that is not UTF-8), or out of memory; a result is never
 * left out silently. */
json_t *cli_results_json(vns_results *r, const char *query, const cli_json_opts *o, char *err,
                         size_t errlen);

#endif /* VNS_CLI_ARTICLE_JSON_H */
