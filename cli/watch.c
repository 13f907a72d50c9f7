/* watch.c: inotify over a directory tree; changed files are indexed once quiet and closed. */
#define _GNU_SOURCE
#include "watch.h"

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clock.h"
#include "visible.h"

#define MASK                                                                                       \
    (IN_CREATE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE |            \
     IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR | IN_EXCL_UNLINK)
/* How often the watched directory's path is checked for still naming the same directory. */
#define ROOT_CHECK_SECONDS 1.0

enum { PENDING_CHANGE, PENDING_DELETE };

typedef struct pending {
    char *rel; /* Path relative to the watched directory: the document id. */
    int kind;
    int closed;  /* The writer closed it, or it was moved into place. */
    double last; /* Time of the last event, seconds. */
} pending;

struct cli_watcher {
    const char *root;
    dev_t root_dev; /* The directory root named when watching began. */
    ino_t root_ino;
    int root_wd;
    int lost; /* root was moved, removed or replaced. */
    double root_checked;
    int fd;
    char **dirs; /* Indexed by watch descriptor: the directory's relative path ("" = root). */
    size_t ndirs;
    pending *p;
    size_t np, cap;
    cli_watch_index index;
    const cli_reader_callbacks *cb;
    cli_watch_log_fn log;
    void *log_ctx;
};
typedef struct cli_watcher watcher;

/* Opens the index for this batch unless it is open. Returns VNS_OK or the open's failure. */
static vns_status need_index(watcher *w) {
    if (*w->index.ixp) return VNS_OK;
    return w->index.open(w->index.ixp, w->index.ctx);
}

/* Commits and closes the index if this batch opened it. Returns VNS_OK or the failure. */
static vns_status end_batch(watcher *w) {
    if (*w->index.ixp == NULL) return VNS_OK;
    return w->index.close(w->index.ixp, w->index.ctx);
}

/* Says, once, that root no longer names the directory being watched. Never fails. */
static void lose_root(watcher *w, const char *how) {
    if (w->lost) return;
    w->lost = 1;
    cli_say("vnindex: %s was %s: stopping; run vnindex --watch again on the directory it should "
            "follow\n",
            w->root, how);
}

/* Notices, once a second, that root was removed or replaced by another directory. */
static void check_root(watcher *w) {
    double t = cli_now();
    if (t - w->root_checked < ROOT_CHECK_SECONDS) return;
    w->root_checked = t;
    struct stat sb;
    if (stat(w->root, &sb) < 0)
        lose_root(w, "removed or moved away");
    else if (sb.st_dev != w->root_dev || sb.st_ino != w->root_ino)
        lose_root(w, "replaced by another directory");
}

/* Joins a and b with a '/' (none when either is empty) into a malloc'd string. Returns NULL when
 * out of memory. */
static char *join(const char *a, const char *b) {
    char *s = NULL;
    if (asprintf(&s, "%s%s%s", a, *a && *b ? "/" : "", b) < 0) return NULL;
    return s;
}

/* Records an event for rel (taking ownership of rel). Out of memory, the event is dropped. */
static void note(watcher *w, char *rel, int kind, int closed) {
    if (rel == NULL) return;
    for (size_t i = 0; i < w->np; i++) {
        if (strcmp(w->p[i].rel, rel) == 0) {
            w->p[i].kind = kind;
            w->p[i].closed = kind == PENDING_DELETE || closed;
            w->p[i].last = cli_now();
            free(rel);
            return;
        }
    }
    if (w->np == w->cap) {
        size_t ncap = w->cap ? w->cap * 2 : 64;
        pending *np = reallocarray(w->p, ncap, sizeof *np);
        if (np == NULL) {
            free(rel);
            return;
        }
        w->p = np;
        w->cap = ncap;
    }
    w->p[w->np++] = (pending){rel, kind, kind == PENDING_DELETE || closed, cli_now()};
}

/* Adds watches on dir (relative rel) and everything below it; with scan, files found are noted
 * as changed (a directory moved into place brings complete files). A directory that cannot be
 * watched is said on stderr and left out; out of memory, it is left out silently. */
