/* vnindex_main.c: the vnindex command: indexes articles from files, directories or stdin. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <jansson.h>

#include "args.h"
#include "article_json.h"
#include "clock.h"
#include "parallel_build.h"
#include "readers.h"
#include "visible.h"
#include "vnindex_run.h"
#include "vnsearch.h"
#include "watch.h"

/* Without --max-delete, a run stops before deleting more than this percentage of the index. */
#define CLI_DEFAULT_MAX_DELETE_PCT 50
/* Without --jobs, an update of a non-empty index uses the jobs when what is new in its input (a
 * folder's files modified since the index was last written, a file SOURCE whole) holds at least
 * this fraction of the index's bytes. The jobs' update copies the whole index when it merges their
 * parts in: on VNTC (2026-12-06), one process added 20,000 articles (59 MB of JSONL) to a
 * 64,000-article index (456 MB) in 24.4 s, two jobs in 10.0 s plus 4.0 s of merging, which grows
 * with the index (about 150 MB/s): the jobs pay once the input passes about 1/37 of the index. */
#define UPDATE_JOBS_SHARE 32
/* ... and when the file system has this many times the index's and the input's bytes free (the
 * parts hold about the input's index, the merged copy the whole). */
#define UPDATE_JOBS_ROOM 2
/* The most shards --shard takes, and the most processes --jobs starts. */
#define MAX_SHARDS 4096
#define MAX_JOBS 64

static const char usage_text[] =
    "Usage: vnindex [-d INDEX] [--json] [--no-prune] [--max-delete N|P%|all] [--follow-symlinks]\n"
    "               [--wait] [--shard K/N] [--jobs N] SOURCE...\n"
    "       vnindex [-d INDEX] [--json] [--wait] --watch DIR\n"
    "       vnindex [-d INDEX] --export > articles.jsonl\n"
    "       vnindex [-d INDEX] [--json] [--wait] --compact\n"
    "Index Vietnamese articles; re-running updates the index incrementally.\n"
    "\n"
    "  SOURCE          a directory (recursive: .txt .txt.gz .jsonl .jsonl.gz), one such file,\n"
    "                  or - for JSONL on stdin ({\"id\":...,\"title\":...,\"body\":...} a line;\n"
    "                  also kept: date, source, topic, tags, url; see vnindex(1))\n"
    "  -d, --index DIR the index (default: $VNSEARCH_INDEX, else ./vnsearch.db)\n"
    "      --json      print the summary as one JSON object on stdout\n"
    "      --no-prune  keep documents whose files are gone from a directory SOURCE\n"
    "      --max-delete N|P%|all  stop before pruning more than N documents or P% of the\n"
    "                  index (default 50%); all also prunes a SOURCE that holds no articles\n"
    "      --follow-symlinks  follow symlinked files that lead out of a directory SOURCE\n"
    "      --wait      wait for another writer to finish instead of failing\n"
    "      --shard K/N only the documents of shard K of N (1 <= K <= N, by a hash of the id)\n"
    "      --jobs N    build a new (or empty) index with N processes, merged at the end\n"
    "                  (default: the online CPUs; an index built by one process is compacted)\n"
    "      --watch DIR index DIR, then follow it (inotify) until SIGINT or SIGTERM: new,\n"
    "                  changed, moved and deleted files, each committed within a second\n"
    "      --compact   compact the index in place (a copy, swapped in; readers go on; a kill\n"
    "                  leaves the old or the new index whole)\n"
    "      --export    write every article of the index to stdout as JSONL (id, title, body,\n"
    "                  date, source, topic, tags, url): a backup, or the input of a rebuild\n"
    "  -h, --help      this help;  --version  the version\n"
    "\n"
    "Exit status: 0 all indexed, 1 some inputs failed (the rest is committed; also an article\n"
    "indexed without a metadata field that was wrong) or pruning was\n"
    "stopped by --max-delete, 2 usage, 3 index locked by another writer, 4 index error (cannot\n"
    "open or write).\n";

static volatile sig_atomic_t stop_requested;

/* SIGINT and SIGTERM handler under --watch: asks the watcher to stop. Never fails. */
static void on_stop_signal(int sig) {
    (void)sig;
    stop_requested = 1;
}

/* The watcher's log: says what it did on stderr and counts deletions. Never fails. */
static void watch_log(const char *what, const char *id, uint64_t n, void *ctx) {
    vnx_run *r = ctx;
    if (strcmp(what, "deleted") == 0) r->deleted += n;
    cli_say("vnindex: %s %s\n", what, id);
}

