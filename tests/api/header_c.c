/* header_c.c: include/vnsearch.h compiles alone as pedantic C11, and its _INIT macros initialize
 * every versioned struct. */
#include <vnsearch.h>

int main(void) {
    vns_index_options io = VNS_INDEX_OPTIONS_INIT;
    vns_query_options qo = VNS_QUERY_OPTIONS_INIT;
    vns_doc d = VNS_DOC_INIT;
    vns_index_stats st = VNS_INDEX_STATS_INIT;
    (void)io;
    (void)qo;
    (void)d;
    (void)st;
    return VNS_OK;
}
