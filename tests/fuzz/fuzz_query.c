/* fuzz_query.c: libFuzzer target: any bytes as a query, then a snippet for it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "query_build.h"
#include "snippet.h"

static const char text[] =
    "Đồng chí Hồ Tiến Thiệu, Chủ tịch UBND tỉnh, Trưởng Ban Chỉ đạo chuyển đổi số tỉnh chủ trì "
    "hội nghị tại điểm cầu tỉnh Lạng Sơn. Tiết kiệm 3.500 tỷ đồng; nền tảng Lạng Sơn Cloud.";

/* Marks the words of the tree common or absent by a pattern drawn from seed. Never fails. */
static void mark_words(vnsi_qnode *n, size_t seed) {
    for (size_t i = 0; i < n->nkids; i++) mark_words(n->kids[i], seed + i);
    for (size_t i = 0; i < n->nwords; i++) {
        n->words[i].common = ((seed + i) % 3) == 0;
        n->words[i].absent = ((seed + i) % 5) == 0;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static vnsi_analyzer *an;
    if (an == NULL && vnsi_analyzer_new(&an) != VNS_OK) abort();
    char *q = malloc(size + 1);
    if (q == NULL) return 0;
    memcpy(q, data, size);
    q[size] = '\0';
    /* Each way of reading it (the language, literal), each mode (all, any), exact or not, for
     * each layout of the exact forms (schema 3, schema 4's common forms as N terms). */
    for (int way = 0; way < 16; way++) {
        int literal = way & 1, any = (way >> 1) & 1, exact = (way >> 2) & 1;
        /* Words common and absent by turns, and each part, as the searcher makes them. */
        vnsi_build_opts bo = {.exact = exact,
                              .common_forms = (way >> 3) & 1,
                              .match = any ? VNS_MATCH_ANY : VNS_MATCH_ALL,
                              .part = (vnsi_part)(size % 3)};
        int costly = any && bo.part == VNSI_PART_COSTLY;
        vxs_query *xq = NULL;
        vnsi_hl_spec spec = {0};
        char err[256] = "";
        vnsi_qnode *root = NULL;
        vns_status st = vnsi_query_parse(&root, an, q, literal, err, sizeof err);
        if (st == VNS_OK) mark_words(root, size);
        if (st == VNS_OK && costly && root->kind == VNSI_Q_OR)
            bo.part = VNSI_PART_ALL; /* The searcher builds the costly part of one alternative. */
        if (st == VNS_OK)
            st = vnsi_query_build_tree(&xq, &spec, root, &bo, &vnsi_ranking_defaults, err,
                                       sizeof err);
        if (st == VNS_OK && literal && root->kind != VNSI_Q_WORDS)
            abort(); /* Literal text is one run of words, whatever it holds. */
        vnsi_qnode_free(root);
        if (st == VNS_OK && xq == NULL && bo.part != VNSI_PART_COSTLY) abort();
        if (st == VNS_OK) {
            char *snip = NULL;
            size_t len = 0, nhl = 0;
            vns_range *hl = NULL;
            if (vnsi_snippet_make(an, &spec, text, sizeof text - 1, 1 + size % 40, &snip, &len, &hl,
                                  &nhl) == VNS_OK) {
                for (size_t i = 0; i < nhl; i++)
                    if (hl[i].start >= hl[i].end || hl[i].end > len) abort();
                free(snip);
                free(hl);
            }
            vnsi_hl_spec_clear(&spec);
        } else if (xq != NULL || err[0] == '\0') {
            abort(); /* A failure always says why and returns nothing. */
        }
        vxs_query_free(xq);
    }
    free(q);
    return 0;
}