static void add_tree(watcher *w, const char *rel, int scan) {
    char *full = join(w->root, rel);
    if (full == NULL) return;
    int wd = inotify_add_watch(w->fd, full, MASK);
    if (wd < 0) {
        cli_say("vnindex: cannot watch %s: %s\n", full, strerror(errno));
        free(full);
        return;
    }
    if ((size_t)wd >= w->ndirs) {
        size_t n = (size_t)wd + 64;
        char **nd = reallocarray(w->dirs, n, sizeof *nd);
        if (nd == NULL) {
            free(full);
            return;
        }
        memset(nd + w->ndirs, 0, (n - w->ndirs) * sizeof *nd);
        w->dirs = nd;
        w->ndirs = n;
    }
    free(w->dirs[wd]);
    w->dirs[wd] = strdup(rel);
    DIR *d = opendir(full);
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        char *sub = join(rel, e->d_name), *subfull = join(w->root, sub);
        struct stat sb;
        if (sub && subfull && lstat(subfull, &sb) == 0) {
            if (S_ISDIR(sb.st_mode)) {
                add_tree(w, sub, scan);
            } else if (scan && cli_is_article_file(sub)) {
                note(w, sub, PENDING_CHANGE, 1);
                sub = NULL;
            }
        }
        free(sub);
        free(subfull);
    }
    if (d) closedir(d);
    free(full);
}

/* vns_id_filter_fn of delete_dir: whether id is a .txt file's (its path, as the readers give it);
 * a JSONL article's id says nothing of where its file is. Never fails. */
static int txt_file_id(const char *id, void *ctx) {
    (void)ctx;
    return cli_is_txt_file(id);
}

/* Deletes the documents of the .txt files below the directory rel, which went away (the articles
 * of JSONL files there stay until a plain run prunes them, as when such a file is deleted).
 * Returns VNS_OK, or the index failure (said on stderr, the detail in the index's message) or
 * VNS_ENOMEM. */
static vns_status delete_dir(watcher *w, const char *rel) {
    char *prefix = NULL;
    if (asprintf(&prefix, "%s/", rel) < 0) {
        cli_say("vnindex: out of memory\n");
        return VNS_ENOMEM;
    }
    uint64_t n = 0;
    vns_status st = need_index(w);
    if (st == VNS_OK) st = vns_index_delete_prefix_if(&n, *w->index.ixp, prefix, txt_file_id, NULL);
    if (st != VNS_OK)
        cli_say("vnindex: cannot delete the documents below %s\n", prefix);
    else if (n > 0)
        w->log("deleted", prefix, n, w->log_ctx);
    free(prefix);
    return st;
}

/* Handles one event: watches new directories, deletes the documents of a directory that went
 * away, notes changed and deleted article files. Returns VNS_OK, or the index failure that must
 * stop the watcher. */
static vns_status handle(watcher *w, const struct inotify_event *ev) {
    if (ev->mask & IN_Q_OVERFLOW) {
        cli_say("vnindex: too many changes at once: rescanning\n");
        add_tree(w, "", 1);
        return VNS_OK;
    }
    if (ev->wd < 0 || (size_t)ev->wd >= w->ndirs || w->dirs[ev->wd] == NULL) return VNS_OK;
    if (ev->wd == w->root_wd && (ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF)))
        lose_root(w, ev->mask & IN_MOVE_SELF ? "moved or renamed" : "removed");
    if (ev->mask & IN_MOVE_SELF) return VNS_OK; /* Below root: its parent reports the move. */
    if (ev->mask & (IN_DELETE_SELF | IN_IGNORED)) {
        free(w->dirs[ev->wd]);
        w->dirs[ev->wd] = NULL;
        return VNS_OK;
    }
    if (ev->len == 0 || ev->name[0] == '.') return VNS_OK;
    char *rel = join(w->dirs[ev->wd], ev->name);
    if (rel == NULL) return VNS_OK;
    vns_status st = VNS_OK;
    if (ev->mask & IN_ISDIR) {
        if (ev->mask & (IN_CREATE | IN_MOVED_TO))
            add_tree(w, rel, 1);
        else if (ev->mask & (IN_DELETE | IN_MOVED_FROM))
            st = delete_dir(w, rel);
        free(rel);
        return st;
    }
    if (!cli_is_article_file(rel)) {
        free(rel);
        return VNS_OK;
    }
    if (ev->mask & (IN_DELETE | IN_MOVED_FROM))
        note(w, rel, PENDING_DELETE, 1);
    else if (ev->mask & (IN_CLOSE_WRITE | IN_MOVED_TO))
        note(w, rel, PENDING_CHANGE, 1);
    else /* IN_CREATE, IN_MODIFY: being written. */
        note(w, rel, PENDING_CHANGE, 0);
    return VNS_OK;
}

/* Indexes or deletes what has been quiet long enough (all: everything complete); commits when
 * anything changed. Returns VNS_OK or the index failure that stopped it. */
