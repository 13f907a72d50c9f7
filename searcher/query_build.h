/* query_build.h: turns the words a person types into a Xapian query over the vnsearch schema. */
#ifndef VNS_QUERY_BUILD_H
#define VNS_QUERY_BUILD_H

#include <stddef.h>

#include "analyzer.h"
#include "vnsearch.h"
#include "xapian_shim.h"

/* Builds the query for text: every word must match (folded); the words standing together as a
 * phrase rank higher; words typed with diacritics rank their exact forms higher.
 * *out is the caller's (vxs_query_free). Returns VNS_OK, VNS_EQUERY (no words: err says so),
 * VNS_ENOMEM, VNS_EINTERNAL. err gets errlen bytes at most. */
vns_status vns_query_build(vns_analyzer *an, const char *text, vxs_query **out, char *err,
                           size_t errlen);

#endif /* VNS_QUERY_BUILD_H */
