/* fts5_peer.h: the SQLite FTS5 peer of the benchmarks (unicode61 remove_diacritics 2, bm25). */
#ifndef VNS_FTS5_PEER_H
#define VNS_FTS5_PEER_H

#include <stddef.h>

#include <sqlite3.h>

/* Builds an FTS5 table docs(id UNINDEXED, title, body) from a JSONL corpus in one transaction,
 * content stored (append: adds to the existing table instead). Returns 0 or -1 (message on
 * stderr); *docs and *bytes get the counts. */
int fts5_build(const char *db_path, const char *corpus, int append, size_t *docs, size_t *bytes);

/* Runs a query made of words (each quoted, implicitly ANDed), top `limit` by bm25 with
 * snippet(); writes up to limit ids (malloc'd, caller frees each) into ids. Returns the number
 * of results (0 for no words), or -1 on an SQLite error. */
int fts5_search(sqlite3 *db, const char *const *words, size_t nwords, int limit, char **ids);

/* As fts5_search, but the quoted words are ORed: a document needs only one of them, and bm25
 * ranks those with more (and rarer) ones first. */
int fts5_search_any(sqlite3 *db, const char *const *words, size_t nwords, int limit, char **ids);

#endif /* VNS_FTS5_PEER_H */
