/* embed.c: the smallest program embedding libvnsearch: index two articles, search, print. */
#include <stdio.h>
#include <string.h>

#include <vnsearch.h>

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: embed INDEX QUERY\n");
        return 2;
    }
    int number = 0;
    vns_version(&number);
    if (number != VNS_VERSION_NUMBER) {
        fprintf(stderr, "header %s does not match library %s\n", VNS_VERSION_STRING,
                vns_version(NULL));
        return 1;
    }
    char err[512];
    vns_index *ix = NULL;
    vns_status st = vns_index_open(&ix, argv[1], NULL, err, sizeof err);
    if (st != VNS_OK) {
        fprintf(stderr, "open: %s (%s)\n", err, vns_status_str(st));
        return 1;
    }
    const char *body = "Hội nghị về chuyển đổi số tại Lạng Sơn, với nền tảng Lạng Sơn Cloud.";
    vns_doc d = VNS_DOC_INIT;
    d.id = "embed-1";
    d.title = "Chuyển đổi số";
    d.title_len = strlen(d.title);
    d.body = body;
    d.body_len = strlen(body);
    if ((st = vns_index_put(NULL, ix, &d)) != VNS_OK) {
        fprintf(stderr, "put: %s\n", vns_index_errmsg(ix));
        vns_index_abandon(ix);
        return 1;
    }
    if ((st = vns_index_close(ix)) != VNS_OK) {
        fprintf(stderr, "close: %s\n", vns_status_str(st));
        return 1;
    }

    vns_searcher *s = NULL;
    const char *paths[] = {argv[1]};
    if ((st = vns_searcher_open(&s, paths, 1, err, sizeof err)) != VNS_OK) {
        fprintf(stderr, "searcher: %s\n", err);
        return 1;
    }
    vns_query_options opts = VNS_QUERY_OPTIONS_INIT;
    opts.limit = 5;
    opts.hl_start = "<b>";
    opts.hl_end = "</b>";
    opts.html = 1; /* The markers are tags: the text around them must be escaped. */
    vns_results *r = NULL;
    if ((st = vns_searcher_query(&r, s, argv[2], &opts)) != VNS_OK) {
        fprintf(stderr, "query: %s\n", vns_searcher_errmsg(s));
        vns_searcher_close(s);
        return st == VNS_EQUERY ? 2 : 1;
    }
    while ((st = vns_results_next(r)) == VNS_OK)
        printf("%zu\t%s\t%s\t%s\n", vns_results_rank(r), vns_results_id(r), vns_results_heading(r),
               vns_results_snippet_marked(r));
    int rc = st == VNS_DONE ? 0 : 1;
    vns_results_free(r);
    vns_searcher_close(s);
    return rc;
}
