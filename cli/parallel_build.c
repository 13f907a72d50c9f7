/* parallel_build.c: vnindex --jobs: forks the build jobs, collects their counts, merges parts. */
#define _GNU_SOURCE
#include "parallel_build.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "args.h"
#include "visible.h"

/* How long the jobs get to end after SIGTERM before SIGKILL, when a build is abandoned. */
#define STOP_GRACE_MS 2000
#define STOP_POLL_MS 10
/* How often a waiting parent looks whether a signal asked it to stop. */
#define SIGNAL_POLL_MS 100
/* Opens that find the path swapped under them before cli_index_open_current gives up: each one
 * needs a whole --jobs build to end meanwhile, so this is never reached in practice. */
#define MAX_REOPENS 100

/* The jobs of one build, as the parent sees them. */
typedef struct build {
    unsigned jobs;
    unsigned started;   /* Jobs forked so far: pids[0..started-1] are children to reap. */
    char **parts;       /* The scratch part of each job. */
    int *fds;           /* The read end of each started job's pipe (-1 once closed). */
    pid_t *pids;        /* Each started job's process (0 once reaped). */
    cli_job_live *live; /* Each job's progress, in memory shared with it (NULL: none). */
    cli_progress_fn progress;
    void *progress_ctx;
    /* The sources of the merge: the index itself first in an update, then the parts (the
     * strings are borrowed from parts and the caller). */
    const char **sources;
    size_t nsources;
} build;

/* The signal (SIGINT or SIGTERM) that asked the build to stop, or 0. */
static volatile sig_atomic_t stop_signal;

/* SIGINT and SIGTERM handler during a build: asks it to stop. Never fails. */
static void on_signal(int sig) {
    stop_signal = sig;
}

/* Clears stop_signal and routes SIGINT and SIGTERM to on_signal, the handlers they had going to
 * *old_int and *old_term (restore them with sigaction). Never fails. */
static void catch_stop(struct sigaction *old_int, struct sigaction *old_term) {
    stop_signal = 0;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal; /* No SA_RESTART: a wait returns at once. */
    sigaction(SIGINT, &sa, old_int);
    sigaction(SIGTERM, &sa, old_term);
}

/* Non-zero when name is CLI_SCRATCH_MARK or CLI_SWAP_MARK. Never fails. */
static int is_mark(const char *name) {
    return strcmp(name, CLI_SCRATCH_MARK) == 0 || strcmp(name, CLI_SWAP_MARK) == 0;
}

/* Removes the index directory at path: its index files, its marks last (a run killed meanwhile
 * leaves scratch that the next one still knows for its own), then the directory. Returns 0, or
 * -1 when it is still there (it holds other files, or removing failed). */
static int remove_index_dir(const char *path) {
    int dfd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dfd < 0) return errno == ENOENT ? 0 : -1;
    DIR *d = fdopendir(dfd);
    if (d == NULL) {
        close(dfd);
        return -1;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (cli_is_index_file(e->d_name) && !is_mark(e->d_name)) unlinkat(dfd, e->d_name, 0);
    unlinkat(dfd, CLI_SCRATCH_MARK, 0);
    unlinkat(dfd, CLI_SWAP_MARK, 0);
    closedir(d);
    return rmdir(path) == 0 || errno == ENOENT ? 0 : -1;
}

/* Makes dir (unless make is 0: it exists) and puts the file mark (CLI_SCRATCH_MARK or
 * CLI_SWAP_MARK) in it, so that a later run knows it for this run's scratch. Returns 0, or -1
 * (errno set) when either fails. */
