/* article_json.h: an article's fields as JSON, as vnindex reads them and both programs write. */
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

#endif /* VNS_CLI_ARTICLE_JSON_H */
