/* article_json.c: an article's fields as JSON (article_json.h). */
#include "article_json.h"

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
