/* gate.c: an LD_PRELOAD stand-in that holds vnindex at a chosen step until the test opens a gate.
 * VNS_GATE_PUT=DIR: every vns_index_put first creates DIR/put-started, then waits for DIR/go.
 * VNS_GATE_MERGE=DIR: vns_index_merge first creates DIR/merge-started, then waits for
 * DIR/go-merge. Unset, each calls the real function at once. A gate never opened lets the
 * process through after 30 s, so that a process the test failed to stop still ends. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "vnsearch.h"

/* Creates DIR/started, then sleeps until DIR/go exists (at most 30 s), when the variable env
 * names DIR. */
static void gate(const char *env, const char *started, const char *go) {
    const char *dir = getenv(env);
    if (dir == NULL) return;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, started);
    int fd = open(path, O_WRONLY | O_CREAT, 0644);
    if (fd >= 0) close(fd);
    snprintf(path, sizeof path, "%s/%s", dir, go);
    struct timespec pause = {0, 10 * 1000000L};
    for (int i = 0; i < 3000 && access(path, F_OK) != 0; i++) nanosleep(&pause, NULL);
}

vns_status vns_index_put(vns_put_result *out, vns_index *ix, const vns_doc *doc) {
    static vns_status (*real)(vns_put_result *, vns_index *, const vns_doc *);
    if (real == NULL)
        real = (vns_status(*)(vns_put_result *, vns_index *, const vns_doc *))dlsym(
            RTLD_NEXT, "vns_index_put");
    gate("VNS_GATE_PUT", "put-started", "go");
    return real(out, ix, doc);
}

vns_status vns_index_merge(const char *const *parts, size_t n, const char *dest, char *errbuf,
                           size_t errlen) {
    static vns_status (*real)(const char *const *, size_t, const char *, char *, size_t);
    if (real == NULL)
        real = (vns_status(*)(const char *const *, size_t, const char *, char *, size_t))dlsym(
            RTLD_NEXT, "vns_index_merge");
    gate("VNS_GATE_MERGE", "merge-started", "go-merge");
    return real(parts, n, dest, errbuf, errlen);
}