static int mark_dir(const char *dir, const char *name, int make) {
    if (make && mkdir(dir, 0755) < 0) return -1;
    char *mark = NULL;
    if (asprintf(&mark, "%s/%s", dir, name) < 0) return -1;
    int fd = open(mark, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
    int e = errno;
    free(mark);
    if (fd < 0) {
        errno = e;
        return -1;
    }
    close(fd);
    return 0;
}

/* Removes the mark name from dir (an index that is no longer scratch). Never fails. */
static void unmark_dir(const char *dir, const char *name) {
    char *mark = NULL;
    if (asprintf(&mark, "%s/%s", dir, name) < 0) return;
    unlink(mark);
    free(mark);
}

/* Whether dir holds the mark name (a regular file). Never fails. */
static int dir_marked(const char *dir, const char *name) {
    char *mark = NULL;
    if (asprintf(&mark, "%s/%s", dir, name) < 0) return 0;
    struct stat sb;
    int marked = lstat(mark, &sb) == 0 && S_ISREG(sb.st_mode);
    free(mark);
    return marked;
}

/* mark_dir of a new directory with CLI_SCRATCH_MARK, said on stderr when it fails. Returns VNS_OK
 * or VNS_EIO. */
static vns_status make_scratch(const char *dir) {
    if (mark_dir(dir, CLI_SCRATCH_MARK, 1) == 0) return VNS_OK;
    cli_say("vnindex: cannot make the scratch directory %s: %s\n", dir, strerror(errno));
    return VNS_EIO;
}

/* Non-zero when a live process holds the Xapian write lock of the index directory dir (a lock on
 * its flintlock). Never fails: a lock file that cannot be read is taken as not held. */
static int lock_held(const char *dir) {
    char *lock = NULL;
    if (asprintf(&lock, "%s/flintlock", dir) < 0) return 1; /* Unknown: keep it. */
    int fd = open(lock, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    free(lock);
    if (fd < 0) return 0;
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
    int held = fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK;
    close(fd);
    return held;
}

/* Splits path into its directory (malloc'd into *dir) and its last component (*base, inside
 * path). Returns 0, or -1 when out of memory. */
static int split_path(char **dir, const char **base, const char *path) {
    const char *slash = strrchr(path, '/');
    *base = slash ? slash + 1 : path;
    *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
    return *dir ? 0 : -1;
}

/* When no index is at path but "path.replaced" holds the old index of a swap (CLI_SWAP_MARK in
 * it, its lock free): a run that swapped without the exchange of two names (two renames) was killed
 * between them. Moves that index back to path, unmarked, said on stderr; without this, a run that
 * creates an index at path would sweep it away as scratch. Never fails: anything else is left as
 * it is (a run still swapping holds the old index's lock). */
static void restore_replaced(const char *path) {
    if (!cli_swap_stopped(path)) return;
    struct stat sb;
    char *aside = NULL;
    if (asprintf(&aside, "%s.replaced", path) < 0) return;
    if (lstat(aside, &sb) == 0 && S_ISDIR(sb.st_mode) && !lock_held(aside)) {
        int moved = renameat2(AT_FDCWD, aside, AT_FDCWD, path, RENAME_NOREPLACE) == 0;
        if (!moved && (errno == EINVAL || errno == ENOSYS)) moved = rename(aside, path) == 0;
        if (moved) {
            unmark_dir(path, CLI_SWAP_MARK);
            cli_say("vnindex: %s was at %s (a run was stopped while swapping it): moved back\n",
                    path, aside);
        }
    }
    free(aside);
}

vns_status cli_index_open_current(vns_index **out, const char *path, const vns_index_options *o,
                                  char *errbuf, size_t errlen) {
    for (int tries = 0;; tries++) {
        restore_replaced(path);
        struct stat before, after;
        int had = stat(path, &before) == 0;
        vns_status st = vns_index_open(out, path, o, errbuf, errlen);
        if (st != VNS_OK) return st;
        if (had && stat(path, &after) == 0 && after.st_dev == before.st_dev &&
            after.st_ino == before.st_ino) {
            /* Its lock held, it is the live index: a mark in it is stale (a kill just before or
             * after an exchange), and would make it scratch under a scratch name. */
            unmark_dir(path, CLI_SWAP_MARK);
            unmark_dir(path, CLI_SCRATCH_MARK);
            return VNS_OK;
        }
        /* Nothing was written: the handle holds no change to discard. */
        vns_index_abandon(*out);
        *out = NULL;
        if (tries == MAX_REOPENS) {
            if (errbuf && errlen)
                snprintf(errbuf, errlen, "%s: replaced %d times while opening it", path, tries);
            return VNS_ELOCKED;
        }
    }
}

/* Whether name is a scratch name of the index named base: SWAP_NAME for "base.merging" and
 * "base.replaced" (where a swap puts the old index), PART_NAME for "base.partK", else 0. Never
 * fails. */
enum { PART_NAME = 1, SWAP_NAME = 2 };
static int scratch_name(const char *name, const char *base) {
    size_t n = strlen(base);
    if (strncmp(name, base, n) != 0 || name[n] != '.') return 0;
    const char *rest = name + n + 1;
    if (strcmp(rest, "merging") == 0 || strcmp(rest, "replaced") == 0) return SWAP_NAME;
    if (strncmp(rest, "part", 4) != 0 || rest[4] == '\0') return 0;
    for (const char *p = rest + 4; *p; p++)
        if (*p < '0' || *p > '9') return 0;
    return PART_NAME;
}

unsigned cli_sweep_scratch(const char *index_path) {
    char *dir;
    const char *base;
    if (split_path(&dir, &base, index_path) < 0) return 0;
    unsigned left = 0;
    DIR *d = strcmp(base, "") && strcmp(base, ".") && strcmp(base, "..") ? opendir(dir) : NULL;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        int kind = scratch_name(e->d_name, base);
        if (!kind) continue;
        char *p = NULL;
        if (asprintf(&p, "%s/%s", dir, e->d_name) < 0) {
            left++;
            continue;
        }
        struct stat sb;
        const char *why = NULL;
        if (lstat(p, &sb) < 0)
            why = NULL; /* Gone meanwhile. */
        else if (!S_ISDIR(sb.st_mode))
            why = "it is not a directory";
        else if (lock_held(p))
            why = "a running process holds it";
        else if (!dir_marked(p, CLI_SCRATCH_MARK) &&
                 !(kind == SWAP_NAME && dir_marked(p, CLI_SWAP_MARK)) && rmdir(p) < 0 &&
                 errno != ENOENT)
            /* Not made by a run (an index of the user's so named): only an empty one goes. */
            why = "not marked as one (no " CLI_SCRATCH_MARK " in it): remove it or rename it";
        else if (remove_index_dir(p) < 0)
            why = "it holds files that are not an index's";
        if (why) {
            cli_say("vnindex: left %s, the scratch name of a --jobs run: %s\n", p, why);
            left++;
        }
        free(p);
    }
    if (d) closedir(d);
    free(dir);
    return left;
}

/* Non-zero when path is the root of a mounted file system (a volume, a tmpfs, a bind mount),
 * which a rename cannot replace (EBUSY). Never fails: unknown is taken as a mount. */
static int mount_root(const char *path) {
    struct statx sx;
    if (statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &sx) == 0 &&
        (sx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT))
        return (sx.stx_attributes & STATX_ATTR_MOUNT_ROOT) != 0;
    /* An older kernel: a directory on another device than its parent is a mount (a bind mount
     * of the same file system is then not seen, and its swap fails cleanly). */
    char *parent = NULL;
    struct stat self, up;
    if (asprintf(&parent, "%s/..", path) < 0) return 1;
    int differs = stat(path, &self) < 0 || stat(parent, &up) < 0 || self.st_dev != up.st_dev;
    free(parent);
    return differs;
}

