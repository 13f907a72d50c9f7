/* readers.c: walks sources and turns .txt/.jsonl (optionally gzipped) files into articles. */
#define _GNU_SOURCE
#include "readers.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <unicode/ustring.h>
#include <zlib.h>

/* A .txt file is taken for binary when it holds a NUL byte, or when more than 1 in this many
 * bytes start an invalid UTF-8 sequence. */
#define BINARY_INVALID_RATIO 20
#define READ_CHUNK ((size_t)1 << 20)

typedef struct reader {
    const cli_reader_callbacks *cb;
    size_t whole_failures;
} reader;

static int has_suffix(const char *s, const char *suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    return n > m && strcmp(s + n - m, suffix) == 0;
}

static int is_jsonl(const char *path) {
    return has_suffix(path, ".jsonl") || has_suffix(path, ".jsonl.gz");
}

int cli_is_article_file(const char *path) {
    return has_suffix(path, ".txt") || has_suffix(path, ".txt.gz") || is_jsonl(path);
}

static void report(reader *r, const char *path, long line, const char *id, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void report(reader *r, const char *path, long line, const char *id, const char *fmt, ...) {
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (r->cb->failure) r->cb->failure(path, line, id, msg, r->cb->ctx);
}

/* Reads the whole (possibly gzipped) file into a malloc'd buffer. Returns 0, or -1 with errno-ish
 * text in msg. */
static int slurp(const char *path, char **out, size_t *out_len, char *msg, size_t msglen) {
    *out = NULL;
    gzFile f = gzopen(path, "rb");
    if (f == NULL) {
        snprintf(msg, msglen, "cannot open: %s", strerror(errno ? errno : ENOMEM));
        return -1;
    }
    gzbuffer(f, 256 * 1024);
    size_t cap = READ_CHUNK, n = 0;
    char *buf = malloc(cap + 1);
    int rc = 0;
    while (buf) {
        if (n == cap) {
            if (cap >= VNS_MAX_ARTICLE_BYTES) {
                snprintf(msg, msglen, "file is over %zu MiB", VNS_MAX_ARTICLE_BYTES >> 20);
                rc = -1;
                break;
            }
            char *nb = realloc(buf, cap * 2 + 1);
            if (nb == NULL) break;
            buf = nb;
            cap *= 2;
        }
        int got = gzread(f, buf + n, (unsigned)(cap - n));
        if (got < 0) {
            int zerr;
            const char *e = gzerror(f, &zerr);
            snprintf(msg, msglen, "cannot read: %s", zerr == Z_ERRNO ? strerror(errno) : e);
            rc = -1;
            break;
        }
        if (got == 0) break;
        n += (size_t)got;
    }
    gzclose(f);
    if (buf == NULL) {
        snprintf(msg, msglen, "out of memory");
        return -1;
    }
    if (rc < 0) {
        free(buf);
        return -1;
    }
    buf[n] = '\0';
    *out = buf;
    *out_len = n;
    return 0;
}

void cli_split_headline(const char *text, size_t len, const char **title, size_t *title_len,
                        const char **body, size_t *body_len) {
    /* A UTF-8 byte order mark is not text. */
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        len -= 3;
    }
    *title = NULL;
    *title_len = 0;
    *body = text;
    *body_len = len;
    const char *nl = memchr(text, '\n', len);
    if (nl == NULL) return;
    size_t tl = (size_t)(nl - text);
    while (tl > 0 && (text[tl - 1] == '\r' || text[tl - 1] == ' ' || text[tl - 1] == '\t')) tl--;
    const char *rest = nl + 1;
    size_t rest_len = len - (size_t)(rest - text);
    while (rest_len > 0 && (*rest == '\n' || *rest == '\r' || *rest == ' ' || *rest == '\t')) {
        rest++;
        rest_len--;
    }
    if (tl == 0 || tl > VNS_MAX_HEADLINE_BYTES || text[tl - 1] == '.' || rest_len == 0) return;
    *title = text;
    *title_len = tl;
    *body = rest;
    *body_len = rest_len;
}

/* The number of invalid UTF-8 sequences in text (len < 2 GiB), as ICU counts the U+FFFD it would
 * substitute. Never fails. */
static size_t count_invalid_utf8(const char *text, size_t len) {
    UErrorCode err = U_ZERO_ERROR;
    int32_t n16 = 0, subs = 0;
    u_strFromUTF8WithSub(NULL, 0, &n16, text, (int32_t)len, 0xFFFD, &subs, &err);
    return (size_t)subs;
}

