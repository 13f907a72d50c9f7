/* schema.c: the terms that identify documents (id and source) and the shard of an id. */
#include "schema.h"

#include <stdio.h>
#include <string.h>

#include "util.h"
#include "vnsearch.h"

size_t vnsi_id_term(const char *id, size_t len, char *buf) {
    buf[0] = VNS_PREFIX_ID[0];
    if (len + 1 <= VNS_ID_TERM_MAX) {
        memcpy(buf + 1, id, len);
        return len + 1;
    }
    size_t keep = vnsi_utf8_floor(id, len, VNS_ID_TERM_KEEP);
    memcpy(buf + 1, id, keep);
    int n = snprintf(buf + 1 + keep, VNS_ID_TERM_CAP - 1 - keep, "#%016llx",
                     (unsigned long long)vnsi_fnv1a(VNSI_FNV_SEED, id, len));
    return 1 + keep + (size_t)n;
}

size_t vnsi_source_term(const char *source, char *buf) {
    int n = snprintf(buf, VNS_SOURCE_TERM_CAP, "%s%016llx", VNS_PREFIX_SOURCE,
                     (unsigned long long)vnsi_fnv1a(VNSI_FNV_SEED, source, strlen(source)));
    return (size_t)n;
}

unsigned vns_shard_of(const char *id, unsigned n) {
    if (id == NULL || n == 0) return 0;
    return (unsigned)(vnsi_fnv1a(VNSI_FNV_SEED, id, strlen(id)) % n);
}