/* The watcher's index, opened for each batch: waits for another writer's lock. Returns VNS_OK or
 * the failure, said on stderr. */
static vns_status watch_open_index(vns_index **ixp, void *ctx) {
    vnx_run *r = ctx;
    vns_index_options o = VNS_INDEX_OPTIONS_INIT;
    o.wait_for_lock = 1;
    char err[1024];
    /* As every vnindex writer: a --jobs run may have swapped the directory while we waited. */
    vns_status st = cli_index_open_current(ixp, r->index_path, &o, err, sizeof err);
    if (st != VNS_OK) cli_say("vnindex: %s (%s)\n", err, vns_status_str(st));
    return st;
}

/* Ends the watcher's batch: keeps the handle's counters, commits and closes it (releasing the
 * writer's lock). Returns VNS_OK or the commit's failure, said on stderr. */
static vns_status watch_close_index(vns_index **ixp, void *ctx) {
    vnx_run *r = ctx;
    vns_index_stats stats = VNS_INDEX_STATS_INIT;
    if (vns_index_get_stats(&stats, *ixp) == VNS_OK) r->invalid_utf8 += stats.invalid_utf8;
    vns_status st = vnx_close(*ixp, "the commit");
    *ixp = NULL;
    return st;
}

/* vnindex --watch DIR: watches DIR first, then an incremental run over it, then follows it until
 * a signal, holding the writer's lock only while a batch is written. Returns the exit status
 * (EXIT_SOME_FAILED when any file or line failed on the way, or when DIR itself went away). */
static int watch_dir(vnx_run *r, const char *dir, const char *index_path, int json) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal; /* No SA_RESTART: poll() returns at once. */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    r->index_path = index_path;
    char key[64];
    cli_reader_callbacks cb = vnx_callbacks(r);
    cb.root = dir;
    cli_watch_index wi = {&r->ix, watch_open_index, watch_close_index, r};
    cli_watcher *w = NULL;
    /* Watching starts before the first run reads DIR: nothing created meanwhile is missed. */
    vns_status st = cli_watch_open(&w, dir, &cb, &wi, watch_log, r);
    if (st != VNS_OK) {
        vns_index_abandon(r->ix);
        return EXIT_INDEX;
    }
    char *sources[] = {(char *)dir};
    st = vnx_index_sources(r, sources, 1, 0);
    if (st == VNS_OK && r->prune_refused) {
        cli_watch_close(w);
        cli_say("vnindex: %s: not watched\n", dir);
        return vnx_finish_run(r, index_path, json);
    }
    if (st == VNS_OK) st = watch_close_index(&r->ix, r);
    int lost = 0;
    if (st == VNS_OK) {
        r->source_key = vnx_dir_key(dir, key, sizeof key) == 0 ? key : NULL;
        st = cli_watch_run(w, &stop_requested, &lost);
        r->source_key = NULL;
    }
    cli_watch_close(w);
    if (st == VNS_OK && r->ix == NULL) st = watch_open_index(&r->ix, r);
    if (st != VNS_OK) return r->ix ? vnx_index_failed(r, st) : EXIT_INDEX;
    int rc = vnx_finish_run(r, index_path, json);
    return rc == EXIT_OK && lost ? EXIT_SOME_FAILED : rc;
}

/* Parses --max-delete's N (a count), P% (0 to 100) or all into r. Returns 0, or -1 when
 * malformed. */
static int parse_max_delete(vnx_run *r, const char *s) {
    size_t len = strlen(s);
    int pct = len > 0 && s[len - 1] == '%';
    if (strcmp(s, "all") == 0) {
        r->max_delete = 100;
        r->max_delete_is_pct = r->delete_all = 1;
        return 0;
    }
    /* At most 19 digits (so a count always fits), and a percentage at most 100. */
    char num[20];
    if (len - (size_t)pct >= sizeof num) return -1;
    memcpy(num, s, len - (size_t)pct);
    num[len - (size_t)pct] = '\0';
    unsigned long long v;
    if (cli_parse_count(&v, num, pct ? 100 : ULLONG_MAX) < 0) return -1;
    r->max_delete = v;
    r->max_delete_is_pct = pct;
    r->delete_all = pct && v == 100;
    return 0;
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
        cli_say("vnindex: -d needs a path (of at most %zu bytes)\n", sizeof buf - 1);
        return NULL;
    }
    memcpy(buf, path, len);
    buf[len] = '\0';
    return buf;
}

