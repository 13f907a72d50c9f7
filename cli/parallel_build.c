/* parallel_build.c: vnindex --jobs: forks the build jobs, collects their counts, merges parts. */
#define _GNU_SOURCE
#include "parallel_build.h"

#include <errno.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* How long the jobs get to end after SIGTERM before SIGKILL, when a build is abandoned. */
#define STOP_GRACE_MS 2000
#define STOP_POLL_MS 10

/* The jobs of one build, as the parent sees them. */
typedef struct build {
    unsigned jobs;
    unsigned started; /* Jobs forked so far: pids[0..started-1] are children to reap. */
    char **parts;     /* The scratch part of each job. */
    int *fds;         /* The read end of each started job's pipe (-1 once closed). */
    pid_t *pids;      /* Each started job's process (0 once reaped). */
} build;

/* nftw callback: removes one entry of a tree. Never fails loudly (what stays is said elsewhere). */
static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
    (void)sb;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

/* Removes a directory tree (a part, or a merge left behind). Never fails loudly. */
static void remove_tree(const char *path) {
    nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int cli_index_is_new(const char *path) {
    struct stat sb;
    if (stat(path, &sb) < 0) return 1;
    vns_index *ix = NULL;
    vns_index_options o = VNS_INDEX_OPTIONS_INIT;
    o.create = 0;
    char err[256];
    if (vns_index_open(&ix, path, &o, err, sizeof err) != VNS_OK) return 0;
    uint64_t docs = 0;
    /* A count that fails is not an empty index: never replace what could not be read. */
    int empty = vns_index_doc_count(&docs, ix) == VNS_OK && docs == 0;
    vns_index_abandon(ix);
    return empty;
}

/* Frees the arrays (the parts are not removed). Never fails. */
static void build_free(build *b) {
    if (b->parts)
        for (unsigned k = 0; k < b->jobs; k++) free(b->parts[k]);
    free(b->parts);
    free(b->fds);
    free(b->pids);
}

/* Waits for the job pid (without blocking when nohang). Returns 1 when it is reaped (*ws has its
 * status), 0 when nohang and it still runs, -1 when it cannot be waited for. */
static int reap(pid_t pid, int nohang, int *ws) {
    pid_t got;
    while ((got = waitpid(pid, ws, nohang ? WNOHANG : 0)) < 0 && errno == EINTR) continue;
    return got < 0 ? -1 : got == 0 ? 0 : 1;
}

/* Abandons the build: stops (SIGTERM, then SIGKILL after STOP_GRACE_MS) and reaps every job
 * started, and closes the pipes; the caller removes the parts. Never fails. */
static void stop_jobs(build *b) {
    for (unsigned k = 0; k < b->started; k++)
        if (b->pids[k] > 0) kill(b->pids[k], SIGTERM);
    struct timespec pause = {0, STOP_POLL_MS * 1000000L};
    for (int waited = 0;; waited += STOP_POLL_MS) {
        unsigned running = 0;
        for (unsigned k = 0; k < b->started; k++) {
            int ws;
            if (b->pids[k] > 0 && reap(b->pids[k], 1, &ws) == 0)
                running++;
            else
                b->pids[k] = 0;
        }
        if (running == 0) break;
        if (waited >= STOP_GRACE_MS) {
            for (unsigned k = 0; k < b->started; k++) {
                int ws;
                if (b->pids[k] <= 0) continue;
                kill(b->pids[k], SIGKILL);
                reap(b->pids[k], 0, &ws);
                b->pids[k] = 0;
            }
            break;
        }
        nanosleep(&pause, NULL);
    }
    for (unsigned k = 0; k < b->started; k++) {
        if (b->fds[k] >= 0) close(b->fds[k]);
        b->fds[k] = -1;
    }
}

/* The child's side of job k: runs the job and sends its counts through wfd; never returns. */
static void run_job(build *b, unsigned k, int wfd, cli_job_fn job, void *ctx) {
    /* The read ends of the jobs started before this one are the parent's, not this job's. */
    for (unsigned j = 0; j < k; j++) close(b->fds[j]);
    cli_job_counts jc = {0};
    vns_status st = job(&jc, b->parts[k], k, b->jobs, ctx);
    jc.status = st;
    ssize_t w = write(wfd, &jc, sizeof jc);
    /* The child's copies of the parent's arrays. */
    build_free(b);
    _exit(w == (ssize_t)sizeof jc && st == VNS_OK ? 0 : 1);
}

/* Starts every job. Returns VNS_OK, or the failure (said on stderr) with b->started jobs left
 * running for the caller to stop. */
static vns_status start_jobs(build *b, cli_job_fn job, void *ctx) {
    fflush(NULL);
    for (unsigned k = 0; k < b->jobs; k++) {
        int p[2];
        if (pipe(p) < 0) {
            fprintf(stderr, "vnindex: cannot start build job %u of %u: pipe: %s\n", k + 1, b->jobs,
                    strerror(errno));
            return VNS_EIO;
        }
        pid_t pid = fork();
        if (pid < 0) {
            int e = errno;
            close(p[0]);
            close(p[1]);
            fprintf(stderr, "vnindex: cannot start build job %u of %u: fork: %s\n", k + 1, b->jobs,
                    strerror(e));
            return e == ENOMEM ? VNS_ENOMEM : VNS_EIO;
        }
        if (pid == 0) {
            close(p[0]);
            run_job(b, k, p[1], job, ctx);
        }
        close(p[1]);
        b->pids[k] = pid;
        b->fds[k] = p[0];
        b->started = k + 1;
    }
    return VNS_OK;
}

/* Reads every job's counts into *total and reaps it. Returns VNS_OK, or VNS_EIO when a job
 * failed (it said why) or sent no counts. */
static vns_status collect_jobs(build *b, cli_job_counts *total) {
    vns_status st = VNS_OK;
    for (unsigned k = 0; k < b->started; k++) {
        cli_job_counts jc = {0};
        ssize_t got;
        while ((got = read(b->fds[k], &jc, sizeof jc)) < 0 && errno == EINTR) continue;
        if (got != (ssize_t)sizeof jc) st = VNS_EIO;
        close(b->fds[k]);
        b->fds[k] = -1;
        int ws = 0;
        if (reap(b->pids[k], 0, &ws) <= 0 || !WIFEXITED(ws) || WEXITSTATUS(ws) != 0) st = VNS_EIO;
        b->pids[k] = 0;
        total->added += jc.added;
        total->updated += jc.updated;
        total->unchanged += jc.unchanged;
        total->failed += jc.failed;
        total->deleted += jc.deleted;
        total->bytes += jc.bytes;
        total->invalid_utf8 += jc.invalid_utf8;
    }
    return st;
}

/* Merges the parts into a fresh directory, removes the parts, then puts the merged index in
 * place of the (missing or empty) one. Returns VNS_OK or the failure (said on stderr). */
static vns_status merge_parts(build *b, const char *index_path) {
    char *tmp = NULL, err[1024];
    if (asprintf(&tmp, "%s.merging", index_path) < 0) {
        fprintf(stderr, "vnindex: out of memory\n");
        return VNS_ENOMEM;
    }
    remove_tree(tmp);
    vns_status st = vns_index_merge((const char *const *)b->parts, b->jobs, tmp, err, sizeof err);
    if (st != VNS_OK) {
        fprintf(stderr, "vnindex: %s (%s)\n", err, vns_status_str(st));
    } else {
        /* The parts go before the merged index takes its place: a run killed after that leaves
         * no scratch parts beside a whole index. */
        for (unsigned k = 0; k < b->jobs; k++) remove_tree(b->parts[k]);
        remove_tree(index_path);
        if (rename(tmp, index_path) < 0) {
            fprintf(stderr, "vnindex: cannot move %s to %s: %s\n", tmp, index_path,
                    strerror(errno));
            st = VNS_EIO;
        }
    }
    remove_tree(tmp);
    free(tmp);
    return st;
}

vns_status cli_parallel_build(cli_job_counts *total, const char *index_path, unsigned jobs,
                              cli_job_fn job, void *ctx) {
    build b = {.jobs = jobs};
    vns_status st = VNS_OK;
    int merging = 0;
    b.parts = calloc(jobs, sizeof *b.parts);
    b.fds = calloc(jobs, sizeof *b.fds);
    b.pids = calloc(jobs, sizeof *b.pids);
    if (b.parts == NULL || b.fds == NULL || b.pids == NULL) {
        fprintf(stderr, "vnindex: out of memory\n");
        st = VNS_ENOMEM;
        goto done;
    }
    for (unsigned k = 0; k < jobs; k++) {
        if (asprintf(&b.parts[k], "%s.part%u", index_path, k) < 0) {
            b.parts[k] = NULL;
            fprintf(stderr, "vnindex: out of memory\n");
            st = VNS_ENOMEM;
            goto done;
        }
        /* What a killed run left. */
        remove_tree(b.parts[k]);
    }
    if ((st = start_jobs(&b, job, ctx)) != VNS_OK) {
        stop_jobs(&b);
    } else if ((st = collect_jobs(&b, total)) != VNS_OK) {
        fprintf(stderr, "vnindex: a build job failed\n");
    } else {
        merging = 1;
        st = merge_parts(&b, index_path);
    }
    for (unsigned k = 0; k < jobs; k++) remove_tree(b.parts[k]);
done:
    /* Before the merge, nothing touched the index. */
    if (st != VNS_OK && !merging) fprintf(stderr, "vnindex: %s is unchanged\n", index_path);
    build_free(&b);
    return st;
}
