/* docdata.h: the document data blob: id, title and the original body. */
#ifndef VNS_DOCDATA_H
#define VNS_DOCDATA_H

#include <stddef.h>
#include <stdint.h>

#include "vnsearch.h"

/* Layout, version 2 (written): byte 2; varint id length, id; varint title length, title; the
 * body, to the end. Xapian's glass backend compresses the document data table with zlib itself:
 * compressing the body here as well (version 1) gave the same table size (5,000 VNTC articles:
 * 7.13 MB with level 6 here, 7.09 MB without) and cost a second deflate of every body (10,000
 * articles: 13.48 s against 13.09 s, medians of 3).
 * Version 1 (still read): byte 1; varint id length, id; varint title length, title; varint body
 * length (uncompressed); the body compressed with zlib. */
#define VNS_DOCDATA_VERSION 2

/* Encodes the blob into a malloc'd buffer the caller frees (*out, *out_len).
 * Returns VNS_OK or VNS_ENOMEM. */
vns_status vnsi_docdata_encode(const char *id, size_t id_len, const char *title, size_t title_len,
                               const char *body, size_t body_len, char **out, size_t *out_len);

/* A decoded view: id, title and body point into the blob (not NUL-terminated). */
typedef struct vnsi_docdata {
    const char *id;
    size_t id_len;
    const char *title;
    size_t title_len;
    size_t body_len;                  /* Uncompressed. */
    const unsigned char *stored_body; /* The body as stored inside the blob... */
    size_t stored_len;
    int compressed; /* ... zlib-compressed (version 1) or not. */
} vnsi_docdata;

/* Parses blob into *out (borrowing the blob). Returns VNS_OK or VNS_ECORRUPT. */
vns_status vnsi_docdata_decode(const char *blob, size_t len, vnsi_docdata *out);

/* Copies (or decompresses) the body into a malloc'd NUL-terminated buffer the caller frees.
 * Returns VNS_OK, VNS_ENOMEM, or VNS_ECORRUPT. */
vns_status vnsi_docdata_body(const vnsi_docdata *d, char **out, size_t *out_len);

#endif /* VNS_DOCDATA_H */
