/* vnindex_jobs.c: vnindex --jobs: a new index, or a large update of one, built by several
 * processes (parallel_build.c) each running a run over its shard of the SOURCEs. */
#define _GNU_SOURCE
#include "vnindex_run.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "visible.h"

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
    vnx_run r = {.shard = shard,
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
        cli_say("vnindex: %s (%s)\n", err, vns_status_str(st));
        return st;
    }
    st = vnx_index_sources(&r, a->sources, a->n, 1);
    if (st != VNS_OK) cli_say("vnindex: %s (%s)\n", vns_index_errmsg(r.ix), vns_status_str(st));
    if (st == VNS_OK && r.seen_out && (fflush(r.seen_out) != 0 || ferror(r.seen_out))) {
        cli_say("vnindex: cannot keep the ids seen for pruning: %s\n", strerror(errno));
        st = VNS_EIO;
    }
    vns_index_stats stats = VNS_INDEX_STATS_INIT;
    vns_index_get_stats(&stats, r.ix);
    if (st == VNS_OK) {
        char what[64];
        snprintf(what, sizeof what, "the final commit of part %u", shard);
        st = vnx_close(r.ix, what);
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
    vnx_run *r = ctx;
    double t = cli_now();
    if (t - r->last_progress < 0.5) return;
    r->last_progress = t;
    fprintf(stderr, "\r%llu documents", (unsigned long long)articles);
    vnx_put_share(input_read, r->input_total, t - r->started, 0);
    r->drew = 1;
}

/* What the parent of a parallel update needs once the parts are merged. */
typedef struct update_args {
    vnx_run *r;
    char **sources;
    int n, no_prune;
    FILE **seen; /* Each job's ids seen and (the first job's) counts per source. */
    unsigned jobs;
} update_args;

/* Reads the records the jobs wrote (note_seen, write_source_counts): touches each id seen in ix
 * and puts the counts into ds. Returns VNS_OK, or VNS_EIO / VNS_ENOMEM (said on stderr). */
static vns_status read_seen(vns_index *ix, vnx_dir_source *ds, int n, FILE **seen, unsigned jobs) {
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
        cli_say("vnindex: cannot read the ids the jobs saw (%s)\n", vns_status_str(st));
    return st;
}

/* cli_merged_fn of a parallel update: prunes the merged index (or, when the jobs wrote nothing,
 * the index itself, r->ix) of the documents of directory SOURCEs that no job saw, as a
 * sequential run does (vnx_prune_sources, with its limits), and commits. Returns VNS_OK or the
 * failure (said on stderr). */
static vns_status update_merged(const char *merged, void *ctx) {
    update_args *u = ctx;
    vnx_run *r = u->r;
    vns_index *held = r->ix, *ix = held;
    vns_status st = VNS_OK;
    if (merged) {
        vns_index_options o = VNS_INDEX_OPTIONS_INIT;
        o.create = 0;
        o.batch_docs = UINT_MAX;
        o.batch_bytes = SIZE_MAX;
        char err[1024];
        if ((st = vns_index_open(&ix, merged, &o, err, sizeof err)) != VNS_OK) {
            cli_say("vnindex: %s (%s)\n", err, vns_status_str(st));
            return st;
        }
        /* The open records this schema in a copy of an older index's: kept even when the
         * pruning below is refused and its handle abandoned. */
        if ((st = vns_index_commit(ix)) != VNS_OK) {
            cli_say("vnindex: %s (%s)\n", vns_index_errmsg(ix), vns_status_str(st));
            vns_index_abandon(ix);
            return st;
        }
    }
    vnx_dir_source *ds = u->no_prune ? NULL : vnx_dir_sources_new(r, u->sources, u->n, 1);
    if (!u->no_prune && ds == NULL) st = VNS_ENOMEM;
    if (st == VNS_OK && ds) st = read_seen(ix, ds, u->n, u->seen, u->jobs);
    r->ix = ix;
    if (st == VNS_OK && ds) st = vnx_prune_sources(r, ds, u->n);
    vnx_dir_sources_free(ds, u->n);
    if (st != VNS_OK)
        cli_say("vnindex: %s (%s)\n", r->ix ? vns_index_errmsg(r->ix) : "pruning failed",
                vns_status_str(st));
    /* vnx_prune_sources abandons the handle when it refuses (r->ix NULL): the merged copy keeps
     * its committed documents and is swapped in without the deletions, as a sequential run
     * keeps its documents; without a merged copy, the handle was the index itself, released. */
    if (merged && r->ix) {
        vns_status cst = st == VNS_OK ? vnx_close(r->ix, "the commit of the merged index") : VNS_OK;
        if (st != VNS_OK) vns_index_abandon(r->ix);
        if (st == VNS_OK) st = cst;
    }
    r->ix = merged || r->ix ? held : NULL;
    return st;
}

/* vnindex --jobs N over r->ix (open, so locked, until the swap is done): the parallel build of a
 * new or empty index, or (base non-zero) a parallel update of one, then the summary. A SIGINT or
 * SIGTERM during the run stops it (the index unchanged) and ends the process by that signal.
 * Returns the exit status. */
int vnx_jobs_run(vnx_run *r, const char *index_path, char **sources, int n, unsigned jobs,
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
        cli_say("vnindex: cannot make the scratch files of the jobs: %s\n", strerror(errno));
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
    if (r->drew) cli_say("\n");
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
        if (r->prune_refused) return vnx_summary(r, index_path, r->docs_before, json);
        if ((st = vns_index_doc_count(&docs, r->ix)) != VNS_OK) return vnx_index_failed(r, st);
        st = vnx_close(r->ix, "the final commit");
        r->ix = NULL;
        if (st != VNS_OK) return st == VNS_ELOCKED ? EXIT_LOCKED : EXIT_INDEX;
        if (sig) {
            /* Asked to stop while pruning in place: done and committed, then ended by it. */
            signal(sig, SIG_DFL);
            raise(sig);
        }
        return vnx_summary(r, index_path, docs, json);
    }
    if (r->ix) vnx_release_after_swap(r, sig);
    if (st != VNS_OK) return EXIT_INDEX;
    return vnx_summary(r, index_path, docs, json);
}
