/* readers.c: walks sources and turns .txt/.jsonl (optionally gzipped) files into articles. */
#define _GNU_SOURCE
#include "readers.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
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

/* Bytes of a UTF-8 byte order mark. */
#define UTF8_BOM "\xEF\xBB\xBF"
/* The longest id quick_id reads without a parse: far below what salvage_id keeps. */
#define QUICK_ID_MAX 512

typedef struct reader {
    const cli_reader_callbacks *cb;
    size_t whole_failures;
    const char *root; /* Real path of the directory being walked, or NULL. */
    /* How far the read is (cli_article.input_read): the bytes of the files read whole, the size
     * of the file being read, and that file's gzFile while a JSONL file is read. */
    uint64_t done, file_size;
    gzFile gz;
} reader;

static int has_suffix(const char *s, const char *suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    return n > m && strcmp(s + n - m, suffix) == 0;
}

static int is_jsonl(const char *path) {
    return has_suffix(path, ".jsonl") || has_suffix(path, ".jsonl.gz");
}

int cli_is_txt_file(const char *path) {
    return has_suffix(path, ".txt") || has_suffix(path, ".txt.gz");
}

int cli_is_article_file(const char *path) {
    return cli_is_txt_file(path) || is_jsonl(path);
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

/* Says a skipped entry through the note callback, if any. Never fails. */
static void note(reader *r, const char *path, const char *msg) {
    if (r->cb->note) r->cb->note(path, msg, r->cb->ctx);
}

/* Opens path for reading without blocking (a FIFO would wait for a writer forever), and not
 * through a symlink when nofollow. Returns the descriptor, blocking again, when it is a regular
 * file; else -1 with errno set (ENOENT when it is gone) and the reason in msg. */
static int open_regular(const char *path, int nofollow, char *msg, size_t msglen) {
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC | (nofollow ? O_NOFOLLOW : 0));
    if (fd < 0) {
        int e = errno;
        if (e == ELOOP && nofollow)
            snprintf(msg, msglen, "cannot open: became a symlink while read: not followed");
        else
            snprintf(msg, msglen, "cannot open: %s", strerror(e));
        errno = e;
        return -1;
    }
    struct stat sb;
    int flags;
    if (fstat(fd, &sb) < 0 || (flags = fcntl(fd, F_GETFL)) < 0 ||
        fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0) {
        int e = errno;
        snprintf(msg, msglen, "cannot open: %s", strerror(e));
        close(fd);
        errno = e;
        return -1;
    }
    if (!S_ISREG(sb.st_mode)) {
        snprintf(msg, msglen, "not a regular file (a FIFO or a device?): not read");
        close(fd);
        errno = EINVAL;
        return -1;
    }
    return fd;
}

/* Whether f ended early or failed (a truncated gzip stream is only reported here); when it did,
 * msg gets the reason. Never fails. */
static int gz_failed(gzFile f, char *msg, size_t msglen) {
    int zerr;
    const char *e = gzerror(f, &zerr);
    if (zerr == Z_OK || zerr == Z_STREAM_END) return 0;
    if (zerr == Z_ERRNO)
        snprintf(msg, msglen, "%s", strerror(errno));
    else if (zerr == Z_BUF_ERROR)
        snprintf(msg, msglen, "%s (a truncated or partial copy?)", e);
    else
        snprintf(msg, msglen, "%s", e);
    return 1;
}

/* Reads the whole (possibly gzipped) regular file into a malloc'd buffer; a gzip stream that ends
 * early is a failure. Returns 0, or -1 with errno-ish text in msg (errno ENOENT when the file is
 * gone). */
