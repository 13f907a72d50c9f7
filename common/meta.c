/* meta.c: dates, periods and filter terms of article metadata (meta.h). */
#include "meta.h"

#include <stdio.h>
#include <string.h>

#include "schema.h"

#define DAY_SECONDS 86400
/* 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z. */
#define MIN_SECONDS (-62135596800LL)
#define MAX_SECONDS 253402300799LL

int64_t vnsi_days_from_civil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

void vnsi_civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d) {
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static int leap(int y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned month_days(int y, unsigned m) {
    static const unsigned days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : days[m - 1];
}

/* Reads exactly n digits at text[*i]; -1 when they are not there. */
static long digits(const char *text, size_t len, size_t *i, int n) {
    long v = 0;
    for (int k = 0; k < n; k++, (*i)++) {
        if (*i >= len || text[*i] < '0' || text[*i] > '9') return -1;
        v = v * 10 + (text[*i] - '0');
    }
    return v;
}

/* The broken-down time of secs shifted by offset seconds. */
static void split(int64_t secs, int offset, int *y, unsigned *mo, unsigned *d, unsigned *h,
                  unsigned *mi, unsigned *s) {
    int64_t t = secs + offset;
    int64_t days = (t >= 0 ? t : t - (DAY_SECONDS - 1)) / DAY_SECONDS;
    int64_t rest = t - days * DAY_SECONDS;
    vnsi_civil_from_days(days, y, mo, d);
    *h = (unsigned)(rest / 3600);
    *mi = (unsigned)(rest / 60 % 60);
    *s = (unsigned)(rest % 60);
}

static void write_datetime(int64_t secs, int offset, char canon[VNSI_DATE_CAP]) {
    int y;
    unsigned mo, d, h, mi, s;
    split(secs, offset, &y, &mo, &d, &h, &mi, &s);
    int off = offset < 0 ? -offset : offset;
    snprintf(canon, VNSI_DATE_CAP, "%04d-%02u-%02uT%02u:%02u:%02u%c%02d:%02d", y, mo, d, h, mi, s,
             offset < 0 ? '-' : '+', off / 3600, off / 60 % 60);
}

/* Unix seconds in decimal. */
static int parse_unix(const char *text, size_t len, int64_t *secs, char canon[VNSI_DATE_CAP],
                      const char **why) {
    size_t i = text[0] == '-';
    if (i == len || len - i > 12) {
        *why = "Unix seconds out of range (years 1 to 9999)";
        return -1;
    }
    int64_t v = 0;
    for (; i < len; i++) {
        if (text[i] < '0' || text[i] > '9') {
            *why = "not a date (YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS][zone]) nor Unix seconds";
            return -1;
        }
        v = v * 10 + (text[i] - '0');
    }
    if (text[0] == '-') v = -v;
    if (v < MIN_SECONDS - VNSI_VN_OFFSET_SECONDS || v > MAX_SECONDS - VNSI_VN_OFFSET_SECONDS) {
        *why = "Unix seconds out of range (years 1 to 9999)";
        return -1;
    }
    *secs = v;
    write_datetime(v, VNSI_VN_OFFSET_SECONDS, canon);
    return 0;
}

/* A calendar date YYYY[-MM[-DD]] at text[0..); parts says how many of the three to require at
 * least (1 to 3) and *got how many were read; *i the bytes read. Returns -1 with why set. */
static int parse_ymd(const char *text, size_t len, size_t *i, int need, int *got, long *y, long *m,
                     long *d, const char **why) {
    *got = 0;
    *m = *d = 1;
    if ((*y = digits(text, len, i, 4)) < 1) {
        *why = "a date starts with a four-digit year (0001 to 9999)";
        return -1;
    }
    *got = 1;
    if (*i < len && text[*i] == '-' && need >= 1) {
        (*i)++;
        if ((*m = digits(text, len, i, 2)) < 1 || *m > 12) {
            *why = *m < 0 ? "the month is two digits (2024-05)" : "the month is not 01 to 12";
            return -1;
        }
        *got = 2;
        if (*i < len && text[*i] == '-') {
            (*i)++;
            if ((*d = digits(text, len, i, 2)) < 1 ||
                *d > (long)month_days((int)*y, (unsigned)*m)) {
                *why =
                    *d < 0 ? "the day is two digits (2024-05-09)" : "the day is not in that month";
                return -1;
            }
            *got = 3;
        }
    }
    if (*got < need) {
        *why = "the date is not YYYY-MM-DD";
        return -1;
    }
    return 0;
}

int vnsi_date_parse(const char *text, size_t len, int64_t *secs, char canon[VNSI_DATE_CAP],
                    const char **why) {
    *why = "empty date";
    if (len == 0) return -1;
    if (len < 10 || text[4] != '-') return parse_unix(text, len, secs, canon, why);
    size_t i = 0;
    int got;
    long y, mo, d;
    if (parse_ymd(text, len, &i, 3, &got, &y, &mo, &d, why) < 0) return -1;
    int64_t day = vnsi_days_from_civil(y, (unsigned)mo, (unsigned)d);
    if (i == len) {
        *secs = day * DAY_SECONDS - VNSI_VN_OFFSET_SECONDS;
        snprintf(canon, VNSI_DATE_CAP, "%04ld-%02ld-%02ld", y, mo, d);
        return 0;
    }
    *why = "the time is not THH:MM[:SS][.fraction][Z|+HH:MM]";
    if (text[i] != 'T' && text[i] != 't' && text[i] != ' ') return -1;
    i++;
    long h = digits(text, len, &i, 2), mi = -1, s = 0;
    if (h >= 0 && i < len && text[i] == ':') {
        i++;
        mi = digits(text, len, &i, 2);
    }
    if (h < 0 || h > 23 || mi < 0 || mi > 59) return -1;
    if (i < len && text[i] == ':') {
        i++;
        if ((s = digits(text, len, &i, 2)) < 0 || s > 60) return -1;
        if (s == 60) s = 59; /* A leap second: the moment before. */
        if (i < len && (text[i] == '.' || text[i] == ',')) {
            size_t f = ++i;
            while (i < len && text[i] >= '0' && text[i] <= '9') i++;
            if (i == f) return -1;
        }
    }
    long offset = VNSI_VN_OFFSET_SECONDS;
    if (i < len && (text[i] == 'Z' || text[i] == 'z')) {
        offset = 0;
        i++;
    } else if (i < len && (text[i] == '+' || text[i] == '-')) {
        int neg = text[i++] == '-';
        long oh = digits(text, len, &i, 2), om = 0;
        int colon = oh >= 0 && i < len && text[i] == ':';
        if (colon) i++;
        if (oh >= 0 && (colon || i < len)) om = digits(text, len, &i, 2);
        if (oh < 0 || oh > 14 || om < 0 || om > 59) {
            *why = "the zone is not Z, +HH:MM, +HHMM or +HH";
            return -1;
        }
        offset = (oh * 3600 + om * 60) * (neg ? -1 : 1);
    }
    if (i != len) return -1;
    int64_t t = day * DAY_SECONDS + h * 3600 + mi * 60 + s - offset;
    /* Years 1 to 9999 in Vietnam time, where the calendar filters and facets count. */
    if (t < MIN_SECONDS - VNSI_VN_OFFSET_SECONDS || t > MAX_SECONDS - VNSI_VN_OFFSET_SECONDS) {
        *why = "the date is out of range (years 1 to 9999)";
        return -1;
    }
    *secs = t;
    write_datetime(t, (int)offset, canon);
    return 0;
}

void vnsi_date_key(int64_t secs, unsigned char out[VNSI_DATE_KEY_LEN]) {
    uint64_t u = (uint64_t)secs ^ ((uint64_t)1 << 63);
    for (int i = VNSI_DATE_KEY_LEN - 1; i >= 0; i--) {
        out[i] = (unsigned char)(u & 0xff);
        u >>= 8;
    }
}

void vnsi_date_month(int64_t secs, char out[VNSI_MONTH_CAP]) {
    int y;
    unsigned mo, d, h, mi, s;
    split(secs, VNSI_VN_OFFSET_SECONDS, &y, &mo, &d, &h, &mi, &s);
    /* Years 1 to 9999 and months 1 to 12 by construction. */
    int yy = y < 0 ? 0 : y % 10000;
    unsigned mm = mo > 12 ? 12 : mo;
    out[0] = (char)('0' + yy / 1000);
    out[1] = (char)('0' + yy / 100 % 10);
    out[2] = (char)('0' + yy / 10 % 10);
    out[3] = (char)('0' + yy % 10);
    out[4] = '-';
    out[5] = (char)('0' + mm / 10);
    out[6] = (char)('0' + mm % 10);
    out[7] = '\0';
}

void vnsi_date_terms(int64_t secs, char y[VNSI_DATE_TERM_CAP], char m[VNSI_DATE_TERM_CAP],
                     char d[VNSI_DATE_TERM_CAP]) {
    int yy;
    unsigned mo, dd, h, mi, s;
    split(secs, VNSI_VN_OFFSET_SECONDS, &yy, &mo, &dd, &h, &mi, &s);
    yy = yy < 0 ? 0 : yy % 10000;
    mo = mo > 12 ? 12 : mo;
    dd = dd > 31 ? 31 : dd;
    snprintf(y, VNSI_DATE_TERM_CAP, "%s%04d", VNS_PREFIX_META_YEAR, yy);
    snprintf(m, VNSI_DATE_TERM_CAP, "%s%04d%02u", VNS_PREFIX_META_MONTH, yy, mo);
    snprintf(d, VNSI_DATE_TERM_CAP, "%s%04d%02u%02u", VNS_PREFIX_META_DAY, yy, mo, dd);
}

size_t vnsi_period_terms(int64_t lo, int64_t hi, char (*terms)[VNSI_DATE_TERM_CAP], size_t max) {
    if (lo > hi) return 0;
    /* Whole days in Vietnam time. */
    int64_t a = lo + VNSI_VN_OFFSET_SECONDS, b = hi + VNSI_VN_OFFSET_SECONDS;
    int64_t day = (a >= 0 ? a : a - (DAY_SECONDS - 1)) / DAY_SECONDS; /* Floor, 1969 too. */
    int64_t last = (b >= 0 ? b : b - (DAY_SECONDS - 1)) / DAY_SECONDS;
    size_t n = 0;
    while (day <= last) {
        if (n == max) return 0;
        int y;
        unsigned m, d;
        vnsi_civil_from_days(day, &y, &m, &d);
        /* Within 1..12 and 1..31 already: the bounds let gcc see the terms fit. */
        unsigned tm = m % 100u, td = d % 100u;
        int64_t year_end = vnsi_days_from_civil(y + 1, 1, 1) - 1;
        int64_t month_end = day + month_days(y, m) - 1;
        if (m == 1 && d == 1 && year_end <= last) {
            snprintf(terms[n++], VNSI_DATE_TERM_CAP, "%s%04d", VNS_PREFIX_META_YEAR, y % 10000);
            day = year_end + 1;
        } else if (d == 1 && month_end <= last) {
            snprintf(terms[n++], VNSI_DATE_TERM_CAP, "%s%04d%02u", VNS_PREFIX_META_MONTH, y % 10000,
                     tm);
            day = month_end + 1;
        } else {
            snprintf(terms[n++], VNSI_DATE_TERM_CAP, "%s%04d%02u%02u", VNS_PREFIX_META_DAY,
                     y % 10000, tm, td);
            day++;
        }
    }
    return n;
}

int vnsi_period_parse(const char *text, size_t len, int64_t *lo, int64_t *hi, const char **why) {
    size_t i = 0;
    int got;
    long y, m, d;
    if (parse_ymd(text, len, &i, 1, &got, &y, &m, &d, why) < 0) return -1;
    if (i != len) {
        *why = "a date is YYYY, YYYY-MM or YYYY-MM-DD";
        return -1;
    }
    int64_t first = vnsi_days_from_civil(y, (unsigned)m, (unsigned)d), next;
    if (got == 3)
        next = first + 1;
    else if (got == 2)
        next = first + month_days((int)y, (unsigned)m);
    else
        next = vnsi_days_from_civil(y + 1, 1, 1);
    *lo = first * DAY_SECONDS - VNSI_VN_OFFSET_SECONDS;
    *hi = next * DAY_SECONDS - VNSI_VN_OFFSET_SECONDS - 1;
    return 0;
}

size_t vnsi_meta_term(vnsi_analyzer *an, const char *prefix, const char *value, size_t len,
                      char *out, size_t cap) {
    char folded[VNSI_META_TERM_CAP];
    size_t pl = strlen(prefix);
    if (cap < pl + 2) return 0;
    size_t fl = vnsi_fold_text(an, value, len, folded, sizeof folded);
    if (fl >= sizeof folded) fl = sizeof folded - 1;
    size_t n = pl, room = cap - 1 < VNS_MAX_FORM_BYTES ? cap - 1 : VNS_MAX_FORM_BYTES;
    memcpy(out, prefix, pl);
    int space = 0;
    size_t i = 0;
    for (; i < fl && n < room; i++) {
        unsigned char c = (unsigned char)folded[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            space = n > pl;
            continue;
        }
        if (space && n + 1 < room) out[n++] = ' ';
        space = 0;
        out[n++] = (char)c;
    }
    /* Cut inside a character: drop its bytes. */
    if (i < fl && ((unsigned char)folded[i] & 0xC0) == 0x80) {
        while (n > pl && ((unsigned char)out[n - 1] & 0xC0) == 0x80) n--;
        if (n > pl) n--;
    }
    while (n > pl && out[n - 1] == ' ') n--;
    out[n] = '\0';
    return n > pl ? n : 0;
}

vns_status vns_parse_date(int64_t *unix_seconds, const char *text) {
    if (text == NULL) return VNS_EINVAL;
    int64_t secs;
    char canon[VNSI_DATE_CAP];
    const char *why;
    if (vnsi_date_parse(text, strlen(text), &secs, canon, &why) < 0) return VNS_EINVAL;
    if (unix_seconds) *unix_seconds = secs;
    return VNS_OK;
}
