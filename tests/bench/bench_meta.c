/* bench_meta.c: the metadata benchmark of issue 14: gives a corpus synthetic dates, builds the
 * FTS5 peer with the same dates, sources and topics as SQL columns, and times filtered, sorted
 * and faceted queries in both engines; also prints a query set's answers for the round trip. */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <zlib.h>

#include "bench_util.h"
#include "fts5_peer.h"
#include "meta.h"
#include "readers.h"
#include "util.h"
#include "vnsearch.h"

#define TIMED_PASSES 3
#define TOP 10 /* Results read per query. */
#define MAX_QUERIES 2000

/* The synthetic dates: uniformly over these days, inclusive (proleptic Gregorian). */
#define FIRST_YEAR 2006
#define LAST_YEAR 2024

/* The synthetic date of the article with this id, "YYYY-MM-DD" into out (11 bytes): a day
 * chosen by a hash of the id, uniform over FIRST_YEAR-01-01..LAST_YEAR-12-31. Never fails. */
static void synthetic_date(char out[11], const char *id) {
    int64_t first = vnsi_days_from_civil(FIRST_YEAR, 1, 1);
    int64_t last = vnsi_days_from_civil(LAST_YEAR, 12, 31);
    int y;
    unsigned m, d;
    uint64_t h = vnsi_fnv1a(VNSI_FNV_SEED, id, strlen(id));
    vnsi_civil_from_days(first + (int64_t)(h % (uint64_t)(last - first + 1)), &y, &m, &d);
    /* The year is 4 digits, the month and day 2 (said to the compiler with the modulos). */
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, m % 100, d % 100);
}

/* Copies the JSONL corpus in (gzip or plain) to out, each article given its synthetic date
 * (dated non-zero) or stripped of date, source, topic, tags and url (dated 0); other fields are
 * kept in their order. Returns 0, or 1 with the message on stderr. */
static int do_copy(const char *in, const char *out, int dated) {
    gzFile g = gzopen(in, "rb");
    FILE *f = fopen(out, "w");
    if (g == NULL || f == NULL) {
        fprintf(stderr, "bench_meta: cannot open %s or %s\n", in, out);
        if (g) gzclose(g);
        if (f) fclose(f);
        return 1;
    }
    size_t cap = 1 << 20, len = 0, n = 0;
    char *line = malloc(cap);
    int rc = line ? 0 : 1;
    while (rc == 0 && gzgets(g, line + len, (int)(cap - len)) != NULL) {
        len += strlen(line + len);
        if (len == cap - 1 && line[len - 1] != '\n') { /* A longer line: grow and read on. */
            char *bigger = realloc(line, cap * 2);
            if (bigger == NULL) rc = 1;
            line = bigger ? bigger : line;
            cap *= 2;
            continue;
        }
        json_error_t err;
        json_t *o = json_loadb(line, len, 0, &err);
        len = 0;
        if (o == NULL || !json_is_object(o) || !json_is_string(json_object_get(o, "id"))) {
            fprintf(stderr, "bench_meta: %s: article %zu: not an object with an id\n", in, n + 1);
            json_decref(o);
            rc = 1;
            break;
        }
        if (dated) {
            char date[11];
            synthetic_date(date, json_string_value(json_object_get(o, "id")));
            json_object_set_new(o, "date", json_string(date));
        } else {
            const char *meta[] = {"date", "source", "topic", "tags", "url"};
            for (size_t i = 0; i < sizeof meta / sizeof *meta; i++) json_object_del(o, meta[i]);
        }
        if (json_dumpf(o, f, JSON_PRESERVE_ORDER | JSON_COMPACT) < 0 || fputc('\n', f) == EOF)
            rc = 1;
        json_decref(o);
        n++;
    }
    free(line);
    gzclose(g);
    if (fclose(f) != 0) rc = 1;
    if (rc) fprintf(stderr, "bench_meta: copying %s to %s failed\n", in, out);
    fprintf(stderr, "bench_meta: %zu articles written to %s\n", n, out);
    return rc;
}

/* What the FTS5 side table build needs: the insert and the rows so far. */
typedef struct side_ctx {
    sqlite3_stmt *ins;
    long long docid;
} side_ctx;

