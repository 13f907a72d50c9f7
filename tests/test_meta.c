/* test_meta.c: article metadata: dates as vnindex reads them, periods of the date: filter, the
 * sortable key, months in Vietnam time, folded filter terms, and the metadata fields of the data
 * blob. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "docdata.h"
#include "meta.h"
#include "schema.h"

/* A date as written -> Unix seconds and the canonical form ("" : does not parse; why holds a
 * word of the reason). */
static const struct {
    const char *text;
    int64_t secs;
    const char *canon, *why;
} dates[] = {
    {"2024-05-06", 1714928400, "2024-05-06", NULL}, /* Midnight in Vietnam: 17:00 UTC before. */
    {"2024-05-06T08:30:00+07:00", 1714959000, "2024-05-06T08:30:00+07:00", NULL},
    {"2024-05-06T08:30", 1714959000, "2024-05-06T08:30:00+07:00", NULL}, /* No zone: UTC+7. */
    {"2024-05-06 08:30:00", 1714959000, "2024-05-06T08:30:00+07:00", NULL},
    {"2024-05-06T01:30:00Z", 1714959000, "2024-05-06T01:30:00+00:00", NULL},
    {"2024-05-06T01:30:00.123Z", 1714959000, "2024-05-06T01:30:00+00:00", NULL},
    {"2024-05-06T03:30:00+0200", 1714959000, "2024-05-06T03:30:00+02:00", NULL},
    {"2024-05-05T21:30:00-04", 1714959000, "2024-05-05T21:30:00-04:00", NULL},
    {"1714959000", 1714959000, "2024-05-06T08:30:00+07:00", NULL}, /* Unix seconds. */
    {"0", 0, "1970-01-01T07:00:00+07:00", NULL},
    {"-86400", -86400, "1969-12-31T07:00:00+07:00", NULL},
    {"2024-02-29", 1709139600, "2024-02-29", NULL},
    {"1900-01-01", -2209014000, "1900-01-01", NULL},
    {"2024-13-01", 0, "", "month"},
    {"2023-02-29", 0, "", "day"},
    {"2024-04-31", 0, "", "day"},
    {"2024-05-06T25:00", 0, "", "time"},
    {"2024-05-06T08:30+25:00", 0, "", "zone"},
    {"2024-05-06X", 0, "", "time"},
    {"24-05-06", 0, "", "Unix"},
    {"", 0, "", "empty"},
    {"hôm qua", 0, "", "Unix"},
    {"99999999999999", 0, "", "range"},
    {"0000-01-01", 0, "", "year"},
    /* Years 1 to 9999 in Vietnam time: the same instant either way it is written. */
    {"0001-01-01T00:00:00+07:00", -62135622000, "0001-01-01T00:00:00+07:00", NULL},
    {"9999-12-31T23:00:00Z", 0, "", "range"},
    {"9999-12-31T16:59:59Z", 253402275599, "9999-12-31T16:59:59+00:00", NULL},
    {"2024-05-06T08:30+07:", 0, "", "zone"},
};

static void meta__dates(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
        int64_t secs = -1;
        char canon[VNSI_DATE_CAP] = "";
        const char *why = NULL;
        int rc = vnsi_date_parse(dates[i].text, strlen(dates[i].text), &secs, canon, &why);
        if (dates[i].why) {
            assert_int_equal(rc, -1);
            assert_non_null(strstr(why, dates[i].why));
            assert_int_equal(vns_parse_date(NULL, dates[i].text), VNS_EINVAL);
        } else {
            assert_int_equal(rc, 0);
            assert_int_equal(secs, dates[i].secs);
            assert_string_equal(canon, dates[i].canon);
            int64_t again = 0;
            assert_int_equal(vns_parse_date(&again, canon), VNS_OK); /* Canonical reads back. */
            assert_int_equal(again, secs);
        }
    }
    assert_int_equal(vns_parse_date(NULL, NULL), VNS_EINVAL);
}