int cli_index_swappable(const char *index_path) {
    const char *slash = strrchr(index_path, '/');
    const char *base = slash ? slash + 1 : index_path;
    if (!strcmp(base, "") || !strcmp(base, ".") || !strcmp(base, "..")) return 0;
    struct stat sb;
    if (lstat(index_path, &sb) < 0 || !S_ISDIR(sb.st_mode) || mount_root(index_path)) return 0;
    DIR *d = opendir(index_path);
    if (d == NULL) return 0;
    int only_index = 1;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && !cli_is_index_file(e->d_name))
            only_index = 0;
    closedir(d);
    return only_index;
}

/* Frees the arrays (the parts are not removed). Never fails. */
static void build_free(build *b) {
    if (b->parts)
        for (unsigned k = 0; k < b->jobs; k++) free(b->parts[k]);
    free(b->parts);
    free(b->fds);
    free(b->pids);
    free(b->sources);
}

/* Waits for the child pid (without blocking when nohang). Returns 1 when it is reaped (*ws has
 * its status), 0 when nohang and it still runs, -1 when it cannot be waited for. */
static int reap(pid_t pid, int nohang, int *ws) {
    pid_t got;
    while ((got = waitpid(pid, ws, nohang ? WNOHANG : 0)) < 0 && errno == EINTR) continue;
    return got < 0 ? -1 : got == 0 ? 0 : 1;
}

