/* vnindex_main.c: the vnindex command: indexes articles from files, directories or stdin. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <search.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <jansson.h>

#include "args.h"
#include "article_json.h"
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

/* Without --max-delete, a run stops before deleting more than this percentage of the index. */
#define CLI_DEFAULT_MAX_DELETE_PCT 50
/* The sequential run commits its own batches (so that pruning can be checked before it is
 * committed): after this many written documents or bytes of text, as the library would. */
#define CLI_BATCH_DOCS 250
#define CLI_BATCH_BYTES ((size_t)64 << 20)
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

/* --follow-symlinks: read by every run, the --jobs workers' too. */
static int follow_symlinks;

typedef struct run {
    vns_index *ix;
    const char *index_path;   /* For --watch, which opens the index for each batch. */
    const char *source_key;   /* Key of the directory SOURCE being read (see dir_key), or NULL. */
    uint64_t source_articles; /* Articles (and failed files with an id) it yielded so far. */
    void *txt_ids;            /* The .txt ids read so far in index_sources (tsearch, "id\0path"), */
    int txt_ids_on;           /* checked while txt_ids_on. */
    int manual_batches;       /* Non-zero: the handle does not commit by itself. */
    uint64_t pending, pending_bytes;   /* Written since the last commit (manual_batches). */
    uint64_t max_delete;               /* The pruning limit: a count, or a percentage when */
    int max_delete_is_pct, delete_all; /* max_delete_is_pct; delete_all: --max-delete all. */
    int prune_refused;                 /* Pruning stopped by the limit: r->ix was abandoned. */
    uint64_t docs_before;              /* The document count then. */
    int compact_at_end; /* The run found the index new or empty: compacted when it ends. */
    unsigned shard,
        nshards; /* Only ids with vns_shard_of(id, nshards) == shard (nshards 0: all). */
    uint64_t added, updated, unchanged, failed, deleted;
    uint64_t fields_dropped; /* Articles indexed without some wrong metadata fields. */
    uint64_t bytes, invalid_utf8;
    double started, last_progress;
    int progress;
    /* How far the read is: the bytes of every SOURCE (0: unknown, as on stdin), the bytes of the
     * SOURCEs read before the current one, and read so far (cli_article.input_read). */
    uint64_t input_total, input_base, input_read;
    const uint64_t *source_bytes; /* Each SOURCE's bytes (sources_bytes; NULL: none kept). */
    cli_job_live *live;           /* A --jobs job's progress, for the parent (NULL: not a job). */
    FILE *seen_out; /* A parallel update's job: where the ids it saw go (see note_seen), or NULL. */
    int drew;       /* A progress line was drawn (and wants its newline). */
} run;

/* Ends a progress line on stderr: the share of the input read and the time left at this pace
 * (when the input's size is known), then a newline when final. Never fails. */
static void put_share(uint64_t read, uint64_t total, double secs, int final) {
    if (total > 0 && read > 0 && !final) {
        double f = read >= total ? 1.0 : (double)read / (double)total;
        double left = secs * (1 - f) / f + 0.5;
        fprintf(stderr, ", %.0f%%", 100 * f);
        /* A guess past a day (the first article of a huge input) says nothing useful. */
        if (left < 86400) fprintf(stderr, ", %ld:%02ld left", (long)left / 60, (long)left % 60);
    }
    fprintf(stderr, "   %s", final ? "\n" : "");
}

/* Shows the progress line on stderr (at most twice a second unless final) when it is a
 * terminal. Never fails. */
static void show_progress(run *r, int final) {
    if (!r->progress) return;
    double t = cli_now();
    if (!final && t - r->last_progress < 0.5) return;
    r->last_progress = t;
    double secs = t - r->started;
    fprintf(stderr, "\r%llu documents, %.1f MB, %.1f MB/s",
            (unsigned long long)(r->added + r->updated + r->unchanged), r->bytes / 1e6,
            secs > 0 ? r->bytes / 1e6 / secs : 0.0);
    put_share(r->input_read, r->input_total, secs, final);
}

/* Whether this run handles id; a failure without an id is reported by the first shard only. */
static int mine(const run *r, const char *id) {
    if (r->nshards == 0) return 1;
    return id ? vns_shard_of(id, r->nshards) == r->shard : r->shard == 0;
}

/* Remembers that the .txt file path gave id in this run. Returns NULL when the id is new, the
 * path of the earlier file that gave it (borrowed from r), or "" when out of memory. */
static const char *txt_id_seen(run *r, const char *id, const char *path) {
    size_t n = strlen(id) + 1, m = strlen(path) + 1;
    char *entry = malloc(n + m);
    if (entry == NULL) return "";
    memcpy(entry, id, n);
    memcpy(entry + n, path, m);
    /* strcmp compares the ids alone: each ends at its own NUL. */
    char **node = tsearch(entry, &r->txt_ids, (int (*)(const void *, const void *))strcmp);
    if (node == NULL) {
        free(entry);
        return "";
    }
    if (*node == entry) return NULL;
    free(entry);
    return *node + strlen(*node) + 1;
}

