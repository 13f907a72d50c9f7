/* readers.h: reads articles from .txt, .txt.gz, .jsonl, .jsonl.gz files, directories and stdin. */
#ifndef VNS_READERS_H
#define VNS_READERS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "vnsearch.h"

/* Articles over this size (a .txt file or one JSONL line) are refused as failures. */
#define VNS_MAX_ARTICLE_BYTES ((size_t)256 << 20)
/* A first line of a .txt file longer than this is never a headline. */
#define VNS_MAX_HEADLINE_BYTES 300

/* One article, borrowed for the duration of the callback. */
typedef struct cli_article {
    const char *id;
    const char *title; /* NULL when none. */
    size_t title_len;
    const char *body;
    size_t body_len;
    const char *path; /* The file it came from ("-" for stdin). */
    long line;        /* Its JSONL line (1-based), or 0 for a .txt file. */
    /* Its metadata (JSONL fields date, source, topic, tags, url; a .txt file's header block):
     * fields absent or dropped are NULL. */
    vns_meta meta;
    /* The fields dropped because they were wrong (a date that does not parse, a field of the
     * wrong type), said in one message; NULL when none was. */
    const char *dropped;
    /* How far the read of this source is, for progress: the bytes of its files read so far, this
     * article's included (a .gz file's compressed bytes; 0 on stdin), to compare with
     * cli_source_bytes. */
    uint64_t input_read;
} cli_article;

typedef struct cli_reader_callbacks {
    /* Called per article; a non-VNS_OK status stops the whole read and is returned. */
    vns_status (*article)(const cli_article *a, void *ctx);
    /* Called per failed file or line (line 0 for a whole file); id is the document id when it is
     * known (a .txt file), else NULL. The read goes on. */
    void (*failure)(const char *path, long line, const char *id, const char *msg, void *ctx);
    void *ctx;
    /* Called for an entry skipped on purpose (not a regular file, a symlink out of the SOURCE);
     * may be NULL. Nothing is counted as failed and the read goes on. */
    void (*note)(const char *path, const char *msg, void *ctx);
    /* Non-zero: symlinked files are followed wherever they point; else only when they stay
     * inside the SOURCE directory (for cli_read_file: inside root; never when root is NULL). */
    int follow_symlinks;
    const char *root;
    /* May be NULL. Called before a JSONL line is parsed, with its id when a quick scan of the
     * line tells it for certain (the id a parse would give, or the one a failure would be said
     * with); returning 0 passes the line over unparsed: nothing else is called for it.
     * input_read is as cli_article's. A --jobs job skips the other jobs' lines this way. */
    int (*wants)(const char *id, uint64_t input_read, void *ctx);
} cli_reader_callbacks;

/* Reads source: "-" (JSONL on stdin), a directory (recursively: the four file kinds; names
 * starting with '.', symlinked directories, files that are not regular (FIFOs, devices) and
 * symlinks out of the directory are skipped), or one file. Files are opened without blocking
 * and read only when regular. Ids are paths relative to the directory, the file name for a file
 * source, or the JSONL "id" field. Returns VNS_OK (every failure, a missing source included,
 * goes through the failure callback) or the status an article callback stopped with.
 * *whole_file_failures (may be NULL) counts what must keep the source from being pruned: the
 * files (or sources) that exist but could not be read whole (a truncated .gz, an entry that
 * cannot be stat'ed) and the JSONL lines that do not parse and whose id cannot be read. */
vns_status cli_read_source(const char *source, const cli_reader_callbacks *cb,
                           size_t *whole_file_failures);

/* The bytes of the article files a read of source would read (the sum of their sizes; 0 for
 * stdin or what cannot be read), to tell how far a read is (cli_article.input_read). The bytes of
 * those that may be new to an index last written at since (a folder's files modified at or
 * after it, a file SOURCE whole) are added to *fresh (may be NULL). Never fails. */
uint64_t cli_source_bytes(uint64_t *fresh, const char *source, time_t since);

/* Reads one article file (path must have a supported suffix) with this id for a .txt file
 * (JSONL lines carry their own ids). Returns as cli_read_source. */
vns_status cli_read_file(const char *path, const char *id, const cli_reader_callbacks *cb,
                         size_t *whole_file_failures);

/* A .txt file may start with a header block of metadata:
 *   ---
 *   date: 2024-05-06T08:30:00+07:00
 *   source: tuoitre.vn
 *   topic: Thể thao
 *   tags: bóng đá, V-League
 *   url: https://tuoitre.vn/...
 *   ---
 * the first line exactly "---", "key: value" lines (other keys and blank lines are ignored),
 * and a closing "---" within CLI_MAX_HEADER_BYTES; the title and body follow it. Without the
 * first "---", or without the closing one, the file has no header and is all text. */
#define CLI_MAX_HEADER_BYTES 8192

/* Splits a .txt file's text into title and body: the first line is the title when it reads as a
 * headline (non-empty, at most VNS_MAX_HEADLINE_BYTES, not ending with a full stop, and text
 * follows). Sets *title (NULL when none) and the body range. Never fails. */
void cli_split_headline(const char *text, size_t len, const char **title, size_t *title_len,
                        const char **body, size_t *body_len);

/* Non-zero when path ends with one of the four supported suffixes. Never fails. */
int cli_is_article_file(const char *path);

/* Non-zero when path ends with .txt or .txt.gz: a file of one article, whose id is its path
 * below the directory SOURCE. Never fails. */
int cli_is_txt_file(const char *path);

#endif /* VNS_READERS_H */
