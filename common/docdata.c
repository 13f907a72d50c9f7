/* docdata.c: encodes and decodes the per-document data blob (id, title, body). */
#include "docdata.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

/* The most bytes deflate makes of one (zlib's technical details: 1032:1). */
#define DEFLATE_MAX_RATIO 1032

static size_t put_varint(unsigned char *p, uint64_t v) {
    size_t n = 0;
    while (v >= 0x80) {
        p[n++] = (unsigned char)(v | 0x80);
        v >>= 7;
    }
    p[n++] = (unsigned char)v;
    return n;
}

/* Reads a varint at *pos; returns -1 when the blob ends first or it is over 64 bits. */
static int get_varint(const unsigned char *p, size_t len, size_t *pos, uint64_t *v) {
    uint64_t r = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
        if (*pos >= len) return -1;
        unsigned char b = p[(*pos)++];
        r |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            *v = r;
            return 0;
        }
    }
    return -1;
}

vns_status vnsi_meta_append(char **buf, size_t *len, size_t *cap, char tag, const char *value,
                            size_t value_len) {
    size_t need = *len + 1 + 10 + value_len;
    if (need > *cap) {
        size_t ncap = need * 2;
        char *nb = realloc(*buf, ncap);
        if (nb == NULL) return VNS_ENOMEM;
        *buf = nb;
        *cap = ncap;
    }
    unsigned char *p = (unsigned char *)*buf + *len;
    size_t n = 0;
    p[n++] = (unsigned char)tag;
    n += put_varint(p + n, value_len);
    if (value_len) memcpy(p + n, value, value_len);
    *len += n + value_len;
    return VNS_OK;
}

int vnsi_meta_next(const char *meta, size_t len, size_t *pos, char *tag, const char **value,
                   size_t *value_len) {
    if (*pos >= len) return 0;
    const unsigned char *p = (const unsigned char *)meta;
    *tag = (char)p[(*pos)++];
    uint64_t v;
    if (get_varint(p, len, pos, &v) < 0 || v > len - *pos) return -1;
    *value = meta + *pos;
    *value_len = (size_t)v;
    *pos += (size_t)v;
    return 1;
}

vns_status vnsi_docdata_encode(const char *id, size_t id_len, const char *title, size_t title_len,
                               const char *meta, size_t meta_len, const char *body, size_t body_len,
                               char **out, size_t *out_len) {
    *out = NULL;
    size_t cap = 1 + 3 * 10 + id_len + title_len + meta_len + body_len;
    unsigned char *buf = malloc(cap);
    if (buf == NULL) return VNS_ENOMEM;
    size_t n = 0;
    buf[n++] = VNS_DOCDATA_VERSION;
    n += put_varint(buf + n, id_len);
    memcpy(buf + n, id, id_len);
    n += id_len;
    n += put_varint(buf + n, title_len);
    if (title_len) memcpy(buf + n, title, title_len);
    n += title_len;
    n += put_varint(buf + n, meta_len);
    if (meta_len) memcpy(buf + n, meta, meta_len);
    n += meta_len;
    if (body_len) memcpy(buf + n, body, body_len);
    n += body_len;
    *out = (char *)buf;
    *out_len = n;
    return VNS_OK;
}

vns_status vnsi_docdata_decode(const char *blob, size_t len, vnsi_docdata *out) {
    const unsigned char *p = (const unsigned char *)blob;
    size_t pos = 0;
    uint64_t v;
    memset(out, 0, sizeof *out);
    if (len < 1 || p[0] < 1 || p[0] > 3) return VNS_ECORRUPT;
    int version = p[pos++];
    if (get_varint(p, len, &pos, &v) < 0 || v > len - pos) return VNS_ECORRUPT;
    out->id = blob + pos;
    out->id_len = (size_t)v;
    pos += (size_t)v;
    if (get_varint(p, len, &pos, &v) < 0 || v > len - pos) return VNS_ECORRUPT;
    out->title = blob + pos;
    out->title_len = (size_t)v;
    pos += (size_t)v;
    if (version == 3) {
        if (get_varint(p, len, &pos, &v) < 0 || v > len - pos) return VNS_ECORRUPT;
        out->meta = blob + pos;
        out->meta_len = (size_t)v;
        pos += (size_t)v;
    }
    if (version == 1) {
        /* Deflate gives at most 1032 bytes for one: a longer body is a damaged length. */
        if (get_varint(p, len, &pos, &v) < 0 || v > SIZE_MAX / 2 ||
            v > (uint64_t)(len - pos) * DEFLATE_MAX_RATIO + DEFLATE_MAX_RATIO)
            return VNS_ECORRUPT;
        out->body_len = (size_t)v;
        out->compressed = 1;
    } else {
        out->body_len = len - pos;
    }
    out->stored_body = p + pos;
    out->stored_len = len - pos;
    return VNS_OK;
}

vns_status vnsi_docdata_body(const vnsi_docdata *d, char **out, size_t *out_len) {
    *out = NULL;
    char *buf = malloc(d->body_len + 1);
    if (buf == NULL) return VNS_ENOMEM;
    uLongf n = (uLongf)d->body_len;
    if (d->compressed) {
        int rc = uncompress((Bytef *)buf, &n, d->stored_body, (uLong)d->stored_len);
        if (rc != Z_OK || n != d->body_len) {
            free(buf);
            return rc == Z_MEM_ERROR ? VNS_ENOMEM : VNS_ECORRUPT;
        }
    } else if (n) {
        memcpy(buf, d->stored_body, n);
    }
    buf[n] = '\0';
    *out = buf;
    *out_len = n;
    return VNS_OK;
}

vns_status vnsi_meta_unpack(vnsi_meta_view *out, const char *meta, size_t meta_len) {
    memset(out, 0, sizeof *out);
    if (meta_len == 0) return VNS_OK;
    size_t pos = 0, ntags = 0, vlen;
    char tag;
    const char *value;
    int rc;
    while ((rc = vnsi_meta_next(meta, meta_len, &pos, &tag, &value, &vlen)) == 1)
        ntags += tag == VNSI_META_TAG;
    if (rc < 0) return VNS_ECORRUPT;
    /* Each value and its NUL take at most the field's bytes (tag and length cover the NUL). */
    out->buf = malloc(meta_len);
    out->tags = calloc(ntags ? ntags : 1, sizeof *out->tags);
    if (out->buf == NULL || out->tags == NULL) {
        vnsi_meta_view_free(out);
        return VNS_ENOMEM;
    }
    size_t o = 0;
    pos = 0;
    while (vnsi_meta_next(meta, meta_len, &pos, &tag, &value, &vlen) == 1) {
        char *copy = out->buf + o;
        memcpy(copy, value, vlen);
        copy[vlen] = '\0';
        o += vlen + 1;
        switch (tag) {
        case VNSI_META_DATE: out->meta.date = copy; break;
        case VNSI_META_SOURCE: out->meta.source = copy; break;
        case VNSI_META_TOPIC: out->meta.topic = copy; break;
        case VNSI_META_URL: out->meta.url = copy; break;
        case VNSI_META_TAG: out->tags[out->meta.ntags++] = copy; break;
        default: break; /* A field of a later version: not shown. */
        }
    }
    out->meta.tags = out->meta.ntags ? out->tags : NULL;
    return VNS_OK;
}

void vnsi_meta_view_free(vnsi_meta_view *v) {
    free(v->buf);
    free(v->tags);
    memset(v, 0, sizeof *v);
}