/* In a parallel update's job, writes id ('I', the id, a NUL) to r->seen_out: the parent prunes
 * the merged index of the folder documents whose ids no job saw (put or touched, from any
 * SOURCE, as one process's handle records them). Never fails here (a write error is found when
 * the job ends). */
static void note_seen(run *r, const char *id) {
    if (r->seen_out == NULL) return;
    fputc('I', r->seen_out);
    fwrite(id, 1, strlen(id) + 1, r->seen_out);
}

/* Counts an article of the source being read, whichever shard's it is, and how far the read is
 * (input_read as cli_article's), for progress and for pruning. Never fails. */
static void count_article(run *r, uint64_t input_read) {
    r->source_articles++;
    r->input_read = r->input_base + input_read;
    if (r->live) __atomic_store_n(&r->live->input_read, r->input_read, __ATOMIC_RELAXED);
}

/* Reader callback: puts one article into the index and counts it. An article at fault (invalid,
 * or an id that is not UTF-8, such as a file name in another encoding), or a .txt file whose id
 * (its relative path) an earlier SOURCE of the run gave already, is said on stderr and counted
 * as failed. Returns VNS_OK, or the index failure that must stop the run. */
static vns_status on_article(const cli_article *a, void *ctx) {
    run *r = ctx;
    count_article(r, a->input_read);
    if (!mine(r, a->id)) {
        /* Another shard's: still present, so never pruned here. */
        return VNS_OK;
    }
    const char *earlier = a->line == 0 && r->txt_ids_on ? txt_id_seen(r, a->id, a->path) : NULL;
    if (earlier) {
        if (r->progress) fputc('\n', stderr);
        if (earlier[0])
            fprintf(stderr,
                    "vnindex: %s: not indexed: its id %s is also the file %s of an earlier "
                    "SOURCE (give each SOURCE its own index, or rename one)\n",
                    a->path, a->id, earlier);
        else
            fprintf(stderr, "vnindex: %s: not indexed: out of memory\n", a->path);
        r->failed++;
        return VNS_OK;
    }
    vns_doc d = {.version = VNS_DOC_VERSION,
                 .id = a->id,
                 .title = a->title,
                 .title_len = a->title_len,
                 .body = a->body,
                 .body_len = a->body_len,
                 .source = r->source_key,
                 .meta = a->meta};
    if (a->dropped) {
        /* Indexed without the wrong fields: said like any bad input, and counted. */
        if (r->progress) fputc('\n', stderr);
        if (a->line)
            fprintf(stderr, "vnindex: %s:%ld: document %s indexed without: %s\n", a->path, a->line,
                    a->id, a->dropped);
        else
            fprintf(stderr, "vnindex: %s: document %s indexed without: %s\n", a->path, a->id,
                    a->dropped);
        r->fields_dropped++;
    }
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
    note_seen(r, a->id);
    r->bytes += a->title_len + a->body_len;
    if (res == VNS_PUT_ADDED)
        r->added++;
    else if (res == VNS_PUT_UPDATED)
        r->updated++;
    else
        r->unchanged++;
    if (r->live)
        __atomic_store_n(&r->live->articles, r->added + r->updated + r->unchanged,
                         __ATOMIC_RELAXED);
    show_progress(r, 0);
    if (r->manual_batches && res != VNS_PUT_UNCHANGED) {
        r->pending++;
        r->pending_bytes += a->title_len + a->body_len;
        if (r->pending >= CLI_BATCH_DOCS || r->pending_bytes >= CLI_BATCH_BYTES) {
            r->pending = r->pending_bytes = 0;
            return vns_index_commit(r->ix);
        }
    }
    return VNS_OK;
}

/* Reader callback of a sharded run: whether the JSONL line of id is this shard's to parse;
 * another shard's is counted (count_article) and passed over. Never fails. */
static int wants_line(const char *id, uint64_t input_read, void *ctx) {
    run *r = ctx;
    if (mine(r, id)) return 1;
    count_article(r, input_read);
    return 0;
}

/* Reader callback: says an entry skipped on purpose (a FIFO, a symlink out of the SOURCE) on
 * stderr, without counting it as failed. Never fails. */
static void on_note(const char *path, const char *msg, void *ctx) {
    run *r = ctx;
    if (!mine(r, NULL)) return;
    if (r->progress) fputc('\n', stderr);
    fprintf(stderr, "vnindex: %s: %s\n", path, msg);
}

/* Reader callback: says a failed file or line on stderr and counts it; a file that exists keeps
 * its previous version in the index. Never fails. */
