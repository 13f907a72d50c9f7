/* abbrev.h: the abbreviations every Vietnamese reader knows (data/abbreviations.tsv, built in)
 * and the other ways they are written: UBND = Ủy ban nhân dân, TP.HCM = TPHCM = TP HCM. */
#ifndef VNS_ABBREV_H
#define VNS_ABBREV_H

#include <stddef.h>

#include "vnsearch.h"

/* The most words a form has (Ủy ban Mặt trận Tổ quốc Việt Nam: 8). */
#define VNSI_ABBREV_MAX_WORDS 8

/* Reads the built-in list once (thread-safe): every form of every entry analyzed as the indexer
 * analyzes text. Returns VNS_OK, VNS_ENOMEM, or VNS_EINTERNAL (the analyzer could not start). */
vns_status vnsi_abbrev_init(void);

/* Calls fn with each other form of the entries that key is a form of: key and the forms are
 * folded words joined by single spaces ("uy ban nhan dan", "ubnd", "tp.hcm", "tp hcm"); a form
 * is borrowed for the call. Stops when fn returns non-zero. vnsi_abbrev_init must have
 * succeeded. Never fails. */
void vnsi_abbrev_lookup(const char *key, size_t len,
                        int (*fn)(const char *form, size_t len, void *ctx), void *ctx);

/* The number of entries in the built-in list (0 before vnsi_abbrev_init). Never fails. */
size_t vnsi_abbrev_entries(void);

#endif /* VNS_ABBREV_H */
