/* status.c: status texts, the runtime version and the default index path. */
#include <stdlib.h>

#include "vnsearch.h"

const char *vns_status_str(vns_status st) {
    switch (st) {
    case VNS_OK: return "ok";
    case VNS_DONE: return "no more results";
    case VNS_ENOTFOUND: return "not found: build the index with vnindex, or check the path";
    case VNS_ELOCKED: return "index is locked by another writer: wait for it to finish, or retry";
    case VNS_EMODIFIED: return "index was modified under the reader: reopen and retry";
    case VNS_ECORRUPT: return "index is corrupt: run xapian-check, then rebuild from the sources";
    case VNS_EQUERY: return "query does not parse: fix it at the position given";
    case VNS_EINVAL: return "invalid argument: fix the call";
    case VNS_EENCODING: return "document id is not valid UTF-8: rename it or convert it to UTF-8";
    case VNS_EIO: return "input/output error (disk full, permissions): fix the system and retry";
    case VNS_ENOMEM: return "out of memory: free memory or process less at once";
    case VNS_EINTERNAL: return "internal error: please report it with the message";
    case VNS_ENETWORK: return "remote index did not answer: check the server and the network";
    }
    return "unknown status";
}

const char *vns_version(int *number) {
    if (number) *number = VNS_VERSION_NUMBER;
    return VNS_VERSION_STRING;
}

const char *vns_default_index_path(void) {
    const char *env = getenv("VNSEARCH_INDEX");
    return (env && *env) ? env : "./vnsearch.db";
}
