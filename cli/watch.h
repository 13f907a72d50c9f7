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

/* Watches dir (recursively) until *stop becomes non-zero: new and changed article files are read
 * through cb (ids are paths relative to dir), deleted and moved-away ones are deleted from ix,
 * and every batch of changes is committed. Returns VNS_OK when stopped (after a final commit), or
 * the index or inotify failure that ended it (the message is on stderr or in ix). */
vns_status cli_watch(const char *dir, vns_index *ix, const cli_reader_callbacks *cb,
                     cli_watch_log_fn log, void *log_ctx, volatile sig_atomic_t *stop);

#endif /* VNS_WATCH_H */