static int slurp(const char *path, int nofollow, char **out, size_t *out_len, char *msg,
                 size_t msglen) {
    *out = NULL;
    int fd = open_regular(path, nofollow, msg, msglen);
    if (fd < 0) return -1;
    gzFile f = gzdopen(fd, "rb");
    if (f == NULL) {
        close(fd);
        snprintf(msg, msglen, "cannot open: out of memory");
        errno = ENOMEM;
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
        char why[200] = "read error";
        if (got <= 0 && (gz_failed(f, why, sizeof why) || got < 0)) {
            snprintf(msg, msglen, "cannot read: %s", why);
            rc = -1;
            break;
        }
        if (got == 0) break;
        n += (size_t)got;
    }
    gzclose(f);
    if (buf == NULL) {
        snprintf(msg, msglen, "out of memory");
        errno = ENOMEM;
        return -1;
    }
    if (rc < 0) {
        free(buf);
        errno = EIO;
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
    if (len >= 3 && memcmp(text, UTF8_BOM, 3) == 0) {
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

/* ---- metadata ----------------------------------------------------------------------------- */

/* An article's metadata being read: the vns_meta handed on, what its strings need, and the
 * fields dropped. */
typedef struct meta_buf {
    vns_meta meta;
    const char **tags;
    size_t tags_cap;
    char date[32]; /* Unix seconds written as text. */
    char *header;  /* A .txt header block's copy (its values point into it). */
    char dropped[600];
} meta_buf;

static void meta_buf_free(meta_buf *m) {
    free(m->tags);
    free(m->header);
}

/* Adds a dropped field's reason to m->dropped. Never fails (a long list is cut). */
static void drop(meta_buf *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void drop(meta_buf *m, const char *fmt, ...) {
    size_t n = strlen(m->dropped);
    if (n + 3 >= sizeof m->dropped) return;
    if (n) n += (size_t)snprintf(m->dropped + n, sizeof m->dropped - n, "; ");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m->dropped + n, sizeof m->dropped - n, fmt, ap);
    va_end(ap);
}

/* Sets m's date from text when it parses, else drops it. */
static void set_date(meta_buf *m, const char *text) {
    if (vns_parse_date(NULL, text) == VNS_OK)
        m->meta.date = text;
    else
        drop(m,
             "\"date\" %.40s%s is not an ISO 8601 date or date-time (2024-05-06, "
             "2024-05-06T08:30:00+07:00) nor Unix seconds",
             text, strlen(text) > 40 ? "..." : "");
}

/* Appends a tag. Returns 0, or -1 when out of memory (the tag is dropped and said). */
static int add_tag(meta_buf *m, const char *tag) {
    if (tag[0] == '\0') return 0;
    if (m->meta.ntags == m->tags_cap) {
        size_t ncap = m->tags_cap ? m->tags_cap * 2 : 8;
        const char **nt = realloc(m->tags, ncap * sizeof *nt);
        if (nt == NULL) {
            drop(m, "\"tags\": out of memory");
            return -1;
        }
        m->tags = nt;
        m->tags_cap = ncap;
    }
    m->tags[m->meta.ntags++] = tag;
    m->meta.tags = m->tags;
    return 0;
}

/* A JSON string field (name) into *out: NULL when absent, null or empty; dropped when not a
 * string without NUL. */
static void json_str(meta_buf *m, json_t *root, const char *name, const char **out) {
    json_t *v = json_object_get(root, name);
    *out = NULL;
    if (v == NULL || json_is_null(v)) return;
    if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v)) {
        drop(m, "\"%s\" is not a string", name);
        return;
    }
    if (json_string_length(v) > 0) *out = json_string_value(v);
}

/* The metadata fields of a JSONL object into m. */
static void json_meta(meta_buf *m, json_t *root) {
    json_str(m, root, "source", &m->meta.source);
    json_str(m, root, "topic", &m->meta.topic);
    json_str(m, root, "url", &m->meta.url);
    json_t *d = json_object_get(root, "date");
    if (json_is_integer(d)) {
        snprintf(m->date, sizeof m->date, "%" JSON_INTEGER_FORMAT, json_integer_value(d));
        set_date(m, m->date);
    } else if (json_is_string(d) && json_string_length(d) > 0) {
        set_date(m, json_string_value(d));
    } else if (d != NULL && !json_is_null(d) && !json_is_string(d)) {
        drop(m, "\"date\" is not a string nor an integer (Unix seconds)");
    }
    json_t *t = json_object_get(root, "tags");
    if (t == NULL || json_is_null(t)) return;
    size_t i;
    json_t *e;
    int ok = json_is_array(t);
    json_array_foreach(t, i, e) {
        ok = ok && json_is_string(e) && strlen(json_string_value(e)) == json_string_length(e);
    }
    if (!ok) {
        drop(m, "\"tags\" is not an array of strings");
        return;
    }
    json_array_foreach(t, i, e) {
        if (add_tag(m, json_string_value(e)) < 0) break;
    }
}

/* Trims spaces and tabs around s[0..len) in place (NUL-terminating it); returns the start. */
static char *trim(char *s, size_t len) {
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r')) len--;
    s[len] = '\0';
    while (*s == ' ' || *s == '\t') s++;
    return s;
}

/* Reads the header block at the start of text (readers.h) into m and returns the bytes it
 * takes (0: no header block). A header that cannot be copied (out of memory) is dropped. */
static size_t txt_header(meta_buf *m, const char *text, size_t len) {
    if (len < 4 || memcmp(text, "---", 3) != 0 || (text[3] != '\n' && text[3] != '\r')) return 0;
    size_t scan = len < CLI_MAX_HEADER_BYTES ? len : CLI_MAX_HEADER_BYTES;
    size_t start = text[3] == '\r' && len > 4 && text[4] == '\n' ? 5 : 4, end = 0, after = 0;
    for (size_t i = start; i < scan && !after;) {
        const char *nl = memchr(text + i, '\n', scan - i);
        size_t line_end = nl ? (size_t)(nl - text) : scan;
        size_t l = line_end - i;
        if (l >= 3 && memcmp(text + i, "---", 3) == 0 &&
            (l == 3 || (l == 4 && text[i + 3] == '\r'))) {
            end = i;
            after = nl ? line_end + 1 : line_end;
        }
        if (!nl) break;
        i = line_end + 1;
    }
    if (!after) return 0;
    if ((m->header = malloc(end - start + 1)) == NULL) {
        drop(m, "the header block: out of memory");
        return after;
    }
    memcpy(m->header, text + start, end - start);
    m->header[end - start] = '\0';
    for (char *line = m->header; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl) *nl = '\0';
        char *colon = strchr(line, ':');
        if (colon) {
            *colon = '\0';
            char *key = trim(line, (size_t)(colon - line));
            char *value = trim(colon + 1, strlen(colon + 1));
            if (value[0] == '\0') {
                /* An empty value: the field is absent. */
            } else if (strcmp(key, "date") == 0) {
                set_date(m, value);
            } else if (strcmp(key, "source") == 0) {
                m->meta.source = value;
            } else if (strcmp(key, "topic") == 0) {
                m->meta.topic = value;
            } else if (strcmp(key, "url") == 0) {
                m->meta.url = value;
            } else if (strcmp(key, "tags") == 0) {
                for (char *t = value; t;) {
                    char *comma = strchr(t, ',');
                    if (comma) *comma = '\0';
                    if (add_tag(m, trim(t, strlen(t))) < 0) break;
                    t = comma ? comma + 1 : NULL;
                }
            }
        }
        line = nl ? nl + 1 : NULL;
    }
    return after;
}

