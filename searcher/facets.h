/* facets.h: counting matching articles per metadata value (vns_query_options.facets). */
#ifndef VNS_FACETS_H
#define VNS_FACETS_H

#include <stddef.h>
#include <stdint.h>

#include "analyzer.h"
#include "vnsearch.h"

/* The counts of one query's facets. Fed with the value counts of value slots (Xapian's
 * ValueCountMatchSpy over every match), then finished: values that fold alike are one value
 * (shown as its commonest spelling), a document's tags are counted once each, years come from
 * months, and each facet keeps its limit of values by count. */
typedef struct vnsi_facets vnsi_facets;

/* *out gets counters for the facets whose VNS_FACET_BIT is in which, at most limit values each
 * (0: VNS_FACET_LIMIT); an (borrowed, must outlive it) folds values. Returns VNS_OK or
 * VNS_ENOMEM. The caller frees it with vnsi_facets_free. */
vns_status vnsi_facets_new(vnsi_facets **out, unsigned which, unsigned limit, vnsi_analyzer *an);

/* The value slots to count, into slots (VNS_FACET_COUNT at most); returns how many. The i of
 * vnsi_facets_add is an index into them. Never fails. */
size_t vnsi_facets_slots(const vnsi_facets *f, unsigned *slots);

/* Adds count documents whose slot i holds value (len bytes). A failure (out of memory) is
 * remembered and returned by vnsi_facets_finish. Signature of vxs_count_fn. */
void vnsi_facets_add(size_t i, const char *value, size_t len, uint64_t count, void *f);

/* Merges, orders and cuts the counts. Returns VNS_OK or VNS_ENOMEM. */
vns_status vnsi_facets_finish(vnsi_facets *f);

/* Value i of facet which (after finish): *value borrowed until vnsi_facets_free. Returns
 * VNS_OK or VNS_DONE (no such value, or the facet was not counted). Never fails otherwise. */
vns_status vnsi_facets_get(const vnsi_facets *f, vns_facet which, size_t i, const char **value,
                           uint64_t *count);

/* Frees the counters; accepts NULL. Never fails. */
void vnsi_facets_free(vnsi_facets *f);

#endif /* VNS_FACETS_H */