static void on_failure(const char *path, long line, const char *id, const char *msg, void *ctx) {
    run *r = ctx;
    if (id) r->source_articles++;
    if (!mine(r, id)) return;
    if (r->progress) fputc('\n', stderr);
    if (line)
        fprintf(stderr, "vnindex: %s:%ld: %s\n", path, line, msg);
    else
        fprintf(stderr, "vnindex: %s: %s\n", path, msg);
    r->failed++;
    /* A file that exists but failed keeps its previous version: not pruned. */
    if (id) {
        vns_index_touch(r->ix, id);
        note_seen(r, id);
    }
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
    json_t *o = json_pack(
        "{s:I,s:I,s:I,s:I,s:I,s:I,s:f,s:f,s:I,s:I}", "added", (json_int_t)r->added, "updated",
        (json_int_t)r->updated, "deleted", (json_int_t)r->deleted, "unchanged",
        (json_int_t)r->unchanged, "failed", (json_int_t)r->failed, "documents", (json_int_t)docs,
        "seconds", round(secs * 1e3) / 1e3, "mb_per_s", round(mbps * 1e2) / 1e2, "invalid_utf8",
        (json_int_t)r->invalid_utf8, "fields_dropped", (json_int_t)r->fields_dropped);
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
        if (r->fields_dropped)
            printf("%llu articles indexed without metadata fields that were wrong\n",
                   (unsigned long long)r->fields_dropped);
    }
    return r->failed || r->fields_dropped || r->prune_refused ? EXIT_SOME_FAILED : EXIT_OK;
}

/* After a swap (a parallel build or a compaction): releases r's index, whose lock was held until
 * then (see cli_index_open_current), and ends the process by sig when a SIGINT or SIGTERM asked
 * the swap's work to stop (sig 0: none). Returns only when sig is 0. */
static void release_after_swap(run *r, int sig) {
    vns_index_abandon(r->ix);
    r->ix = NULL;
    if (sig) {
        signal(sig, SIG_DFL);
        raise(sig);
    }
}

/* Ends a run whose work is done: counts the documents, reads the index's stats, closes r->ix
 * (the final commit) and prints the summary. Returns the exit status: EXIT_SOME_FAILED when an
 * input failed, EXIT_INDEX (or EXIT_LOCKED) when the index failed, said on stderr. */
static int finish_run(run *r, const char *index_path, int json) {
    if (r->prune_refused) {
        /* Its documents are committed; the deletions were abandoned with r->ix. */
        show_progress(r, 1);
        return summary(r, index_path, r->docs_before, json);
    }
    uint64_t docs = 0;
    vns_status st = vns_index_doc_count(&docs, r->ix);
    if (st != VNS_OK) return index_failed(r, st);
    vns_index_stats stats = VNS_INDEX_STATS_INIT;
    if ((st = vns_index_get_stats(&stats, r->ix)) != VNS_OK) return index_failed(r, st);
    r->invalid_utf8 += stats.invalid_utf8;
    if (r->compact_at_end && docs > 0 && cli_index_swappable(index_path)) {
        /* Built here in one process: compacted like a parallel build's merge is (smaller, and
         * faster to search), the lock held until the swap. A compaction that fails leaves the
         * committed index as it is. */
        if ((st = vns_index_commit(r->ix)) != VNS_OK) {
            fprintf(stderr, "vnindex: final commit failed (%s)\n", vns_status_str(st));
            vns_index_abandon(r->ix);
            return st == VNS_ELOCKED ? EXIT_LOCKED : EXIT_INDEX;
        }
        show_progress(r, 1);
        uint64_t compacted = 0;
        int sig = 0;
        if (cli_compact(&compacted, &sig, index_path) != VNS_OK)
            fprintf(stderr, "vnindex: %s is committed, not compacted\n", index_path);
        release_after_swap(r, sig);
        return summary(r, index_path, docs, json);
    }
    if ((st = vns_index_close(r->ix)) != VNS_OK) {
        fprintf(stderr, "vnindex: final commit failed (%s)\n", vns_status_str(st));
        return st == VNS_ELOCKED ? EXIT_LOCKED : EXIT_INDEX;
    }
    show_progress(r, 1);
    return summary(r, index_path, docs, json);
}

/* Writes the source key of the directory path into buf (cap bytes): its file system and inode
 * ("dir:FSID:INODE"), which stay the same when the directory is moved within its file system or
 * reached by another path (a symlink, a bind mount), where its real path would not. The file
 * system is named by statfs's f_fsid (derived from the file system's UUID on ext4 and btrfs,
 * so stable across reboots), or st_dev when that is zero. Returns 0, or -1 when path cannot be
 * stat'ed. */
static int dir_key(const char *path, char *buf, size_t cap) {
    struct stat sb;
    struct statfs fs;
    if (stat(path, &sb) < 0) return -1;
    unsigned long long fsid = 0;
    if (statfs(path, &fs) == 0) {
        unsigned int v[2];
        memcpy(v, &fs.f_fsid, sizeof v);
        fsid = (unsigned long long)v[0] << 32 | v[1];
    }
    if (fsid == 0) fsid = (unsigned long long)sb.st_dev;
    snprintf(buf, cap, "dir:%llx:%llx", fsid, (unsigned long long)sb.st_ino);
    return 0;
}

/* Writes the key of source (dir_key) into key (64 bytes) when it names a directory. Returns 0,
 * or -1 when it names none (stdin, a file, nothing). */
static int source_dir_key(const char *source, char key[64]) {
    struct stat sb;
    if (strcmp(source, "-") == 0 || stat(source, &sb) < 0 || !S_ISDIR(sb.st_mode)) return -1;
    return dir_key(source, key, 64);
}

