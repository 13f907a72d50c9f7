/* bench_fts5_build.c: builds the FTS5 peer table from a JSONL corpus and prints the figures. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "fts5_peer.h"

int main(int argc, char **argv) {
    int append = argc == 4 && strcmp(argv[1], "--append") == 0;
    if (argc != 3 + append) {
        fprintf(stderr, "usage: bench_fts5_build [--append] DB CORPUS.jsonl.gz\n");
        return 2;
    }
    argv += append;
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    size_t docs = 0, bytes = 0;
    if (fts5_build(argv[1], argv[2], append, &docs, &bytes) < 0) return 1;
    clock_gettime(CLOCK_MONOTONIC, &b);
    double secs = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
    printf("{\"docs\":%zu,\"mb\":%.1f,\"seconds\":%.2f,\"mb_per_s\":%.2f}\n", docs, bytes / 1e6,
           secs, bytes / 1e6 / secs);
    return 0;
}