static vns_status read_txt(reader *r, const char *path, const char *id) {
    char *text = NULL, msg[256];
    size_t len = 0;
    if (slurp(path, &text, &len, msg, sizeof msg) < 0) {
        if (errno != ENOENT) r->whole_failures++;
        report(r, path, 0, errno == ENOENT ? NULL : id, "%s", msg);
        return VNS_OK;
    }
    vns_status st = VNS_OK;
    size_t bad = count_invalid_utf8(text, len);
    if (memchr(text, '\0', len) != NULL) {
        report(r, path, 0, id, "binary file (NUL bytes): not indexed");
    } else if (bad > 0 && bad * BINARY_INVALID_RATIO > len) {
        report(r, path, 0, id, "not UTF-8 text (%zu invalid sequences in %zu bytes): not indexed",
               bad, len);
    } else {
        cli_article a = {.id = id, .path = path, .line = 0};
        cli_split_headline(text, len, &a.title, &a.title_len, &a.body, &a.body_len);
        if (a.title_len == 0 && a.body_len == 0) {
            report(r, path, 0, id, "empty file: not indexed");
        } else {
            st = r->cb->article(&a, r->cb->ctx);
        }
    }
    free(text);
    return st;
}

/* A line reader over a gzFile that copes with NUL bytes and very long lines. */
typedef struct line_reader {
    gzFile f;
    char *buf; /* Read-ahead buffer. */
    size_t len, off;
    char *line; /* The current line, NUL-terminated. */
    size_t line_cap;
    int eof, error;
} line_reader;

/* Reads the next line into lr->line (without its '\n'); *len gets its length, *too_long whether
 * it was cut at VNS_MAX_ARTICLE_BYTES. Returns 1 for a line, 0 at the end, -1 on a read error. */
static int next_line(line_reader *lr, size_t *len, int *too_long) {
    size_t n = 0;
    *too_long = 0;
    for (;;) {
        if (lr->off == lr->len) {
            if (lr->eof) break;
            int got = gzread(lr->f, lr->buf, (unsigned)READ_CHUNK);
            if (got < 0) {
                lr->error = 1;
                return -1;
            }
            if (got == 0) {
                lr->eof = 1;
                break;
            }
            lr->len = (size_t)got;
            lr->off = 0;
        }
        char *start = lr->buf + lr->off;
        size_t avail = lr->len - lr->off;
        char *nl = memchr(start, '\n', avail);
        size_t take = nl ? (size_t)(nl - start) : avail;
        lr->off += take + (nl ? 1 : 0);
        if (n + take > VNS_MAX_ARTICLE_BYTES) {
            *too_long = 1;
            take = n < VNS_MAX_ARTICLE_BYTES ? VNS_MAX_ARTICLE_BYTES - n : 0;
        }
        if (n + take + 1 > lr->line_cap) {
            size_t ncap = (n + take + 1) * 2;
            char *nb = realloc(lr->line, ncap);
            if (nb == NULL) {
                lr->error = 1;
                return -1;
            }
            lr->line = nb;
            lr->line_cap = ncap;
        }
        memcpy(lr->line + n, start, take);
        n += take;
        if (nl) {
            lr->line[n] = '\0';
            *len = n;
            return 1;
        }
    }
    if (n == 0) return 0;
    lr->line[n] = '\0';
    *len = n;
    return 1;
}

/* Parses one JSONL line into an article and hands it on. */
static vns_status jsonl_line(reader *r, const char *path, long lineno, const char *line,
                             size_t len) {
    json_error_t jerr;
    json_t *root = json_loadb(line, len, JSON_ALLOW_NUL, &jerr);
    if (root == NULL) {
        report(r, path, lineno, NULL, "invalid JSON: %s (column %d)", jerr.text, jerr.column);
        return VNS_OK;
    }
    vns_status st = VNS_OK;
    char idbuf[32];
    const char *id = NULL;
    json_t *jid = json_object_get(root, "id");
    json_t *jtitle = json_object_get(root, "title");
    json_t *jbody = json_object_get(root, "body");
    if (!json_is_object(root)) {
        report(r, path, lineno, NULL, "not a JSON object");
    } else if (json_is_string(jid) && json_string_length(jid) > 0 &&
               strlen(json_string_value(jid)) == json_string_length(jid)) {
        id = json_string_value(jid);
    } else if (json_is_integer(jid)) {
        snprintf(idbuf, sizeof idbuf, "%" JSON_INTEGER_FORMAT, json_integer_value(jid));
        id = idbuf;
    } else {
        report(r, path, lineno, NULL, "missing or invalid \"id\" (a non-empty string or integer)");
    }
    if (id != NULL) {
        if (!json_is_string(jbody)) {
            report(r, path, lineno, id, "missing or non-string \"body\"");
        } else if (jtitle != NULL && !json_is_null(jtitle) && !json_is_string(jtitle)) {
            report(r, path, lineno, id, "\"title\" is not a string");
        } else {
            cli_article a = {.id = id, .path = path, .line = lineno};
            a.body = json_string_value(jbody);
            a.body_len = json_string_length(jbody);
            if (json_is_string(jtitle)) {
                a.title = json_string_value(jtitle);
                a.title_len = json_string_length(jtitle);
            }
            if (a.title_len == 0 && a.body_len == 0) {
                report(r, path, lineno, id, "empty title and body: not indexed");
            } else {
                st = r->cb->article(&a, r->cb->ctx);
            }
        }
    }
    json_decref(root);
    return st;
}