/* Waits until fd can be read or a signal asks the build to stop, telling b's progress function
 * (b may be NULL: none) how far its jobs are meanwhile. Returns 0 when it can be read,
 * -1 when stop_signal is set. */
static int wait_readable(const build *b, int fd) {
    struct pollfd p = {.fd = fd, .events = POLLIN};
    for (;;) {
        if (stop_signal) return -1;
        if (poll(&p, 1, SIGNAL_POLL_MS) > 0) return 0;
        if (b && b->progress && b->live) {
            /* Every job reads the whole input: the slowest tells how far the build is. */
            uint64_t articles = 0, input = UINT64_MAX;
            for (unsigned k = 0; k < b->jobs; k++) {
                articles += __atomic_load_n(&b->live[k].articles, __ATOMIC_RELAXED);
                uint64_t in = __atomic_load_n(&b->live[k].input_read, __ATOMIC_RELAXED);
                if (in < input) input = in;
            }
            b->progress(articles, input, b->progress_ctx);
        }
    }
}

/* Makes this process a child that dies with the parent: default SIGINT and SIGTERM, and SIGTERM
 * when the parent ends (also by SIGKILL). Never returns when the parent has already ended. */
static void become_child(pid_t parent) {
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) _exit(1);
}

/* Stops (SIGTERM, then SIGKILL after STOP_GRACE_MS) and reaps the children pids[0..n-1] that are
 * not 0, setting each to 0. Never fails. */
static void stop_children(pid_t *pids, unsigned n) {
    for (unsigned k = 0; k < n; k++)
        if (pids[k] > 0) kill(pids[k], SIGTERM);
    struct timespec pause = {0, STOP_POLL_MS * 1000000L};
    for (int waited = 0;; waited += STOP_POLL_MS) {
        unsigned running = 0;
        for (unsigned k = 0; k < n; k++) {
            int ws;
            if (pids[k] > 0 && reap(pids[k], 1, &ws) == 0)
                running++;
            else
                pids[k] = 0;
        }
        if (running == 0) break;
        if (waited >= STOP_GRACE_MS) {
            for (unsigned k = 0; k < n; k++) {
                int ws;
                if (pids[k] <= 0) continue;
                kill(pids[k], SIGKILL);
                reap(pids[k], 0, &ws);
                pids[k] = 0;
            }
            break;
        }
        nanosleep(&pause, NULL);
    }
}

/* Abandons the build: stops and reaps every job started and closes the pipes; the caller removes
 * the parts. Never fails. */
static void stop_jobs(build *b) {
    stop_children(b->pids, b->started);
    for (unsigned k = 0; k < b->started; k++) {
        if (b->fds[k] >= 0) close(b->fds[k]);
        b->fds[k] = -1;
    }
}