/* The date "YYYY-MM-DD..." as the integer YYYYMMDD, or 0 when absent. Never fails. */
static long date_int(const char *date) {
    long y = 0;
    unsigned m = 0, d = 0;
    if (date == NULL || sscanf(date, "%ld-%u-%u", &y, &m, &d) != 3) return 0;
    return y * 10000 + (long)m * 100 + (long)d;
}

/* Adds one article's row to the side table: its docid is its place in the corpus, as
 * fts5_build gave the FTS5 rowids (checked after). */
static vns_status side_row(const cli_article *a, void *p) {
    side_ctx *c = p;
    c->docid++;
    sqlite3_bind_int64(c->ins, 1, c->docid);
    sqlite3_bind_text(c->ins, 2, a->id, -1, SQLITE_STATIC);
    long d = date_int(a->meta.date);
    if (d)
        sqlite3_bind_int64(c->ins, 3, d);
    else
        sqlite3_bind_null(c->ins, 3);
    sqlite3_bind_text(c->ins, 4, a->meta.source, -1, SQLITE_STATIC);
    sqlite3_bind_text(c->ins, 5, a->meta.topic, -1, SQLITE_STATIC);
    vns_status st = sqlite3_step(c->ins) == SQLITE_DONE ? VNS_OK : VNS_EIO;
    sqlite3_reset(c->ins);
    return st;
}

/* The side table: one row per FTS5 row, joined on rowid; indexed on each column a filter or a
 * sort uses; ANALYZEd so that the planner knows how selective each is. */
static const char side_sql[] =
    "CREATE TABLE meta(docid INTEGER PRIMARY KEY, date INTEGER, source TEXT, topic TEXT);"
    "CREATE INDEX meta_date ON meta(date);"
    "CREATE INDEX meta_source ON meta(source);"
    "CREATE INDEX meta_topic ON meta(topic);";

/* Builds the FTS5 peer (fts5_build's docs table) and its side table meta from corpus. Prints
 * the figures as JSON. Returns 0, or 1 with the message on stderr. */
static int do_fts5(const char *db_path, const char *corpus) {
    double t0 = now_ms();
    size_t docs = 0, bytes = 0;
    if (fts5_build(db_path, corpus, 0, &docs, &bytes) < 0) return 1;
    double t1 = now_ms();
    sqlite3 *db = NULL;
    char *err = NULL;
    side_ctx c = {0};
    int rc = sqlite3_open(db_path, &db);
    if (rc == SQLITE_OK) rc = sqlite3_exec(db, side_sql, NULL, NULL, &err);
    /* The rows are staged with their ids first, to check them against the FTS5 rows. */
    if (rc == SQLITE_OK) rc = sqlite3_exec(db, "BEGIN;", NULL, NULL, &err);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(db,
                          "CREATE TEMP TABLE staged(docid INTEGER PRIMARY KEY, id TEXT, date "
                          "INTEGER, source TEXT, topic TEXT);",
                          NULL, NULL, &err);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(db, "INSERT INTO staged VALUES (?1, ?2, ?3, ?4, ?5)", -1, &c.ins,
                                NULL);
    if (rc == SQLITE_OK) {
        cli_reader_callbacks cb = {.article = side_row, .failure = NULL, .ctx = &c};
        if (cli_read_source(corpus, &cb, NULL) != VNS_OK) rc = SQLITE_ERROR;
    }
    sqlite3_finalize(c.ins);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(db,
                          "INSERT INTO meta SELECT docid, date, source, topic FROM staged; "
                          "COMMIT; ANALYZE;",
                          NULL, NULL, &err);
    /* The side table's docids must be the FTS5 rowids of the same ids. */
    sqlite3_int64 same = -1;
    sqlite3_stmt *q = NULL;
    if (rc == SQLITE_OK &&
        (rc = sqlite3_prepare_v2(db,
                                 "SELECT count(*) FROM docs JOIN staged s ON s.docid = docs.rowid "
                                 "WHERE s.id = docs.id",
                                 -1, &q, NULL)) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW)
        same = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    double t2 = now_ms();
    if (rc != SQLITE_OK) fprintf(stderr, "bench_meta: fts5: %s\n", err ? err : sqlite3_errmsg(db));
    sqlite3_free(err);
    sqlite3_close(db);
    if (rc != SQLITE_OK) return 1;
    if (same != (sqlite3_int64)docs || c.docid != (long long)docs) {
        fprintf(stderr, "bench_meta: fts5: %lld of %zu side rows match their FTS5 row\n",
                (long long)same, docs);
        return 1;
    }
    printf("{\"docs\":%zu,\"mb\":%.1f,\"fts5_seconds\":%.2f,\"side_table_seconds\":%.2f}\n", docs,
           bytes / 1e6, (t1 - t0) / 1e3, (t2 - t1) / 1e3);
    return 0;
}