/* A directory SOURCE of the run, for pruning. */
typedef struct dir_source {
    const char *path;
    char key[64];  /* dir_key, or "" when the SOURCE is not a directory. */
    char *legacy;  /* Its real path: the key documents indexed before dir_key carry. */
    int duplicate; /* The same directory as an earlier SOURCE: read once. */
    size_t whole_failures;
    uint64_t articles;
} dir_source;

/* Prunes the directory sources of the run (each under its key and its legacy key) in one
 * uncommitted change, then commits it, unless it deletes more than the limit or prunes a source
 * that yielded no articles: then, said on stderr with the way on, nothing is deleted, r->ix is
 * abandoned (its documents were committed before) and r->prune_refused set. Returns VNS_OK or
 * the index failure that stopped it. */
static vns_status prune_sources(run *r, dir_source *ds, int n) {
    uint64_t before = 0, total = 0;
    int empty = 0;
    vns_status st = vns_index_doc_count(&before, r->ix);
    for (int i = 0; st == VNS_OK && i < n; i++) {
        if (ds[i].key[0] == '\0' || ds[i].duplicate) continue;
        if (ds[i].whole_failures > 0) {
            if (mine(r, NULL))
                fprintf(stderr,
                        "vnindex: %s: not pruned, since %zu file(s) or line(s) could not be read "
                        "whole\n",
                        ds[i].path, ds[i].whole_failures);
            continue;
        }
        uint64_t d = 0, dl = 0;
        st = vns_index_prune(&d, r->ix, ds[i].key);
        if (st == VNS_OK && ds[i].legacy) st = vns_index_prune(&dl, r->ix, ds[i].legacy);
        total += d + dl;
        if (st == VNS_OK && ds[i].articles == 0 && d + dl > 0 && !r->delete_all) {
            empty = 1;
            fprintf(stderr,
                    "vnindex: %s: no articles found (an empty, unmounted or replaced folder?): "
                    "its %llu document(s) are kept; if they should go, run again with "
                    "--max-delete all\n",
                    ds[i].path, (unsigned long long)(d + dl));
        }
    }
    if (st != VNS_OK) return st;
    uint64_t limit = r->max_delete_is_pct ? before * r->max_delete / 100 : r->max_delete;
    if (!empty && total <= limit) {
        r->deleted += total;
        return vns_index_commit(r->ix);
    }
    if (!empty)
        fprintf(stderr,
                "vnindex: pruning would delete %llu of the index's %llu documents, more than "
                "--max-delete allows (%llu%s): nothing deleted. Check that every SOURCE is the "
                "right folder, whole and mounted; if the files are really gone, run again with "
                "--max-delete %llu (or --no-prune to keep their documents)\n",
                (unsigned long long)total, (unsigned long long)before,
                (unsigned long long)r->max_delete, r->max_delete_is_pct ? "%" : "",
                (unsigned long long)total);
    vns_index_stats stats = VNS_INDEX_STATS_INIT;
    if (vns_index_get_stats(&stats, r->ix) == VNS_OK) r->invalid_utf8 = stats.invalid_utf8;
    vns_index_abandon(r->ix);
    r->ix = NULL;
    r->docs_before = before;
    r->prune_refused = 1;
    return VNS_OK;
}

/* A new array of the n sources' dir_source entries (path, key, legacy key, duplicate), saying
 * a folder given twice unless quiet. Returns NULL when out of memory. Free with
 * dir_sources_free. */
static dir_source *dir_sources_new(const run *r, char **sources, int n, int quiet) {
    dir_source *ds = calloc((size_t)n, sizeof *ds);
    for (int i = 0; ds && i < n; i++) {
        ds[i].path = sources[i];
        if (source_dir_key(sources[i], ds[i].key) < 0) continue;
        for (int j = 0; j < i; j++) ds[i].duplicate |= strcmp(ds[j].key, ds[i].key) == 0;
        if (ds[i].duplicate) {
            if (!quiet && mine(r, NULL))
                fprintf(stderr, "vnindex: %s: the same folder as an earlier SOURCE: read once\n",
                        sources[i]);
            continue;
        }
        ds[i].legacy = realpath(sources[i], NULL);
    }
    return ds;
}

/* Frees what dir_sources_new made (ds may be NULL). Never fails. */
static void dir_sources_free(dir_source *ds, int n) {
    for (int i = 0; ds && i < n; i++) free(ds[i].legacy);
    free(ds);
}

/* The bytes of each of the n sources (cli_source_bytes), a directory given again as 0 (it is
 * read once), into a malloc'd array the caller frees (NULL when out of memory: no share shown);
 * *total gets their sum, *fresh the bytes that may be new to an index last written at since.
 * Never fails. */
static uint64_t *sources_bytes(uint64_t *total, uint64_t *fresh, const run *r, char **sources,
                               int n, time_t since) {
    *total = *fresh = 0;
    uint64_t *bytes = calloc(n > 0 ? (size_t)n : 1, sizeof *bytes);
    dir_source *ds = dir_sources_new(r, sources, n, 1);
    for (int i = 0; bytes && ds && i < n; i++) {
        bytes[i] = ds[i].duplicate ? 0 : cli_source_bytes(fresh, sources[i], since);
        *total += bytes[i];
    }
    dir_sources_free(ds, n);
    if (bytes == NULL || ds == NULL) {
        free(bytes);
        *total = *fresh = 0;
        return NULL;
    }
    return bytes;
}

