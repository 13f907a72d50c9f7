/* bench_analyzer.c: the analyzer's speed alone (MB/s of text) over a JSONL corpus. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer.h"
#include "bench_util.h"
#include "readers.h"

typedef struct bench {
    vnsi_analyzer *an;
    double analyze_secs;
    size_t bytes, docs, tokens;
} bench;

static int count_token(const vnsi_token *t, void *p) {
    (void)t;
    (*(size_t *)p)++;
    return 0;
}

static vns_status on_article(const cli_article *a, void *ctx) {
    bench *b = ctx;
    double t0 = now_ms();
    if (a->title_len) vnsi_analyze(b->an, a->title, a->title_len, 1, count_token, &b->tokens, NULL);
    vnsi_analyze(b->an, a->body, a->body_len, 1, count_token, &b->tokens, NULL);
    b->analyze_secs += (now_ms() - t0) / 1e3;
    b->bytes += a->title_len + a->body_len;
    b->docs++;
    return VNS_OK;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: bench_analyzer CORPUS.jsonl[.gz]\n");
        return 2;
    }
    bench b = {0};
    if (vnsi_analyzer_new(&b.an) != VNS_OK) return 1;
    cli_reader_callbacks cb = {.article = on_article, .failure = NULL, .ctx = &b};
    double t0 = now_ms();
    cli_read_source(argv[1], &cb, NULL);
    double total = (now_ms() - t0) / 1e3;
    printf("{\"docs\":%zu,\"mb\":%.1f,\"tokens\":%zu,\"analyze_seconds\":%.2f,"
           "\"analyze_mb_per_s\":%.1f,\"read_parse_analyze_mb_per_s\":%.1f}\n",
           b.docs, b.bytes / 1e6, b.tokens, b.analyze_secs, b.bytes / 1e6 / b.analyze_secs,
           b.bytes / 1e6 / total);
    vnsi_analyzer_free(b.an);
    return 0;
}
