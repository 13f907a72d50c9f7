/* test_docdata.c: the document data blob: round trips, the version 1 blobs older indexes hold, and
 * damaged blobs refused as corrupt. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zlib.h>

#include "docdata.h"

typedef struct round_row {
    const char *id, *title, *body;
} round_row;

static const round_row rounds[] = {
    {"a", "Điện Biên", "Hội nghị chuyển đổi số."},
    {"b", "", "Chỉ có thân bài."},
    {"c", "Chỉ tiêu đề", ""},
    {"vntc/train/XH_NLD_(1).txt", "Tiêu đề", "Dòng một.\nDòng hai với số 70,91 và 3.500."},
};

/* Checks a decoded view against the expected fields, body included. */
static void expect(const vnsi_docdata *d, const char *id, const char *title, const char *body) {
    assert_int_equal(d->id_len, strlen(id));
    assert_memory_equal(d->id, id, d->id_len);
    assert_int_equal(d->title_len, strlen(title));
    if (d->title_len) assert_memory_equal(d->title, title, d->title_len);
    char *b = NULL;
    size_t blen = 0;
    assert_int_equal(vnsi_docdata_body(d, &b, &blen), VNS_OK);
    assert_int_equal(blen, strlen(body));
    assert_string_equal(b, body);
    free(b);
}

static void docdata__round_trips(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof rounds / sizeof rounds[0]; i++) {
        const round_row *r = &rounds[i];
        char *blob = NULL;
        size_t len = 0;
        assert_int_equal(vnsi_docdata_encode(r->id, strlen(r->id), r->title, strlen(r->title), "",
                                             0, r->body, strlen(r->body), &blob, &len),
                         VNS_OK);
        assert_int_equal((unsigned char)blob[0], VNS_DOCDATA_VERSION);
        vnsi_docdata d;
        assert_int_equal(vnsi_docdata_decode(blob, len, &d), VNS_OK);
        expect(&d, r->id, r->title, r->body);
        free(blob);
    }
}

/* A version 1 blob as the first indexes were written: the body zlib-compressed. */
static size_t v1_blob(const round_row *r, unsigned char *out, size_t cap) {
    size_t n = 0, il = strlen(r->id), tl = strlen(r->title), bl = strlen(r->body);
    out[n++] = 1;
    out[n++] = (unsigned char)il; /* All lengths here are under 128: one varint byte each. */
    memcpy(out + n, r->id, il);
    n += il;
    out[n++] = (unsigned char)tl;
    memcpy(out + n, r->title, tl);
    n += tl;
    out[n++] = (unsigned char)bl;
    uLongf z = (uLongf)(cap - n);
    assert_int_equal(compress2(out + n, &z, (const Bytef *)r->body, (uLong)bl, 6), Z_OK);
    return n + z;
}

static void docdata__version_1_still_read(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof rounds / sizeof rounds[0]; i++) {
        unsigned char blob[512];
        size_t len = v1_blob(&rounds[i], blob, sizeof blob);
        vnsi_docdata d;
        assert_int_equal(vnsi_docdata_decode((const char *)blob, len, &d), VNS_OK);
        assert_true(d.compressed);
        expect(&d, rounds[i].id, rounds[i].title, rounds[i].body);
    }
}

typedef struct bad_row {
    const char *what;
    const char *blob;
    size_t len;
} bad_row;

#define BAD(what, lit)                                                                             \
    { what, lit, sizeof lit - 1 }
static const bad_row bads[] = {
    {"empty", "", 0},
    BAD("unknown version 0", "\x00\x01"
                             "a\x00"),
    BAD("unknown version 3", "\x03\x01"
                             "a\x00"),
    BAD("id longer than the blob", "\x02\x09"
                                   "a"),
    BAD("title longer than the blob", "\x02\x01"
                                      "a\x05"
                                      "ab"),
    BAD("varint never ends", "\x02\x81\x82\x83"),
    BAD("version 1 without a body length", "\x01\x01"
                                           "a\x00"),
    /* 2^60 bytes from 2 stored ones: more than deflate can give (1032 to 1); it was
     * VNS_ENOMEM from a malloc of that size (a review). */
    BAD("version 1 body longer than its stored bytes can inflate to",
        "\x01\x01"
        "a\x00\x80\x80\x80\x80\x80\x80\x80\x80\x10"
        "xy"),
};

static void docdata__damaged_blobs_are_corrupt(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof bads / sizeof bads[0]; i++) {
        vnsi_docdata d;
        if (vnsi_docdata_decode(bads[i].blob, bads[i].len, &d) != VNS_ECORRUPT)
            fail_msg("%s: not refused as corrupt", bads[i].what);
    }
    /* A version 1 body that does not inflate to its recorded length. */
    unsigned char blob[512];
    size_t len = v1_blob(&rounds[0], blob, sizeof blob);
    blob[len - 3] ^= 0x55;
    vnsi_docdata d;
    assert_int_equal(vnsi_docdata_decode((const char *)blob, len, &d), VNS_OK);
    char *b = NULL;
    size_t blen = 0;
    assert_int_equal(vnsi_docdata_body(&d, &b, &blen), VNS_ECORRUPT);
    assert_null(b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(docdata__round_trips),
        cmocka_unit_test(docdata__version_1_still_read),
        cmocka_unit_test(docdata__damaged_blobs_are_corrupt),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
