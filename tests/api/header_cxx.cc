// header_cxx.cc: include/vnsearch.h compiles alone as pedantic C++11 (extern "C", no C-only
// syntax in its macros).
#include <vnsearch.h>

int main() {
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