/* A period of the query language -> its first and last second (Vietnam time). */
static const struct {
    const char *text;
    int64_t lo, hi;
    int ok;
} periods[] = {
    {"2024", 1704042000, 1735664399, 1},       /* 2024-01-01 00:00 to 12-31 23:59:59 +07. */
    {"2024-02", 1706720400, 1709225999, 1},    /* A leap February: 29 days. */
    {"2023-02", 1675184400, 1677603599, 1},    /* 28 days. */
    {"2024-05-06", 1714928400, 1715014799, 1}, /* One day. */
    {"2024-12", 1732986000, 1735664399, 1},    /* December ends with the year. */
    {"2024-5", 0, 0, 0},
    {"2024-05-6", 0, 0, 0},
    {"2024-00", 0, 0, 0},
    {"abcd", 0, 0, 0},
    {"2024-05-06T08", 0, 0, 0},
    {"", 0, 0, 0},
};

static void meta__periods(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof periods / sizeof periods[0]; i++) {
        int64_t lo = 0, hi = 0;
        const char *why = NULL;
        int rc = vnsi_period_parse(periods[i].text, strlen(periods[i].text), &lo, &hi, &why);
        assert_int_equal(rc, periods[i].ok ? 0 : -1);
        if (!periods[i].ok) {
            assert_non_null(why);
            continue;
        }
        assert_int_equal(lo, periods[i].lo);
        assert_int_equal(hi, periods[i].hi);
    }
}

/* A closed period as the fewest year, month and day terms; too many is 0 (a value range). */
static void meta__period_terms(void **state) {
    (void)state;
    static const struct {
        const char *lo, *hi, *terms;
    } rows[] = {
        {"2015", "2018", "XY2015 XY2016 XY2017 XY2018"},
        {"2024-05", "2024-05", "XM202405"},
        {"2024-05-06", "2024-05-06", "XD20240506"},
        {"2023-11-30", "2024-02", "XD20231130 XM202312 XM202401 XM202402"},
        {"2024-02-28", "2024-03-01", "XD20240228 XD20240229 XD20240301"},
        {"1969-12-31", "1970-01-01", "XD19691231 XD19700101"},
        {"2023-12", "2025-01", "XM202312 XY2024 XM202501"},
        {"1900", "2023", ""}, /* 124 years: a value range instead. */
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        int64_t lo, hi, unused;
        const char *why;
        assert_int_equal(vnsi_period_parse(rows[i].lo, strlen(rows[i].lo), &lo, &unused, &why), 0);
        assert_int_equal(vnsi_period_parse(rows[i].hi, strlen(rows[i].hi), &unused, &hi, &why), 0);
        char terms[VNSI_DATE_TERMS_MAX][VNSI_DATE_TERM_CAP], got[1024] = "";
        size_t n = vnsi_period_terms(lo, hi, terms, VNSI_DATE_TERMS_MAX);
        for (size_t k = 0; k < n; k++) {
            if (k) strcat(got, " ");
            strcat(got, terms[k]);
        }
        assert_string_equal(got, rows[i].terms);
    }
    /* A date's own terms are the ones its day, month and year filters search. */
    char y[VNSI_DATE_TERM_CAP], m[VNSI_DATE_TERM_CAP], d[VNSI_DATE_TERM_CAP];
    vnsi_date_terms(1704042000, y, m, d); /* 2024-01-01T00:00:00+07:00. */
    assert_string_equal(y, "XY2024");
    assert_string_equal(m, "XM202401");
    assert_string_equal(d, "XD20240101");
}

/* Keys sort as times do, before 1970 too; months are Vietnam time. */
static void meta__keys_and_months(void **state) {
    (void)state;
    static const int64_t times[] = {-2209014000, -86400, -1, 0, 1, 1714959000, 253402300799};
    for (size_t i = 0; i + 1 < sizeof times / sizeof times[0]; i++) {
        unsigned char a[VNSI_DATE_KEY_LEN], b[VNSI_DATE_KEY_LEN];
        vnsi_date_key(times[i], a);
        vnsi_date_key(times[i + 1], b);
        assert_true(memcmp(a, b, VNSI_DATE_KEY_LEN) < 0);
        assert_true(a[0] < 0xff); /* Below the key of "no date" when sorting oldest first. */
    }
    static const struct {
        int64_t secs;
        const char *month;
    } months[] = {
        {1714959000, "2024-05"},
        {1704041999, "2023-12"}, /* 2023-12-31T23:59:59+07:00. */
        {1704042000, "2024-01"}, /* 2024-01-01T00:00:00+07:00 (still 2023 in UTC). */
        {-86400, "1969-12"},
    };
    for (size_t i = 0; i < sizeof months / sizeof months[0]; i++) {
        char m[VNSI_MONTH_CAP];
        vnsi_date_month(months[i].secs, m);
        assert_string_equal(m, months[i].month);
    }
}