static vns_status settle(watcher *w, int all) {
    double t = cli_now();
    int changed = 0;
    vns_status st = VNS_OK;
    for (size_t i = 0; i < w->np && st == VNS_OK;) {
        pending *p = &w->p[i];
        int ready = p->closed && (all || (t - p->last) * 1000 >= VNS_WATCH_QUIET_MS);
        if (!ready) {
            i++;
            continue;
        }
        st = need_index(w);
        if (st != VNS_OK) break;
        if (p->kind == PENDING_DELETE && !cli_is_txt_file(p->rel)) {
            /* A JSONL file's articles (their ids are their own) stay until a plain run. */
        } else if (p->kind == PENDING_DELETE) {
            st = vns_index_delete(*w->index.ixp, p->rel);
            if (st == VNS_OK) w->log("deleted", p->rel, 1, w->log_ctx);
            if (st == VNS_ENOTFOUND) st = VNS_OK;
        } else {
            char *full = join(w->root, p->rel);
            if (full) st = cli_read_file(full, p->rel, w->cb, NULL);
            if (st == VNS_OK) w->log("read", p->rel, 1, w->log_ctx);
            free(full);
        }
        changed = 1;
        free(p->rel);
        w->p[i] = w->p[--w->np];
    }
    if (st == VNS_OK && changed) st = vns_index_commit(*w->index.ixp);
    return st;
}

/* Reads and handles every queued event. Returns VNS_OK, or the index failure that stopped it
 * (the events after it are left unread). */
static vns_status drain(watcher *w, char *buf, size_t size) {
    ssize_t n;
    while ((n = read(w->fd, buf, size)) > 0) {
        for (char *p = buf; p < buf + n;) {
            const struct inotify_event *ev = (const struct inotify_event *)p;
            vns_status st = handle(w, ev);
            if (st != VNS_OK) return st;
            p += sizeof *ev + ev->len;
        }
    }
    return VNS_OK;
}

vns_status cli_watch_open(cli_watcher **out, const char *dir, const cli_reader_callbacks *cb,
                          const cli_watch_index *index, cli_watch_log_fn log, void *log_ctx) {
    *out = NULL;
    watcher *w = calloc(1, sizeof *w);
    if (w == NULL) return VNS_ENOMEM;
    *w = (watcher){.root = dir, .index = *index, .cb = cb, .log = log, .log_ctx = log_ctx};
    struct stat sb;
    w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (w->fd < 0 || stat(dir, &sb) < 0) {
        cli_say("vnindex: cannot watch %s: %s\n", dir, strerror(errno));
        if (w->fd >= 0) close(w->fd);
        free(w);
        return VNS_EIO;
    }
    w->root_dev = sb.st_dev;
    w->root_ino = sb.st_ino;
    w->root_checked = cli_now();
    add_tree(w, "", 0);
    /* The root is the first directory watched; its descriptor tells its own moves apart. */
    w->root_wd = -1;
    for (size_t i = 0; i < w->ndirs; i++)
        if (w->dirs[i] && w->dirs[i][0] == '\0') w->root_wd = (int)i;
    *out = w;
    return VNS_OK;
}

vns_status cli_watch_run(cli_watcher *w, volatile sig_atomic_t *stop, int *lost) {
    w->log("watching", w->root, 0, w->log_ctx);
    vns_status st = VNS_OK;
    char buf[64 * 1024] __attribute__((aligned(__alignof__(struct inotify_event))));
    while (!*stop && !w->lost && st == VNS_OK) {
        struct pollfd pfd = {w->fd, POLLIN, 0};
        int r = poll(&pfd, 1, 50);
        if (r < 0 && errno != EINTR) {
            cli_say("vnindex: poll: %s\n", strerror(errno));
            st = VNS_EIO;
            break;
        }
        if (r > 0) st = drain(w, buf, sizeof buf);
        if (st == VNS_OK) st = settle(w, 0);
        if (st == VNS_OK) st = end_batch(w);
        if (st == VNS_OK) check_root(w);
    }
    /* Stopping: the events already queued are read, what is complete gets in, and what is still
     * being written waits for the next run. */
    if (st == VNS_OK) st = drain(w, buf, sizeof buf);
    if (st == VNS_OK) st = settle(w, 1);
    if (st == VNS_OK) st = end_batch(w);
    *lost = w->lost;
    return st;
}

void cli_watch_close(cli_watcher *w) {
    if (w == NULL) return;
    for (size_t i = 0; i < w->np; i++) free(w->p[i].rel);
    free(w->p);
    for (size_t i = 0; i < w->ndirs; i++) free(w->dirs[i]);
    free(w->dirs);
    close(w->fd);
    free(w);
}
