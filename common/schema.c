/* schema.c: the terms that identify documents (id and source), the shard of an id, and the check
 * of the schema an index records. */
#include "schema.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
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

int vnsi_id_is_reserved(const char *id, size_t len) {
    /* A long id keeps VNS_ID_TERM_KEEP bytes, or up to 3 fewer when that cuts a character. */
    if (len + 1 > VNS_ID_TERM_MAX || len < VNS_ID_TERM_KEEP - 3 + 17 || len > VNS_ID_TERM_KEEP + 17)
        return 0;
    const char *tail = id + len - 17;
    if (tail[0] != '#') return 0;
    for (int i = 1; i < 17; i++)
        if (!((tail[i] >= '0' && tail[i] <= '9') || (tail[i] >= 'a' && tail[i] <= 'f'))) return 0;
    return 1;
}

vns_status vnsi_schema_check(const char *value, uint64_t docs, char *msg, size_t cap) {
    if (value == NULL || value[0] == '\0') {
        if (docs == 0) return VNS_OK;
        return vnsi_errbuf_set(msg, cap, VNS_EINVAL,
                               "not a vnsearch index: a Xapian database of %llu documents without "
                               "the %s key: check the path, or build the index with vnindex into a "
                               "new directory",
                               (unsigned long long)docs, VNS_META_SCHEMA);
    }
    char *end = NULL;
    errno = 0;
    unsigned long v = value[0] >= '0' && value[0] <= '9' ? strtoul(value, &end, 10) : 0;
    if (end == NULL || *end != '\0' || errno != 0 || v == 0)
        return vnsi_errbuf_set(msg, cap, VNS_EINVAL,
                               "not a vnsearch index: its %s is \"%.32s\", not a version number",
                               VNS_META_SCHEMA, value);
    if (v > VNS_SCHEMA_VERSION)
        return vnsi_errbuf_set(msg, cap, VNS_EINVAL,
                               "index schema %lu is newer than this vnsearch's (%d): use the "
                               "vnsearch that built it, or rebuild the index into a new directory "
                               "with this one",
                               v, VNS_SCHEMA_VERSION);
    if (v < VNS_SCHEMA_OLDEST)
        return vnsi_errbuf_set(msg, cap, VNS_EINVAL,
                               "index schema %lu is older than this vnsearch's (%d): rebuild the "
                               "index into a new directory with vnindex",
                               v, VNS_SCHEMA_VERSION);
    return VNS_OK;
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