/* The variants timed: a vnsearch query suffix and options, and the FTS5 SQL. */
typedef enum variant_kind { V_FILTER, V_SORT, V_SORT_OLDEST, V_FACETS, V_COUNT } variant_kind;

typedef struct variant {
    const char *name;
    variant_kind kind;
    const char *vns_suffix; /* Appended to the query (V_FILTER). */
    const char *sql_where;  /* The SQL condition on the side table m (V_FILTER). */
} variant;

static const variant variants[] = {
    {"plain (no filter), for reference", V_FILTER, "", NULL},
    {"`source:vnexpress.net` (72% of articles)", V_FILTER, " source:vnexpress.net",
     "m.source = 'vnexpress.net'"},
    {"`source:thanhnien.vn` (8% of articles)", V_FILTER, " source:thanhnien.vn",
     "m.source = 'thanhnien.vn'"},
    {"`date:2015..2018` (4 of 19 years)", V_FILTER, " date:2015..2018",
     "m.date BETWEEN 20150101 AND 20181231"},
    {"`--sort newest`", V_SORT, "", NULL},
    {"`--sort oldest`", V_SORT_OLDEST, "", NULL},
    {"`--facets source,topic,year`", V_FACETS, "", NULL},
    /* What visiting every match costs vnsearch: relevance order with the count made exact, the
     * work a date order or facets cannot skip (FTS5 runs the plain query: it scores every match
     * anyway). */
    {"relevance, every match counted (`exact_count`), for reference", V_COUNT, "", NULL},
};
#define N_VARIANTS (sizeof variants / sizeof *variants)

/* The SELECT list and FROM clause every FTS5 top-10 query shares: what a result shows. */
#define FTS_TOP                                                                                    \
    "SELECT docs.id, docs.title, snippet(docs, 2, '[', ']', '…', 30), m.date, m.source FROM "    \
    "docs JOIN meta m ON m.docid = docs.rowid WHERE docs MATCH ?1"

/* The facet queries: one GROUP BY per facet over the same matches, 20 values by count. */
static const char *const facet_sql[] = {
    "SELECT m.source, count(*) AS c FROM docs JOIN meta m ON m.docid = docs.rowid WHERE docs "
    "MATCH ?1 GROUP BY m.source ORDER BY c DESC, m.source LIMIT 20",
    "SELECT m.topic, count(*) AS c FROM docs JOIN meta m ON m.docid = docs.rowid WHERE docs "
    "MATCH ?1 GROUP BY m.topic ORDER BY c DESC, m.topic LIMIT 20",
    "SELECT m.date / 10000 AS y, count(*) AS c FROM docs JOIN meta m ON m.docid = docs.rowid "
    "WHERE docs MATCH ?1 AND m.date IS NOT NULL GROUP BY y ORDER BY c DESC, y LIMIT 20",
};
#define N_FACET_SQL (sizeof facet_sql / sizeof *facet_sql)

/* What the timed queries read, summed, so that no reading is optimised away. */
static volatile size_t sink;

/* A run: the queries, the engines' handles, the variant being timed, and its statements. */
typedef struct run_ctx {
    vns_searcher *s;
    sqlite3 *db;
    char **vq, **fq;
    const variant *v;
    sqlite3_stmt *top, *facet[N_FACET_SQL];
    char buf[8192];
} run_ctx;

/* Runs query i of the variant in vnsearch: the top 10 read (id, title, snippet, date, source),
 * and the facets' values. Returns the result count, or -1. */
