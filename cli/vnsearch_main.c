/* vnsearch_main.c: the vnsearch command: answers a query from one or more indexes. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "args.h"
#include "article_json.h"
#include "clock.h"
#include "visible.h"
#include "vnsearch.h"

/* Exit statuses (a contract: scripts depend on them). */
enum {
    EXIT_OK = 0,    /* Answered (zero results included). */
    EXIT_ERROR = 1, /* The index is missing, damaged or unreadable; or stdout cannot be written. */
    EXIT_USAGE = 2  /* Bad command line or query syntax. */
};

#define MAX_INDEXES 64
#define COLOR_HL_START "\033[1;33m"
#define COLOR_HL_END "\033[0m"
#define COLOR_HEAD_START "\033[1m"
#define COLOR_HEAD_END "\033[0m"

static const char usage_text[] =
    "Usage: vnsearch [-d INDEX]... [-n LIMIT] [--offset K] [--count] [--exact] [--json] [--html]\n"
    "                [--match MODE] [--literal] [--as-typed] [--sort ORDER]\n"
    "                [--facets FIELD,...] [--color=WHEN] QUERY...\n"
    "       vnsearch [-d INDEX]... [--json] --show ID\n"
    "Search Vietnamese articles; diacritics in the query are optional.\n"
    "\n"
    "  -d, --index DIR     an index to search (repeatable: several are searched as one;\n"
    "                      a directory, a Xapian stub file, or tcp://HOST:PORT served by\n"
    "                      xapian-tcpsrv; default: $VNSEARCH_INDEX, else ./vnsearch.db)\n"
    "  -n, --limit N       show at most N results (default 10; a large N shows every match)\n"
    "      --offset K      skip the first K results\n"
    "      --count         count every match exactly (slower for common words)\n"
    "      --exact         words typed with diacritics must match them exactly\n"
    "      --match MODE    how the bare words must match: all (every one), any (some: more\n"
    "                      of them, rarer ones, standing together rank higher), or auto (the\n"
    "                      default: all for a short keyword query with enough matches, any\n"
    "                      for a question, a long query, or a thin all-words answer)\n"
    "      --literal       the query is plain text (pasted): quotes, brackets, colons,\n"
    "                      dashes, OR and * in it are text, never syntax\n"
    "      --as-typed      search words as typed: by default a word typed in Telex or VNI\n"
    "                      (vieejt, vie65t) that no article holds is read as Vietnamese\n"
    "                      (việt), and the answer says \"Searched for: ...\"\n"
    "      --sort ORDER    relevance (the default), newest or oldest (by date; articles\n"
    "                      without one last either way)\n"
    "      --facets LIST   count the matches per value of source, topic, tag, year, month\n"
    "                      (comma-separated), over every match, not only the page shown\n"
    "      --facet-limit N at most N values per facet, the commonest (default 20)\n"
    "      --show ID       print the stored article ID (title, metadata, text as indexed)\n"
    "      --json          one JSON object on stdout\n"
    "      --html          snippets as HTML: text escaped, matches in <mark>...</mark> (in\n"
    "                      JSON as \"snippet_html\", beside the plain \"snippet\")\n"
    "      --color=WHEN    highlight matches: auto (a terminal, TERM not dumb, NO_COLOR\n"
    "                      unset; the default), always, never\n"
    "      --time-limit MS stop a query that runs longer (default 5000; 0: no limit)\n"
    "      --snippet-words N  snippet length in words (default 30)\n"
    "      --allow-partial answer from the indexes that open when some do not (named on\n"
    "                      stderr and in the JSON as \"missing\")\n"
    "  -h, --help          this help;  --version  the version\n"
    "\n"
    "Query language:\n"
    "  chuyen doi so       the words (see --match); standing together ranks higher\n"
    "  \"dien bien\"         the words in this order\n"
    "  -word  -\"a phrase\"  exclude\n"
    "  a OR b              either (OR binds looser than the implicit AND); ( ) groups\n"
    "  chuyen*             words starting with chuyen\n"
    "  title:word  title:\"a phrase\"   in the title only\n"
    "  source:tuoitre.vn  topic:\"the thao\"  tag:x   the whole field (diacritics optional)\n"
    "  date:2024  date:2024-05  date:2024-05-06  date:2024-01..2024-03  date:..2023\n"
    "                      dates, inclusive, in Vietnam time; filters never change scores,\n"
    "                      combine with -, OR and groups, and alone find every article\n"
    "Diacritics typed in the query rank the exact forms higher (so with --exact: required).\n"
    "\n"
    "Control characters in titles, ids and snippets are shown as \\xHH (\\u00HH for C1) in\n"
    "the human output; JSON gives them exactly. An index given twice is searched once.\n"
    "\n"
    "Exit status: 0 answered (also with no results), 1 index error, output not written, or\n"
    "no article with the --show ID,\n"
    "2 usage or query error (also a query that is not UTF-8, or that ran out of time).\n";

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

