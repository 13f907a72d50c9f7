/* parallel_build.h: vnindex --jobs: a new index built by N processes, merged at the end. */
#ifndef VNS_PARALLEL_BUILD_H
#define VNS_PARALLEL_BUILD_H

#include <stdint.h>

#include "vnsearch.h"

/* The counters a job sends back to the parent (summed over the jobs in the total). */
typedef struct cli_job_counts {
    uint64_t added, updated, unchanged, failed, deleted, bytes, invalid_utf8;
    int status; /* The vns_status the job ended with. */
} cli_job_counts;

/* One job's whole work, run in a child process of its own: indexes shard `shard` (0-based) of
 * `nshards` into the scratch index at `part` and fills *out. Returns VNS_OK, or the failure that
 * stopped it (said on stderr). */
typedef vns_status (*cli_job_fn)(cli_job_counts *out, const char *part, unsigned shard,
                                 unsigned nshards, void *ctx);

/* Non-zero when path holds no index yet, or an empty one (so a parallel build may replace it).
 * An index that cannot be opened or counted is not new. Never fails. */
int cli_index_is_new(const char *path);

/* Builds a new index at index_path with `jobs` processes: process k runs job for shard k into
 * the scratch part "INDEX.partK"; the parts are then merged into "INDEX.merging", which takes the
 * place of index_path. The jobs' counters are added into *total. Returns VNS_OK, or the failure
 * (said on stderr: a job that could not be started or failed, the merge, the rename); then every
 * job started has been stopped and reaped and no part is left. index_path is unchanged when a
 * job or the merge failed; when the final rename fails, the empty index that was there has
 * already been removed (issue 11 moves the old index aside instead). */
vns_status cli_parallel_build(cli_job_counts *total, const char *index_path, unsigned jobs,
                              cli_job_fn job, void *ctx);

#endif /* VNS_PARALLEL_BUILD_H */
