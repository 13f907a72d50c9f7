/* docdata.h: the document data blob: id, title and the original body. */
#ifndef VNS_DOCDATA_H
#define VNS_DOCDATA_H

#include <stddef.h>
#include <stdint.h>

#include "vnsearch.h"

/* Layout, version 3 (written): byte 3; varint id length, id; varint title length, title; varint
 * metadata length, metadata (below); the body, to the end.
 * Version 2 (still read): the same without the metadata. Xapian's glass backend compresses the
 * document data table with zlib itself: compressing the body here as well (version 1) gave the
 * same table size (5,000 VNTC articles: 7.13 MB with level 6 here, 7.09 MB without) and cost a
 * second deflate of every body (10,000 articles: 13.48 s against 13.09 s, medians of 3).
 * Version 1 (still read): byte 1; varint id length, id; varint title length, title; varint body
 * length (uncompressed); the body compressed with zlib.
 * Metadata: fields one after another, each a tag byte (VNSI_META_*), a varint length and the
 * value (UTF-8, no NUL); tags may repeat (one field per tag of the article). */
#define VNS_DOCDATA_VERSION 3

/* Metadata field tags. */
#define VNSI_META_DATE 'd' /* The canonical date (meta.h). */
#define VNSI_META_SOURCE 's'
#define VNSI_META_TOPIC 't'
#define VNSI_META_URL 'u'
#define VNSI_META_TAG 'g'

/* Appends one metadata field (tag, value of len bytes) to the malloc'd buffer *buf of *len bytes
 * (capacity *cap). Returns VNS_OK or VNS_ENOMEM (the buffer unchanged). */
vns_status vnsi_meta_append(char **buf, size_t *len, size_t *cap, char tag, const char *value,
                            size_t value_len);

/* Reads the metadata field at *pos of meta (len bytes): *tag, *value (borrowed) and *value_len,
 * and moves *pos past it. Returns 1 for a field, 0 at the end, -1 when the bytes are not
 * fields (a damaged blob). */
int vnsi_meta_next(const char *meta, size_t len, size_t *pos, char *tag, const char **value,
                   size_t *value_len);

/* Encodes the blob (meta: metadata fields, meta_len bytes, may be empty) into a malloc'd buffer the
 * caller frees (*out, *out_len). Returns VNS_OK or VNS_ENOMEM. */
vns_status vnsi_docdata_encode(const char *id, size_t id_len, const char *title, size_t title_len,
                               const char *meta, size_t meta_len, const char *body, size_t body_len,
                               char **out, size_t *out_len);

/* A decoded view: id, title and body point into the blob (not NUL-terminated). */
typedef struct vnsi_docdata {
    const char *id;
    size_t id_len;
    const char *title;
    size_t title_len;
    const char *meta; /* Metadata fields (vnsi_meta_next); meta_len 0 when none. */
    size_t meta_len;
    size_t body_len;                  /* Uncompressed. */
    const unsigned char *stored_body; /* The body as stored inside the blob... */
    size_t stored_len;
    int compressed; /* ... zlib-compressed (version 1) or not. */
} vnsi_docdata;

/* The metadata of a blob as a vns_meta of NUL-terminated copies, all in buf (malloc'd) and tags
 * (malloc'd); freed with vnsi_meta_view_free. */
typedef struct vnsi_meta_view {
    vns_meta meta;
    char *buf;
    const char **tags;
} vnsi_meta_view;

/* Unpacks meta (meta_len bytes of fields) into *out (zeroed first). Returns VNS_OK, VNS_ENOMEM
 * or VNS_ECORRUPT (fields that do not parse). */
vns_status vnsi_meta_unpack(vnsi_meta_view *out, const char *meta, size_t meta_len);

/* Frees what a view holds and zeroes it; accepts a zeroed view. Never fails. */
void vnsi_meta_view_free(vnsi_meta_view *v);

/* Parses blob into *out (borrowing the blob). Returns VNS_OK or VNS_ECORRUPT. */
vns_status vnsi_docdata_decode(const char *blob, size_t len, vnsi_docdata *out);

/* Copies (or decompresses) the body into a malloc'd NUL-terminated buffer the caller frees.
 * Returns VNS_OK, VNS_ENOMEM, or VNS_ECORRUPT. */
vns_status vnsi_docdata_body(const vnsi_docdata *d, char **out, size_t *out_len);

#endif /* VNS_DOCDATA_H */