enum { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

typedef struct opts {
    const char *paths[MAX_INDEXES];
    size_t npaths;
    vns_query_options q;
    int json;
    int html;
    int color; /* COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER. */
    int allow_partial;
    const char *missing[MAX_INDEXES]; /* Shards left out by --allow-partial. */
    size_t nmissing;
    const char *show; /* --show ID. */
} opts;

/* Parses --facets LIST (names from cli_facet_names, comma-separated) into o->q.facets. Returns 0,
 * or -1 (said on stderr) for an unknown name. */
static int parse_facets(opts *o, const char *list) {
    const char *p = list;
    while (*p) {
        size_t n = strcspn(p, ",");
        int f = -1;
        for (int i = 0; i < VNS_FACET_COUNT; i++)
            if (strlen(cli_facet_names[i]) == n && strncmp(p, cli_facet_names[i], n) == 0) f = i;
        if (f < 0 && n > 0) {
            fprintf(stderr,
                    "vnsearch: --facets takes source, topic, tag, year, month (comma-separated), "
                    "not '%.*s'\n",
                    (int)n, p);
            return -1;
        }
        if (f >= 0) o->q.facets |= VNS_FACET_BIT(f);
        p += n;
        if (*p == ',') p++;
    }
    if (o->q.facets == 0) {
        fprintf(stderr, "vnsearch: --facets needs at least one of source, topic, tag, year, "
                        "month\n");
        return -1;
    }
    return 0;
}

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
                                             {"html", no_argument, NULL, 'H'},
                                             {"color", required_argument, NULL, 'C'},
                                             {"time-limit", required_argument, NULL, 't'},
                                             {"match", required_argument, NULL, 'm'},
                                             {"literal", no_argument, NULL, 'L'},
                                             {"as-typed", no_argument, NULL, 'T'},
                                             {"sort", required_argument, NULL, 'S'},
                                             {"facets", required_argument, NULL, 'F'},
                                             {"facet-limit", required_argument, NULL, 'G'},
                                             {"show", required_argument, NULL, 'W'},
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
        case 'H': o->html = 1; break;
        case 'L': o->q.literal = 1; break;
        case 'T': o->q.as_typed = 1; break;
        case 'S':
            if (strcmp(optarg, "relevance") == 0) {
                o->q.sort = VNS_SORT_RELEVANCE;
            } else if (strcmp(optarg, "newest") == 0) {
                o->q.sort = VNS_SORT_NEWEST;
            } else if (strcmp(optarg, "oldest") == 0) {
                o->q.sort = VNS_SORT_OLDEST;
            } else {
                fprintf(stderr, "vnsearch: --sort takes relevance, newest or oldest, not '%s'\n",
                        optarg);
                return -1;
            }
            break;
        case 'F':
            if (parse_facets(o, optarg) < 0) return -1;
            break;
        case 'G':
            if (parse_count(optarg, &v, 0) < 0 || v > 100000) {
                fprintf(stderr, "vnsearch: --facet-limit needs 1 to 100000, not '%s'\n", optarg);
                return -1;
            }
            o->q.facet_limit = (unsigned)v;
            break;
        case 'W':
            if (optarg[0] == '\0') {
                fprintf(stderr, "vnsearch: --show needs a document id\n");
                return -1;
            }
            o->show = optarg;
            break;
        case 'm':
            if (strcmp(optarg, "auto") == 0) {
                o->q.match = VNS_MATCH_AUTO;
            } else if (strcmp(optarg, "all") == 0) {
                o->q.match = VNS_MATCH_ALL;
            } else if (strcmp(optarg, "any") == 0) {
                o->q.match = VNS_MATCH_ANY;
            } else {
                fprintf(stderr, "vnsearch: --match takes all, any or auto, not '%s'\n", optarg);
                return -1;
            }
            break;
        case 'C':
            if (strcmp(optarg, "auto") == 0) {
                o->color = COLOR_AUTO;
            } else if (strcmp(optarg, "always") == 0) {
                o->color = COLOR_ALWAYS;
            } else if (strcmp(optarg, "never") == 0) {
                o->color = COLOR_NEVER;
            } else {
                fprintf(stderr, "vnsearch: --color takes auto, always or never, not '%s'\n",
                        optarg);
                return -1;
            }
            break;
        case 't':
            if (parse_count(optarg, &v, 1) < 0 || v >= VNS_QUERY_NO_TIME_LIMIT) {
                fprintf(stderr,
                        "vnsearch: --time-limit needs milliseconds, 0 (no limit) to %u, not '%s'\n",
                        VNS_QUERY_NO_TIME_LIMIT - 1, optarg);
                return -1;
            }
            o->q.time_limit_ms = v == 0 ? VNS_QUERY_NO_TIME_LIMIT : (unsigned)v;
            break;
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
    if (o->show && optind < argc) {
        fprintf(stderr, "vnsearch: --show takes an id, not a QUERY\n");
        return -1;
    }
    if (optind >= argc && !o->show) {
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

/* Leaves out an index given again (the same tcp:// address, or the same directory or stub file
 * by any path: the same device and inode), saying so on stderr: each is searched once, so that
 * its hits are not returned and counted twice. Paths that do not exist are compared as text (the
 * open reports them). Never fails. */
static void drop_repeats(opts *o) {
    struct stat seen[MAX_INDEXES];
    int has[MAX_INDEXES];
    size_t kept = 0;
    for (size_t i = 0; i < o->npaths; i++) {
        const char *p = o->paths[i];
        struct stat sb;
        int ok = strncmp(p, "tcp://", 6) != 0 && stat(p, &sb) == 0;
        size_t j = 0;
        while (j < kept &&
               !(ok && has[j] ? seen[j].st_dev == sb.st_dev && seen[j].st_ino == sb.st_ino
                              : strcmp(o->paths[j], p) == 0))
            j++;
        if (j < kept) {
            fprintf(stderr, "vnsearch: %s is %s again: searched once\n", p, o->paths[j]);
            continue;
        }
        o->paths[kept] = p;
        has[kept] = ok;
        if (ok) seen[kept] = sb;
        kept++;
    }
    o->npaths = kept;
}

/* cli_put_visible for a NUL-terminated string. Never fails. */
static void puts_visible(FILE *f, const char *s) {
    cli_put_visible(f, s, strlen(s));
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

/* Prints the results as one JSON object on stdout (cli_results_json). Returns EXIT_OK, or
 * EXIT_ERROR (said on stderr, nothing printed) when the results cannot be read or a result cannot
 * be encoded: a result is never dropped silently. */
static int print_json(vns_results *r, const char *query, double started, const opts *o) {
    char err[1024];
    cli_json_opts jo = {.html = o->html,
                        .facets = o->q.facets,
                        .missing = o->missing,
                        .nmissing = o->nmissing,
                        .started = started};
    json_t *root = cli_results_json(r, query, &jo, err, sizeof err);
    char *text = root ? json_dumps(root, JSON_COMPACT) : NULL;
    json_decref(root);
    if (text == NULL) {
        fprintf(stderr, "vnsearch: %s\n", root ? "cannot encode the results as JSON" : err);
        return EXIT_ERROR;
    }
    puts(text);
    free(text);
    return EXIT_OK;
}

/* Writes the current result's snippet for a reader to f: the HTML one with html, else with the
 * matches in color (color) or in [ ] brackets, the text through put_visible. Returns 0, or -1
 * when the snippet cannot be made (the message is on the searcher). */
static int put_snippet(FILE *f, vns_results *r, int color, int html) {
    const char *marked = vns_results_snippet_marked(r);
    if (marked == NULL) return -1;
    if (html || !color) {
        puts_visible(f, marked);
        return 0;
    }
    size_t n = 0, from = 0;
    const char *snip = vns_results_snippet(r);
    const vns_range *hl = vns_results_highlights(&n, r);
    for (size_t i = 0; i < n; i++) {
        cli_put_visible(f, snip + from, hl[i].start - from);
        fputs(COLOR_HL_START, f);
        cli_put_visible(f, snip + hl[i].start, hl[i].end - hl[i].start);
        fputs(COLOR_HL_END, f);
        from = hl[i].end;
    }
    puts_visible(f, snip + from);
    return 0;
}

/* Prints the results for a reader (colored when color) on stdout, all at once: they are collected
 * first, so that a failure part way (a remote index that dies) prints no partial page. Returns
 * EXIT_OK, or EXIT_ERROR (said on stderr, nothing printed) when the results cannot be read. */
static int print_human(vns_results *r, vns_searcher *s, int color, int html, unsigned facets) {
    char *page = NULL;
    size_t page_len = 0;
    FILE *f = open_memstream(&page, &page_len);
    if (f == NULL) {
        fprintf(stderr, "vnsearch: out of memory\n");
        return EXIT_ERROR;
    }
    vns_status st;
    size_t shown = 0;
    if (vns_results_searched_for(r)) {
        fputs("Searched for: ", f);
        puts_visible(f, vns_results_searched_for(r));
        fputs("\n\n", f);
    }
    if (vns_results_suggestion(r)) {
        fputs("Did you mean: ", f);
        puts_visible(f, vns_results_suggestion(r));
        fputs("\n\n", f);
    }
    while ((st = vns_results_next(r)) == VNS_OK) {
        const char *heading = vns_results_heading(r);
        if (heading == NULL) {
            st = VNS_EINTERNAL;
            break;
        }
        shown++;
        fprintf(f, "%s%zu. ", color ? COLOR_HEAD_START : "", vns_results_rank(r));
        puts_visible(f, heading);
        fprintf(f, "%s\n   ", color ? COLOR_HEAD_END : "");
        puts_visible(f, vns_results_id(r));
        const vns_meta *m = vns_results_meta(r);
        if (m && m->date) {
            fputs("  ", f);
            /* The day is what a reader scans for; the time stays in --json and --show. */
            cli_put_visible(f, m->date, strlen(m->date) < 10 ? strlen(m->date) : 10);
        }
        if (m && m->source) {
            fputs("  ", f);
            puts_visible(f, m->source);
        }
        size_t matched = 0;
        if (vns_results_match(r) == VNS_MATCH_ANY && vns_results_query_words(r) > 0) {
            if ((st = vns_results_matched_words(&matched, r)) != VNS_OK) break;
            fprintf(f, "  (score %.3f, %zu of %zu words)\n   ", vns_results_score(r), matched,
                    vns_results_query_words(r));
        } else {
            fprintf(f, "  (score %.3f)\n   ", vns_results_score(r));
        }
        if (put_snippet(f, r, color, html) < 0) {
            st = VNS_EINTERNAL;
            break;
        }
        fputs("\n\n", f);
    }
    uint64_t total = vns_results_total(r);
    if (shown == 0)
        fprintf(f, "no results\n");
    else
        fprintf(f, "%s%llu match%s%s\n", vns_results_total_is_exact(r) ? "" : "about ",
                (unsigned long long)total, total == 1 ? "" : "es",
                vns_results_match(r) == VNS_MATCH_ANY ? " (any of the words)" : "");
    /* The facets: a short block after the results, a line each. */
    for (int fc = 0, first = 1; fc < VNS_FACET_COUNT; fc++) {
        if (!(facets & VNS_FACET_BIT(fc))) continue;
        fprintf(f, "%s%s:", first ? "\n" : "", cli_facet_names[fc]);
        first = 0;
        const char *value;
        uint64_t count;
        size_t i = 0;
        for (; vns_results_facet(&value, &count, r, (vns_facet)fc, i) == VNS_OK; i++) {
            fputs(i ? ", " : " ", f);
            puts_visible(f, value);
            fprintf(f, " (%llu)", (unsigned long long)count);
        }
        fputs(i ? "\n" : " none\n", f);
    }
    int bad = fclose(f) != 0;
    if (st < 0 || bad) {
        fprintf(stderr, "vnsearch: %s\n", bad ? "out of memory" : vns_searcher_errmsg(s));
        if (st < 0 && shown > 0)
            fprintf(stderr,
                    "vnsearch: no results printed: the %zu read before the failure are "
                    "incomplete\n",
                    shown);
        free(page);
        return EXIT_ERROR;
    }
    fwrite(page, 1, page_len, stdout);
    free(page);
    return EXIT_OK;
}

/* Writes text (len bytes) for a reader: its lines as they are, each through put_visible.
 * Never fails (f records write errors). */
static void put_lines(FILE *f, const char *text, size_t len) {
    size_t from = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && text[i] != '\n') continue;
        cli_put_visible(f, text + from, i - from);
        if (i < len) fputc('\n', f);
        from = i + 1;
    }
}

/* vnsearch --show ID: the stored article, for a reader or (json) as one JSON object with the
 * fields vnindex reads. Returns EXIT_OK, or EXIT_ERROR (said on stderr) for an unknown id or an
 * index that cannot be read. */
static int show(vns_searcher *s, const char *id, int json) {
    vns_document *d = NULL;
    vns_status st = vns_searcher_get(&d, s, id);
    if (st != VNS_OK) {
        fprintf(stderr, "vnsearch: %s\n", vns_searcher_errmsg(s));
        return EXIT_ERROR;
    }
    int rc = EXIT_OK;
    if (json) {
        json_t *o = cli_document_json(d);
        char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
        json_decref(o);
        if (text) {
            puts(text);
            free(text);
        } else {
            fprintf(stderr, "vnsearch: cannot encode the article as JSON\n");
            rc = EXIT_ERROR;
        }
    } else {
        const vns_meta *m = vns_document_meta(d);
        const char *names[] = {"id", "title", "date", "source", "topic", "url"};
        const char *values[] = {
            vns_document_id(d), vns_document_title(d), m->date, m->source, m->topic, m->url};
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
            if (values[i] == NULL || values[i][0] == '\0') continue;
            printf("%s: ", names[i]);
            puts_visible(stdout, values[i]);
            putchar('\n');
        }
        for (size_t i = 0; i < m->ntags; i++) {
            fputs(i ? ", " : "tags: ", stdout);
            puts_visible(stdout, m->tags[i]);
        }
        if (m->ntags) putchar('\n');
        size_t len = 0;
        const char *body = vns_document_body(&len, d);
        putchar('\n');
        put_lines(stdout, body, len);
        if (len && body[len - 1] != '\n') putchar('\n');
    }
    vns_document_free(d);
    return rc;
}

