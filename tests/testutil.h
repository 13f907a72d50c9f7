/* testutil.h: scratch directories for unit tests. Define _XOPEN_SOURCE 700 (for nftw) before
 * the first include. */
#ifndef VNS_TESTUTIL_H
#define VNS_TESTUTIL_H

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* nftw callback: removes one entry. Returns 0, or -1 (stopping the walk) when it cannot. */
static inline int testutil_rm_entry(const char *path, const struct stat *sb, int flag,
                                    struct FTW *ftw) {
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path) == 0 || errno == ENOENT ? 0 : -1;
}

/* Makes path and its missing parents (mode 0755). Returns 0, or -1 with errno set. */
static inline int testutil_mkdirs(char *path) {
    for (char *p = path + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        int rc = mkdir(path, 0755);
        *p = '/';
        if (rc < 0 && errno != EEXIST) return -1;
    }
    return mkdir(path, 0755) < 0 && errno != EEXIST ? -1 : 0;
}

/* Makes a fresh, empty scratch directory $TEST_TMPDIR/name (else /tmp/vns-unit/name): what was
 * there is removed first. Returns its path (a static buffer), or NULL when it cannot be made. */
static inline const char *scratch_dir(const char *name) {
    static char path[512];
    const char *base = getenv("TEST_TMPDIR");
    int n = snprintf(path, sizeof path, "%s/%s", base && *base ? base : "/tmp/vns-unit", name);
    if (n < 0 || (size_t)n >= sizeof path) return NULL;
    if (nftw(path, testutil_rm_entry, 16, FTW_DEPTH | FTW_PHYS) != 0 && errno != ENOENT)
        return NULL;
    if (testutil_mkdirs(path) < 0) return NULL;
    return path;
}

#endif /* VNS_TESTUTIL_H */
