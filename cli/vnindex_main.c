/* vnindex_main.c: the vnindex command: indexes articles from files, directories or stdin. */
#define _GNU_SOURCE
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "args.h"
#include "clock.h"
#include "parallel_build.h"
#include "readers.h"
#include "vnsearch.h"
#include "watch.h"

/* Exit statuses (a contract: scripts depend on them). */
enum {
    EXIT_OK = 0,          /* Everything was indexed. */
    EXIT_SOME_FAILED = 1, /* Some files or lines failed; the rest is indexed and committed. */
    EXIT_USAGE = 2,       /* Bad command line. */
    EXIT_LOCKED = 3,      /* Another writer holds the index. */
    EXIT_INDEX = 4        /* The index could not be opened or written (I/O, disk full, corrupt). */
};

/* The most shards --shard takes, and the most processes --jobs starts. */
#define MAX_SHARDS 4096
#define MAX_JOBS 64

static const char usage_text[] =
    "Usage: vnindex [-d INDEX] [--json] [--no-prune] [--wait] [--shard K/N] [--jobs N] SOURCE...\n"
    "       vnindex [-d INDEX] [--json] [--wait] --watch DIR\n"
    "Index Vietnamese articles; re-running updates the index incrementally.\n"
    "\n"
    "  SOURCE          a directory (recursive: .txt .txt.gz .jsonl .jsonl.gz), one such file,\n"
    "                  or - for JSONL on stdin ({\"id\":...,\"title\":...,\"body\":...} a line)\n"
    "  -d, --index DIR the index (default: $VNSEARCH_INDEX, else ./vnsearch.db)\n"
    "      --json      print the summary as one JSON object on stdout\n"
    "      --no-prune  keep documents whose files are gone from a directory SOURCE\n"
    "      --wait      wait for another writer to finish instead of failing\n"
    "      --shard K/N only the documents of shard K of N (1 <= K <= N, by a hash of the id)\n"
    "      --jobs N    build a new (or empty) index with N processes, merged at the end\n"
    "      --watch DIR index DIR, then follow it (inotify) until SIGINT or SIGTERM: new,\n"
    "                  changed, moved and deleted files, each committed within a second\n"
    "  -h, --help      this help;  --version  the version\n"
    "\n"
    "Exit status: 0 all indexed, 1 some inputs failed (the rest is committed), 2 usage,\n"
    "3 index locked by another writer, 4 index error (cannot open or write).\n";

typedef struct run {
    vns_index *ix;
    const char *source_key; /* Realpath of the directory SOURCE being read, or NULL. */
    unsigned shard,
        nshards; /* Only ids with vns_shard_of(id, nshards) == shard (nshards 0: all). */
    uint64_t added, updated, unchanged, failed, deleted;
    uint64_t bytes, invalid_utf8;
    double started, last_progress;
    int progress;
} run;

/* Shows the progress line on stderr (at most twice a second unless final) when it is a
 * terminal. Never fails. */
static void show_progress(run *r, int final) {
    if (!r->progress) return;
    double t = cli_now();
    if (!final && t - r->last_progress < 0.5) return;
    r->last_progress = t;
    double secs = t - r->started;
    fprintf(stderr, "\r%llu documents, %.1f MB, %.1f MB/s   %s",
            (unsigned long long)(r->added + r->updated + r->unchanged), r->bytes / 1e6,
            secs > 0 ? r->bytes / 1e6 / secs : 0.0, final ? "\n" : "");
}

/* Whether this run handles id; a failure without an id is reported by the first shard only. */
static int mine(const run *r, const char *id) {
    if (r->nshards == 0) return 1;
    return id ? vns_shard_of(id, r->nshards) == r->shard : r->shard == 0;
}

/* Reader callback: puts one article into the index and counts it. An article at fault (invalid,
 * or an id that is not UTF-8, such as a file name in another encoding) is said on stderr and
 * counted as failed. Returns VNS_OK, or the index failure that must stop the run. */