/* Reads the .txt file at open_path (shown as path) as the article id. Returns VNS_OK or the
 * status the article callback stopped with. */
static vns_status read_txt(reader *r, const char *path, const char *open_path, int nofollow,
                           const char *id) {
    char *text = NULL, msg[256];
    size_t len = 0;
    if (slurp(open_path, nofollow, &text, &len, msg, sizeof msg) < 0) {
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
        cli_article a = {.id = id, .path = path, .line = 0, .input_read = r->done + r->file_size};
        meta_buf m = {0};
        size_t skip = txt_header(&m, text, len);
        cli_split_headline(text + skip, len - skip, &a.title, &a.title_len, &a.body, &a.body_len);
        a.meta = m.meta;
        a.dropped = m.dropped[0] ? m.dropped : NULL;
        if (a.title_len == 0 && a.body_len == 0) {
            report(r, path, 0, id, "empty file: not indexed");
        } else {
            st = r->cb->article(&a, r->cb->ctx);
        }
        meta_buf_free(&m);
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
    char why[200]; /* Why it ended early, when error. */
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
            /* A stream that ends early ends the file with an error; the cut line is dropped. */
            if (got <= 0 && (gz_failed(lr->f, lr->why, sizeof lr->why) || got < 0)) {
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

/* The end (one past the closing quote) of the JSON string that opens at s[i], or 0 when it does
 * not close within len bytes; *plain is set to whether it holds no backslash. Skips the text
 * between quotes with memchr: a body is most of a line. Never fails. */
static size_t string_end(const char *s, size_t len, size_t i, int *plain) {
    *plain = 1;
    for (size_t from = i + 1; from < len;) {
        const char *q = memchr(s + from, '"', len - from);
        if (q == NULL) return 0;
        size_t at = (size_t)(q - s), bs = 0;
        while (at - bs > i + 1 && s[at - bs - 1] == '\\') bs++;
        if (bs > 0 || memchr(s + from, '\\', at - from)) *plain = 0;
        if (bs % 2 == 0) return at + 1;
        from = at + 1;
    }
    return 0;
}

/* The end of the JSON string or number token at s[i] (len bytes in all), or 0 when it does not
 * end within them. Never fails. */
static size_t token_end(const char *s, size_t len, size_t i) {
    int plain;
    if (s[i] == '"') return string_end(s, len, i, &plain);
    while (i < len && (isdigit((unsigned char)s[i]) || s[i] == '-')) i++;
    return i < len ? i : 0;
}

/* The top-level "id" of a JSONL line that does not parse, read as far as the line is sound:
 * writes it into buf (cap bytes) and returns buf, or NULL when no usable id can be read. */
static const char *salvage_id(const char *s, size_t len, char *buf, size_t cap) {
    size_t i = 0;
    int depth = 0;
    while (i < len && isspace((unsigned char)s[i])) i++;
    if (i == len || s[i] != '{') return NULL;
    for (; i < len; i++) {
        if (s[i] == '{' || s[i] == '[') {
            depth++;
        } else if (s[i] == '}' || s[i] == ']') {
            if (--depth <= 0) return NULL;
        } else if (s[i] == '"') {
            size_t end = token_end(s, len, i), j = end;
            if (end == 0) return NULL;
            while (j < len && isspace((unsigned char)s[j])) j++;
            int is_id_key = depth == 1 && j < len && s[j] == ':' && end - i == 4 &&
                            memcmp(s + i, "\"id\"", 4) == 0;
            i = end - 1;
            if (!is_id_key) continue;
            for (j++; j < len && isspace((unsigned char)s[j]);) j++;
            size_t vend = j < len ? token_end(s, len, j) : 0;
            if (vend <= j) return NULL;
            /* jansson decodes the value token alone, escapes and all. */
            json_t *v = json_loadb(s + j, vend - j, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
            const char *got = NULL;
            if (json_is_string(v) && json_string_length(v) > 0 && json_string_length(v) < cap &&
                strlen(json_string_value(v)) == json_string_length(v)) {
                got = strcpy(buf, json_string_value(v));
            } else if (json_is_integer(v)) {
                snprintf(buf, cap, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
                got = buf;
            }
            json_decref(v);
            return got;
        }
    }
    return NULL;
}

/* The id of the JSONL line s (len bytes) when a scan can tell it for certain without parsing:
 * the line is one object, no key holds an escape, and exactly one key is "id", whose value is a
 * string of 1 to QUICK_ID_MAX printable ASCII characters other than '\\' (so that jansson reads
 * the same id, and so would salvage_id if the line fails to parse). Copies it into buf (at least
 * QUICK_ID_MAX + 1 bytes) and returns buf, or NULL when only a parse can tell. Never fails. */
static const char *quick_id(const char *s, size_t len, char *buf) {
    size_t i = 0, found = 0;
    int depth = 0;
    while (i < len && isspace((unsigned char)s[i])) i++;
    if (i == len || s[i] != '{') return NULL;
    for (; i < len; i++) {
        char c = s[i];
        if (c == '{' || c == '[') {
            depth++;
        } else if (c == '}' || c == ']') {
            if (--depth == 0) break;
        } else if (c == '"') {
            int plain;
            size_t end = string_end(s, len, i, &plain), j = end;
            if (end == 0) return NULL;
            while (j < len && isspace((unsigned char)s[j])) j++;
            int key = depth == 1 && j < len && s[j] == ':';
            if (key && !plain) return NULL;
            if (key && end - i == 4 && memcmp(s + i, "\"id\"", 4) == 0) {
                for (j++; j < len && isspace((unsigned char)s[j]);) j++;
                if (found++ || j == len || s[j] != '"') return NULL;
                size_t vend = string_end(s, len, j, &plain), n = vend - j - 2;
                if (vend == 0 || !plain || n == 0 || n > QUICK_ID_MAX) return NULL;
                for (size_t k = j + 1; k + 1 < vend; k++)
                    if ((unsigned char)s[k] < 0x20 || (unsigned char)s[k] > 0x7e) return NULL;
                memcpy(buf, s + j + 1, n);
                buf[n] = '\0';
                end = vend;
            }
            i = end - 1;
        }
    }
    if (i == len || !found) return NULL;
    for (i++; i < len && isspace((unsigned char)s[i]);) i++;
    return i == len ? buf : NULL;
}

/* Says a JSONL line that cannot be read: its document is kept when its id can be read from the
 * line, else nothing of the file may be pruned (counted as a whole-file failure). */
static void bad_line(reader *r, const char *path, long lineno, const char *line, size_t len,
                     const char *what) {
    char idbuf[1024];
    const char *id = salvage_id(line, len, idbuf, sizeof idbuf);
    if (id) {
        report(r, path, lineno, id, "%s: document %s keeps its indexed version", what, id);
    } else {
        r->whole_failures++;
        report(r, path, lineno, NULL, "%s", what);
    }
}

/* How far the read is (cli_article.input_read). Never fails. */
static uint64_t input_read(const reader *r) {
    /* gzoffset: the bytes of the file read so far (compressed ones for a .gz). */
    z_off_t at = r->gz ? gzoffset(r->gz) : 0;
    uint64_t in = at > 0 ? (uint64_t)at : 0;
    return r->done + (r->file_size && in > r->file_size ? r->file_size : in);
}

/* Parses one JSONL line into an article and hands it on. */
static vns_status jsonl_line(reader *r, const char *path, long lineno, const char *line,
                             size_t len) {
    json_error_t jerr;
    json_t *root = json_loadb(line, len, JSON_ALLOW_NUL, &jerr);
    if (root == NULL) {
        char what[300];
        snprintf(what, sizeof what, "invalid JSON: %s (column %d)", jerr.text, jerr.column);
        bad_line(r, path, lineno, line, len, what);
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
            meta_buf m = {0};
            json_meta(&m, root);
            a.meta = m.meta;
            a.dropped = m.dropped[0] ? m.dropped : NULL;
            a.body = json_string_value(jbody);
            a.body_len = json_string_length(jbody);
            if (json_is_string(jtitle)) {
                a.title = json_string_value(jtitle);
                a.title_len = json_string_length(jtitle);
            }
            if (a.title_len == 0 && a.body_len == 0) {
                report(r, path, lineno, id, "empty title and body: not indexed");
            } else {
                a.input_read = input_read(r);
                st = r->cb->article(&a, r->cb->ctx);
            }
            meta_buf_free(&m);
        }
    }
    json_decref(root);
    return st;
}

/* Reads the JSONL file at open_path (shown as path), or from fd when fd >= 0. Returns VNS_OK or
 * the status an article callback stopped with. */
static vns_status read_jsonl(reader *r, const char *path, const char *open_path, int nofollow,
                             int fd) {
    char msg[256];
    int given = fd >= 0; /* stdin's: it has no size to compare with. */
    if (fd < 0 && (fd = open_regular(open_path, nofollow, msg, sizeof msg)) < 0) {
        if (errno != ENOENT) r->whole_failures++;
        report(r, path, 0, NULL, "%s", msg);
        return VNS_OK;
    }
    gzFile f = gzdopen(fd, "rb");
    if (f == NULL) {
        close(fd);
        r->whole_failures++;
        report(r, path, 0, NULL, "cannot open: out of memory");
        return VNS_OK;
    }
    gzbuffer(f, 256 * 1024);
    r->gz = given ? NULL : f; /* How far a file is read (cli_article.input_read). */
    line_reader lr = {.f = f, .buf = malloc(READ_CHUNK)};
    vns_status st = VNS_OK;
    if (lr.buf == NULL) {
        gzclose(f);
        r->gz = NULL;
        r->whole_failures++;
        report(r, path, 0, NULL, "out of memory");
        return VNS_OK;
    }
    long lineno = 0;
    size_t len;
    int too_long, rc;
    while (st == VNS_OK && (rc = next_line(&lr, &len, &too_long)) == 1) {
        lineno++;
        /* A UTF-8 byte order mark before the first record is not part of it. */
        const char *line = lr.line;
        if (lineno == 1 && len >= 3 && memcmp(line, UTF8_BOM, 3) == 0) {
            line += 3;
            len -= 3;
        }
        if (too_long) {
            char what[64];
            snprintf(what, sizeof what, "line is over %zu MiB", VNS_MAX_ARTICLE_BYTES >> 20);
            bad_line(r, path, lineno, line, len, what);
            continue;
        }
        size_t i = 0;
        while (i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) i++;
        if (i == len) continue; /* Blank lines are allowed. */
        char idbuf[QUICK_ID_MAX + 1];
        const char *id = r->cb->wants ? quick_id(line, len, idbuf) : NULL;
        if (id && !r->cb->wants(id, input_read(r), r->cb->ctx)) continue;
        st = jsonl_line(r, path, lineno, line, len);
    }
    if (lr.error) {
        r->whole_failures++;
        report(r, path, lineno + 1, NULL, "cannot read further: %s; nothing of it is pruned",
               lr.why[0] ? lr.why : "out of memory");
    }
    free(lr.buf);
    free(lr.line);
    gzclose(f);
    r->gz = NULL;
    return st;
}

/* Reads the article file at open_path (shown as path), not through a symlink when nofollow.
 * Returns as read_txt. */
static vns_status read_file(reader *r, const char *path, const char *open_path, int nofollow,
                            const char *id) {
    struct stat sb;
    r->file_size = stat(open_path, &sb) == 0 && S_ISREG(sb.st_mode) ? (uint64_t)sb.st_size : 0;
    vns_status st = is_jsonl(path) ? read_jsonl(r, path, open_path, nofollow, -1)
                                   : read_txt(r, path, open_path, nofollow, id);
    r->done += r->file_size;
    r->file_size = 0;
    return st;
}

/* Whether the real path target lies inside the real directory path root. Never fails. */
static int inside(const char *target, const char *root) {
    size_t n = strlen(root);
    if (n > 0 && root[n - 1] == '/') return strncmp(target, root, n) == 0; /* root is "/" */
    return strncmp(target, root, n) == 0 && target[n] == '/';
}

/* Reads the symlinked article file path (id) when its target is a regular file inside root (the
 * real path of the SOURCE; NULL: nowhere) or the caller asked to follow symlinks; symlinked
 * directories are never followed (they can loop). Returns as read_txt. */
static vns_status read_link(reader *r, const char *path, const char *root, const char *id) {
    struct stat sb;
    char *target = realpath(path, NULL);
    vns_status st = VNS_OK;
    if (target == NULL || stat(target, &sb) < 0) {
        report(r, path, 0, NULL, "broken or looping symlink: %s", strerror(errno));
    } else if (S_ISDIR(sb.st_mode)) {
        /* Symlinked directories are not followed: they can loop. */
    } else if (!S_ISREG(sb.st_mode)) {
        note(r, path, "symlink to something that is not a regular file: skipped");
    } else if (!r->cb->follow_symlinks && (root == NULL || !inside(target, root))) {
        note(r, path, "symlink to outside the SOURCE: not followed (--follow-symlinks follows it)");
    } else {
        /* Read what was checked: the resolved path, its last step not a symlink. */
        st = read_file(r, path, target, 1, id);
    }
    free(target);
    return st;
}

static int skip_name(const struct dirent *d) {
    return d->d_name[0] != '.';
}

/* Walks dir (full path) whose path relative to the source root is rel ("" at the root): reads
 * regular article files, and symlinked ones as read_link decides. Returns as read_txt. */
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
            struct stat lst;
            if (lstat(full, &lst) < 0) {
                /* Listed but not stat'ed (a folder with mode r--): it exists, so nothing of it
                 * may be pruned. Gone since the listing: it is gone. */
                if (errno != ENOENT) {
                    r->whole_failures++;
                    report(r, full, 0, cli_is_article_file(full) && !is_jsonl(full) ? sub : NULL,
                           "cannot stat: %s", strerror(errno));
                }
            } else if (S_ISDIR(lst.st_mode)) {
                st = walk(r, full, sub);
            } else if (!cli_is_article_file(full)) {
                /* Not an article file. */
            } else if (S_ISREG(lst.st_mode)) {
                st = read_file(r, full, full, 1, sub);
            } else if (S_ISLNK(lst.st_mode)) {
                st = read_link(r, full, r->root, sub);
            } else {
                note(r, full, "not a regular file (a FIFO or a device?): skipped");
            }
        }
        free(full);
        free(sub);
        free(names[i]);
    }
    free(names);
    return st;
}

/* The bytes of the article files under dir (full path), as walk finds them: names starting with
 * '.' and symlinked directories skipped; those of the files last modified at or after since are
 * added to *fresh too. Never fails (what cannot be read counts 0). */
static uint64_t dir_article_bytes(const char *dir, time_t since, uint64_t *fresh) {
    struct dirent **names = NULL;
    int n = scandir(dir, &names, skip_name, NULL);
    uint64_t sum = 0;
    for (int i = 0; i < n; i++) {
        char *full = NULL;
        struct stat lst;
        /* Symlinked files are left out: the walk reads some of them, and a share that
         * reaches 100% early says less that is wrong than one stuck below it. */
        if (asprintf(&full, "%s/%s", dir, names[i]->d_name) >= 0 && lstat(full, &lst) == 0) {
            if (S_ISDIR(lst.st_mode)) {
                sum += dir_article_bytes(full, since, fresh);
            } else if (S_ISREG(lst.st_mode) && cli_is_article_file(full)) {
                sum += (uint64_t)lst.st_size;
                if (lst.st_mtime >= since) *fresh += (uint64_t)lst.st_size;
            }
        }
        free(full);
        free(names[i]);
    }
    free(names);
    return sum;
}

uint64_t cli_source_bytes(uint64_t *fresh, const char *source, time_t since) {
    struct stat sb;
    uint64_t sum = 0, ignored = 0;
    if (fresh == NULL) fresh = &ignored;
    if (strcmp(source, "-") == 0 || stat(source, &sb) < 0) return 0;
    if (S_ISDIR(sb.st_mode)) return dir_article_bytes(source, since, fresh);
    if (S_ISREG(sb.st_mode) && cli_is_article_file(source)) sum = (uint64_t)sb.st_size;
    *fresh += sum;
    return sum;
}

vns_status cli_read_source(const char *source, const cli_reader_callbacks *cb,
                           size_t *whole_file_failures) {
    reader r = {.cb = cb};
    vns_status st;
    struct stat sb;
    char *root = NULL;
    if (strcmp(source, "-") == 0) {
        st = read_jsonl(&r, "-", "-", 0, dup(0));
    } else if (stat(source, &sb) < 0) {
        r.whole_failures++;
        report(&r, source, 0, NULL, "cannot open: %s", strerror(errno));
        st = VNS_OK;
    } else if (S_ISDIR(sb.st_mode)) {
        if ((r.root = root = realpath(source, NULL)) == NULL) {
            r.whole_failures++;
            report(&r, source, 0, NULL, "cannot resolve: %s", strerror(errno));
            st = VNS_OK;
        } else {
            st = walk(&r, source, "");
        }
    } else if (!cli_is_article_file(source)) {
        report(&r, source, 0, NULL,
               "not a supported file (.txt, .txt.gz, .jsonl, .jsonl.gz) or directory");
        r.whole_failures++;
        st = VNS_OK;
    } else {
        /* A file named on the command line is read wherever a symlink leads. */
        const char *base = strrchr(source, '/');
        st = read_file(&r, source, source, 0, base ? base + 1 : source);
    }
    free(root);
    if (whole_file_failures) *whole_file_failures = r.whole_failures;
    return st;
}

vns_status cli_read_file(const char *path, const char *id, const cli_reader_callbacks *cb,
                         size_t *whole_file_failures) {
    reader r = {.cb = cb};
    struct stat lst;
    vns_status st = VNS_OK;
    if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode)) {
        char *root = cb->root ? realpath(cb->root, NULL) : NULL;
        st = read_link(&r, path, root, id);
        free(root);
    } else if (lstat(path, &lst) == 0 && !S_ISREG(lst.st_mode)) {
        note(&r, path, "not a regular file (a FIFO or a device?): skipped");
    } else {
        st = read_file(&r, path, path, 1, id);
    }
    if (whole_file_failures) *whole_file_failures = r.whole_failures;
    return st;
}
