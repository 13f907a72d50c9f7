/* vnindex.c: the vnindex command: indexes articles from files, directories or stdin, incrementally. */
#define _GNU_SOURCE
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "readers.h"
#include "vnsearch.h"

/* Exit statuses (a contract: scripts depend on them). */
enum {
    EXIT_OK = 0,          /* Everything was indexed. */
    EXIT_SOME_FAILED = 1, /* Some files or lines failed; the rest is indexed and committed. */
    EXIT_USAGE = 2,       /* Bad command line. */
    EXIT_LOCKED = 3,      /* Another writer holds the index. */
    EXIT_INDEX = 4        /* The index could not be opened or written (I/O, disk full, corrupt). */
};

static const char usage_text[] =
    "Usage: vnindex [-d INDEX] [--json] [--no-prune] [--wait] SOURCE...\n"
    "Index Vietnamese articles; re-running updates the index incrementally.\n"
    "\n"
    "  SOURCE          a directory (recursive: .txt .txt.gz .jsonl .jsonl.gz), one such file,\n"
    "                  or - for JSONL on stdin ({\"id\":...,\"title\":...,\"body\":...} a line)\n"
    "  -d, --index DIR the index (default: $VNSEARCH_INDEX, else ./vnsearch.db)\n"
    "      --json      print the summary as one JSON object on stdout\n"
    "      --no-prune  keep documents whose files are gone from a directory SOURCE\n"
    "      --wait      wait for another writer to finish instead of failing\n"
    "  -h, --help      this help;  --version  the version\n"
    "\n"
    "Exit status: 0 all indexed, 1 some inputs failed (the rest is committed), 2 usage,\n"
    "3 index locked by another writer, 4 index error (cannot open or write).\n";

typedef struct run {
    vns_index *ix;
    const char *source_key; /* Realpath of the directory SOURCE being read, or NULL. */
    uint64_t added, updated, unchanged, failed, deleted;
    uint64_t bytes;
    double started, last_progress;
    int progress;
} run;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void show_progress(run *r, int final) {
    if (!r->progress) return;
    double t = now();
    if (!final && t - r->last_progress < 0.5) return;
    r->last_progress = t;
    double secs = t - r->started;
    fprintf(stderr, "\r%llu documents, %.1f MB, %.1f MB/s   %s",
            (unsigned long long)(r->added + r->updated + r->unchanged), r->bytes / 1e6,
            secs > 0 ? r->bytes / 1e6 / secs : 0.0, final ? "\n" : "");
}

static vns_status on_article(const vns_article *a, void *ctx) {
    run *r = ctx;
    vns_doc d = {.id = a->id,
                 .title = a->title,
                 .title_len = a->title_len,
                 .body = a->body,
                 .body_len = a->body_len,
                 .source = r->source_key};
    vns_put_result res;
    vns_status st = vns_index_put(r->ix, &d, &res);
    if (st == VNS_EINVAL || st == VNS_EENCODING) {
        /* The article itself is at fault: report it and go on. */
        if (a->line)
            fprintf(stderr, "vnindex: %s:%ld: %s\n", a->path, a->line, vns_index_errmsg(r->ix));
        else
            fprintf(stderr, "vnindex: %s: %s\n", a->path, vns_index_errmsg(r->ix));
        r->failed++;
        return VNS_OK;
    }
    if (st != VNS_OK) return st;
    r->bytes += a->title_len + a->body_len;
    if (res == VNS_PUT_ADDED) r->added++;
    else if (res == VNS_PUT_UPDATED) r->updated++;
    else r->unchanged++;
    show_progress(r, 0);
    return VNS_OK;
}

static void on_failure(const char *path, long line, const char *id, const char *msg, void *ctx) {
    run *r = ctx;
    if (r->progress) fputc('\n', stderr);
    if (line)
        fprintf(stderr, "vnindex: %s:%ld: %s\n", path, line, msg);
    else
        fprintf(stderr, "vnindex: %s: %s\n", path, msg);
    r->failed++;
    /* A file that exists but failed keeps its previous version: not pruned. */
    if (id) vns_index_touch(r->ix, id);
}

static int index_failed(run *r, vns_status st) {
    if (r->progress) fputc('\n', stderr);
    fprintf(stderr, "vnindex: %s (%s)\n", vns_index_errmsg(r->ix), vns_status_str(st));
    fprintf(stderr, "vnindex: the index keeps its last committed state; run again to finish\n");
    vns_index_abandon(r->ix);
    return st == VNS_ELOCKED ? EXIT_LOCKED : EXIT_INDEX;
}

