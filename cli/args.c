/* args.c: checks both programs make on their command line: strict numbers, a safe -d. */
#define _POSIX_C_SOURCE 200809L
#include "args.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int cli_parse_count(unsigned long long *out, const char *s, unsigned long long max) {
    if (*s == '\0') return -1;
    unsigned long long v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9') return -1;
        unsigned d = (unsigned)(*p - '0');
        /* v * 10 + d <= max, written so that nothing wraps. */
        if (d > max || v > (max - d) / 10) return -1;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

/* Non-zero when s ends with suffix. Never fails. */
static int ends_with(const char *s, const char *suffix) {
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

int cli_is_index_file(const char *name) {
    /* Glass (Xapian 1.4's format): *.glass tables, iamglass, its temporary v.tmp; chert: *.DB,
     * *.baseA, *.baseB, iamchert; both: flintlock. Compaction's own temporaries end in .tmp.
     * And vnindex's marks of its --jobs scratch (parallel_build.c). */
    static const char *const exact[] = {"iamglass", "iamchert", "flintlock", CLI_SCRATCH_MARK,
                                        CLI_SWAP_MARK};
    static const char *const suffixes[] = {".glass", ".tmp", ".DB", ".baseA", ".baseB"};
    for (size_t i = 0; i < sizeof exact / sizeof exact[0]; i++)
        if (strcmp(name, exact[i]) == 0) return 1;
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++)
        if (ends_with(name, suffixes[i]) && strlen(name) > strlen(suffixes[i])) return 1;
    return 0;
}

int cli_swap_stopped(const char *path) {
    static const char tail[] = ".replaced/" CLI_SWAP_MARK;
    struct stat sb;
    if (lstat(path, &sb) == 0 || errno != ENOENT) return 0;
    char *mark = malloc(strlen(path) + sizeof tail);
    if (mark == NULL) return 0;
    strcat(strcpy(mark, path), tail);
    int stopped = lstat(mark, &sb) == 0 && S_ISREG(sb.st_mode);
    free(mark);
    return stopped;
}

int cli_dir_is_foreign(const char *path) {
    struct stat sb;
    if (stat(path, &sb) < 0 || !S_ISDIR(sb.st_mode)) return 0;
    DIR *d = opendir(path);
    if (d == NULL) return 0;
    int index = 0, others = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        const char *n = e->d_name;
        if (strcmp(n, ".") == 0 || strcmp(n, "..") == 0) continue;
        if (strcmp(n, "iamglass") == 0 || strcmp(n, "iamchert") == 0)
            index = 1;
        else if (!cli_is_index_file(n))
            others = 1;
    }
    closedir(d);
    return others && !index;
}