/* Writes each source's counts for pruning ('D', "i articles whole_failures", a NUL) to f: what a
 * parallel update's first job tells the parent. Never fails here (see note_seen). */
static void write_source_counts(FILE *f, const dir_source *ds, int n) {
    for (int i = 0; i < n; i++) {
        fprintf(f, "D%d %llu %zu", i, (unsigned long long)ds[i].articles, ds[i].whole_failures);
        fputc('\0', f);
    }
}

/* Reads every source into r->ix (open) and commits; then, unless no_prune, prunes the directory
 * sources (see prune_sources). A directory given twice is read once; a .txt file whose relative
 * path an earlier SOURCE gave is refused (see on_article). Returns VNS_OK or the index failure
 * that stopped it. */
static vns_status index_sources(run *r, char **sources, int n, int no_prune) {
    cli_reader_callbacks cb = {.article = on_article,
                               .failure = on_failure,
                               .ctx = r,
                               .note = on_note,
                               .follow_symlinks = follow_symlinks,
                               .wants = r->nshards ? wants_line : NULL};
    dir_source *ds = dir_sources_new(r, sources, n, 0);
    if (ds == NULL) return VNS_ENOMEM;
    vns_status st = VNS_OK;
    r->txt_ids_on = 1;
    for (int i = 0; st == VNS_OK && i < n; i++) {
        if (ds[i].duplicate) continue;
        r->source_key = ds[i].key[0] ? ds[i].key : NULL;
        r->source_articles = 0;
        st = cli_read_source(sources[i], &cb, &ds[i].whole_failures);
        if (r->source_bytes) r->input_base += r->source_bytes[i];
        ds[i].articles = r->source_articles;
        r->source_key = NULL;
    }
    tdestroy(r->txt_ids, free);
    r->txt_ids = NULL;
    r->txt_ids_on = 0;
    if (st == VNS_OK) st = vns_index_commit(r->ix);
    r->pending = r->pending_bytes = 0;
    if (st == VNS_OK && r->seen_out && r->shard == 0) write_source_counts(r->seen_out, ds, n);
    if (st == VNS_OK && !no_prune) st = prune_sources(r, ds, n);
    dir_sources_free(ds, n);
    return st;
}

/* What a --jobs job needs besides its shard: the sources and the run's start. */
typedef struct job_args {
    char **sources;
    int n;
    double started;
    uint64_t input_total;         /* The bytes of the sources (0: no progress kept). */
    const uint64_t *source_bytes; /* Each source's (NULL: none kept). */
    const char *base;             /* An update: the index the parts add to (NULL: a new one). */
    FILE **seen;                  /* An update: job k's ids seen go to seen[k] (note_seen). */
} job_args;

/* One --jobs job, in a process of its own: indexes its shard of the sources into the scratch
 * index part and fills *out (in an update, only what is new or changed against the index, the
 * ids it saw written for the parent). Returns VNS_OK or the failure that stopped it (said on
 * stderr). */
static vns_status build_job(cli_job_counts *out, cli_job_live *live, const char *part,
                            unsigned shard, unsigned nshards, void *ctx) {
    const job_args *a = ctx;
    run r = {.shard = shard,
             .nshards = nshards,
             .started = a->started,
             .input_total = a->input_total,
             .source_bytes = a->source_bytes,
             .live = live,
             .seen_out = a->seen ? a->seen[shard] : NULL};
    char err[1024];
    /* A part is scratch: when anything fails, the whole build is thrown away. */
    vns_index_options io = VNS_INDEX_OPTIONS_INIT;
    io.scratch = 1;
    io.base = a->base;
    vns_status st = vns_index_open(&r.ix, part, &io, err, sizeof err);
    if (st != VNS_OK) {
        fprintf(stderr, "vnindex: %s (%s)\n", err, vns_status_str(st));
        return st;
    }
    st = index_sources(&r, a->sources, a->n, 1);
    if (st != VNS_OK)
        fprintf(stderr, "vnindex: %s (%s)\n", vns_index_errmsg(r.ix), vns_status_str(st));
    if (st == VNS_OK && r.seen_out && (fflush(r.seen_out) != 0 || ferror(r.seen_out))) {
        fprintf(stderr, "vnindex: cannot keep the ids seen for pruning: %s\n", strerror(errno));
        st = VNS_EIO;
    }
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
                            .fields_dropped = r.fields_dropped,
                            .bytes = r.bytes,
                            .invalid_utf8 = stats.invalid_utf8};
    return st;
}

/* The progress line of a --jobs build (cli_progress_fn; ctx: the run), at most twice a second:
 * the articles the jobs indexed, the share of the input the slowest read, the time left. Never
 * fails. */
static void jobs_progress(uint64_t articles, uint64_t input_read, void *ctx) {
    run *r = ctx;
    double t = cli_now();
    if (t - r->last_progress < 0.5) return;
    r->last_progress = t;
    fprintf(stderr, "\r%llu documents", (unsigned long long)articles);
    put_share(input_read, r->input_total, t - r->started, 0);
    r->drew = 1;
}

