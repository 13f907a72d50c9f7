/* vnsearch_main.c: the vnsearch command: answers a query from one or more indexes. */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "args.h"
#include "clock.h"
#include "vnsearch.h"

/* Exit statuses (a contract: scripts depend on them). */
enum {
    EXIT_OK = 0,    /* Answered (zero results included). */
    EXIT_ERROR = 1, /* The index is missing, damaged or unreadable. */
    EXIT_USAGE = 2  /* Bad command line or query syntax. */
};

#define MAX_INDEXES 64
#define COLOR_HL_START "\033[1;33m"
#define COLOR_HL_END "\033[0m"
#define COLOR_HEAD_START "\033[1m"
#define COLOR_HEAD_END "\033[0m"

static const char usage_text[] =
    "Usage: vnsearch [-d INDEX]... [-n LIMIT] [--offset K] [--count] [--exact] [--json] QUERY...\n"
    "Search Vietnamese articles; diacritics in the query are optional.\n"
    "\n"
    "  -d, --index DIR     an index to search (repeatable: several are searched as one;\n"
    "                      a directory, a Xapian stub file, or tcp://HOST:PORT served by\n"
    "                      xapian-tcpsrv; default: $VNSEARCH_INDEX, else ./vnsearch.db)\n"
    "  -n, --limit N       show at most N results (default 10; a large N shows every match)\n"
    "      --offset K      skip the first K results\n"
    "      --count         count every match exactly (slower for common words)\n"
    "      --exact         words typed with diacritics must match them exactly\n"
    "      --json          one JSON object on stdout\n"
    "      --snippet-words N  snippet length in words (default 30)\n"
    "      --allow-partial answer from the indexes that open when some do not (named on\n"
    "                      stderr and in the JSON as \"missing\")\n"
    "  -h, --help          this help;  --version  the version\n"
    "\n"
    "Query language:\n"
    "  chuyen doi so       every word must match; standing together ranks higher\n"
    "  \"dien bien\"         the words in this order\n"
    "  -word  -\"a phrase\"  exclude\n"
    "  a OR b              either (OR binds looser than the implicit AND); ( ) groups\n"
    "  chuyen*             words starting with chuyen\n"
    "  title:word  title:\"a phrase\"   in the title only\n"
    "Diacritics typed in the query rank the exact forms higher (so with --exact: required).\n"
    "\n"
    "Exit status: 0 answered (also with no results), 1 index error, 2 usage or query error.\n";

/* The largest -n and --offset: an index holds at most 2^32 - 1 documents (Xapian's document ids
 * are 32 bits), so a larger count could only be a mistake. */
#define MAX_COUNT 4294967295ULL

/* Parses a decimal count, digits only and at most MAX_COUNT (positive unless allow_zero), into
 * *out. Returns 0, or -1 when s is not one. */
static int parse_count(const char *s, size_t *out, int allow_zero) {
    unsigned long long v;
    if (cli_parse_count(&v, s, MAX_COUNT) < 0 || (v == 0 && !allow_zero)) return -1;
    *out = (size_t)v;
    return 0;
}

typedef struct opts {
    const char *paths[MAX_INDEXES];
    size_t npaths;
    vns_query_options q;
    int json;
    int allow_partial;
    const char *missing[MAX_INDEXES]; /* Shards left out by --allow-partial. */
    size_t nmissing;
} opts;

