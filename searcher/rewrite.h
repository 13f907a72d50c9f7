/* rewrite.h: a parsed query read as its writer meant it: words typed in Telex or VNI without a
 * Vietnamese keyboard, and the other ways an abbreviation is written (UBND, Ủy ban nhân dân). */
#ifndef VNS_REWRITE_H
#define VNS_REWRITE_H

#include <stddef.h>

#include "analyzer.h"
#include "query_parse.h"
#include "vnsearch.h"
#include "xapian_shim.h"

/* Alternatives are looked for among the first this many words of a run or phrase, and a node
 * gets at most VNSI_REWRITE_MAX_ALTS of them: a long pasted text costs a bounded number of
 * term lookups (VNSI_ABBREV_MAX_WORDS a word). */
#define VNSI_REWRITE_SCAN_WORDS 32
#define VNSI_REWRITE_MAX_ALTS 16

/* Reads each word of the runs and phrases of root (parsed from text) that is not a Vietnamese
 * syllable as typed and spells in Telex or VNI a syllable that some document of db holds
 * (vieejt, vie65t: việt) as that syllable, its forms replaced: a word in no document as typed
 * always, one some document holds as typed (a typo such as vaf, an English word) when the
 * syllable is VNSI_TYPING_SURE times as common, or VNSI_TYPING_RATIO times and another word of
 * the query is read so. A prefix spelling a whole syllable (lowns*) is read when no word of the
 * index starts with it as typed.
 * *searched_for gets text with each such word written as read (malloc'd, the caller's to free),
 * or NULL when no word was. Returns VNS_OK, VNS_ENOMEM, VNS_EINTERNAL (the analyzer failed), or
 * the shim's status (message in err, errlen bytes). */
vns_status vnsi_rewrite_typing(vnsi_qnode *root, const char *text, vnsi_analyzer *an, vxs_db *db,
                               char **searched_for, char *err, size_t errlen);

/* Records in each run and phrase of root (parsed from text) the other ways to write its words
 * (vnsi_qalt): the forms of the built-in abbreviations (abbrev.h) and the pairs the index learned
 * (the \"A\" terms of the documents of db that define them: docs/schema.md), longest spans first,
 * spans never overlapping nor cutting words typed joined. A single word that is a Vietnamese
 * syllable (ca, to) is taken for an abbreviation only when typed in capitals (CA), and a form that
 * is one syllable never stands in for a phrase. Returns VNS_OK, VNS_ENOMEM, VNS_EINTERNAL (the
 * built-in list could not be read), or the shim's status (message in err). */
vns_status vnsi_rewrite_alternatives(vnsi_qnode *root, const char *text, vxs_db *db, char *err,
                                     size_t errlen);

#endif /* VNS_REWRITE_H */