static vns_status on_article(const cli_article *a, void *ctx) {
    run *r = ctx;
    if (!mine(r, a->id)) {
        /* Another shard's: still present, so never pruned here. */
        return VNS_OK;
    }
    vns_doc d = {.version = VNS_DOC_VERSION,
                 .id = a->id,
                 .title = a->title,
                 .title_len = a->title_len,
                 .body = a->body,
                 .body_len = a->body_len,
                 .source = r->source_key};
    vns_put_result res;
    vns_status st = vns_index_put(&res, r->ix, &d);
    if (st == VNS_EINVAL || st == VNS_EENCODING) {
        /* The article itself is at fault: report it and go on (below the progress line). */
        if (r->progress) fputc('\n', stderr);
        if (a->line)
            fprintf(stderr, "vnindex: %s:%ld: %s\n", a->path, a->line, vns_index_errmsg(r->ix));
        else
            fprintf(stderr, "vnindex: %s: %s\n", a->path, vns_index_errmsg(r->ix));
        r->failed++;
        return VNS_OK;
    }
    if (st != VNS_OK) return st;
    r->bytes += a->title_len + a->body_len;
    if (res == VNS_PUT_ADDED)
        r->added++;
    else if (res == VNS_PUT_UPDATED)
        r->updated++;
    else
        r->unchanged++;
    show_progress(r, 0);
    return VNS_OK;
}

/* Reader callback: says a failed file or line on stderr and counts it; a file that exists keeps
 * its previous version in the index. Never fails. */
static void on_failure(const char *path, long line, const char *id, const char *msg, void *ctx) {
    run *r = ctx;
    if (!mine(r, id)) return;
    if (r->progress) fputc('\n', stderr);
    if (line)
        fprintf(stderr, "vnindex: %s:%ld: %s\n", path, line, msg);
    else
        fprintf(stderr, "vnindex: %s: %s\n", path, msg);
    r->failed++;
    /* A file that exists but failed keeps its previous version: not pruned. */
    if (id) vns_index_touch(r->ix, id);
}

/* Says an index failure on stderr and abandons the uncommitted changes. Returns the exit status
 * for it (EXIT_LOCKED or EXIT_INDEX). */
static int index_failed(run *r, vns_status st) {
    if (r->progress) fputc('\n', stderr);
    fprintf(stderr, "vnindex: %s (%s)\n", vns_index_errmsg(r->ix), vns_status_str(st));
    fprintf(stderr, "vnindex: the index keeps its last committed state; run again to finish\n");
    vns_index_abandon(r->ix);
    return st == VNS_ELOCKED ? EXIT_LOCKED : EXIT_INDEX;
}

/* Prints the --json summary, one object on stdout; seconds have 3 decimals, MB/s 2. Returns 0, or
 * -1 (said on stderr, nothing printed) when out of memory. */
static int print_json_summary(const run *r, uint64_t docs, double secs, double mbps) {
    json_t *o =
        json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:f,s:f,s:I}", "added", (json_int_t)r->added, "updated",
                  (json_int_t)r->updated, "deleted", (json_int_t)r->deleted, "unchanged",
                  (json_int_t)r->unchanged, "failed", (json_int_t)r->failed, "documents",
                  (json_int_t)docs, "seconds", round(secs * 1e3) / 1e3, "mb_per_s",
                  round(mbps * 1e2) / 1e2, "invalid_utf8", (json_int_t)r->invalid_utf8);
    /* 15 significant digits print the rounded values as they were rounded (0.008, not
     * 0.0080000000000000002). */
    char *text = o ? json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(15)) : NULL;
    json_decref(o);
    if (text == NULL) {
        fprintf(stderr, "vnindex: cannot print the summary: out of memory\n");
        return -1;
    }
    puts(text);
    free(text);
    return 0;
}

/* Prints the summary (JSON with json) on stdout. Returns the exit status: EXIT_SOME_FAILED when
 * an input failed, else EXIT_OK. */
static int summary(const run *r, const char *index_path, uint64_t docs, int json) {
    double secs = cli_now() - r->started;
    double mbps = secs > 0 ? r->bytes / 1e6 / secs : 0.0;
    if (json) {
        /* The work is done and committed: a summary that cannot be printed does not change
         * the exit status (a contract), it is said on stderr. */
        print_json_summary(r, docs, secs, mbps);
    } else {
        printf("added %llu, updated %llu, deleted %llu, unchanged %llu, failed %llu\n"
               "%llu documents in %s; %.2f s, %.1f MB/s\n",
               (unsigned long long)r->added, (unsigned long long)r->updated,
               (unsigned long long)r->deleted, (unsigned long long)r->unchanged,
               (unsigned long long)r->failed, (unsigned long long)docs, index_path, secs, mbps);
        if (r->invalid_utf8)
            printf("%llu invalid UTF-8 sequences replaced by U+FFFD\n",
                   (unsigned long long)r->invalid_utf8);
    }
    return r->failed ? EXIT_SOME_FAILED : EXIT_OK;
}

