/* parallel_build.h: vnindex --jobs: a new index, or a large update of one, built by N processes
 * and merged at the end. */
#ifndef VNS_PARALLEL_BUILD_H
#define VNS_PARALLEL_BUILD_H

#include <stdint.h>

#include "vnsearch.h"

/* The counters a job sends back to the parent (summed over the jobs in the total). */
typedef struct cli_job_counts {
    uint64_t added, updated, unchanged, failed, deleted, bytes, invalid_utf8, fields_dropped;
    int status; /* The vns_status the job ended with. */
} cli_job_counts;

/* How far one job is, written by the job as it goes (__atomic_store_n, relaxed) into memory the
 * parent reads for the progress line. */
typedef struct cli_job_live {
    uint64_t articles;   /* Articles of its shard indexed so far. */
    uint64_t input_read; /* Bytes of the input read so far (every job reads all of it). */
} cli_job_live;

/* One job's whole work, run in a child process of its own: indexes shard `shard` (0-based) of
 * `nshards` into the scratch index at `part` and fills *out, keeping *live (NULL: none) up to
 * date. Returns VNS_OK, or the failure that stopped it (said on stderr). */
typedef vns_status (*cli_job_fn)(cli_job_counts *out, cli_job_live *live, const char *part,
                                 unsigned shard, unsigned nshards, void *ctx);

/* Told by the parent every tenth of a second while the jobs run: the articles the jobs have
 * indexed so far, and the input bytes the slowest of them has read. */
typedef void (*cli_progress_fn)(uint64_t articles, uint64_t input_read, void *ctx);

/* Opens the index at path for writing as vns_index_open does (same options, statuses and
 * message), and makes sure that the lock it got is the lock of the directory path names when it
 * returns. A writer that waited (--wait) on the lock of a directory that a --jobs run then swapped
 * out gets that lock only once the swap is done, and would write where nobody looks; so when
 * path names another directory after the open than before it (or named none before), the handle
 * is abandoned, never written, and the open is done again. Every vnindex writer opens this way. */
vns_status cli_index_open_current(vns_index **out, const char *path, const vns_index_options *o,
                                  char *errbuf, size_t errlen);

/* Removes the scratch a --jobs run on index_path left when it was killed ("INDEX.partK",
 * "INDEX.merging", "INDEX.replaced", each marked with CLI_SCRATCH_MARK when it was made), called
 * while holding the index's lock (opened with cli_index_open_current): then no live run can be
 * using them, except a process that still holds one's own lock (a job of a run killed a moment
 * ago): that one is left, as is a directory without the mark (an index of the user's so named;
 * only an empty one goes) and anything that holds a file that is not an index's. Returns how
 * many scratch names are left (said on stderr). */
unsigned cli_sweep_scratch(const char *index_path);

/* Non-zero when a parallel build may replace index_path: a real directory (not a symlink, not
 * "." or "..", not the root of a mount) that holds nothing but an index's own files. Never
 * fails. */
int cli_index_swappable(const char *index_path);

/* Told by the parent when the parts of an update are merged with the index: merged is the path
 * of the merged copy (documents replaced by their parts' versions dropped, committed), not yet in
 * place of the index, for the caller's last changes (pruning); or NULL when the jobs wrote
 * nothing, so no merge is made and the index stays as it is. A failure returned stops the run
 * with the index unchanged (when merged is not NULL). */
typedef vns_status (*cli_merged_fn)(const char *merged, void *ctx);

/* What a parallel run does. */
typedef struct cli_parallel {
    unsigned jobs;
    cli_job_fn job; /* Runs job k (0 to jobs-1) into the scratch part "INDEX.partK". */
    void *job_ctx;
    cli_progress_fn progress; /* May be NULL: told how far the jobs are while they run. */
    void *progress_ctx;
    /* Zero: the index is new or empty, and the parts replace it. Non-zero: an update; the parts
     * hold the articles new or changed against the index (written with vns_index_options.base),
     * merged after its documents, and merged (may be NULL) is told. */
    int update;
    cli_merged_fn merged;
    void *merged_ctx;
} cli_parallel;

/* Runs p->jobs processes over the index at index_path, whose lock the caller holds (opened with
 * cli_index_open_current, and kept open until this returns): process k runs p->job for shard k
 * into the scratch part "INDEX.partK" beside it; a child process merges the parts (after the
 * index's own documents in an update) into "INDEX.merging", which is then exchanged with
 * index_path in one rename; the old index is removed. *docs gets the merged index's documents
 * and *swapped 1 (an update whose jobs wrote nothing: *swapped 0, *docs 0, the index as it was,
 * p->merged told NULL). The jobs' counters are added into *total. SIGINT and SIGTERM stop the
 * jobs or the merge: the scratch is removed and *stopped_by gets the signal (else 0), for the
 * caller to die of once its index is released. Returns VNS_OK, or the failure (said on stderr:
 * a job that could not be started or failed, the merge, p->merged, the rename). Whatever the
 * outcome, no job or merge is left running and no scratch is left; index_path is unchanged
 * unless VNS_OK. */
vns_status cli_parallel_build(cli_job_counts *total, uint64_t *docs, int *swapped, int *stopped_by,
                              const char *index_path, const cli_parallel *p);

/* Compacts the index at index_path in place, its lock held by the caller (opened with
 * cli_index_open_current and kept open until this returns): a child process writes a compacted
 * copy "INDEX.merging" beside it (Xapian's compaction), which must hold as many documents, and
 * is exchanged with index_path in one rename; the old index is removed. Readers that have it
 * open keep reading it; a kill at any moment leaves the old index or the new one whole at
 * index_path (and scratch that the next run sweeps). *docs gets the documents; SIGINT and
 * SIGTERM stop it before the exchange, index_path unchanged, and *stopped_by gets the signal.
 * Returns VNS_OK or the failure (said on stderr). */
vns_status cli_compact(uint64_t *docs, int *stopped_by, const char *index_path);

#endif /* VNS_PARALLEL_BUILD_H */
