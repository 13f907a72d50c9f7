/* watch.h: vnindex --watch: follows a directory with inotify and keeps the index in step. */
#ifndef VNS_WATCH_H
#define VNS_WATCH_H

#include <signal.h>
#include <stdint.h>

#include "readers.h"
#include "vnsearch.h"

/* A file is indexed once no event has come for it for this long and its writer closed it (or it
 * was moved into place); the commit follows at once, well within a second of the last change. */
#define VNS_WATCH_QUIET_MS 200

/* What the watcher reports, for the log: what ("read", "deleted", "watching"), the id (or
 * "dir/" for a directory, or the watched path) and how many documents it concerned. */
typedef void (*cli_watch_log_fn)(const char *what, const char *id, uint64_t n, void *ctx);

/* How the watcher gets the index: it holds the writer's lock only while it writes a batch, so
 * that other writers (a cron job, a CMS, another vnindex with --wait) can write between batches.
 * open makes *ixp a writable handle, waiting for another writer's lock; close commits and closes
 * it and sets *ixp to NULL. Each returns VNS_OK or the index failure (the message said or kept in
 * the handle's errmsg). The reader callbacks given to the watcher write through the same *ixp. */
typedef struct cli_watch_index {
    vns_index **ixp;
    vns_status (*open)(vns_index **ixp, void *ctx);
    vns_status (*close)(vns_index **ixp, void *ctx);
    void *ctx;
} cli_watch_index;

/* A directory tree being watched. */
typedef struct cli_watcher cli_watcher;

/* Starts watching dir (recursively) with inotify, before anything else reads it, so that a file
 * created while the caller indexes dir for the first time is not missed. *out is the caller's,
 * freed with cli_watch_close. Returns VNS_OK, VNS_EIO (inotify failed; said on stderr) or
 * VNS_ENOMEM. */
vns_status cli_watch_open(cli_watcher **out, const char *dir, const cli_reader_callbacks *cb,
                          const cli_watch_index *index, cli_watch_log_fn log, void *log_ctx);

/* Follows the tree until *stop becomes non-zero or dir itself is moved, removed or replaced (said
 * on stderr; *lost is set to 1): new and changed article files are read through cb (ids are paths
 * relative to dir), deleted and moved-away ones are deleted from the index, and every batch is
 * committed and the index closed again. Returns VNS_OK when stopped (after a final commit), or
 * the index or inotify failure that ended it (said on stderr or in the index's errmsg, *ixp
 * then still open). */
vns_status cli_watch_run(cli_watcher *w, volatile sig_atomic_t *stop, int *lost);

/* Stops watching and frees w; accepts NULL. Never fails. */
void cli_watch_close(cli_watcher *w);

#endif /* VNS_WATCH_H */