/* vnindex --export: every article of the index at index_path as JSONL on stdout, one object a
 * line with the fields vnindex reads. Returns the exit status. */
static int export_index(const char *index_path) {
    vns_searcher *s = NULL;
    vns_document *d = NULL;
    char err[1024];
    const char *paths[] = {index_path};
    vns_status st = vns_searcher_open(&s, paths, 1, err, sizeof err);
    if (st != VNS_OK) {
        cli_say("vnindex: %s (%s)\n", err, vns_status_str(st));
        return EXIT_INDEX;
    }
    uint64_t n = 0;
    if ((st = vns_searcher_scan(&d, s)) == VNS_OK) {
        while ((st = vns_document_next(d)) == VNS_OK) {
            json_t *o = cli_document_json(d);
            char *line = o ? json_dumps(o, JSON_COMPACT) : NULL;
            json_decref(o);
            if (line == NULL) {
                cli_say("vnindex: --export: document %s cannot be written as JSON\n",
                        vns_document_id(d));
                st = VNS_ENOMEM;
                break;
            }
            fputs(line, stdout);
            fputc('\n', stdout);
            free(line);
            n++;
        }
    }
    if (st != VNS_DONE && st != VNS_ENOMEM)
        cli_say("vnindex: --export: %s (%s)\n", vns_searcher_errmsg(s), vns_status_str(st));
    vns_document_free(d);
    vns_searcher_close(s);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_say("vnindex: --export: writing the articles failed\n");
        return EXIT_INDEX;
    }
    if (st != VNS_DONE) return EXIT_INDEX;
    cli_say("vnindex: exported %llu articles from %s\n", (unsigned long long)n, index_path);
    return EXIT_OK;
}

/* The bytes of the files directly in dir (an index's tables). Never fails (0 when unreadable). */
static uint64_t dir_bytes(const char *dir) {
    uint64_t n = 0;
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        struct stat sb;
        if (fstatat(dirfd(d), e->d_name, &sb, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(sb.st_mode))
            n += (uint64_t)sb.st_size;
    }
    if (d) closedir(d);
    return n;
}

/* vnindex --compact over the index r->ix (open, so locked, until the swap is done). Returns the
 * exit status; a SIGINT or SIGTERM ends the process by that signal, the index whole. */
static int compact_run(vnx_run *r, const char *index_path, int json) {
    if (!cli_index_swappable(index_path)) {
        vns_index_abandon(r->ix);
        cli_say("vnindex: %s cannot be compacted in place: it is not a plain directory holding "
                "only the index, or it is a mount point (compact a copy with xapian-compact)\n",
                index_path);
        return EXIT_USAGE;
    }
    uint64_t docs = 0, before = dir_bytes(index_path);
    int sig = 0;
    vns_status st = cli_compact(&docs, &sig, index_path);
    vnx_release_after_swap(r, sig);
    if (st != VNS_OK) return EXIT_INDEX;
    uint64_t after = dir_bytes(index_path);
    double secs = cli_now() - r->started;
    if (json) {
        json_t *o = json_pack("{s:I,s:I,s:I,s:f}", "documents", (json_int_t)docs, "bytes_before",
                              (json_int_t)before, "bytes_after", (json_int_t)after, "seconds",
                              round(secs * 1e3) / 1e3);
        char *text = o ? json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(15)) : NULL;
        json_decref(o);
        if (text) puts(text);
        free(text);
    } else {
        printf("compacted %s: %llu documents, %.1f MB -> %.1f MB; %.2f s\n", index_path,
               (unsigned long long)docs, before / 1e6, after / 1e6, secs);
    }
    return EXIT_OK;
}

/* When the index at dir was last written: the newest modification time of its files (0 when
 * none can be read). Never fails. */
static time_t index_written(const char *dir) {
    DIR *d = opendir(dir);
    time_t newest = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        struct stat sb;
        if (cli_is_index_file(e->d_name) && fstatat(dirfd(d), e->d_name, &sb, 0) == 0 &&
            sb.st_mtime > newest)
            newest = sb.st_mtime;
    }
    if (d) closedir(d);
    return newest;
}

/* Parses the command line and runs the mode it asks for: --watch, a parallel build (--jobs over a
 * new or empty index), or a sequential run. Every mode holds the index's lock from its open to its
 * end, the parallel build through its swap. Returns the exit status. */