/* The child's side of job k: runs the job and sends its counts through wfd; never returns. */
static void run_job(build *b, unsigned k, int wfd, pid_t parent, cli_job_fn job, void *ctx) {
    become_child(parent);
    /* The read ends of the jobs started before this one are the parent's, not this job's. */
    for (unsigned j = 0; j < k; j++) close(b->fds[j]);
    cli_job_counts jc = {0};
    vns_status st = job(&jc, b->live ? &b->live[k] : NULL, b->parts[k], k, b->jobs, ctx);
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
    pid_t parent = getpid();
    for (unsigned k = 0; k < b->jobs; k++) {
        int p[2];
        if (pipe(p) < 0) {
            cli_say("vnindex: cannot start build job %u of %u: pipe: %s\n", k + 1, b->jobs,
                    strerror(errno));
            return VNS_EIO;
        }
        pid_t pid = fork();
        if (pid < 0) {
            int e = errno;
            close(p[0]);
            close(p[1]);
            cli_say("vnindex: cannot start build job %u of %u: fork: %s\n", k + 1, b->jobs,
                    strerror(e));
            return e == ENOMEM ? VNS_ENOMEM : VNS_EIO;
        }
        if (pid == 0) {
            close(p[0]);
            run_job(b, k, p[1], parent, job, ctx);
        }
        close(p[1]);
        b->pids[k] = pid;
        b->fds[k] = p[0];
        b->started = k + 1;
    }
    return VNS_OK;
}

/* Reads every job's counts into *total and reaps it. Returns VNS_OK, VNS_EIO when a job failed
 * (it said why) or sent no counts, or VNS_EINTERNAL when a signal asked to stop (the jobs not
 * yet reaped are left for stop_jobs). */
static vns_status collect_jobs(build *b, cli_job_counts *total) {
    vns_status st = VNS_OK;
    for (unsigned k = 0; k < b->started; k++) {
        if (wait_readable(b, b->fds[k]) < 0) return VNS_EINTERNAL;
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
        total->fields_dropped += jc.fields_dropped;
    }
    return st;
}

/* Merges the parts into dest in a child process (so that a signal can stop it at once). Returns
 * VNS_OK, the merge's failure (said on stderr by the child), or VNS_EINTERNAL when a signal asked
 * to stop (the child is then stopped and reaped). */
static vns_status merge_in_child(build *b, const char *dest) {
    int p[2];
    if (pipe(p) < 0) {
        cli_say("vnindex: cannot start the merge: pipe: %s\n", strerror(errno));
        return VNS_EIO;
    }
    fflush(NULL);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        cli_say("vnindex: cannot start the merge: fork: %s\n", strerror(errno));
        close(p[0]);
        close(p[1]);
        return VNS_EIO;
    }
    if (pid == 0) {
        become_child(parent);
        close(p[0]);
        char err[1024];
        int st = vns_index_merge(b->sources, b->nsources, dest, err, sizeof err);
        if (st != VNS_OK) cli_say("vnindex: %s (%s)\n", err, vns_status_str(st));
        ssize_t w = write(p[1], &st, sizeof st);
        build_free(b);
        _exit(w == (ssize_t)sizeof st ? 0 : 1);
    }
    close(p[1]);
    int st = VNS_EIO;
    if (wait_readable(NULL, p[0]) < 0) {
        st = VNS_EINTERNAL;
        stop_children(&pid, 1);
    } else {
        ssize_t got;
        while ((got = read(p[0], &st, sizeof st)) < 0 && errno == EINTR) continue;
        if (got != (ssize_t)sizeof st) {
            cli_say("vnindex: the merge ended without a result\n");
            st = VNS_EIO;
        }
        int ws;
        reap(pid, 0, &ws);
    }
    close(p[0]);
    return (vns_status)st;
}

/* Counts the documents of the merged index at path into *docs. Returns VNS_OK or the failure
 * (said on stderr). */