/* What the parent of a parallel update needs once the parts are merged. */
typedef struct update_args {
    run *r;
    char **sources;
    int n, no_prune;
    FILE **seen; /* Each job's ids seen and (the first job's) counts per source. */
    unsigned jobs;
} update_args;

/* Reads the records the jobs wrote (note_seen, write_source_counts): touches each id seen in ix
 * and puts the counts into ds. Returns VNS_OK, or VNS_EIO / VNS_ENOMEM (said on stderr). */
static vns_status read_seen(vns_index *ix, dir_source *ds, int n, FILE **seen, unsigned jobs) {
    char *rec = NULL;
    size_t cap = 0;
    vns_status st = VNS_OK;
    for (unsigned k = 0; st == VNS_OK && k < jobs; k++) {
        rewind(seen[k]);
        ssize_t len;
        while (st == VNS_OK && (len = getdelim(&rec, &cap, '\0', seen[k])) > 0) {
            int i;
            unsigned long long articles;
            size_t failures;
            if (rec[0] == 'I')
                st = vns_index_touch(ix, rec + 1);
            else if (sscanf(rec, "D%d %llu %zu", &i, &articles, &failures) == 3 && i >= 0 && i < n)
                ds[i].articles = articles, ds[i].whole_failures = failures;
        }
        if (ferror(seen[k]) && st == VNS_OK) st = VNS_EIO;
    }
    free(rec);
    if (st != VNS_OK)
        fprintf(stderr, "vnindex: cannot read the ids the jobs saw (%s)\n", vns_status_str(st));
    return st;
}

/* cli_merged_fn of a parallel update: prunes the merged index (or, when the jobs wrote nothing,
 * the index itself, r->ix) of the documents of directory SOURCEs that no job saw, as a
 * sequential run does (prune_sources, with its limits), and commits. Returns VNS_OK or the
 * failure (said on stderr). */
static vns_status update_merged(const char *merged, void *ctx) {
    update_args *u = ctx;
    run *r = u->r;
    vns_index *held = r->ix, *ix = held;
    vns_status st = VNS_OK;
    if (merged) {
        vns_index_options o = VNS_INDEX_OPTIONS_INIT;
        o.create = 0;
        o.batch_docs = UINT_MAX;
        o.batch_bytes = SIZE_MAX;
        char err[1024];
        if ((st = vns_index_open(&ix, merged, &o, err, sizeof err)) != VNS_OK) {
            fprintf(stderr, "vnindex: %s (%s)\n", err, vns_status_str(st));
            return st;
        }
        /* The open records this schema in a copy of an older index's: kept even when the
         * pruning below is refused and its handle abandoned. */
        if ((st = vns_index_commit(ix)) != VNS_OK) {
            fprintf(stderr, "vnindex: %s (%s)\n", vns_index_errmsg(ix), vns_status_str(st));
            vns_index_abandon(ix);
            return st;
        }
    }
    dir_source *ds = u->no_prune ? NULL : dir_sources_new(r, u->sources, u->n, 1);
    if (!u->no_prune && ds == NULL) st = VNS_ENOMEM;
    if (st == VNS_OK && ds) st = read_seen(ix, ds, u->n, u->seen, u->jobs);
    r->ix = ix;
    if (st == VNS_OK && ds) st = prune_sources(r, ds, u->n);
    dir_sources_free(ds, u->n);
    if (st != VNS_OK)
        fprintf(stderr, "vnindex: %s (%s)\n", r->ix ? vns_index_errmsg(r->ix) : "pruning failed",
                vns_status_str(st));
    /* prune_sources abandons the handle when it refuses (r->ix NULL): the merged copy keeps
     * its committed documents, and the index itself is released (nothing is swapped). */
    if (merged && r->ix) {
        vns_status cst = st == VNS_OK ? vns_index_close(r->ix) : VNS_OK;
        if (st != VNS_OK) vns_index_abandon(r->ix);
        if (cst != VNS_OK) fprintf(stderr, "vnindex: %s: commit failed\n", merged);
        if (st == VNS_OK) st = cst;
    }
    r->ix = merged || r->ix ? held : NULL;
    return st;
}

/* vnindex --jobs N over r->ix (open, so locked, until the swap is done): the parallel build of a
 * new or empty index, or (base non-zero) a parallel update of one, then the summary. A SIGINT or
 * SIGTERM during the run stops it (the index unchanged) and ends the process by that signal.
 * Returns the exit status. */