int main(int argc, char **argv) {
    const char *index_path = NULL;
    int json = 0, no_prune = 0, wait = 0;
    unsigned shard_k = 0, shard_n = 0;
    /* --jobs: by default every online CPU builds a new index (MAX_JOBS at most). */
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned long long jobs = cpus < 1 ? 1 : cpus > MAX_JOBS ? MAX_JOBS : (unsigned long long)cpus;
    int jobs_given = 0;
    const char *watch = NULL;
    int export = 0, compact = 0;
    vnx_run r = {.max_delete = CLI_DEFAULT_MAX_DELETE_PCT, .max_delete_is_pct = 1};
    static const struct option longopts[] = {
        {"max-delete", required_argument, NULL, 'M'}, {"follow-symlinks", no_argument, NULL, 'F'},
        {"index", required_argument, NULL, 'd'},      {"json", no_argument, NULL, 'j'},
        {"no-prune", no_argument, NULL, 'P'},         {"wait", no_argument, NULL, 'w'},
        {"shard", required_argument, NULL, 'S'},      {"jobs", required_argument, NULL, 'J'},
        {"watch", required_argument, NULL, 'W'},      {"help", no_argument, NULL, 'h'},
        {"export", no_argument, NULL, 'X'},           {"compact", no_argument, NULL, 'C'},
        {"version", no_argument, NULL, 'V'},          {NULL, 0, NULL, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "d:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'd': index_path = optarg; break;
        case 'j': json = 1; break;
        case 'P': no_prune = 1; break;
        case 'F': vnx_follow_symlinks = 1; break;
        case 'M':
            if (parse_max_delete(&r, optarg) < 0) {
                cli_say("vnindex: --max-delete needs a count, a percentage (0%% to 100%%) "
                        "or all, not '%s'\n",
                        optarg);
                return EXIT_USAGE;
            }
            break;
        case 'w': wait = 1; break;
        case 'S':
            if (parse_shard(optarg, &shard_k, &shard_n) < 0) {
                cli_say("vnindex: --shard needs K/N with 1 <= K <= N <= %d, not '%s'\n", MAX_SHARDS,
                        optarg);
                return EXIT_USAGE;
            }
            break;
        case 'J':
            if (cli_parse_count(&jobs, optarg, MAX_JOBS) < 0 || jobs < 1) {
                cli_say("vnindex: --jobs needs 1 to %d, not '%s'\n", MAX_JOBS, optarg);
                return EXIT_USAGE;
            }
            jobs_given = 1;
            break;
        case 'W': watch = optarg; break;
        case 'X': export = 1; break;
        case 'C': compact = 1; break;
        case 'h': fputs(usage_text, stdout); return EXIT_OK;
        case 'V': printf("vnindex %s\n", vns_version(NULL)); return EXIT_OK;
        default: fputs(usage_text, stderr); return EXIT_USAGE;
        }
    }
    if (export) {
        if (watch || optind < argc || shard_n || (jobs_given && jobs > 1)) {
            cli_say("vnindex: --export takes no SOURCE, --watch, --shard or --jobs\n");
            return EXIT_USAGE;
        }
        return export_index(index_path ? index_path : vns_default_index_path());
    }
    if (compact && (watch || optind < argc || shard_n || (jobs_given && jobs > 1))) {
        cli_say("vnindex: --compact takes no SOURCE, --watch, --shard or --jobs\n");
        return EXIT_USAGE;
    }
    struct stat wsb;
    if (watch && (optind < argc || shard_n || (jobs_given && jobs > 1))) {
        cli_say("vnindex: --watch takes one DIR and no SOURCE, --shard or --jobs\n");
        return EXIT_USAGE;
    }
    if (watch && (stat(watch, &wsb) < 0 || !S_ISDIR(wsb.st_mode))) {
        cli_say("vnindex: --watch needs a directory: %s\n", watch);
        return EXIT_USAGE;
    }
    if (!watch && !compact && optind >= argc) {
        fprintf(stderr, "vnindex: no SOURCE given\n%s", usage_text);
        return EXIT_USAGE;
    }
    if (index_path == NULL) index_path = vns_default_index_path();
    if ((index_path = clean_index_path(index_path)) == NULL) return EXIT_USAGE;
    if (cli_dir_is_foreign(index_path)) {
        cli_say("vnindex: %s is not an index: it is a directory that holds other files; give -d "
                "a new or empty directory, or an index\n",
                index_path);
        return EXIT_USAGE;
    }

    r.started = cli_now();
    if (!jobs_given && (watch || shard_n)) jobs = 1;
    r.progress = isatty(2);
    if (shard_n) {
        r.shard = shard_k - 1;
        r.nshards = shard_n;
    }
    vns_index_options opts = VNS_INDEX_OPTIONS_INIT;
    opts.wait_for_lock = wait;
    opts.create = !compact; /* Nothing to compact: no new empty index either. */
    /* The run commits its own batches and its pruning, which is checked against --max-delete
     * before it is committed: neither the library nor Xapian (after 10,000 changes) may commit
     * by itself. */
    opts.batch_docs = UINT_MAX;
    opts.batch_bytes = SIZE_MAX;
    setenv("XAPIAN_FLUSH_THRESHOLD", "2000000000", 1);
    r.manual_batches = 1;
    char err[1024];
    vns_status st = cli_index_open_current(&r.ix, index_path, &opts, err, sizeof err);
    if (st != VNS_OK) {
        cli_say("vnindex: %s (%s)\n", err, vns_status_str(st));
        return st == VNS_ELOCKED ? EXIT_LOCKED : EXIT_INDEX;
    }
    /* With the lock held, no --jobs run can be using the scratch names. */
    unsigned scratch_left = cli_sweep_scratch(index_path);
    if (watch) return watch_dir(&r, watch, index_path, json);
    if (compact && scratch_left) {
        vns_index_abandon(r.ix);
        cli_say("vnindex: %s cannot be compacted now: scratch of another run is in the "
                "way (named above)\n",
                index_path);
        return EXIT_INDEX;
    }
    if (compact) return compact_run(&r, index_path, json);
    int stdin_source = 0;
    for (int i = optind; i < argc; i++) stdin_source |= strcmp(argv[i], "-") == 0;
    uint64_t docs = 1;
    int parallel =
        jobs > 1 && shard_n == 0 && !stdin_source && vns_index_doc_count(&docs, r.ix) == VNS_OK;
    /* The sources' sizes, for the share read and the time left and to tell a large update:
     * walked once, with the lock held (a locked index is said at once). */
    /* What is new to the index: a folder's files modified since its last write (a re-run over
     * a folder where a few files changed stays in place), a file SOURCE whole. */
    uint64_t fresh = 0;
    uint64_t *sizes = r.progress || (parallel && docs > 0)
                          ? vnx_sources_bytes(&r.input_total, &fresh, &r, argv + optind,
                                              argc - optind, index_written(index_path))
                          : NULL;
    r.source_bytes = sizes;
    /* An update uses the jobs when they were asked for, or when the input is large beside the
     * index (see UPDATE_JOBS_SHARE). */
    int update = parallel && docs > 0;
    if (update && !jobs_given) {
        /* The jobs' parts and the merged copy need room beside the index, where the one
         * process writes in place: near a full disk, the one process. */
        uint64_t index_bytes = dir_bytes(index_path);
        struct statvfs vfs;
        uint64_t room = statvfs(index_path, &vfs) == 0 ? (uint64_t)vfs.f_bavail * vfs.f_frsize : 0;
        parallel = fresh >= index_bytes / UPDATE_JOBS_SHARE &&
                   room / UPDATE_JOBS_ROOM >= index_bytes + r.input_total;
    }
    if (parallel && (docs == 0 || update)) {
        if (cli_index_swappable(index_path) && scratch_left == 0) {
            int rc = vnx_jobs_run(&r, index_path, argv + optind, argc - optind, (unsigned)jobs,
                                  update, no_prune, json);
            free(sizes);
            return rc;
        }
        if (jobs_given)
            fprintf(
                stderr, "vnindex: %s cannot be %s by parallel jobs (%s): %s it with one process\n",
                index_path, update ? "updated" : "replaced",
                scratch_left
                    ? "scratch of another run is in the way"
                    : "it is not a plain directory holding only the index, or it is a mount point",
                update ? "updating" : "building");
    }
    uint64_t before = 1;
    r.compact_at_end = shard_n == 0 && scratch_left == 0 &&
                       vns_index_doc_count(&before, r.ix) == VNS_OK && before == 0;
    st = vnx_index_sources(&r, argv + optind, argc - optind, no_prune);
    int rc = st != VNS_OK ? vnx_index_failed(&r, st) : vnx_finish_run(&r, index_path, json);
    free(sizes);
    return rc;
}
