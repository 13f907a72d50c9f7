/* did_you_mean.h: the suggestion of a query: one rare word written the far more common way. */
#ifndef VNS_DID_YOU_MEAN_H
#define VNS_DID_YOU_MEAN_H

#include <stdint.h>

#include "query_parse.h"
#include "results_int.h"
#include "vnsearch.h"

/* Sets r->suggestion (malloc'd, the results' to free) to query with one word written the way
 * that is far more common (vnsi_suggest_word), the word whose spelling gains most among the first
 * few tried, when the query so written finds more documents with all its words than the query as
 * typed (found, of docs searched); else leaves it NULL. Nothing is suggested for a query whose
 * Telex or VNI words were read (r->searched_for) or while a suggestion's matches are counted.
 * Returns VNS_OK, VNS_ENOMEM, VNS_EMODIFIED (a writer discarded the revision: retry) or the
 * shim's status, with the message on r's searcher. */
vns_status vnsi_did_you_mean(vns_results *r, const vnsi_qnode *root, const char *query,
                             uint64_t found, uint64_t docs);

#endif /* VNS_DID_YOU_MEAN_H */