static int jobs_run(run *r, const char *index_path, char **sources, int n, unsigned jobs,
                    int update, int no_prune, int json) {
    job_args args = {sources, n, r->started, r->input_total, r->source_bytes, NULL, NULL};
    update_args ua = {r, sources, n, no_prune, NULL, jobs};
    cli_parallel p = {.jobs = jobs,
                      .job = build_job,
                      .job_ctx = &args,
                      .progress = r->progress ? jobs_progress : NULL,
                      .progress_ctx = r};
    FILE **seen = update ? calloc(jobs, sizeof *seen) : NULL;
    int ok = !update || seen;
    for (unsigned k = 0; ok && update && k < jobs; k++) ok = (seen[k] = tmpfile()) != NULL;
    if (!ok) {
        fprintf(stderr, "vnindex: cannot make the scratch files of the jobs: %s\n",
                strerror(errno));
        for (unsigned k = 0; seen && k < jobs; k++)
            if (seen[k]) fclose(seen[k]);
        free(seen);
        vns_index_abandon(r->ix);
        return EXIT_INDEX;
    }
    if (update) {
        args.base = index_path;
        args.seen = ua.seen = seen;
        p.update = 1;
        p.merged = update_merged;
        p.merged_ctx = &ua;
    }
    cli_job_counts total = {0};
    uint64_t docs = 0;
    int sig = 0, swapped = 0;
    vns_status st = cli_parallel_build(&total, &docs, &swapped, &sig, index_path, &p);
    if (r->drew) fprintf(stderr, "\n");
    for (unsigned k = 0; seen && k < jobs; k++) fclose(seen[k]);
    free(seen);
    r->added = total.added;
    r->updated = total.updated;
    r->unchanged = total.unchanged;
    r->failed = total.failed;
    r->fields_dropped = total.fields_dropped;
    r->bytes = total.bytes;
    r->invalid_utf8 = total.invalid_utf8;
    if (st == VNS_OK && update && !swapped) {
        /* Nothing new or changed: the pruning (if any) was done on the index itself. */
        if (r->prune_refused) return summary(r, index_path, r->docs_before, json);
        if ((st = vns_index_doc_count(&docs, r->ix)) != VNS_OK) return index_failed(r, st);
        if ((st = vns_index_close(r->ix)) != VNS_OK) {
            fprintf(stderr, "vnindex: final commit failed (%s)\n", vns_status_str(st));
            return st == VNS_ELOCKED ? EXIT_LOCKED : EXIT_INDEX;
        }
        r->ix = NULL;
        if (sig) {
            /* Asked to stop while pruning in place: done and committed, then ended by it. */
            signal(sig, SIG_DFL);
            raise(sig);
        }
        return summary(r, index_path, docs, json);
    }
    if (r->ix) release_after_swap(r, sig);
    if (st != VNS_OK) return EXIT_INDEX;
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

/* The watcher's index, opened for each batch: waits for another writer's lock. Returns VNS_OK or
 * the failure, said on stderr. */
static vns_status watch_open_index(vns_index **ixp, void *ctx) {
    run *r = ctx;
    vns_index_options o = VNS_INDEX_OPTIONS_INIT;
    o.wait_for_lock = 1;
    char err[1024];
    /* As every vnindex writer: a --jobs run may have swapped the directory while we waited. */
    vns_status st = cli_index_open_current(ixp, r->index_path, &o, err, sizeof err);
    if (st != VNS_OK) fprintf(stderr, "vnindex: %s (%s)\n", err, vns_status_str(st));
    return st;
}

/* Ends the watcher's batch: keeps the handle's counters, commits and closes it (releasing the
 * writer's lock). Returns VNS_OK or the commit's failure, said on stderr. */
static vns_status watch_close_index(vns_index **ixp, void *ctx) {
    run *r = ctx;
    vns_index_stats stats = VNS_INDEX_STATS_INIT;
    if (vns_index_get_stats(&stats, *ixp) == VNS_OK) r->invalid_utf8 += stats.invalid_utf8;
    vns_status st = vns_index_close(*ixp);
    *ixp = NULL;
    if (st != VNS_OK) fprintf(stderr, "vnindex: commit failed (%s)\n", vns_status_str(st));
    return st;
}

/* vnindex --watch DIR: watches DIR first, then an incremental run over it, then follows it until
 * a signal, holding the writer's lock only while a batch is written. Returns the exit status
 * (EXIT_SOME_FAILED when any file or line failed on the way, or when DIR itself went away). */
static int watch_dir(run *r, const char *dir, const char *index_path, int json) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal; /* No SA_RESTART: poll() returns at once. */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    r->index_path = index_path;
    char key[64];
    cli_reader_callbacks cb = {.article = on_article,
                               .failure = on_failure,
                               .ctx = r,
                               .note = on_note,
                               .follow_symlinks = follow_symlinks,
                               .root = dir};
    cli_watch_index wi = {&r->ix, watch_open_index, watch_close_index, r};
    cli_watcher *w = NULL;
    /* Watching starts before the first run reads DIR: nothing created meanwhile is missed. */
    vns_status st = cli_watch_open(&w, dir, &cb, &wi, watch_log, r);
    if (st != VNS_OK) {
        vns_index_abandon(r->ix);
        return EXIT_INDEX;
    }
    char *sources[] = {(char *)dir};
    st = index_sources(r, sources, 1, 0);
    if (st == VNS_OK && r->prune_refused) {
        cli_watch_close(w);
        fprintf(stderr, "vnindex: %s: not watched\n", dir);
        return finish_run(r, index_path, json);
    }
    if (st == VNS_OK) st = watch_close_index(&r->ix, r);
    int lost = 0;
    if (st == VNS_OK) {
        r->source_key = dir_key(dir, key, sizeof key) == 0 ? key : NULL;
        st = cli_watch_run(w, &stop_requested, &lost);
        r->source_key = NULL;
    }
    cli_watch_close(w);
    if (st == VNS_OK && r->ix == NULL) st = watch_open_index(&r->ix, r);
    if (st != VNS_OK) return r->ix ? index_failed(r, st) : EXIT_INDEX;
    int rc = finish_run(r, index_path, json);
    return rc == EXIT_OK && lost ? EXIT_SOME_FAILED : rc;
}

