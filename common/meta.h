/* meta.h: an article's metadata (date, source, topic, tags, url): dates and periods, the stored
 * form, and the filter terms and value slots the writer and the searcher share. */
#ifndef VNS_META_H
#define VNS_META_H

#include <stddef.h>
#include <stdint.h>

#include "analyzer.h"
#include "vnsearch.h"

/* Vietnam time (UTC+7): a date-time without a zone is read in it, and calendar filters
 * (date:2024-05) and the year and month facets count in it. */
#define VNSI_VN_OFFSET_SECONDS (7 * 3600)

/* A canonical date: "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SS+HH:MM", NUL-terminated. */
#define VNSI_DATE_CAP 32
/* The sortable key of a date (value slot VNS_SLOT_DATE): 8 bytes, big-endian, sign bit flipped,
 * so that byte order is time order. */
#define VNSI_DATE_KEY_LEN 8
/* "YYYY-MM" (in value slot VNS_SLOT_FACETS) and its NUL. */
#define VNSI_MONTH_CAP 8
/* In value slot VNS_SLOT_FACETS the fields are separated by VNSI_FIELD_SEP and the tags by
 * VNSI_TAG_SEP; either byte inside a value is written as a space. */
#define VNSI_FIELD_SEP '\x1e'
#define VNSI_TAG_SEP '\x1f'

/* The proleptic Gregorian calendar (H. Hinnant's algorithms): the days since 1970-01-01 of y-m-d,
 * and the date of day z (negative before 1970). Never fail. */
int64_t vnsi_days_from_civil(int64_t y, unsigned m, unsigned d);
void vnsi_civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d);

/* Parses a date as vns_doc.meta.date takes it: an ISO 8601 date (2024-05-06) or date-time
 * (2024-05-06T08:30, seconds, a fraction of them, and a zone Z, +07:00, +0700 or +07
 * optional; a space may stand for the T), read in Vietnam time when it has no zone; or Unix
 * seconds in decimal. Years 1 to 9999. *secs gets the Unix time and canon the canonical form:
 * "2024-05-06" for a date, "2024-05-06T08:30:00+07:00" for a date-time (Unix seconds written in
 * Vietnam time). Returns 0, or -1 when text does not parse (why gets a short reason, static).
 * Never fails otherwise. */
int vnsi_date_parse(const char *text, size_t len, int64_t *secs, char canon[VNSI_DATE_CAP],
                    const char **why);

/* The sortable key of secs into out (VNSI_DATE_KEY_LEN bytes). Never fails. */
void vnsi_date_key(int64_t secs, unsigned char out[VNSI_DATE_KEY_LEN]);

/* The Vietnam-time month of secs, "YYYY-MM", into out. Never fails. */
void vnsi_date_month(int64_t secs, char out[VNSI_MONTH_CAP]);

/* Parses a period of the query language: a year (2024), a month (2024-05) or a day
 * (2024-05-06), in Vietnam time: *lo gets its first second and *hi its last. Returns 0, or -1
 * when text is not one (why gets a reason). Never fails otherwise. */
int vnsi_period_parse(const char *text, size_t len, int64_t *lo, int64_t *hi, const char **why);

/* The year, month and day terms of secs (VNS_PREFIX_META_YEAR, _MONTH, _DAY and the date in
 * Vietnam time), NUL-terminated, into y, m and d. Never fails. */
#define VNSI_DATE_TERM_CAP 16
void vnsi_date_terms(int64_t secs, char y[VNSI_DATE_TERM_CAP], char m[VNSI_DATE_TERM_CAP],
                     char d[VNSI_DATE_TERM_CAP]);

/* The days [lo, hi] (Unix seconds: lo the first second of a Vietnam-time day, hi the last of
 * one, as vnsi_period_parse gives) as the fewest whole years, months and days, written as their
 * terms into terms (max of them). Returns how many, or 0 when more than max would be needed (or
 * lo > hi): then the range is searched on the value slot instead. Never fails. */
#define VNSI_DATE_TERMS_MAX 64
size_t vnsi_period_terms(int64_t lo, int64_t hi, char (*terms)[VNSI_DATE_TERM_CAP], size_t max);

/* The filter term of a whole field value: prefix (VNS_PREFIX_META_*), then the value folded as
 * words are (diacritics, đ, case), its runs of spaces made one, trimmed, cut at a character
 * within the term limit. Writes into out (cap bytes, NUL-terminated) and returns the length; 0
 * when the value has nothing but spaces. Never fails. */
size_t vnsi_meta_term(vnsi_analyzer *an, const char *prefix, const char *value, size_t len,
                      char *out, size_t cap);
#define VNSI_META_TERM_CAP 256

#endif /* VNS_META_H */
