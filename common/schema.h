/* schema.h: how vnsearch lays documents out in Xapian: term prefixes, value slots, positions. */
#ifndef VNS_SCHEMA_H
#define VNS_SCHEMA_H

#include <stddef.h>
#include <stdint.h>

#include "vnsearch.h"

/* The schema a new index records. 4: the common exact forms as N terms (exact_common.h). */
#define VNS_SCHEMA_VERSION 4
/* The oldest schema this library still reads and writes: schema 2 is schema 3 without metadata
 * (a writer records 3 in it when it opens it). An index of schema 2 or 3 holding documents keeps
 * their layout (every exact form an E term) and records 3, not 4. */
#define VNS_SCHEMA_OLDEST 2
/* The schema number the content hash is made with: 2 while the analyzer makes the same terms as
 * schema 2's, so that an index of schema 2 is not re-indexed for nothing. Bump it when the
 * analyzer changes what is indexed: the next vnindex run then re-indexes every document. */
#define VNS_HASH_SCHEMA 2

/* Terms (docs/schema.md has the whole story):
 *   ""  folded syllables of title and body, with positions (the match layer);
 *   "S" folded syllables of the title, with the same positions (title: queries and boosts);
 *   "E" exact forms of title and body, no positions, wdf = occurrences (diacritic ranking);
 *       from schema 4, a common form of exact_common.h only where the document holds its
 *       folded word in other forms too;
 *   "N" a common exact form (exact_common.h) whose folded word the document holds, but only in
 *       other forms (boolean; from schema 4: "holds số" = "holds so and not Nsố");
 *   "L" schema 4: one term whose wdf is the occurrences of the common exact forms that got no
 *       E term (the document held their folded words in no other form), so that the document's
 *       length is what it is with every form an E term (BM25 normalizes by it);
 *   "Q" the unique document id (boolean);
 *   "R" a hash of the source key the document came from (boolean; vnindex pruning);
 *   "A" an abbreviation the document defines, both ways: "A" key TAB phrase and "A" phrase TAB
 *       key, folded ("Aubnd\tuy ban nhan dan"; boolean; rewrite.h reads them by prefix);
 *   "XSOURCE", "XTOPIC", "XTAG": the whole value of the article's source, topic or each tag,
 *       folded (meta.h, vnsi_meta_term; boolean: the source:, topic: and tag: filters). */
#define VNS_PREFIX_TITLE "S"
#define VNS_PREFIX_EXACT "E"
#define VNS_PREFIX_ABSENT "N"
#define VNS_PREFIX_LENGTH "L"
#define VNS_PREFIX_ID "Q"
#define VNS_PREFIX_SOURCE "R"
#define VNS_PREFIX_ABBR "A"
#define VNS_PREFIX_META_SOURCE "XSOURCE"
#define VNS_PREFIX_META_TOPIC "XTOPIC"
#define VNS_PREFIX_META_TAG "XTAG"
/* The date's year, month and day in Vietnam time (meta.h): "XY2024", "XM202405", "XD20240506"
 * (boolean: date: filters that are whole years, months and days, as an OR of at most
 * VNSI_DATE_TERMS_MAX of them; others are a range on VNS_SLOT_DATE). */
#define VNS_PREFIX_META_YEAR "XY"
#define VNS_PREFIX_META_MONTH "XM"
#define VNS_PREFIX_META_DAY "XD"

/* Ids longer than this are stored in the Q term as their first VNS_ID_TERM_KEEP bytes (fewer when
 * a character would be cut), '#', and 16 hex digits of a hash of the whole id, to stay within
 * Xapian's 245-byte term limit. A short id of that form is refused (vnsi_id_is_reserved), so
 * that no two ids share a term. */
#define VNS_ID_TERM_MAX 240
#define VNS_ID_TERM_KEEP 200

/* Value slots. */
#define VNS_SLOT_HASH 0 /* 16 hex digits: hash of schema version, title and body. */
#define VNS_SLOT_ID 1   /* The full document id (for pruning and a stable tie-break). */
/* Metadata (absent when the article has none): */
#define VNS_SLOT_DATE 2 /* The date's sortable key (meta.h, VNSI_DATE_KEY_LEN bytes). */
/* The facets' values in one slot, read once per match (three slots, one each, cost half of the
 * facet pass: tests/bench/bench_meta.c): "YYYY-MM" (Vietnam time), the source, the topic and the
 * tags as given, separated by VNSI_FIELD_SEP, the tags by VNSI_TAG_SEP (meta.h). Slots 4 to 6
 * are not used. */
#define VNS_SLOT_FACETS 3
/* The sort keys of a dated article, sorted in reverse (the empty value of an undated one last):
 * the date key (newest) or its bytes inverted (oldest), then the id's bytes inverted, so that
 * equal dates are ordered by id on one index and on shards alike. A key of the value alone is
 * what Xapian's remote backend can sort by (it takes no KeyMaker). */
#define VNS_SLOT_NEWEST 7
#define VNS_SLOT_OLDEST 8

/* Positions: title words from 1, body words from the title's last position plus this gap, so no
 * phrase or proximity window spans title and body. */
#define VNS_TITLE_BODY_GAP 100

/* Index metadata keys. */
#define VNS_META_SCHEMA "vnsearch.schema"

/* Builds the unique Q term of a document id into buf (VNS_ID_TERM_CAP bytes) and returns its
 * length: "Q" + id, or for ids over the term limit their first 200 bytes, '#' and 16 hex digits
 * of a hash of the whole id (docs/schema.md). Never fails. */
#define VNS_ID_TERM_CAP 256
size_t vnsi_id_term(const char *id, size_t len, char *buf);

/* Whether id (len bytes) is short enough to be stored as it is and yet has the form the Q term
 * of a longer id takes (200 bytes or up to 3 fewer, '#', 16 lowercase hex digits): such an id
 * could replace or delete another document, so the writer refuses it. Never fails. */
int vnsi_id_is_reserved(const char *id, size_t len);

/* Checks the schema an index records (value: its VNS_META_SCHEMA, NULL when unset) against this
 * library's, for an index holding docs documents: a database without the key is accepted only
 * when empty (the writer then records it). Returns VNS_OK, or VNS_EINVAL with a message in msg
 * (cap bytes) saying what is wrong and what to do: not a vnsearch index, or a schema this library
 * does not read. Never fails otherwise. */
vns_status vnsi_schema_check(const char *value, uint64_t docs, char *msg, size_t cap);

/* Builds the R term of a source key (a directory's real path) into buf (VNS_SOURCE_TERM_CAP
 * bytes) and returns its length: "R" + 16 hex digits of a hash of the key. Never fails. */
#define VNS_SOURCE_TERM_CAP 32
size_t vnsi_source_term(const char *source, char *buf);

#endif /* VNS_SCHEMA_H */
