/* bench_floor.c: the least any Xapian index with positions costs on this machine, to set the build
 * and size figures against. Writes only what a phrase search needs: the folded syllables with
 * positions and the unique id term (--text: and the title and body as document data, as a
 * snippet needs them), with the same analyzer, batches and scratch parts vnindex --jobs uses, and
 * merges the parts the same way. No exact-form or title layer, no values.
 *   bench_floor [--text] [--jobs N] OUT_DIR CORPUS
 * Prints {"seconds":S,"documents":D}: wall clock from the first read to the merged index.
 * OUT_DIR must not exist. */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "analyzer.h"
#include "bench_util.h"
#include "docdata.h"
#include "readers.h"
#include "schema.h"
#include "vnsearch.h"
#include "xapian_shim.h"

#define BATCH 250 /* As DEFAULT_BATCH_DOCS in index_writer.c. */

typedef struct job {
    vxs_db *db;
    vnsi_analyzer *an;
    vxs_doc *doc;
    unsigned k, n;
    int text;
    unsigned pending;
    size_t docs;
    uint32_t last_pos;
    vns_status st;
} job;

static int add_folded(const vnsi_token *t, void *p) {
    job *j = p;
    vxs_doc_add_posting(j->doc, t->folded, t->folded_len, t->pos);
    j->last_pos = t->pos;
    return 0;
}

static vns_status one_article(const cli_article *a, void *p) {
    job *j = p;
    if (vns_shard_of(a->id, j->n) != j->k) return VNS_OK;
    j->doc = vxs_doc_new();
    if (j->doc == NULL) return VNS_ENOMEM;
    j->last_pos = 0;
    vns_status st =
        vnsi_analyze(j->an, a->title ? a->title : "", a->title_len, 1, add_folded, j, NULL);
    if (st == VNS_OK)
        st = vnsi_analyze(j->an, a->body, a->body_len, j->last_pos + VNS_TITLE_BODY_GAP, add_folded,
                          j, NULL);
    char q[VNS_ID_TERM_CAP];
    size_t ql = vnsi_id_term(a->id, strlen(a->id), q);
    vxs_doc_add_boolean_term(j->doc, q, ql);
    if (st == VNS_OK && j->text) {
        char *data = NULL;
        size_t len = 0;
        st = vnsi_docdata_encode(a->id, strlen(a->id), a->title ? a->title : "", a->title_len, "",
                                 0, a->body, a->body_len, &data, &len);
        if (st == VNS_OK) vxs_doc_set_data(j->doc, data, len);
        free(data);
    }
    if (st == VNS_OK) st = vxs_db_replace(j->db, q, ql, j->doc);
    vxs_doc_free(j->doc);
    j->doc = NULL;
    if (st == VNS_OK && ++j->pending == BATCH) {
        st = vxs_db_commit(j->db);
        j->pending = 0;
    }
    if (st == VNS_OK) j->docs++;
    return st;
}

/* Skips another part's JSONL lines unparsed, as vnindex's jobs do. */
static int wants(const char *id, uint64_t input_read, void *p) {
    const job *j = p;
    (void)input_read;
    return vns_shard_of(id, j->n) == j->k;
}

static void skip(const char *path, long line, const char *id, const char *msg, void *ctx) {
    (void)path;
    (void)line;
    (void)id;
    (void)msg;
    (void)ctx;
}

/* Builds part k of n; returns the documents written, or -1. */
static long build_part(const char *part, const char *corpus, unsigned k, unsigned n, int text) {
    job j = {.k = k, .n = n, .text = text};
    char err[VXS_ERRLEN];
    if (vxs_db_open_write(&j.db, part, VXS_CREATE | VXS_SCRATCH, err) != VNS_OK ||
        vnsi_analyzer_new(&j.an) != VNS_OK) {
        fprintf(stderr, "bench_floor: %s: %s\n", part, err);
        return -1;
    }
    cli_reader_callbacks cb = {.article = one_article, .failure = skip, .ctx = &j, .wants = wants};
    vns_status st = cli_read_source(corpus, &cb, NULL);
    if (st == VNS_OK)
        st = vxs_db_close(j.db);
    else
        vxs_db_abandon(j.db);
    vnsi_analyzer_free(j.an);
    if (st != VNS_OK) fprintf(stderr, "bench_floor: %s: %s\n", part, vns_status_str(st));
    return st == VNS_OK ? (long)j.docs : -1;
}

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *f) {
    (void)sb;
    (void)flag;
    (void)f;
    return remove(p);
}

int main(int argc, char **argv) {
    int text = 0;
    unsigned jobs = 1;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--text") == 0)
            text = 1;
        else if (strcmp(argv[i], "--jobs") == 0 && i + 1 < argc)
            jobs = (unsigned)atoi(argv[++i]);
        else
            break;
    }
    if (argc - i != 2 || jobs < 1 || jobs > 16) {
        fprintf(stderr, "usage: bench_floor [--text] [--jobs N] OUT_DIR CORPUS\n");
        return 2;
    }
    const char *out = argv[i], *corpus = argv[i + 1];
    char parts[16][4096];
    const char *pp[16];
    double t0 = now_ms();
    for (unsigned k = 0; k < jobs; k++) {
        snprintf(parts[k], sizeof parts[k], "%s.part%u", out, k);
        pp[k] = parts[k];
    }
    int pipes[16][2];
    pid_t pids[16];
    for (unsigned k = 0; k < jobs; k++) {
        if (pipe(pipes[k]) < 0) return 1;
        pids[k] = fork();
        if (pids[k] == 0) {
            long docs = build_part(parts[k], corpus, k, jobs, text);
            ssize_t w = write(pipes[k][1], &docs, sizeof docs);
            _exit(w == (ssize_t)sizeof docs && docs >= 0 ? 0 : 1);
        }
        close(pipes[k][1]);
    }
    long docs = 0;
    int failed = 0;
    for (unsigned k = 0; k < jobs; k++) {
        long d = -1;
        if (read(pipes[k][0], &d, sizeof d) != (ssize_t)sizeof d || d < 0)
            failed = 1;
        else
            docs += d;
        close(pipes[k][0]);
        int ws = 0;
        waitpid(pids[k], &ws, 0);
        if (!WIFEXITED(ws) || WEXITSTATUS(ws) != 0) failed = 1;
    }
    char err[VXS_ERRLEN] = "";
    if (!failed && vxs_compact(pp, jobs, out, err) != VNS_OK) {
        fprintf(stderr, "bench_floor: merging: %s\n", err);
        failed = 1;
    }
    double secs = (now_ms() - t0) / 1000;
    for (unsigned k = 0; k < jobs; k++) nftw(parts[k], rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    if (failed) return 1;
    printf("{\"seconds\":%.2f,\"documents\":%ld}\n", secs, docs);
    return 0;
}