static int run_vns(size_t i, void *p) {
    run_ctx *c = p;
    vns_query_options o = VNS_QUERY_OPTIONS_INIT;
    if (c->v->kind == V_SORT) o.sort = VNS_SORT_NEWEST;
    if (c->v->kind == V_SORT_OLDEST) o.sort = VNS_SORT_OLDEST;
    if (c->v->kind == V_COUNT) o.exact_count = 1;
    if (c->v->kind == V_FACETS)
        o.facets = VNS_FACET_BIT(VNS_FACET_SOURCE) | VNS_FACET_BIT(VNS_FACET_TOPIC) |
                   VNS_FACET_BIT(VNS_FACET_YEAR);
    const char *q = c->vq[i];
    if (c->v->kind == V_FILTER && *c->v->vns_suffix) {
        snprintf(c->buf, sizeof c->buf, "%s%s", c->vq[i], c->v->vns_suffix);
        q = c->buf;
    }
    vns_results *r = NULL;
    int n = 0;
    size_t sum = 0;
    vns_status st = vns_searcher_query(&r, c->s, q, &o);
    while (st == VNS_OK && n < TOP && (st = vns_results_next(r)) == VNS_OK) {
        const vns_meta *m = vns_results_meta(r);
        const char *snip = vns_results_snippet(r);
        sum += strlen(vns_results_id(r)) + strlen(vns_results_title(r)) + (snip ? 1 : 0) +
               (m && m->date ? 1 : 0) + (m && m->source ? 1 : 0);
        n++;
    }
    if (st >= 0 && o.facets) {
        const vns_facet f[] = {VNS_FACET_SOURCE, VNS_FACET_TOPIC, VNS_FACET_YEAR};
        for (size_t k = 0; k < 3; k++) {
            const char *value;
            uint64_t count;
            for (size_t j = 0; vns_results_facet(&value, &count, r, f[k], j) == VNS_OK; j++)
                sum += count;
        }
    }
    vns_results_free(r);
    sink += sum;
    return st < 0 ? -1 : n;
}

/* Runs query i of the variant in FTS5, the statements prepared once per variant as a program
 * would: the top 10 read as run_vns reads them, and each facet's GROUP BY. Returns the result
 * count, or -1. */
static int run_fts(size_t i, void *p) {
    run_ctx *c = p;
    int n = 0, rc = SQLITE_OK;
    size_t sum = 0;
    sqlite3_stmt *st[1 + N_FACET_SQL] = {c->top};
    size_t nst = 1;
    if (c->v->kind == V_FACETS)
        for (size_t k = 0; k < N_FACET_SQL; k++) st[nst++] = c->facet[k];
    for (size_t k = 0; k < nst && rc == SQLITE_OK; k++) {
        sqlite3_bind_text(st[k], 1, c->fq[i], -1, SQLITE_STATIC);
        while ((rc = sqlite3_step(st[k])) == SQLITE_ROW) {
            for (int col = 0; col < sqlite3_column_count(st[k]); col++)
                sum += sqlite3_column_bytes(st[k], col);
            if (k == 0) n++;
        }
        if (rc == SQLITE_DONE) rc = SQLITE_OK;
        sqlite3_reset(st[k]);
    }
    sink += sum;
    return rc == SQLITE_OK ? n : -1;
}