static vns_status count_docs(uint64_t *docs, const char *path) {
    vns_index *ix = NULL;
    vns_index_options o = VNS_INDEX_OPTIONS_INIT;
    o.create = 0;
    char err[1024];
    vns_status st = vns_index_open(&ix, path, &o, err, sizeof err);
    if (st == VNS_OK) {
        st = vns_index_doc_count(docs, ix);
        if (st != VNS_OK) snprintf(err, sizeof err, "%s", vns_index_errmsg(ix));
        vns_index_abandon(ix);
    }
    if (st != VNS_OK) cli_say("vnindex: %s (%s)\n", err, vns_status_str(st));
    return st;
}

/* Puts the merged index at merged in place of the (locked) index at index_path, which ends at
 * merged (or at aside, when the file system cannot exchange two names). Either both names change
 * or neither does, but for a double failure of the two renames: then *stranded is set, the old
 * index is at aside and the merged one at merged, both to be kept (said on stderr). While they
 * trade places, both hold CLI_SWAP_MARK (the merged one no longer CLI_SCRATCH_MARK), so that a
 * later run removes whichever is left beside the index after a kill; the one at index_path holds
 * no mark afterwards. Returns VNS_OK, or VNS_EIO (said on stderr; index_path unchanged
 * unless *stranded). */
static vns_status swap_in(const char *merged, const char *index_path, const char *aside,
                          int *stranded) {
    *stranded = 0;
    /* Both hold the swap mark only: it makes scratch of the names a swap leaves them at, never
     * of a part's name, so that a mark left in the index by a kill cannot get it removed. */
    const char *unmarked = NULL;
    if (mark_dir(index_path, CLI_SWAP_MARK, 0) < 0)
        unmarked = index_path;
    else if (mark_dir(merged, CLI_SWAP_MARK, 0) < 0)
        unmarked = merged;
    if (unmarked) {
        cli_say("vnindex: cannot mark %s for the swap: %s\n", unmarked, strerror(errno));
        unmark_dir(index_path, CLI_SWAP_MARK);
        return VNS_EIO;
    }
    unmark_dir(merged, CLI_SCRATCH_MARK);
    if (renameat2(AT_FDCWD, merged, AT_FDCWD, index_path, RENAME_EXCHANGE) == 0) {
        unmark_dir(index_path, CLI_SWAP_MARK);
        return VNS_OK;
    }
    int e = errno;
    if (e == EINVAL || e == ENOSYS) {
        /* No exchange here: two renames, the first undone when the second fails. Readers that
         * open in between find no index for a moment; writers are held by the lock. A kill
         * between them leaves the old index at aside, which the next open moves back
         * (restore_replaced). */
        if (rename(index_path, aside) < 0) {
            e = errno;
        } else if (rename(merged, index_path) < 0) {
            e = errno;
            if (rename(aside, index_path) < 0) {
                *stranded = 1;
                cli_say("vnindex: cannot move %s back to %s: %s; the index is at %s (and its "
                        "new version at %s): move one of them to %s\n",
                        aside, index_path, strerror(errno), aside, merged, index_path);
                unmark_dir(aside, CLI_SWAP_MARK);
                unmark_dir(merged, CLI_SWAP_MARK);
                return VNS_EIO;
            }
        } else {
            unmark_dir(index_path, CLI_SWAP_MARK);
            return VNS_OK;
        }
    }
    unmark_dir(index_path, CLI_SWAP_MARK);
    cli_say("vnindex: cannot move %s to %s: %s\n", merged, index_path, strerror(e));
    return VNS_EIO;
}

/* Merges b->sources into INDEX.merging, removes the parts, tells p->merged (when set), counts
 * the documents into *docs, then puts the merged index in place of the old one and removes that.
 * Returns VNS_OK, the failure (said on stderr), or VNS_EINTERNAL when a signal asked to stop.
 * Leaves no scratch. */
