/* bench_fts5_build.c: builds the FTS5 peer table from a JSONL corpus and prints the figures. */
#define _POSIX_C_SOURCE 200809L
#include "bench_util.h"
#include "fts5_peer.h"
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
    int append = argc == 4 && strcmp(argv[1], "--append") == 0;
    if (argc != 3 + append) {
        fprintf(stderr, "usage: bench_fts5_build [--append] DB CORPUS.jsonl.gz\n");
        return 2;
    }
    argv += append;
    double started = now_ms();
    size_t docs = 0, bytes = 0;
    if (fts5_build(argv[1], argv[2], append, &docs, &bytes) < 0) return 1;
    double secs = (now_ms() - started) / 1e3;
    printf("{\"docs\":%zu,\"mb\":%.1f,\"seconds\":%.2f,\"mb_per_s\":%.2f}\n", docs, bytes / 1e6,
           secs, bytes / 1e6 / secs);
    return 0;
}