/* Prepares the variant's FTS5 statements in c. Returns 0, or -1 with the message on stderr. */
static int prepare_fts(run_ctx *c) {
    char sql[1024];
    if (c->v->kind == V_FILTER && c->v->sql_where)
        snprintf(sql, sizeof sql, FTS_TOP " AND %s ORDER BY bm25(docs) LIMIT 10", c->v->sql_where);
    else if (c->v->kind == V_SORT)
        snprintf(sql, sizeof sql, FTS_TOP " ORDER BY m.date DESC LIMIT 10");
    else if (c->v->kind == V_SORT_OLDEST)
        snprintf(sql, sizeof sql, FTS_TOP " ORDER BY m.date LIMIT 10");
    else
        snprintf(sql, sizeof sql, FTS_TOP " ORDER BY bm25(docs) LIMIT 10");
    if (sqlite3_prepare_v2(c->db, sql, -1, &c->top, NULL) != SQLITE_OK) goto fail;
    for (size_t k = 0; k < N_FACET_SQL; k++)
        if (sqlite3_prepare_v2(c->db, facet_sql[k], -1, &c->facet[k], NULL) != SQLITE_OK) goto fail;
    /* The plan SQLite chose, on stderr, for the record. */
    char explain[1100];
    snprintf(explain, sizeof explain, "EXPLAIN QUERY PLAN %s", sql);
    sqlite3_stmt *e = NULL;
    if (sqlite3_prepare_v2(c->db, explain, -1, &e, NULL) == SQLITE_OK) {
        sqlite3_bind_text(e, 1, "\"bóng\" \"đá\"", -1, SQLITE_STATIC);
        fprintf(stderr, "plan of %s:", c->v->name);
        while (sqlite3_step(e) == SQLITE_ROW) fprintf(stderr, " | %s", sqlite3_column_text(e, 3));
        fputc('\n', stderr);
    }
    sqlite3_finalize(e);
    return 0;
fail:
    fprintf(stderr, "bench_meta: %s: %s\n", sql, sqlite3_errmsg(c->db));
    return -1;
}

/* Reads queries.tsv (kind TAB vnsearch query TAB FTS5 MATCH expression, as bench_query gen
 * writes it) into vq and fq. Returns the count, or -1 with the message on stderr. */
static long read_queries(const char *path, char **vq, char **fq) {
    bench_tsv t = {0};
    char err[512];
    if (bench_tsv_read(&t, path, err, sizeof err) != VNS_OK) {
        fprintf(stderr, "bench_meta: %s\n", err);
        return -1;
    }
    long n = 0;
    for (size_t i = 0; i < t.n && n < MAX_QUERIES; i++) {
        char *tab = strchr(t.value[i], '\t');
        if (tab == NULL) continue;
        vq[n] = strndup(t.value[i], (size_t)(tab - t.value[i]));
        fq[n] = strdup(tab + 1);
        n++;
    }
    bench_tsv_clear(&t);
    return n;
}

/* The ratio a / b as "0.12x". Never fails. */
static const char *ratio(char *buf, double a, double b) {
    snprintf(buf, 16, "%.2fx", b > 0 ? a / b : 0);
    return buf;
}

/* Times every variant over the queries in both engines, alternating query by query, and prints
 * the Markdown table. Returns 0, or 1 (a file or index that cannot be opened). */