static vns_status merge_parts(build *b, uint64_t *docs, const char *index_path,
                              const cli_parallel *p) {
    char *tmp = NULL, *aside = NULL;
    if (asprintf(&tmp, "%s.merging", index_path) < 0 ||
        asprintf(&aside, "%s.replaced", index_path) < 0) {
        free(tmp);
        cli_say("vnindex: out of memory\n");
        return VNS_ENOMEM;
    }
    vns_status st = make_scratch(tmp);
    if (st == VNS_OK) st = merge_in_child(b, tmp);
    /* The parts go before the merged index takes its place: a run killed after that leaves
     * no scratch parts beside a whole index. */
    for (unsigned k = 0; k < b->jobs; k++) remove_index_dir(b->parts[k]);
    if (st == VNS_OK && stop_signal) st = VNS_EINTERNAL;
    if (st == VNS_OK && p->merged) st = p->merged(tmp, p->merged_ctx);
    if (st == VNS_OK) st = count_docs(docs, tmp);
    if (st == VNS_OK && stop_signal) st = VNS_EINTERNAL;
    int stranded = 0;
    if (st == VNS_OK) st = swap_in(tmp, index_path, aside, &stranded);
    /* After the swap, tmp (or aside) is the old index (empty, in a new build): only its own files
     * are removed. Before it, tmp is the unfinished copy. Stranded, both are whole indexes. */
    if (!stranded) {
        remove_index_dir(tmp);
        remove_index_dir(aside);
    }
    free(tmp);
    free(aside);
    return st;
}

