/* args.h: checks both programs make on their command line: strict numbers, a safe -d. */
#ifndef VNS_CLI_ARGS_H
#define VNS_CLI_ARGS_H

/* Parses s, decimal digits only (no sign, space, hex or exponent), into *out when its value is
 * at most max. Returns 0, or -1 (*out untouched) when s is empty, holds anything but digits, or
 * is above max (overflow included). */
int cli_parse_count(unsigned long long *out, const char *s, unsigned long long max);

/* The file vnindex --jobs puts in each directory it makes beside an index (INDEX.partK,
 * INDEX.merging, and the old index it swaps out): only a directory holding it is its scratch to
 * remove after a kill (an open of it as the index, vnindex -d DIR, removes it). Counted as one of
 * an index's files. */
#define CLI_SCRATCH_MARK "vnindex-scratch"

/* The file a swap puts in the index it is about to swap out (to INDEX.merging, or INDEX.replaced
 * where the file system cannot exchange two names): a directory of those two names holding it is
 * scratch too. In a live index it is stale (a kill before the exchange) and the next open of
 * that index removes it; elsewhere it makes nothing scratch, so an index named like another's
 * part is never taken for scratch. Counted as one of an index's files. */
#define CLI_SWAP_MARK "vnindex-swapped-out"

/* Non-zero when nothing is at path but path.replaced holds CLI_SWAP_MARK: the old index a swap
 * moved aside (two renames, where the file system cannot exchange two names) before a kill
 * stopped it; vnindex moves it back at its next open of path (parallel_build.c). Never fails. */
int cli_swap_stopped(const char *path);

/* Non-zero when name is one of the files Xapian keeps in an index directory (its tables, version
 * file, lock file and their temporary forms), CLI_SCRATCH_MARK or CLI_SWAP_MARK. Never fails. */
int cli_is_index_file(const char *name);

/* Non-zero when path is an existing directory that holds entries but no index (no iamglass or
 * iamchert): a directory of the user's, which neither program may take as an index. A path that
 * is missing, not a directory, unreadable or an index is not one. Never fails. */
int cli_dir_is_foreign(const char *path);

#endif /* VNS_CLI_ARGS_H */
