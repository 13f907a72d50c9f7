/* testutil.h: scratch directories for unit tests. */
#ifndef VNS_TESTUTIL_H
#define VNS_TESTUTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Makes a fresh scratch directory and returns its path (static buffer). */
static inline const char *scratch_dir(const char *name) {
    static char path[512];
    const char *base = getenv("TEST_TMPDIR");
    char cmd[1200];
    snprintf(path, sizeof path, "%s/%s", base && *base ? base : "/tmp/vns-unit", name);
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s'", path, path);
    if (system(cmd) != 0) return NULL;
    return path;
}

#endif /* VNS_TESTUTIL_H */