int main(int argc, char **argv) {
    const char *index_path = NULL;
    int json = 0, no_prune = 0, wait = 0;
    static const struct option longopts[] = {
        {"index", required_argument, NULL, 'd'}, {"json", no_argument, NULL, 'j'},
        {"no-prune", no_argument, NULL, 'P'},    {"wait", no_argument, NULL, 'w'},
        {"help", no_argument, NULL, 'h'},        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "d:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'd': index_path = optarg; break;
        case 'j': json = 1; break;
        case 'P': no_prune = 1; break;
        case 'w': wait = 1; break;
        case 'h': fputs(usage_text, stdout); return EXIT_OK;
        case 'V': printf("vnindex %s\n", vns_version(NULL)); return EXIT_OK;
        default: fputs(usage_text, stderr); return EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "vnindex: no SOURCE given\n%s", usage_text);
        return EXIT_USAGE;
    }
    if (index_path == NULL) index_path = vns_default_index_path();

    run r = {0};
    r.started = now();
    r.progress = isatty(2);
    vns_index_options opts = VNS_INDEX_OPTIONS_INIT;
    opts.wait_for_lock = wait;
    char err[1024];
    vns_status st = vns_index_open(&r.ix, index_path, &opts, err, sizeof err);
    if (st != VNS_OK) {
        fprintf(stderr, "vnindex: %s (%s)\n", err, vns_status_str(st));
        return st == VNS_ELOCKED ? EXIT_LOCKED : EXIT_INDEX;
    }

    vns_reader_callbacks cb = {on_article, on_failure, &r};
    for (int i = optind; i < argc; i++) {
        const char *src = argv[i];
        struct stat sb;
        int is_dir = strcmp(src, "-") != 0 && stat(src, &sb) == 0 && S_ISDIR(sb.st_mode);
        char *key = is_dir ? realpath(src, NULL) : NULL;
        r.source_key = key;
        size_t whole_failures = 0;
        st = vns_read_source(src, &cb, &whole_failures);
        if (st == VNS_OK && is_dir && !no_prune) {
            if (whole_failures > 0) {
                fprintf(stderr, "vnindex: %s: not pruned, since %zu file(s) could not be read\n",
                        src, whole_failures);
            } else if (key) {
                uint64_t deleted = 0;
                st = vns_index_prune(r.ix, key, &deleted);
                r.deleted += deleted;
            }
        }
        free(key);
        r.source_key = NULL;
        if (st != VNS_OK) return index_failed(&r, st);
    }
    if ((st = vns_index_commit(r.ix)) != VNS_OK) return index_failed(&r, st);
    uint64_t docs = vns_index_doc_count(r.ix);
    vns_index_stats stats;
    vns_index_get_stats(r.ix, &stats);
    if ((st = vns_index_close(r.ix)) != VNS_OK) {
        fprintf(stderr, "vnindex: final commit failed (%s)\n", vns_status_str(st));
        return st == VNS_ELOCKED ? EXIT_LOCKED : EXIT_INDEX;
    }
    show_progress(&r, 1);
    double secs = now() - r.started;
    double mbps = secs > 0 ? r.bytes / 1e6 / secs : 0.0;
    if (json) {
        printf("{\"added\":%llu,\"updated\":%llu,\"deleted\":%llu,\"unchanged\":%llu,"
               "\"failed\":%llu,\"documents\":%llu,\"seconds\":%.3f,\"mb_per_s\":%.2f,"
               "\"invalid_utf8\":%llu}\n",
               (unsigned long long)r.added, (unsigned long long)r.updated,
               (unsigned long long)r.deleted, (unsigned long long)r.unchanged,
               (unsigned long long)r.failed, (unsigned long long)docs, secs, mbps,
               (unsigned long long)stats.invalid_utf8);
    } else {
        printf("added %llu, updated %llu, deleted %llu, unchanged %llu, failed %llu\n"
               "%llu documents in %s; %.2f s, %.1f MB/s\n",
               (unsigned long long)r.added, (unsigned long long)r.updated,
               (unsigned long long)r.deleted, (unsigned long long)r.unchanged,
               (unsigned long long)r.failed, (unsigned long long)docs, index_path, secs, mbps);
        if (stats.invalid_utf8)
            printf("%llu invalid UTF-8 sequences replaced by U+FFFD\n",
                   (unsigned long long)stats.invalid_utf8);
    }
    return r.failed ? EXIT_SOME_FAILED : EXIT_OK;
}