/* Ends a run whose work is done: counts the documents, reads the index's stats, closes r->ix
 * (the final commit) and prints the summary. Returns the exit status: EXIT_SOME_FAILED when an
 * input failed, EXIT_INDEX (or EXIT_LOCKED) when the index failed, said on stderr. */
static int finish_run(run *r, const char *index_path, int json) {
    uint64_t docs = 0;
    vns_status st = vns_index_doc_count(&docs, r->ix);
    if (st != VNS_OK) return index_failed(r, st);
    vns_index_stats stats = VNS_INDEX_STATS_INIT;
    if ((st = vns_index_get_stats(&stats, r->ix)) != VNS_OK) return index_failed(r, st);
    r->invalid_utf8 = stats.invalid_utf8;
    if ((st = vns_index_close(r->ix)) != VNS_OK) {
        fprintf(stderr, "vnindex: final commit failed (%s)\n", vns_status_str(st));
        return st == VNS_ELOCKED ? EXIT_LOCKED : EXIT_INDEX;
    }
    show_progress(r, 1);
    return summary(r, index_path, docs, json);
}

/* Reads every source into r->ix (open), prunes directory sources unless no_prune, commits.
 * Returns VNS_OK or the index failure that stopped it. */
static vns_status index_sources(run *r, char **sources, int n, int no_prune) {
    cli_reader_callbacks cb = {on_article, on_failure, r};
    for (int i = 0; i < n; i++) {
        const char *src = sources[i];
        struct stat sb;
        int is_dir = strcmp(src, "-") != 0 && stat(src, &sb) == 0 && S_ISDIR(sb.st_mode);
        char *key = is_dir ? realpath(src, NULL) : NULL;
        r->source_key = key;
        size_t whole_failures = 0;
        vns_status st = cli_read_source(src, &cb, &whole_failures);
        if (st == VNS_OK && is_dir && !no_prune) {
            if (whole_failures > 0) {
                if (mine(r, NULL))
                    fprintf(stderr,
                            "vnindex: %s: not pruned, since %zu file(s) could not be read\n", src,
                            whole_failures);
            } else if (key) {
                uint64_t deleted = 0;
                st = vns_index_prune(&deleted, r->ix, key);
                r->deleted += deleted;
            }
        }
        free(key);
        r->source_key = NULL;
        if (st != VNS_OK) return st;
    }
    return vns_index_commit(r->ix);
}

/* What a --jobs job needs besides its shard: the sources and the run's start. */
typedef struct job_args {
    char **sources;
    int n;
    double started;
} job_args;

/* One --jobs job, in a process of its own: indexes its shard of the sources into the scratch
 * index part and fills *out. Returns VNS_OK or the failure that stopped it (said on stderr). */
static vns_status build_job(cli_job_counts *out, const char *part, unsigned shard, unsigned nshards,
                            void *ctx) {
    const job_args *a = ctx;
    run r = {.shard = shard, .nshards = nshards, .started = a->started};
    char err[1024];
    /* A part is scratch: when anything fails, the whole build is thrown away. */
    vns_index_options io = VNS_INDEX_OPTIONS_INIT;
    io.scratch = 1;
    vns_status st = vns_index_open(&r.ix, part, &io, err, sizeof err);
    if (st != VNS_OK) {
        fprintf(stderr, "vnindex: %s (%s)\n", err, vns_status_str(st));
        return st;
    }
    st = index_sources(&r, a->sources, a->n, 1);
    if (st != VNS_OK)
        fprintf(stderr, "vnindex: %s (%s)\n", vns_index_errmsg(r.ix), vns_status_str(st));
    vns_index_stats stats = VNS_INDEX_STATS_INIT;
    vns_index_get_stats(&stats, r.ix);
    if (st == VNS_OK) {
        st = vns_index_close(r.ix);
        if (st != VNS_OK)
            fprintf(stderr, "vnindex: %s: final commit failed (%s)\n", part, vns_status_str(st));
    } else {
        vns_index_abandon(r.ix);
    }
    *out = (cli_job_counts){.added = r.added,
                            .updated = r.updated,
                            .unchanged = r.unchanged,
                            .failed = r.failed,
                            .bytes = r.bytes,
                            .invalid_utf8 = stats.invalid_utf8};
    return st;
}