static vns_status read_jsonl(reader *r, const char *path, int fd) {
    gzFile f = fd >= 0 ? gzdopen(fd, "rb") : gzopen(path, "rb");
    if (f == NULL) {
        if (errno != ENOENT) r->whole_failures++;
        report(r, path, 0, NULL, "cannot open: %s", strerror(errno ? errno : ENOMEM));
        return VNS_OK;
    }
    gzbuffer(f, 256 * 1024);
    line_reader lr = {.f = f, .buf = malloc(READ_CHUNK)};
    vns_status st = VNS_OK;
    if (lr.buf == NULL) {
        gzclose(f);
        r->whole_failures++;
        report(r, path, 0, NULL, "out of memory");
        return VNS_OK;
    }
    long lineno = 0;
    size_t len;
    int too_long, rc;
    while (st == VNS_OK && (rc = next_line(&lr, &len, &too_long)) == 1) {
        lineno++;
        if (too_long) {
            report(r, path, lineno, NULL, "line is over %zu MiB", VNS_MAX_ARTICLE_BYTES >> 20);
            continue;
        }
        size_t i = 0;
        while (i < len && (lr.line[i] == ' ' || lr.line[i] == '\t' || lr.line[i] == '\r')) i++;
        if (i == len) continue; /* Blank lines are allowed. */
        st = jsonl_line(r, path, lineno, lr.line, len);
    }
    if (lr.error) {
        int zerr;
        const char *e = gzerror(f, &zerr);
        r->whole_failures++;
        report(r, path, lineno + 1, NULL, "cannot read further: %s",
               zerr == Z_ERRNO ? strerror(errno) : e);
    }
    free(lr.buf);
    free(lr.line);
    gzclose(f);
    return st;
}

static vns_status read_file(reader *r, const char *path, const char *id) {
    return is_jsonl(path) ? read_jsonl(r, path, -1) : read_txt(r, path, id);
}

static int skip_name(const struct dirent *d) {
    return d->d_name[0] != '.';
}

/* Walks dir (full path) whose path relative to the source root is rel ("" at the root). */
static vns_status walk(reader *r, const char *dir, const char *rel) {
    struct dirent **names = NULL;
    int n = scandir(dir, &names, skip_name, alphasort);
    if (n < 0) {
        r->whole_failures++;
        report(r, dir, 0, NULL, "cannot read directory: %s", strerror(errno));
        return VNS_OK;
    }
    vns_status st = VNS_OK;
    for (int i = 0; i < n; i++) {
        char *full = NULL, *sub = NULL;
        if (st == VNS_OK && asprintf(&full, "%s/%s", dir, names[i]->d_name) >= 0 &&
            asprintf(&sub, "%s%s%s", rel, *rel ? "/" : "", names[i]->d_name) >= 0) {
            struct stat lst, sst;
            if (lstat(full, &lst) < 0) {
                if (errno != ENOENT) report(r, full, 0, NULL, "cannot stat: %s", strerror(errno));
            } else if (S_ISDIR(lst.st_mode)) {
                st = walk(r, full, sub);
            } else if (cli_is_article_file(full)) {
                if (S_ISLNK(lst.st_mode) && stat(full, &sst) < 0) {
                    report(r, full, 0, NULL, "broken or looping symlink: %s", strerror(errno));
                } else if (S_ISLNK(lst.st_mode) && !S_ISREG(sst.st_mode)) {
                    /* Symlinked directories are not followed: they can loop. */
                } else {
                    st = read_file(r, full, sub);
                }
            }
        }
        free(full);
        free(sub);
        free(names[i]);
    }
    free(names);
    return st;
}

vns_status cli_read_source(const char *source, const cli_reader_callbacks *cb,
                           size_t *whole_file_failures) {
    reader r = {cb, 0};
    vns_status st;
    struct stat sb;
    if (strcmp(source, "-") == 0) {
        st = read_jsonl(&r, "-", dup(0));
    } else if (stat(source, &sb) < 0) {
        r.whole_failures++;
        report(&r, source, 0, NULL, "cannot open: %s", strerror(errno));
        st = VNS_OK;
    } else if (S_ISDIR(sb.st_mode)) {
        st = walk(&r, source, "");
    } else if (!cli_is_article_file(source)) {
        report(&r, source, 0, NULL,
               "not a supported file (.txt, .txt.gz, .jsonl, .jsonl.gz) or directory");
        r.whole_failures++;
        st = VNS_OK;
    } else {
        const char *base = strrchr(source, '/');
        st = read_file(&r, source, base ? base + 1 : source);
    }
    if (whole_file_failures) *whole_file_failures = r.whole_failures;
    return st;
}

vns_status cli_read_file(const char *path, const char *id, const cli_reader_callbacks *cb,
                         size_t *whole_file_failures) {
    reader r = {cb, 0};
    vns_status st = read_file(&r, path, id);
    if (whole_file_failures) *whole_file_failures = r.whole_failures;
    return st;
}
