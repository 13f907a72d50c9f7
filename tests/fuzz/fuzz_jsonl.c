/* fuzz_jsonl.c: libFuzzer target: any bytes as a .jsonl file through the reader. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "readers.h"

static vns_status on_article(const cli_article *a, void *ctx) {
    (void)ctx;
    /* Every article has an id and something to index. */
    if (a->id == NULL || a->id[0] == '\0') abort();
    if (a->title_len == 0 && a->body_len == 0) abort();
    if (a->body == NULL && a->body_len) abort();
    return VNS_OK;
}

static void on_failure(const char *path, long line, const char *id, const char *msg, void *ctx) {
    (void)path;
    (void)line;
    (void)id;
    (void)ctx;
    if (msg == NULL || msg[0] == '\0') abort(); /* Failures are named. */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static char path[64];
    static int fd = -1;
    if (fd < 0) {
        snprintf(path, sizeof path, "/tmp/vns-fuzz-%d-XXXXXX.jsonl", (int)getpid());
        fd = mkstemps(path, 6);
        if (fd < 0) abort();
    }
    if (ftruncate(fd, 0) < 0 || pwrite(fd, data, size, 0) != (ssize_t)size) abort();
    cli_reader_callbacks cb = {.article = on_article, .failure = on_failure, .ctx = NULL};
    cli_read_source(path, &cb, NULL);
    return 0;
}