/* vnindex --jobs N over the new or empty index r->ix (open, so locked, until the swap is done):
 * the parallel build, then the summary. A SIGINT or SIGTERM during the build stops it (the index
 * unchanged) and ends the process by that signal. Returns the exit status. */
static int jobs_run(run *r, const char *index_path, char **sources, int n, unsigned jobs,
                    int json) {
    job_args args = {sources, n, r->started};
    cli_job_counts total = {0};
    uint64_t docs = 0;
    int sig = 0;
    vns_status st = cli_parallel_build(&total, &docs, &sig, index_path, jobs, build_job, &args);
    /* The lock is released only now, after the swap: see cli_index_open_current. */
    vns_index_abandon(r->ix);
    r->ix = NULL;
    if (sig) {
        signal(sig, SIG_DFL);
        raise(sig);
    }
    if (st != VNS_OK) return EXIT_INDEX;
    r->added = total.added;
    r->updated = total.updated;
    r->unchanged = total.unchanged;
    r->failed = total.failed;
    r->bytes = total.bytes;
    r->invalid_utf8 = total.invalid_utf8;
    return summary(r, index_path, docs, json);
}

static volatile sig_atomic_t stop_requested;

/* SIGINT and SIGTERM handler under --watch: asks the watcher to stop. Never fails. */
static void on_stop_signal(int sig) {
    (void)sig;
    stop_requested = 1;
}

/* The watcher's log: says what it did on stderr and counts deletions. Never fails. */
static void watch_log(const char *what, const char *id, uint64_t n, void *ctx) {
    run *r = ctx;
    if (strcmp(what, "deleted") == 0) r->deleted += n;
    fprintf(stderr, "vnindex: %s %s\n", what, id);
}

/* vnindex --watch DIR: an incremental run over DIR, then follow it until a signal. Returns the
 * exit status (EXIT_SOME_FAILED when any file or line failed on the way). */
static int watch_dir(run *r, const char *dir, const char *index_path, int json) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal; /* No SA_RESTART: poll() returns at once. */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    char *sources[] = {(char *)dir};
    vns_status st = index_sources(r, sources, 1, 0);
    if (st != VNS_OK) return index_failed(r, st);
    char *key = realpath(dir, NULL);
    r->source_key = key;
    cli_reader_callbacks cb = {on_article, on_failure, r};
    st = cli_watch(dir, r->ix, &cb, watch_log, r, &stop_requested);
    r->source_key = NULL;
    free(key);
    if (st != VNS_OK) return index_failed(r, st);
    return finish_run(r, index_path, json);
}

/* Parses "K/N" (1 <= K <= N <= MAX_SHARDS, digits only); returns -1 when malformed. */
static int parse_shard(const char *s, unsigned *k, unsigned *n) {
    const char *slash = strchr(s, '/');
    if (slash == NULL || (size_t)(slash - s) >= 16) return -1;
    char head[16];
    memcpy(head, s, (size_t)(slash - s));
    head[slash - s] = '\0';
    unsigned long long kk, nn;
    if (cli_parse_count(&kk, head, MAX_SHARDS) < 0 ||
        cli_parse_count(&nn, slash + 1, MAX_SHARDS) < 0)
        return -1;
    if (kk == 0 || kk > nn) return -1;
    *k = (unsigned)kk;
    *n = (unsigned)nn;
    return 0;
}

/* The index path without trailing slashes ("ix/" is "ix", "/" stays), in a static buffer. Returns
 * NULL (said on stderr) when it is empty or too long. */
static const char *clean_index_path(const char *path) {
    static char buf[4096];
    size_t len = strlen(path);
    while (len > 1 && path[len - 1] == '/') len--;
    if (len == 0 || len >= sizeof buf) {
        fprintf(stderr, "vnindex: -d needs a path (of at most %zu bytes)\n", sizeof buf - 1);
        return NULL;
    }
    memcpy(buf, path, len);
    buf[len] = '\0';
    return buf;
}

/* Parses the command line and runs the mode it asks for: --watch, a parallel build (--jobs over a
 * new or empty index), or a sequential run. Every mode holds the index's lock from its open to its
 * end, the parallel build through its swap. Returns the exit status. */