/* Flushes stdout. Returns rc, or EXIT_ERROR (said on stderr) when the output could not be
 * written (a full disk, a closed pipe): results that were not delivered are a failure. */
static int finish_output(int rc) {
    int bad = fflush(stdout) != 0;
    int err = errno;
    if (bad || ferror(stdout)) {
        fprintf(stderr, "vnsearch: cannot write the results to stdout: %s\n",
                bad ? strerror(err) : "write error");
        return EXIT_ERROR;
    }
    return rc;
}

int main(int argc, char **argv) {
    opts o = {.q = VNS_QUERY_OPTIONS_INIT};
    int exit_now;
    int first = parse_args(argc, argv, &o, &exit_now);
    if (first < 0) return EXIT_USAGE;
    if (exit_now) return finish_output(EXIT_OK);
    double started = cli_now();
    char *query = join_args(argc, argv, first);
    if (query && o.show) {
        free(query);
        query = strdup(o.show); /* For the messages below; --show takes no query. */
    }
    if (query == NULL) {
        fprintf(stderr, "vnsearch: out of memory\n");
        return EXIT_ERROR;
    }
    const char *term = getenv("TERM");
    int color = !o.json && (o.color == COLOR_ALWAYS ||
                            (o.color == COLOR_AUTO && isatty(1) && getenv("NO_COLOR") == NULL &&
                             term != NULL && *term != '\0' && strcmp(term, "dumb") != 0));
    o.q.html = o.html;

    vns_searcher *s = NULL;
    char err[1024];
    drop_repeats(&o);
    if (o.allow_partial && o.npaths > 1) drop_missing(&o);
    vns_status st = vns_searcher_open(&s, o.paths, o.npaths, err, sizeof err);
    if (st != VNS_OK) {
        fprintf(stderr, "vnsearch: %s\n", err);
        if (st == VNS_ENOTFOUND && o.npaths == 1 && cli_swap_stopped(o.paths[0]))
            fprintf(stderr,
                    "vnsearch: a vnindex run was stopped while swapping in a new copy: the index "
                    "is at %s.replaced, and the next run of vnindex -d %s moves it back\n",
                    o.paths[0], o.paths[0]);
        else if (st == VNS_ENOTFOUND)
            fprintf(stderr, "vnsearch: build the index first: vnindex -d %s SOURCE...\n",
                    o.npaths == 1 ? o.paths[0] : "INDEX");
        free(query);
        return EXIT_ERROR;
    }
    if (o.show) {
        int rc = show(s, o.show, o.json);
        vns_searcher_close(s);
        free(query);
        return finish_output(rc);
    }
    vns_results *r = NULL;
    int rc;
    st = vns_searcher_query(&r, s, query, &o.q);
    if (st != VNS_OK) {
        fprintf(stderr, "vnsearch: %s\n", vns_searcher_errmsg(s));
        rc = st == VNS_EQUERY || st == VNS_EINVAL ? EXIT_USAGE : EXIT_ERROR;
    } else {
        rc = o.json ? print_json(r, query, started, &o)
                    : print_human(r, s, color, o.html, o.q.facets);
    }
    vns_results_free(r);
    vns_searcher_close(s);
    free(query);
    return finish_output(rc);
}
