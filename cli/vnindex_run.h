/* vnindex_run.h: what the parts of vnindex share: its exit statuses, a run over SOURCEs into an
 * index (vnindex_run.c) and the parallel jobs (vnindex_jobs.c); vnindex_main.c parses the command
 * line and picks the mode. */
#ifndef VNINDEX_RUN_H
#define VNINDEX_RUN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "parallel_build.h"
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

/* The sequential run commits its own batches (so that pruning can be checked before it is
 * committed): after this many written documents or bytes of text, as the library would. */
#define CLI_BATCH_DOCS 250
#define CLI_BATCH_BYTES ((size_t)64 << 20)

/* --follow-symlinks: read by every run, the --jobs workers' too. */
extern int vnx_follow_symlinks;

/* One run of vnindex: the index it writes, what it counts, how far it is. */
typedef struct vnx_run {
    vns_index *ix;
    const char *index_path; /* For --watch, which opens the index for each batch. */
    const char *source_key; /* Key of the directory SOURCE being read (see vnx_dir_key), or NULL. */
    uint64_t source_articles; /* Articles (and failed files with an id) it yielded so far. */
    void *txt_ids;      /* The .txt ids read so far in vnx_index_sources (tsearch, "id\0path"), */
    int txt_ids_on;     /* checked while txt_ids_on. */
    int manual_batches; /* Non-zero: the handle does not commit by itself. */
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
    const uint64_t *source_bytes; /* Each SOURCE's bytes (vnx_sources_bytes; NULL: none kept). */
    cli_job_live *live;           /* A --jobs job's progress, for the parent (NULL: not a job). */
    FILE *seen_out; /* A parallel update's job: where the ids it saw go (see note_seen), or NULL. */
    int drew;       /* A progress line was drawn (and wants its newline). */
} vnx_run;

/* A directory SOURCE of the run, for pruning. */
typedef struct vnx_dir_source {
    const char *path;
    char key[64];  /* vnx_dir_key, or "" when the SOURCE is not a directory. */
    char *legacy;  /* Its real path: the key documents indexed before vnx_dir_key carry. */
    int duplicate; /* The same directory as an earlier SOURCE: read once. */
    size_t whole_failures;
    uint64_t articles;
} vnx_dir_source;

/* Each function below says what it does, and how it fails, above its definition. */

/* vnindex_run.c: progress and summaries. */
void vnx_put_share(uint64_t read, uint64_t total, double secs, int final);
void vnx_show_progress(vnx_run *r, int final);
int vnx_summary(const vnx_run *r, const char *index_path, uint64_t docs, int json);
int vnx_index_failed(vnx_run *r, vns_status st);
int vnx_finish_run(vnx_run *r, const char *index_path, int json);
void vnx_release_after_swap(vnx_run *r, int sig);
/* Commits and closes ix, saying "vnindex: WHAT failed: DETAIL (STATUS)" on stderr when the
 * commit fails (ix is then abandoned: what was committed before stays). Returns VNS_OK or the
 * commit's status. */
vns_status vnx_close(vns_index *ix, const char *what);

/* vnindex_run.c: reading the SOURCEs and pruning their folders. */
cli_reader_callbacks vnx_callbacks(vnx_run *r);
vns_status vnx_index_sources(vnx_run *r, char **sources, int n, int no_prune);
int vnx_dir_key(const char *path, char *buf, size_t cap);
vnx_dir_source *vnx_dir_sources_new(const vnx_run *r, char **sources, int n, int quiet);
void vnx_dir_sources_free(vnx_dir_source *ds, int n);
vns_status vnx_prune_sources(vnx_run *r, vnx_dir_source *ds, int n);
uint64_t *vnx_sources_bytes(uint64_t *total, uint64_t *fresh, const vnx_run *r, char **sources,
                            int n, time_t since);

/* vnindex_jobs.c: vnindex --jobs. */
int vnx_jobs_run(vnx_run *r, const char *index_path, char **sources, int n, unsigned jobs,
                 int update, int no_prune, int json);

#endif /* VNINDEX_RUN_H */
