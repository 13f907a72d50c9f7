/* vnindex_run.c: one vnindex run over its SOURCEs: each article put into the index, failures said,
 * the batches committed, the folders pruned, the progress line and the summary. */
#define _GNU_SOURCE
#include "vnindex_run.h"

#include <errno.h>
#include <math.h>
#include <search.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#include <jansson.h>

#include "clock.h"
#include "visible.h"

int vnx_follow_symlinks;

/* Ends a progress line on stderr: the share of the input read and the time left at this pace
 * (when the input's size is known), then a newline when final. Never fails. */
void vnx_put_share(uint64_t read, uint64_t total, double secs, int final) {
    if (total > 0 && read > 0 && !final) {
        double f = read >= total ? 1.0 : (double)read / (double)total;
        double left = secs * (1 - f) / f + 0.5;
        fprintf(stderr, ", %.0f%%", 100 * f);
        /* A guess past a day (the first article of a huge input) says nothing useful. */
        if (left < 86400) fprintf(stderr, ", %ld:%02ld left", (long)left / 60, (long)left % 60);
    }
    cli_say("   %s", final ? "\n" : "");
}

/* Shows the progress line on stderr (at most twice a second unless final) when it is a
 * terminal. Never fails. */
void vnx_show_progress(vnx_run *r, int final) {
    if (!r->progress) return;
    double t = cli_now();
    if (!final && t - r->last_progress < 0.5) return;
    r->last_progress = t;
    double secs = t - r->started;
    fprintf(stderr, "\r%llu documents, %.1f MB, %.1f MB/s",
            (unsigned long long)(r->added + r->updated + r->unchanged), r->bytes / 1e6,
            secs > 0 ? r->bytes / 1e6 / secs : 0.0);
    vnx_put_share(r->input_read, r->input_total, secs, final);
}

/* Whether this run handles id; a failure without an id is reported by the first shard only. */
static int mine(const vnx_run *r, const char *id) {
    if (r->nshards == 0) return 1;
    return id ? vns_shard_of(id, r->nshards) == r->shard : r->shard == 0;
}

/* Remembers that the .txt file path gave id in this run. Returns NULL when the id is new, the
 * path of the earlier file that gave it (borrowed from r), or "" when out of memory. */
