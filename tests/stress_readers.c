/* stress_readers.c: queries one index in a loop for a while, as a long-lived embedded searcher
 * does, while a writer changes it; prints the counts and fails on any failed query. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/bench_clock.h"
#include "vnsearch.h"

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: stress_readers INDEX SECONDS\n");
        return 2;
    }
    static const char *queries[] = {
        "chuyen doi so", "\"thu tuong\"",         "viet nam",          "cua",
        "bóng đá",       "ha noi -\"thanh pho\"", "kinh te OR xa hoi", "thanh*"};
    const char *paths[] = {argv[1]};
    double until = now_ms() + atof(argv[2]) * 1e3;
    vns_searcher *s = NULL;
    char err[512];
    if (vns_searcher_open(&s, paths, 1, err, sizeof err) != VNS_OK) {
        fprintf(stderr, "stress_readers: %s\n", err);
        return 1;
    }
    unsigned long ok = 0, failed = 0, reopened = 0, results = 0;
    for (unsigned i = 0; now_ms() < until; i++) {
        /* Stay on an old revision for a while, as a long-lived searcher would; reopen now and
         * then to see new documents. */
        if (i % 25 == 24) {
            if (vns_searcher_reopen(s) == VNS_OK)
                reopened++;
            else
                failed++;
        }
        vns_results *r = NULL;
        vns_status st = vns_searcher_query(&r, s, queries[i % 8], NULL);
        if (st == VNS_OK) {
            while ((st = vns_results_next(r)) == VNS_OK)
                if (vns_results_snippet(r) != NULL) results++;
        }
        if (st == VNS_OK || st == VNS_DONE) {
            ok++;
        } else {
            failed++;
            fprintf(stderr, "stress_readers: %s (%s)\n", vns_searcher_errmsg(s),
                    vns_status_str(st));
        }
        vns_results_free(r);
    }
    vns_searcher_close(s);
    printf("{\"queries\":%lu,\"failed\":%lu,\"reopened\":%lu,\"results\":%lu}\n", ok + failed,
           failed, reopened, results);
    return failed ? 1 : 0;
}