/* Parses the command line; returns -1 (usage printed) or the index of the first query word. */
static int parse_args(int argc, char **argv, opts *o, int *exit_now) {
    static const struct option longopts[] = {{"index", required_argument, NULL, 'd'},
                                             {"limit", required_argument, NULL, 'n'},
                                             {"offset", required_argument, NULL, 'o'},
                                             {"count", no_argument, NULL, 'c'},
                                             {"exact", no_argument, NULL, 'e'},
                                             {"json", no_argument, NULL, 'j'},
                                             {"snippet-words", required_argument, NULL, 's'},
                                             {"allow-partial", no_argument, NULL, 'p'},
                                             {"help", no_argument, NULL, 'h'},
                                             {"version", no_argument, NULL, 'V'},
                                             {NULL, 0, NULL, 0}};
    int c;
    size_t v;
    *exit_now = 0;
    while ((c = getopt_long(argc, argv, "+d:n:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'd':
            if (o->npaths == MAX_INDEXES) {
                fprintf(stderr, "vnsearch: at most %d indexes\n", MAX_INDEXES);
                return -1;
            }
            o->paths[o->npaths++] = optarg;
            break;
        case 'n':
            if (parse_count(optarg, &o->q.limit, 0) < 0) {
                fprintf(stderr, "vnsearch: -n needs a positive number, not '%s'\n", optarg);
                return -1;
            }
            break;
        case 'o':
            if (parse_count(optarg, &o->q.offset, 1) < 0) {
                fprintf(stderr, "vnsearch: --offset needs a number, not '%s'\n", optarg);
                return -1;
            }
            break;
        case 's':
            if (parse_count(optarg, &v, 0) < 0 || v > 10000) {
                fprintf(stderr, "vnsearch: --snippet-words needs 1 to 10000, not '%s'\n", optarg);
                return -1;
            }
            o->q.snippet_words = (unsigned)v;
            break;
        case 'c': o->q.exact_count = 1; break;
        case 'e': o->q.exact = 1; break;
        case 'j': o->json = 1; break;
        case 'p': o->allow_partial = 1; break;
        case 'h':
            fputs(usage_text, stdout);
            *exit_now = 1;
            return 0;
        case 'V':
            printf("vnsearch %s\n", vns_version(NULL));
            *exit_now = 1;
            return 0;
        default: fputs(usage_text, stderr); return -1;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "vnsearch: no QUERY given\n%s", usage_text);
        return -1;
    }
    if (o->npaths == 0) o->paths[o->npaths++] = vns_default_index_path();
    for (size_t i = 0; i < o->npaths; i++) {
        if (cli_dir_is_foreign(o->paths[i])) {
            fprintf(stderr,
                    "vnsearch: %s is not an index: it is a directory that holds other files\n",
                    o->paths[i]);
            return -1;
        }
    }
    return optind;
}

/* --allow-partial: leaves out the indexes that do not open, naming each on stderr. At least one
 * is kept, so that the open that follows reports the error when none opens. */
static void drop_missing(opts *o) {
    size_t kept = 0;
    for (size_t i = 0; i < o->npaths; i++) {
        vns_searcher *one = NULL;
        char err[1024];
        if (vns_searcher_open(&one, &o->paths[i], 1, err, sizeof err) == VNS_OK) {
            vns_searcher_close(one);
            o->paths[kept++] = o->paths[i];
        } else {
            fprintf(stderr, "vnsearch: left out: %s\n", err);
            o->missing[o->nmissing++] = o->paths[i];
        }
    }
    if (kept == 0) {
        o->paths[0] = o->missing[0];
        kept = 1;
    }
    o->npaths = kept;
}

/* The remaining arguments joined by spaces (malloc'd). Returns NULL when out of memory. */
static char *join_args(int argc, char **argv, int first) {
    size_t len = 1;
    for (int i = first; i < argc; i++) len += strlen(argv[i]) + 1;
    char *q = malloc(len);
    if (q == NULL) return NULL;
    q[0] = '\0';
    for (int i = first; i < argc; i++) {
        if (i > first) strcat(q, " ");
        strcat(q, argv[i]);
    }
    return q;
}

/* One result as a JSON object: rank, id, title, score, snippet and highlight ranges. Returns a
 * new reference, or NULL (said on stderr) when JSON cannot carry it (text that is not UTF-8) or
 * memory runs out. */
static json_t *result_json(vns_results *r) {
    size_t n = 0;
    const vns_range *hl = vns_results_highlights(&n, r);
    json_error_t jerr;
    json_t *ranges = json_array();
    for (size_t i = 0; ranges && i < n; i++) {
        if (json_array_append_new(ranges, json_pack_ex(&jerr, 0, "[I,I]", (json_int_t)hl[i].start,
                                                       (json_int_t)hl[i].end)) < 0) {
            json_decref(ranges);
            ranges = NULL;
        }
    }
    json_t *item = NULL;
    if (ranges == NULL) {
        snprintf(jerr.text, sizeof jerr.text, "out of memory");
    } else {
        /* "o" takes ranges, also when the packing fails. */
        item = json_pack_ex(&jerr, 0, "{s:I,s:s,s:s,s:f,s:s,s:o}", "rank",
                            (json_int_t)vns_results_rank(r), "id", vns_results_id(r), "title",
                            vns_results_title(r), "score", vns_results_score(r), "snippet",
                            vns_results_snippet(r), "highlights", ranges);
    }
    if (item == NULL)
        fprintf(stderr, "vnsearch: cannot encode result %zu as JSON: %s\n", vns_results_rank(r),
                jerr.text);
    return item;
}

/* Prints the results as one JSON object on stdout. Returns EXIT_OK, or EXIT_ERROR (said on
 * stderr, nothing printed) when the results cannot be read or a result cannot be encoded: a
 * result is never dropped silently. */
static int print_json(vns_results *r, const char *query, double started, vns_searcher *s,
                      const opts *o) {
    json_t *results = json_array();
    if (results == NULL) {
        fprintf(stderr, "vnsearch: out of memory\n");
        return EXIT_ERROR;
    }
    vns_status st;
    while ((st = vns_results_next(r)) == VNS_OK) {
        if (vns_results_snippet(r) == NULL) {
            st = VNS_EINTERNAL;
            break;
        }
        json_t *item = result_json(r);
        if (item == NULL || json_array_append_new(results, item) < 0) {
            if (item) fprintf(stderr, "vnsearch: out of memory\n");
            json_decref(results);
            return EXIT_ERROR;
        }
    }
    if (st < 0) {
        json_decref(results);
        fprintf(stderr, "vnsearch: %s\n", vns_searcher_errmsg(s));
        return EXIT_ERROR;
    }
    json_t *root =
        json_pack("{s:s,s:I,s:b,s:f,s:o}", "query", query, "total",
                  (json_int_t)vns_results_total(r), "exact_total", vns_results_total_is_exact(r),
                  "took_ms", (cli_now() - started) * 1e3, "results", results);
    if (root && o->nmissing) {
        json_t *missing = json_array();
        int ok = missing && json_object_set_new(root, "missing", missing) == 0;
        for (size_t i = 0; ok && i < o->nmissing; i++)
            ok = json_array_append_new(missing, json_string(o->missing[i])) == 0;
        if (!ok) {
            json_decref(root);
            root = NULL;
        }
    }
    char *text = root ? json_dumps(root, JSON_COMPACT) : NULL;
    json_decref(root);
    if (text == NULL) {
        fprintf(stderr, "vnsearch: cannot encode the results as JSON\n");
        return EXIT_ERROR;
    }
    puts(text);
    free(text);
    return EXIT_OK;
}

/* Prints the results for a reader (colored when color) on stdout. Returns EXIT_OK, or
 * EXIT_ERROR (said on stderr) when the results cannot be read. */
static int print_human(vns_results *r, vns_searcher *s, int color) {
    vns_status st;
    size_t shown = 0;
    while ((st = vns_results_next(r)) == VNS_OK) {
        if (vns_results_snippet_marked(r) == NULL) {
            st = VNS_EINTERNAL;
            break;
        }
        shown++;
        printf("%s%zu. %s%s\n", color ? COLOR_HEAD_START : "", vns_results_rank(r),
               vns_results_heading(r), color ? COLOR_HEAD_END : "");
        printf("   %s  (score %.3f)\n", vns_results_id(r), vns_results_score(r));
        printf("   %s\n\n", vns_results_snippet_marked(r));
    }
    if (st < 0) {
        fprintf(stderr, "vnsearch: %s\n", vns_searcher_errmsg(s));
        return EXIT_ERROR;
    }
    uint64_t total = vns_results_total(r);
    if (shown == 0)
        printf("no results\n");
    else
        printf("%s%llu match%s\n", vns_results_total_is_exact(r) ? "" : "about ",
               (unsigned long long)total, total == 1 ? "" : "es");
    return EXIT_OK;
}

int main(int argc, char **argv) {
    opts o = {.q = VNS_QUERY_OPTIONS_INIT};
    int exit_now;
    int first = parse_args(argc, argv, &o, &exit_now);
    if (first < 0) return EXIT_USAGE;
    if (exit_now) return EXIT_OK;
    double started = cli_now();
    char *query = join_args(argc, argv, first);
    if (query == NULL) {
        fprintf(stderr, "vnsearch: out of memory\n");
        return EXIT_ERROR;
    }
    int color = !o.json && isatty(1) && getenv("NO_COLOR") == NULL;
    if (color) {
        o.q.hl_start = COLOR_HL_START;
        o.q.hl_end = COLOR_HL_END;
    }

    vns_searcher *s = NULL;
    char err[1024];
    if (o.allow_partial && o.npaths > 1) drop_missing(&o);
    vns_status st = vns_searcher_open(&s, o.paths, o.npaths, err, sizeof err);
    if (st != VNS_OK) {
        fprintf(stderr, "vnsearch: %s\n", err);
        if (st == VNS_ENOTFOUND)
            fprintf(stderr, "vnsearch: build the index first: vnindex -d %s SOURCE...\n",
                    o.npaths == 1 ? o.paths[0] : "INDEX");
        free(query);
        return EXIT_ERROR;
    }
    vns_results *r = NULL;
    int rc;
    st = vns_searcher_query(&r, s, query, &o.q);
    if (st != VNS_OK) {
        fprintf(stderr, "vnsearch: %s\n", vns_searcher_errmsg(s));
        rc = st == VNS_EQUERY || st == VNS_EINVAL ? EXIT_USAGE : EXIT_ERROR;
    } else {
        rc = o.json ? print_json(r, query, started, s, &o) : print_human(r, s, color);
    }
    vns_results_free(r);
    vns_searcher_close(s);
    free(query);
    return rc;
}
