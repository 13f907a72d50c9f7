/* fuzz_jsonl.c: libFuzzer target: any bytes as a .jsonl file through the reader; where the
 * reader's quick scan reads a line's id (cli_reader_callbacks.wants), the parse gives the same. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "readers.h"

/* The id the reader's quick scan read from the line being parsed (wants), which the parse must
 * give too: to the article, or to the failure that names the line. */
static char quick[1024];
static int pending;

static void check_quick(const char *id) {
    if (!pending) return;
    if (id == NULL || strcmp(id, quick) != 0) abort();
    pending = 0;
}

/* Parses about half the lines whose id the scan read, and passes the others over. */
static int wants(const char *id, uint64_t input_read, void *ctx) {
    (void)input_read;
    (void)ctx;
    if (pending) abort(); /* The line before gave neither an article nor a failure. */
    if (strlen(id) >= sizeof quick) abort();
    strcpy(quick, id);
    pending = (id[0] + strlen(id)) % 2 == 0;
    return pending;
}

static vns_status on_article(const cli_article *a, void *ctx) {
    (void)ctx;
    check_quick(a->id);
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
    check_quick(id);
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
    cli_reader_callbacks cb = {
        .article = on_article, .failure = on_failure, .ctx = NULL, .wants = wants};
    pending = 0;
    cli_read_source(path, &cb, NULL);
    if (pending) abort();
    return 0;
}