static int do_run(const char *index, const char *fts, const char *queries) {
    static char *vq[MAX_QUERIES], *fq[MAX_QUERIES];
    long n = read_queries(queries, vq, fq);
    if (n <= 0) return 1;
    static run_ctx c;
    if (bench_searcher_open(&c.s, index, &vnsi_ranking_defaults, "bench_meta") < 0) return 1;
    if (sqlite3_open_v2(fts, &c.db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        fprintf(stderr, "bench_meta: cannot open %s\n", fts);
        return 1;
    }
    c.vq = vq;
    c.fq = fq;
    double *tv = calloc((size_t)n, sizeof *tv), *tf = calloc((size_t)n, sizeof *tf);
    int *nv = calloc((size_t)n, sizeof *nv), *nf = calloc((size_t)n, sizeof *nf);
    if (!tv || !tf || !nv || !nf) return 1;
    printf("| variant (%ld queries each) | vnsearch p50 ms | FTS5 p50 ms | p50 ratio (<= 0.3x) | "
           "vnsearch p99 ms | FTS5 p99 ms | p99 ratio (<= 0.5x) | failed (vns / FTS5) | "
           "queries with results (vns / FTS5) |\n",
           n);
    printf("|---|---|---|---|---|---|---|---|---|\n");
    /* BENCH_META_ONLY=text: only the variants whose name holds text (to profile one). */
    const char *only = getenv("BENCH_META_ONLY");
    for (size_t k = 0; k < N_VARIANTS; k++) {
        c.v = &variants[k];
        if (only && strstr(c.v->name, only) == NULL) continue;
        if (prepare_fts(&c) < 0) return 1;
        double t0 = now_ms();
        if (bench_time_alternating((size_t)n, TIMED_PASSES, run_vns, run_fts, &c, tv, tf, nv, nf) <
            0)
            return 1;
        size_t verr = 0, ferr = 0, vhit = 0, fhit = 0;
        for (long i = 0; i < n; i++) {
            verr += nv[i] < 0;
            ferr += nf[i] < 0;
            vhit += nv[i] > 0;
            fhit += nf[i] > 0;
        }
        /* BENCH_SLOWEST=N: the N slowest vnsearch queries of the variant, on stderr. */
        bench_print_slowest(tv, tf, (size_t)n, NULL, c.v->name, vq);
        qsort(tv, (size_t)n, sizeof *tv, cmp_double);
        qsort(tf, (size_t)n, sizeof *tf, cmp_double);
        double v50 = bench_percentile(tv, (size_t)n, .5), f50 = bench_percentile(tf, (size_t)n, .5);
        double v99 = bench_percentile(tv, (size_t)n, .99),
               f99 = bench_percentile(tf, (size_t)n, .99);
        char r50[16], r99[16];
        printf("| %s | %.2f | %.2f | %s | %.2f | %.2f | %s | %zu / %zu | %zu / %zu |\n", c.v->name,
               v50, f50, ratio(r50, v50, f50), v99, f99, ratio(r99, v99, f99), verr, ferr, vhit,
               fhit);
        fflush(stdout);
        fprintf(stderr, "bench_meta: %s: %.0f s\n", c.v->name, (now_ms() - t0) / 1e3);
        sqlite3_finalize(c.top);
        for (size_t j = 0; j < N_FACET_SQL; j++) sqlite3_finalize(c.facet[j]);
    }
    vns_searcher_close(c.s);
    sqlite3_close(c.db);
    return 0;
}

/* Prints, for each query of the set, the ids and scores of its top 10 in vnsearch: query number
 * TAB rank TAB id TAB score, one a line (the round trip compares two indexes' answers). Returns
 * 0, or 1 (a file or index that cannot be opened, a query that failed). */
static int do_answers(const char *index, const char *queries) {
    static char *vq[MAX_QUERIES], *fq[MAX_QUERIES];
    long n = read_queries(queries, vq, fq);
    vns_searcher *s = NULL;
    if (n <= 0 || bench_searcher_open(&s, index, &vnsi_ranking_defaults, "bench_meta") < 0)
        return 1;
    int rc = 0;
    for (long i = 0; i < n; i++) {
        vns_results *r = NULL;
        vns_status st = vns_searcher_query(&r, s, vq[i], NULL);
        for (int k = 1; st == VNS_OK && k <= TOP && (st = vns_results_next(r)) == VNS_OK; k++)
            printf("%ld\t%d\t%s\t%.9g\n", i + 1, k, vns_results_id(r), vns_results_score(r));
        if (st < 0) {
            fprintf(stderr, "bench_meta: query %ld (%s): %s\n", i + 1, vq[i],
                    vns_searcher_errmsg(s));
            rc = 1;
        }
        vns_results_free(r);
    }
    vns_searcher_close(s);
    return rc;
}

int main(int argc, char **argv) {
    if (argc == 4 && strcmp(argv[1], "date") == 0) return do_copy(argv[2], argv[3], 1);
    if (argc == 4 && strcmp(argv[1], "strip") == 0) return do_copy(argv[2], argv[3], 0);
    if (argc == 4 && strcmp(argv[1], "fts5") == 0) return do_fts5(argv[2], argv[3]);
    if (argc == 5 && strcmp(argv[1], "run") == 0) return do_run(argv[2], argv[3], argv[4]);
    if (argc == 4 && strcmp(argv[1], "answers") == 0) return do_answers(argv[2], argv[3]);
    fprintf(stderr,
            "usage: bench_meta date CORPUS.jsonl[.gz] OUT.jsonl   (a copy with synthetic dates)\n"
            "       bench_meta strip CORPUS.jsonl[.gz] OUT.jsonl  (a copy without metadata)\n"
            "       bench_meta fts5 DB DATED.jsonl    (the FTS5 peer and its side table)\n"
            "       bench_meta run INDEX FTS5DB queries.tsv   (the Markdown table)\n"
            "       bench_meta answers INDEX queries.tsv      (top 10 ids and scores)\n");
    return 2;
}