static const char *txt_id_seen(vnx_run *r, const char *id, const char *path) {
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
static void note_seen(vnx_run *r, const char *id) {
    if (r->seen_out == NULL) return;
    fputc('I', r->seen_out);
    fwrite(id, 1, strlen(id) + 1, r->seen_out);
}

/* Counts an article of the source being read, whichever shard's it is, and how far the read is
 * (input_read as cli_article's), for progress and for pruning. Never fails. */
static void count_article(vnx_run *r, uint64_t input_read) {
    r->source_articles++;
    r->input_read = r->input_base + input_read;
    if (r->live) __atomic_store_n(&r->live->input_read, r->input_read, __ATOMIC_RELAXED);
}

/* Reader callback: puts one article into the index and counts it. An article at fault (invalid,
 * or an id that is not UTF-8, such as a file name in another encoding), or a .txt file whose id
 * (its relative path) an earlier SOURCE of the run gave already, is said on stderr and counted
 * as failed. Returns VNS_OK, or the index failure that must stop the run. */
static vns_status on_article(const cli_article *a, void *ctx) {
    vnx_run *r = ctx;
    count_article(r, a->input_read);
    if (!mine(r, a->id)) {
        /* Another shard's: still present, so never pruned here. */
        return VNS_OK;
    }
    const char *earlier = a->line == 0 && r->txt_ids_on ? txt_id_seen(r, a->id, a->path) : NULL;
    if (earlier) {
        if (r->progress) fputc('\n', stderr);
        if (earlier[0])
            cli_say("vnindex: %s: not indexed: its id %s is also the file %s of an earlier "
                    "SOURCE (give each SOURCE its own index, or rename one)\n",
                    a->path, a->id, earlier);
        else
            cli_say("vnindex: %s: not indexed: out of memory\n", a->path);
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
            cli_say("vnindex: %s:%ld: document %s indexed without: %s\n", a->path, a->line, a->id,
                    a->dropped);
        else
            cli_say("vnindex: %s: document %s indexed without: %s\n", a->path, a->id, a->dropped);
        r->fields_dropped++;
    }
    vns_put_result res;
    vns_status st = vns_index_put(&res, r->ix, &d);
    if (st == VNS_EINVAL || st == VNS_EENCODING) {
        /* The article itself is at fault: report it and go on (below the progress line). */
        if (r->progress) fputc('\n', stderr);
        if (a->line)
            cli_say("vnindex: %s:%ld: %s\n", a->path, a->line, vns_index_errmsg(r->ix));
        else
            cli_say("vnindex: %s: %s\n", a->path, vns_index_errmsg(r->ix));
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
    vnx_show_progress(r, 0);
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
    vnx_run *r = ctx;
    if (mine(r, id)) return 1;
    count_article(r, input_read);
    return 0;
}

/* Reader callback: says an entry skipped on purpose (a FIFO, a symlink out of the SOURCE) on
 * stderr, without counting it as failed. Never fails. */
static void on_note(const char *path, const char *msg, void *ctx) {
    vnx_run *r = ctx;
    if (!mine(r, NULL)) return;
    if (r->progress) fputc('\n', stderr);
    cli_say("vnindex: %s: %s\n", path, msg);
}

/* Reader callback: says a failed file or line on stderr and counts it; a file that exists keeps
 * its previous version in the index. Never fails. */
static void on_failure(const char *path, long line, const char *id, const char *msg, void *ctx) {
    vnx_run *r = ctx;
    if (id) r->source_articles++;
    if (!mine(r, id)) return;
    if (r->progress) fputc('\n', stderr);
    if (line)
        cli_say("vnindex: %s:%ld: %s\n", path, line, msg);
    else
        cli_say("vnindex: %s: %s\n", path, msg);
    r->failed++;
    /* A file that exists but failed keeps its previous version: not pruned. */
    if (id) {
        vns_index_touch(r->ix, id);
        note_seen(r, id);
    }
}

/* The reader callbacks of a run over r: each article put into r->ix (on_article), failures and
 * notes said on stderr, and in a sharded run only r's shard's lines parsed. Never fails. */
cli_reader_callbacks vnx_callbacks(vnx_run *r) {
    return (cli_reader_callbacks){.article = on_article,
                                  .failure = on_failure,
                                  .ctx = r,
                                  .note = on_note,
                                  .follow_symlinks = vnx_follow_symlinks,
                                  .wants = r->nshards ? wants_line : NULL};
}

/* Says an index failure on stderr and abandons the uncommitted changes. Returns the exit status
 * for it (EXIT_LOCKED or EXIT_INDEX). */
int vnx_index_failed(vnx_run *r, vns_status st) {
    if (r->progress) fputc('\n', stderr);
    cli_say("vnindex: %s (%s)\n", vns_index_errmsg(r->ix), vns_status_str(st));
    cli_say("vnindex: the index keeps its last committed state; run again to finish\n");
    vns_index_abandon(r->ix);
    return st == VNS_ELOCKED ? EXIT_LOCKED : EXIT_INDEX;
}

/* Prints the --json summary, one object on stdout; seconds have 3 decimals, MB/s 2. Returns 0, or
 * -1 (said on stderr, nothing printed) when out of memory. */
static int print_json_summary(const vnx_run *r, uint64_t docs, double secs, double mbps) {
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
        cli_say("vnindex: cannot print the summary: out of memory\n");
        return -1;
    }
    puts(text);
    free(text);
    return 0;
}

/* Prints the summary (JSON with json) on stdout. Returns the exit status: EXIT_SOME_FAILED when
 * an input failed, else EXIT_OK. */
int vnx_summary(const vnx_run *r, const char *index_path, uint64_t docs, int json) {
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

vns_status vnx_close(vns_index *ix, const char *what) {
    /* Committed first, so that a failure's detail (the disk is full) is still on the handle. */
    vns_status st = vns_index_commit(ix);
    if (st != VNS_OK) {
        cli_say("vnindex: %s failed: %s (%s)\n", what, vns_index_errmsg(ix), vns_status_str(st));
        vns_index_abandon(ix);
        return st;
    }
    if ((st = vns_index_close(ix)) != VNS_OK)
        cli_say("vnindex: %s failed (%s)\n", what, vns_status_str(st));
    return st;
}

/* After a swap (a parallel build or a compaction): releases r's index, whose lock was held until
 * then (see cli_index_open_current), and ends the process by sig when a SIGINT or SIGTERM asked
 * the swap's work to stop (sig 0: none). Returns only when sig is 0. */
void vnx_release_after_swap(vnx_run *r, int sig) {
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
int vnx_finish_run(vnx_run *r, const char *index_path, int json) {
    if (r->prune_refused) {
        /* Its documents are committed; the deletions were abandoned with r->ix. */
        vnx_show_progress(r, 1);
        return vnx_summary(r, index_path, r->docs_before, json);
    }
    uint64_t docs = 0;
    vns_status st = vns_index_doc_count(&docs, r->ix);
    if (st != VNS_OK) return vnx_index_failed(r, st);
    vns_index_stats stats = VNS_INDEX_STATS_INIT;
    if ((st = vns_index_get_stats(&stats, r->ix)) != VNS_OK) return vnx_index_failed(r, st);
    r->invalid_utf8 += stats.invalid_utf8;
    if (r->compact_at_end && docs > 0 && cli_index_swappable(index_path)) {
        /* Built here in one process: compacted like a parallel build's merge is (smaller, and
         * faster to search), the lock held until the swap. A compaction that fails leaves the
         * committed index as it is. */
        if ((st = vns_index_commit(r->ix)) != VNS_OK) {
            cli_say("vnindex: final commit failed (%s)\n", vns_status_str(st));
            vns_index_abandon(r->ix);
            return st == VNS_ELOCKED ? EXIT_LOCKED : EXIT_INDEX;
        }
        vnx_show_progress(r, 1);
        uint64_t compacted = 0;
        int sig = 0;
        if (cli_compact(&compacted, &sig, index_path) != VNS_OK)
            cli_say("vnindex: %s is committed, not compacted\n", index_path);
        vnx_release_after_swap(r, sig);
        return vnx_summary(r, index_path, docs, json);
    }
    st = vnx_close(r->ix, "the final commit");
    r->ix = NULL;
    if (st != VNS_OK) return st == VNS_ELOCKED ? EXIT_LOCKED : EXIT_INDEX;
    vnx_show_progress(r, 1);
    return vnx_summary(r, index_path, docs, json);
}

/* Writes the source key of the directory path into buf (cap bytes): its file system and inode
 * ("dir:FSID:INODE"), which stay the same when the directory is moved within its file system or
 * reached by another path (a symlink, a bind mount), where its real path would not. The file
 * system is named by statfs's f_fsid (derived from the file system's UUID on ext4 and btrfs,
 * so stable across reboots), or st_dev when that is zero. Returns 0, or -1 when path cannot be
 * stat'ed. */
int vnx_dir_key(const char *path, char *buf, size_t cap) {
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

/* Writes the key of source (vnx_dir_key) into key (64 bytes) when it names a directory. Returns 0,
 * or -1 when it names none (stdin, a file, nothing). */
static int source_dir_key(const char *source, char key[64]) {
    struct stat sb;
    if (strcmp(source, "-") == 0 || stat(source, &sb) < 0 || !S_ISDIR(sb.st_mode)) return -1;
    return vnx_dir_key(source, key, 64);
}

/* Prunes the directory sources of the run (each under its key and its legacy key) in one
 * uncommitted change, then commits it, unless it deletes more than the limit or prunes a source
 * that yielded no articles: then, said on stderr with the way on, nothing is deleted, r->ix is
 * abandoned (its documents were committed before) and r->prune_refused set. Returns VNS_OK or
 * the index failure that stopped it. */
vns_status vnx_prune_sources(vnx_run *r, vnx_dir_source *ds, int n) {
    uint64_t before = 0, total = 0;
    int empty = 0;
    vns_status st = vns_index_doc_count(&before, r->ix);
    for (int i = 0; st == VNS_OK && i < n; i++) {
        if (ds[i].key[0] == '\0' || ds[i].duplicate) continue;
        if (ds[i].whole_failures > 0) {
            if (mine(r, NULL))
                cli_say("vnindex: %s: not pruned, since %zu file(s) or line(s) could not be read "
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
            cli_say("vnindex: %s: no articles found (an empty, unmounted or replaced folder?): "
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
        cli_say("vnindex: pruning would delete %llu of the index's %llu documents, more than "
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

/* A new array of the n sources' vnx_dir_source entries (path, key, legacy key, duplicate), saying
 * a folder given twice unless quiet. Returns NULL when out of memory. Free with
 * dir_sources_free. */
vnx_dir_source *vnx_dir_sources_new(const vnx_run *r, char **sources, int n, int quiet) {
    vnx_dir_source *ds = calloc((size_t)n, sizeof *ds);
    for (int i = 0; ds && i < n; i++) {
        ds[i].path = sources[i];
        if (source_dir_key(sources[i], ds[i].key) < 0) continue;
        for (int j = 0; j < i; j++) ds[i].duplicate |= strcmp(ds[j].key, ds[i].key) == 0;
        if (ds[i].duplicate) {
            if (!quiet && mine(r, NULL))
                cli_say("vnindex: %s: the same folder as an earlier SOURCE: read once\n",
                        sources[i]);
            continue;
        }
        ds[i].legacy = realpath(sources[i], NULL);
    }
    return ds;
}

/* Frees what vnx_dir_sources_new made (ds may be NULL). Never fails. */
void vnx_dir_sources_free(vnx_dir_source *ds, int n) {
    for (int i = 0; ds && i < n; i++) free(ds[i].legacy);
    free(ds);
}

/* The bytes of each of the n sources (cli_source_bytes), a directory given again as 0 (it is
 * read once), into a malloc'd array the caller frees (NULL when out of memory: no share shown);
 * *total gets their sum, *fresh the bytes that may be new to an index last written at since.
 * Never fails. */
uint64_t *vnx_sources_bytes(uint64_t *total, uint64_t *fresh, const vnx_run *r, char **sources,
                            int n, time_t since) {
    *total = *fresh = 0;
    uint64_t *bytes = calloc(n > 0 ? (size_t)n : 1, sizeof *bytes);
    vnx_dir_source *ds = vnx_dir_sources_new(r, sources, n, 1);
    for (int i = 0; bytes && ds && i < n; i++) {
        bytes[i] = ds[i].duplicate ? 0 : cli_source_bytes(fresh, sources[i], since);
        *total += bytes[i];
    }
    vnx_dir_sources_free(ds, n);
    if (bytes == NULL || ds == NULL) {
        free(bytes);
        *total = *fresh = 0;
        return NULL;
    }
    return bytes;
}

/* Writes each source's counts for pruning ('D', "i articles whole_failures", a NUL) to f: what a
 * parallel update's first job tells the parent. Never fails here (see note_seen). */
static void write_source_counts(FILE *f, const vnx_dir_source *ds, int n) {
    for (int i = 0; i < n; i++) {
        fprintf(f, "D%d %llu %zu", i, (unsigned long long)ds[i].articles, ds[i].whole_failures);
        fputc('\0', f);
    }
}

/* Reads every source into r->ix (open) and commits; then, unless no_prune, prunes the directory
 * sources (see vnx_prune_sources). A directory given twice is read once; a .txt file whose relative
 * path an earlier SOURCE gave is refused (see on_article). Returns VNS_OK or the index failure
 * that stopped it. */
vns_status vnx_index_sources(vnx_run *r, char **sources, int n, int no_prune) {
    cli_reader_callbacks cb = vnx_callbacks(r);
    vnx_dir_source *ds = vnx_dir_sources_new(r, sources, n, 0);
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
    if (st == VNS_OK && !no_prune) st = vnx_prune_sources(r, ds, n);
    vnx_dir_sources_free(ds, n);
    return st;
}