/* Parses --max-delete's N (a count), P% (0 to 100) or all into r. Returns 0, or -1 when
 * malformed. */
static int parse_max_delete(run *r, const char *s) {
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
        fprintf(stderr, "vnindex: -d needs a path (of at most %zu bytes)\n", sizeof buf - 1);
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
        fprintf(stderr, "vnindex: %s (%s)\n", err, vns_status_str(st));
        return EXIT_INDEX;
    }
    uint64_t n = 0;
    if ((st = vns_searcher_scan(&d, s)) == VNS_OK) {
        while ((st = vns_document_next(d)) == VNS_OK) {
            json_t *o = cli_document_json(d);
            char *line = o ? json_dumps(o, JSON_COMPACT) : NULL;
            json_decref(o);
            if (line == NULL) {
                fprintf(stderr, "vnindex: --export: document %s cannot be written as JSON\n",
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
        fprintf(stderr, "vnindex: --export: %s (%s)\n", vns_searcher_errmsg(s), vns_status_str(st));
    vns_document_free(d);
    vns_searcher_close(s);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "vnindex: --export: writing the articles failed\n");
        return EXIT_INDEX;
    }
    if (st != VNS_DONE) return EXIT_INDEX;
    fprintf(stderr, "vnindex: exported %llu articles from %s\n", (unsigned long long)n, index_path);
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
static int compact_run(run *r, const char *index_path, int json) {
    if (!cli_index_swappable(index_path)) {
        vns_index_abandon(r->ix);
        fprintf(stderr,
                "vnindex: %s cannot be compacted in place: it is not a plain directory holding "
                "only the index, or it is a mount point (compact a copy with xapian-compact)\n",
                index_path);
        return EXIT_USAGE;
    }
    uint64_t docs = 0, before = dir_bytes(index_path);
    int sig = 0;
    vns_status st = cli_compact(&docs, &sig, index_path);
    release_after_swap(r, sig);
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
    run r = {.max_delete = CLI_DEFAULT_MAX_DELETE_PCT, .max_delete_is_pct = 1};
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
        case 'F': follow_symlinks = 1; break;
        case 'M':
            if (parse_max_delete(&r, optarg) < 0) {
                fprintf(stderr,
                        "vnindex: --max-delete needs a count, a percentage (0%% to 100%%) "
                        "or all, not '%s'\n",
                        optarg);
                return EXIT_USAGE;
            }
            break;
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
            fprintf(stderr, "vnindex: --export takes no SOURCE, --watch, --shard or --jobs\n");
            return EXIT_USAGE;
        }
        return export_index(index_path ? index_path : vns_default_index_path());
    }
    if (compact && (watch || optind < argc || shard_n || (jobs_given && jobs > 1))) {
        fprintf(stderr, "vnindex: --compact takes no SOURCE, --watch, --shard or --jobs\n");
        return EXIT_USAGE;
    }
    struct stat wsb;
    if (watch && (optind < argc || shard_n || (jobs_given && jobs > 1))) {
        fprintf(stderr, "vnindex: --watch takes one DIR and no SOURCE, --shard or --jobs\n");
        return EXIT_USAGE;
    }
    if (watch && (stat(watch, &wsb) < 0 || !S_ISDIR(wsb.st_mode))) {
        fprintf(stderr, "vnindex: --watch needs a directory: %s\n", watch);
        return EXIT_USAGE;
    }
    if (!watch && !compact && optind >= argc) {
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
        fprintf(stderr, "vnindex: %s (%s)\n", err, vns_status_str(st));
        return st == VNS_ELOCKED ? EXIT_LOCKED : EXIT_INDEX;
    }
    /* With the lock held, no --jobs run can be using the scratch names. */
    unsigned scratch_left = cli_sweep_scratch(index_path);
    if (watch) return watch_dir(&r, watch, index_path, json);
    if (compact && scratch_left) {
        vns_index_abandon(r.ix);
        fprintf(stderr,
                "vnindex: %s cannot be compacted now: scratch of another run is in the "
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
                          ? sources_bytes(&r.input_total, &fresh, &r, argv + optind, argc - optind,
                                          index_written(index_path))
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
            int rc = jobs_run(&r, index_path, argv + optind, argc - optind, (unsigned)jobs, update,
                              no_prune, json);
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
    st = index_sources(&r, argv + optind, argc - optind, no_prune);
    int rc = st != VNS_OK ? index_failed(&r, st) : finish_run(&r, index_path, json);
    free(sizes);
    return rc;
}
