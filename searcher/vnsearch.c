/* vnsearch.c: the vnsearch command: answers a query from one or more indexes. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vnsearch.h"

/* Exit statuses (a contract: scripts depend on them). */
enum {
    EXIT_OK = 0,    /* Answered (zero results included). */
    EXIT_ERROR = 1, /* The index is missing, damaged or unreadable. */
    EXIT_USAGE = 2  /* Bad command line or query. */
};

#define MAX_INDEXES 64

static const char usage_text[] =
    "Usage: vnsearch [-d INDEX]... [-n LIMIT] QUERY...\n"
    "Search Vietnamese articles; diacritics in the query are optional.\n"
    "\n"
    "  -d, --index DIR   an index to search (repeatable; default: $VNSEARCH_INDEX, else\n"
    "                    ./vnsearch.db)\n"
    "  -n, --limit N     show at most N results (default 10)\n"
    "  -h, --help        this help;  --version  the version\n"
    "\n"
    "Exit status: 0 answered (also with no results), 1 index error, 2 usage or query error.\n";

static int parse_count(const char *s, size_t *out) {
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (*s == '\0' || *end != '\0' || s[0] == '-' || v == 0) return -1;
    *out = (size_t)v;
    return 0;
}

int main(int argc, char **argv) {
    const char *paths[MAX_INDEXES];
    size_t npaths = 0, limit = 10;
    static const struct option longopts[] = {
        {"index", required_argument, NULL, 'd'}, {"limit", required_argument, NULL, 'n'},
        {"help", no_argument, NULL, 'h'},        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "d:n:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'd':
            if (npaths == MAX_INDEXES) {
                fprintf(stderr, "vnsearch: at most %d indexes\n", MAX_INDEXES);
                return EXIT_USAGE;
            }
            paths[npaths++] = optarg;
            break;
        case 'n':
            if (parse_count(optarg, &limit) < 0) {
                fprintf(stderr, "vnsearch: -n needs a positive number, not '%s'\n", optarg);
                return EXIT_USAGE;
            }
            break;
        case 'h': fputs(usage_text, stdout); return EXIT_OK;
        case 'V': printf("vnsearch %s\n", vns_version(NULL)); return EXIT_OK;
        default: fputs(usage_text, stderr); return EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "vnsearch: no QUERY given\n%s", usage_text);
        return EXIT_USAGE;
    }
    if (npaths == 0) paths[npaths++] = vns_default_index_path();

    /* The query is the remaining arguments joined by spaces. */
    size_t qlen = 0;
    for (int i = optind; i < argc; i++) qlen += strlen(argv[i]) + 1;
    char *query = malloc(qlen + 1);
    if (query == NULL) {
        fprintf(stderr, "vnsearch: out of memory\n");
        return EXIT_ERROR;
    }
    query[0] = '\0';
    for (int i = optind; i < argc; i++) {
        if (i > optind) strcat(query, " ");
        strcat(query, argv[i]);
    }

    vns_searcher *s = NULL;
    char err[1024];
    vns_status st = vns_searcher_open(&s, paths, npaths, err, sizeof err);
    if (st != VNS_OK) {
        fprintf(stderr, "vnsearch: %s\n", err);
        if (st == VNS_ENOTFOUND)
            fprintf(stderr, "vnsearch: build the index first: vnindex -d %s SOURCE...\n",
                    npaths == 1 ? paths[0] : "INDEX");
        free(query);
        return EXIT_ERROR;
    }
    vns_query_options qo = VNS_QUERY_OPTIONS_INIT;
    qo.limit = limit;
    vns_results *r = NULL;
    st = vns_searcher_query(s, query, &qo, &r);
    int rc = EXIT_OK;
    if (st != VNS_OK) {
        fprintf(stderr, "vnsearch: %s\n", vns_searcher_errmsg(s));
        rc = st == VNS_EQUERY || st == VNS_EINVAL ? EXIT_USAGE : EXIT_ERROR;
    } else {
        size_t rank = 0;
        while ((st = vns_results_next(r)) == VNS_OK) {
            const char *title = vns_results_title(r);
            printf("%zu. %s  [%s]  %.3f\n", ++rank, title[0] ? title : "(no title)",
                   vns_results_id(r), vns_results_score(r));
        }
        if (st < 0) {
            fprintf(stderr, "vnsearch: %s\n", vns_searcher_errmsg(s));
            rc = EXIT_ERROR;
        } else if (rank == 0) {
            printf("no results\n");
        }
    }
    vns_results_free(r);
    vns_searcher_close(s);
    free(query);
    return rc;
}