int main(int argc, char **argv) {
    const char *index_path = NULL;
    int json = 0, no_prune = 0, wait = 0;
    unsigned shard_k = 0, shard_n = 0;
    unsigned long long jobs = 1;
    const char *watch = NULL;
    static const struct option longopts[] = {
        {"index", required_argument, NULL, 'd'}, {"json", no_argument, NULL, 'j'},
        {"no-prune", no_argument, NULL, 'P'},    {"wait", no_argument, NULL, 'w'},
        {"shard", required_argument, NULL, 'S'}, {"jobs", required_argument, NULL, 'J'},
        {"watch", required_argument, NULL, 'W'}, {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},     {NULL, 0, NULL, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "d:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'd': index_path = optarg; break;
        case 'j': json = 1; break;
        case 'P': no_prune = 1; break;
        case 'w': wait = 1; break;
        case 'S':
            if (parse_shard(optarg, &shard_k, &shard_n) < 0) {
                fprintf(stderr, "vnindex: --shard needs K/N with 1 <= K <= N <= %d, not '%s'\n",
                        MAX_SHARDS, optarg);
                return EXIT_USAGE;
            }
            break;
        case 'J':
            if (cli_parse_count(&jobs, optarg, MAX_JOBS) < 0 || jobs < 1) {
                fprintf(stderr, "vnindex: --jobs needs 1 to %d, not '%s'\n", MAX_JOBS, optarg);
                return EXIT_USAGE;
            }
            break;
        case 'W': watch = optarg; break;
        case 'h': fputs(usage_text, stdout); return EXIT_OK;
        case 'V': printf("vnindex %s\n", vns_version(NULL)); return EXIT_OK;
        default: fputs(usage_text, stderr); return EXIT_USAGE;
        }
    }
    struct stat wsb;
    if (watch && (optind < argc || shard_n || jobs > 1)) {
        fprintf(stderr, "vnindex: --watch takes one DIR and no SOURCE, --shard or --jobs\n");
        return EXIT_USAGE;
    }
    if (watch && (stat(watch, &wsb) < 0 || !S_ISDIR(wsb.st_mode))) {
        fprintf(stderr, "vnindex: --watch needs a directory: %s\n", watch);
        return EXIT_USAGE;
    }
    if (!watch && optind >= argc) {
        fprintf(stderr, "vnindex: no SOURCE given\n%s", usage_text);
        return EXIT_USAGE;
    }
    if (index_path == NULL) index_path = vns_default_index_path();
    if ((index_path = clean_index_path(index_path)) == NULL) return EXIT_USAGE;
    if (cli_dir_is_foreign(index_path)) {
        fprintf(stderr,
                "vnindex: %s is not an index: it is a directory that holds other files; give -d "
                "a new or empty directory, or an index\n",
                index_path);
        return EXIT_USAGE;
    }

    run r = {0};
    r.started = cli_now();
    r.progress = isatty(2) && jobs == 1;
    if (shard_n) {
        r.shard = shard_k - 1;
        r.nshards = shard_n;
    }
    vns_index_options opts = VNS_INDEX_OPTIONS_INIT;
    opts.wait_for_lock = wait;
    char err[1024];
    vns_status st = cli_index_open_current(&r.ix, index_path, &opts, err, sizeof err);
    if (st != VNS_OK) {
        fprintf(stderr, "vnindex: %s (%s)\n", err, vns_status_str(st));
        return st == VNS_ELOCKED ? EXIT_LOCKED : EXIT_INDEX;
    }
    /* With the lock held, no --jobs run can be using the scratch names. */
    unsigned scratch_left = cli_sweep_scratch(index_path);
    if (watch) return watch_dir(&r, watch, index_path, json);
    int stdin_source = 0;
    for (int i = optind; i < argc; i++) stdin_source |= strcmp(argv[i], "-") == 0;
    uint64_t docs = 1;
    if (jobs > 1 && shard_n == 0 && !stdin_source && vns_index_doc_count(&docs, r.ix) == VNS_OK &&
        docs == 0) {
        if (cli_index_swappable(index_path) && scratch_left == 0)
            return jobs_run(&r, index_path, argv + optind, argc - optind, (unsigned)jobs, json);
        fprintf(stderr,
                "vnindex: %s cannot be replaced by a parallel build (%s): building it "
                "with one process\n",
                index_path,
                scratch_left ? "scratch of another run is in the way"
                             : "it is not a plain directory holding only the index");
    }
    st = index_sources(&r, argv + optind, argc - optind, no_prune);
    if (st != VNS_OK) return index_failed(&r, st);
    return finish_run(&r, index_path, json);
}