vns_status cli_parallel_build(cli_job_counts *total, uint64_t *docs, int *swapped, int *stopped_by,
                              const char *index_path, const cli_parallel *p) {
    unsigned jobs = p->jobs;
    build b = {.jobs = jobs, .progress = p->progress, .progress_ctx = p->progress_ctx};
    vns_status st = VNS_OK;
    *stopped_by = *swapped = 0;
    *docs = 0;
    struct sigaction old_int, old_term;
    catch_stop(&old_int, &old_term);
    b.parts = calloc(jobs, sizeof *b.parts);
    b.fds = calloc(jobs, sizeof *b.fds);
    b.pids = calloc(jobs, sizeof *b.pids);
    b.sources = calloc(jobs + 1, sizeof *b.sources);
    if (b.parts == NULL || b.fds == NULL || b.pids == NULL || b.sources == NULL) {
        cli_say("vnindex: out of memory\n");
        st = VNS_ENOMEM;
        goto done;
    }
    /* Without shared memory the build goes on, without a progress line. */
    void *live = mmap(NULL, jobs * sizeof *b.live, PROT_READ | PROT_WRITE,
                      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    b.live = live == MAP_FAILED ? NULL : live;
    if (p->update) b.sources[b.nsources++] = index_path;
    for (unsigned k = 0; k < jobs; k++) {
        if (asprintf(&b.parts[k], "%s.part%u", index_path, k) < 0) {
            b.parts[k] = NULL;
            cli_say("vnindex: out of memory\n");
            st = VNS_ENOMEM;
            goto done;
        }
        b.sources[b.nsources++] = b.parts[k];
    }
    for (unsigned k = 0; st == VNS_OK && k < jobs; k++) st = make_scratch(b.parts[k]);
    if (st != VNS_OK) {
        /* A part could not be made: no job started (the parts made are removed below). */
    } else if ((st = start_jobs(&b, p->job, p->job_ctx)) != VNS_OK) {
        stop_jobs(&b);
    } else if ((st = collect_jobs(&b, total)) != VNS_OK) {
        if (st == VNS_EINTERNAL)
            stop_jobs(&b);
        else
            cli_say("vnindex: a build job failed\n");
    } else if (p->update && total->added + total->updated == 0) {
        /* Nothing new or changed: the index is kept as it is, not copied (the empty parts go
         * below). */
        if (stop_signal)
            st = VNS_EINTERNAL;
        else if (p->merged)
            st = p->merged(NULL, p->merged_ctx);
    } else if ((st = merge_parts(&b, docs, index_path, p)) == VNS_OK) {
        *swapped = 1;
    }
    for (unsigned k = 0; k < jobs; k++)
        if (b.parts[k]) remove_index_dir(b.parts[k]);
done:
    /* A signal after the swap is still answered: the caller dies of it, its index whole. */
    *stopped_by = stop_signal;
    if (st != VNS_OK && stop_signal)
        cli_say("vnindex: stopped by %s; %s is unchanged\n",
                stop_signal == SIGINT ? "SIGINT" : "SIGTERM", index_path);
    else if (st != VNS_OK)
        cli_say("vnindex: %s is unchanged\n", index_path);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    if (b.live) munmap(b.live, jobs * sizeof *b.live);
    build_free(&b);
    return st;
}

/* Counts the documents of the index at path (read: its writer's lock may be held) into *docs.
 * Returns VNS_OK or the failure (said on stderr). */
static vns_status count_read(uint64_t *docs, const char *path) {
    vns_searcher *s = NULL;
    char err[1024];
    vns_status st = vns_searcher_open(&s, &path, 1, err, sizeof err);
    if (st == VNS_OK && (st = vns_searcher_doc_count(docs, s)) != VNS_OK)
        snprintf(err, sizeof err, "%s", vns_searcher_errmsg(s));
    vns_searcher_close(s);
    if (st != VNS_OK) cli_say("vnindex: %s (%s)\n", err, vns_status_str(st));
    return st;
}

vns_status cli_compact(uint64_t *docs, int *stopped_by, const char *index_path) {
    *stopped_by = 0;
    struct sigaction old_int, old_term;
    catch_stop(&old_int, &old_term);
    char *tmp = NULL, *aside = NULL;
    /* One "part", the index itself (build_free, also in the merge's child, frees it). */
    build b = {.jobs = 1,
               .parts = calloc(1, sizeof(char *)),
               .sources = calloc(1, sizeof(char *)),
               .nsources = 1};
    vns_status st = VNS_OK;
    uint64_t before = 0;
    if (b.parts == NULL || b.sources == NULL || (b.parts[0] = strdup(index_path)) == NULL ||
        asprintf(&tmp, "%s.merging", index_path) < 0 ||
        asprintf(&aside, "%s.replaced", index_path) < 0) {
        cli_say("vnindex: out of memory\n");
        st = VNS_ENOMEM;
    } else {
        b.sources[0] = b.parts[0];
    }
    if (st == VNS_OK) st = count_read(&before, index_path);
    /* Xapian's compaction (vns_index_merge of one part) writes the copy; the index is only
     * read meanwhile, and its lock (the caller's) keeps every writer away. */
    if (st == VNS_OK) st = make_scratch(tmp);
    if (st == VNS_OK) st = merge_in_child(&b, tmp);
    if (st == VNS_OK) st = count_docs(docs, tmp);
    if (st == VNS_OK && *docs != before) {
        cli_say("vnindex: the compacted copy holds %llu documents, not %llu\n",
                (unsigned long long)*docs, (unsigned long long)before);
        st = VNS_EINTERNAL;
    }
    if (st == VNS_OK && stop_signal) st = VNS_EINTERNAL;
    int stranded = 0;
    if (st == VNS_OK) st = swap_in(tmp, index_path, aside, &stranded);
    /* After the swap, tmp (or aside) is the old index: only its own files are removed. Before
     * it, tmp is the unfinished copy. Stranded, both are whole indexes. */
    if (tmp && !stranded) remove_index_dir(tmp);
    if (aside && !stranded) remove_index_dir(aside);
    *stopped_by = stop_signal;
    if (st != VNS_OK)
        cli_say("vnindex: %s is unchanged%s\n", index_path,
                stop_signal
                    ? (stop_signal == SIGINT ? " (stopped by SIGINT)" : " (stopped by SIGTERM)")
                    : "");
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    build_free(&b);
    free(tmp);
    free(aside);
    return st;
}