/* A whole value -> its filter term: folded, spaces made one, trimmed. */
static void meta__terms(void **state) {
    (void)state;
    vnsi_analyzer *an = NULL;
    assert_int_equal(vnsi_analyzer_new(&an), VNS_OK);
    static const struct {
        const char *value, *term;
    } rows[] = {
        {"Thể thao", "XTOPICthe thao"},
        {"  THỂ   THAO ", "XTOPICthe thao"},
        {"Đời sống", "XTOPICdoi song"},
        {"VnExpress.net", "XTOPICvnexpress.net"},
        {"   ", ""},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char t[VNSI_META_TERM_CAP];
        size_t n = vnsi_meta_term(an, VNS_PREFIX_META_TOPIC, rows[i].value, strlen(rows[i].value),
                                  t, sizeof t);
        assert_int_equal(n, strlen(rows[i].term));
        if (n) assert_string_equal(t, rows[i].term);
    }
    /* A long value is cut at a character, within the term limit. */
    char lng[1200] = "";
    for (int i = 0; i < 200; i++) strcat(lng, "đ");
    char t[VNSI_META_TERM_CAP];
    size_t n = vnsi_meta_term(an, VNS_PREFIX_META_TAG, lng, strlen(lng), t, sizeof t);
    assert_true(n > 100 && n <= VNS_MAX_FORM_BYTES);
    assert_string_equal(t + n - 1, "d");
    vnsi_analyzer_free(an);
}

/* Metadata fields through the blob: appended, encoded, decoded, unpacked. */
static void meta__blob(void **state) {
    (void)state;
    char *m = NULL;
    size_t len = 0, cap = 0;
    assert_int_equal(vnsi_meta_append(&m, &len, &cap, VNSI_META_DATE, "2024-05-06", 10), VNS_OK);
    assert_int_equal(vnsi_meta_append(&m, &len, &cap, VNSI_META_SOURCE, "tuoitre.vn", 10), VNS_OK);
    assert_int_equal(vnsi_meta_append(&m, &len, &cap, VNSI_META_TAG, "vàng", strlen("vàng")),
                     VNS_OK);
    assert_int_equal(vnsi_meta_append(&m, &len, &cap, VNSI_META_TAG, "giá", strlen("giá")), VNS_OK);
    char *blob = NULL;
    size_t blen = 0;
    assert_int_equal(vnsi_docdata_encode("a1", 2, "Tiêu đề", strlen("Tiêu đề"), m, len, "Thân.",
                                         strlen("Thân."), &blob, &blen),
                     VNS_OK);
    vnsi_docdata d;
    assert_int_equal(vnsi_docdata_decode(blob, blen, &d), VNS_OK);
    assert_int_equal(d.meta_len, len);
    vnsi_meta_view v;
    assert_int_equal(vnsi_meta_unpack(&v, d.meta, d.meta_len), VNS_OK);
    assert_string_equal(v.meta.date, "2024-05-06");
    assert_string_equal(v.meta.source, "tuoitre.vn");
    assert_null(v.meta.topic);
    assert_null(v.meta.url);
    assert_int_equal(v.meta.ntags, 2);
    assert_string_equal(v.meta.tags[1], "giá");
    char *body = NULL;
    size_t body_len = 0;
    assert_int_equal(vnsi_docdata_body(&d, &body, &body_len), VNS_OK);
    assert_string_equal(body, "Thân.");
    free(body);
    vnsi_meta_view_free(&v);
    /* Fields cut short are corrupt, not read past. */
    assert_int_equal(vnsi_meta_unpack(&v, m, len - 1), VNS_ECORRUPT);
    free(blob);
    free(m);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(meta__dates),
        cmocka_unit_test(meta__periods),
        cmocka_unit_test(meta__keys_and_months),
        cmocka_unit_test(meta__terms),
        cmocka_unit_test(meta__blob),
        cmocka_unit_test(meta__period_terms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
