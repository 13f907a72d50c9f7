/* args.h: checks both programs make on their command line: strict numbers, a safe -d. */
#ifndef VNS_CLI_ARGS_H
#define VNS_CLI_ARGS_H

/* Parses s, decimal digits only (no sign, space, hex or exponent), into *out when its value is
 * at most max. Returns 0, or -1 (*out untouched) when s is empty, holds anything but digits, or
 * is above max (overflow included). */
int cli_parse_count(unsigned long long *out, const char *s, unsigned long long max);

/* The file vnindex --jobs puts in each directory it makes beside an index (INDEX.partK,
 * INDEX.merging, and the old index it swaps out): only a directory holding it is its scratch to
 * remove after a kill. Counted as one of an index's files. */
#define CLI_SCRATCH_MARK "vnindex-scratch"

/* Non-zero when name is one of the files Xapian keeps in an index directory (its tables, version
 * file, lock file and their temporary forms), or CLI_SCRATCH_MARK. Never fails. */
int cli_is_index_file(const char *name);

/* Non-zero when path is an existing directory that holds entries but no index (no iamglass or
 * iamchert): a directory of the user's, which neither program may take as an index. A path that
 * is missing, not a directory, unreadable or an index is not one. Never fails. */
int cli_dir_is_foreign(const char *path);

#endif /* VNS_CLI_ARGS_H */
