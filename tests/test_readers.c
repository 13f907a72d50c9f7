/* test_readers.c: headline detection for .txt files, file kinds, and JSONL lines kept or lost. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "readers.h"

typedef struct row {
    const char *text;
    const char *title; /* NULL: no title. */
    const char *body;
} row;

static const row headlines[] = {
    /* Short first line without a closing full stop: a headline. */
    {"Mỗi địa phương có 1 đề án chuyển đổi số\n\nThủ tướng yêu cầu.",
     "Mỗi địa phương có 1 đề án chuyển đổi số", "Thủ tướng yêu cầu."},
    {"Dấu ấn chuyển đổi số: Lợi đơn, lợi kép\r\nTừ đầu năm 2024.",
     "Dấu ấn chuyển đổi số: Lợi đơn, lợi kép", "Từ đầu năm 2024."},
    /* A first line ending with a full stop is body text. */
    {"ĐBP - Sáng 27/4, Thủ tướng chủ trì.\nTại phiên họp.", NULL,
     "ĐBP - Sáng 27/4, Thủ tướng chủ trì.\nTại phiên họp."},
    /* A single line is body, however short. */
    {"Chỉ một dòng", NULL, "Chỉ một dòng"},
    /* Nothing after the first line: body. */
    {"Tiêu đề\n\n  \n", NULL, "Tiêu đề\n\n  \n"},
    /* An empty first line: no title. */
    {"\nNội dung.", NULL, "\nNội dung."},
    /* A byte order mark is dropped. */
    {"\xEF\xBB\xBFTiêu đề\nNội dung.", "Tiêu đề", "Nội dung."},
};

static void readers__headline(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof headlines / sizeof headlines[0]; i++) {
        const row *r = &headlines[i];
        const char *title, *body;
        size_t tl, bl;
        cli_split_headline(r->text, strlen(r->text), &title, &tl, &body, &bl);
        if (r->title == NULL) {
            assert_null(title);
        } else {
            assert_non_null(title);
            assert_int_equal(tl, strlen(r->title));
            assert_memory_equal(title, r->title, tl);
        }
        assert_int_equal(bl, strlen(r->body));
        assert_memory_equal(body, r->body, bl);
    }
}

static void readers__long_first_line_is_body(void **state) {
    (void)state;
    char text[VNS_MAX_HEADLINE_BYTES + 64];
    memset(text, 'a', VNS_MAX_HEADLINE_BYTES + 1);
    strcpy(text + VNS_MAX_HEADLINE_BYTES + 1, "\nrest");
    const char *title, *body;
    size_t tl, bl;
    cli_split_headline(text, strlen(text), &title, &tl, &body, &bl);
    assert_null(title);
    assert_int_equal(bl, strlen(text));
}

static const struct {
    const char *path;
    int article;
} kinds[] = {
    {"a.txt", 1}, {"a.txt.gz", 1}, {"d/a.jsonl", 1}, {"a.jsonl.gz", 1}, {"a.json", 0},
    {"a.md", 0},  {"txt", 0},      {".txt", 0},      {"a.gz", 0},
};

static void readers__file_kinds(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        assert_int_equal(cli_is_article_file(kinds[i].path), kinds[i].article);
}

/* A JSONL file's text, and what reading it gives: the ids of its articles, the ids of its
 * failures (kept in the index), and the whole-file failures (which stop pruning). */
typedef struct jsonl_row {
    const char *text;
    const char *articles;
    const char *failed_ids;
    size_t whole;
} jsonl_row;

static const jsonl_row jsonl_rows[] = {
    /* A byte order mark before the first record is skipped. */
    {"\xEF\xBB\xBF{\"id\":\"a\",\"body\":\"x\"}\n{\"id\":\"b\",\"body\":\"y\"}\n", "a b ", "", 0},
    /* A line that stops parsing after its id keeps that id... */
    {"{\"id\":\"a\",\"body\":\"x \\q\"}\n", "", "a ", 0},
    {"{\"title\":\"t\", \"id\" : 42, \"body\":[}\n", "", "42 ", 0},
    {"{\"id\":\"\\u00e1\\\"b\",\"body\":\n", "", "\xC3\xA1\"b ", 0},
    /* ...but not one of a nested object, a broken or an empty one: then nothing is pruned. */
    {"{\"meta\":{\"id\":\"n\"},\"body\":\n", "", "", 1},
    {"{\"id\":,\"body\":\"x\"}\n", "", "", 1},
    {"{\"id\":\"\",\"body\":\n", "", "", 1},
    {"{\"id\":\"cut", "", "", 1},
    {"[\"id\",\"x\"\n", "", "", 1},
};

typedef struct seen {
    char articles[256], failed[256];
} seen;

static vns_status collect(const cli_article *a, void *ctx) {
    seen *s = ctx;
    strcat(strcat(s->articles, a->id), " ");
    return VNS_OK;
}

static void failed(const char *path, long line, const char *id, const char *msg, void *ctx) {
    (void)path, (void)line, (void)msg;
    seen *s = ctx;
    if (id) strcat(strcat(s->failed, id), " ");
}

static void readers__jsonl_lines(void **state) {
    (void)state;
    char path[] = "/tmp/vns-test-readers-XXXXXX.jsonl";
    int fd = mkstemps(path, 6);
    assert_true(fd >= 0);
    for (size_t i = 0; i < sizeof jsonl_rows / sizeof jsonl_rows[0]; i++) {
        const jsonl_row *row = &jsonl_rows[i];
        size_t len = strlen(row->text);
        assert_int_equal(ftruncate(fd, 0), 0);
        assert_int_equal(pwrite(fd, row->text, len, 0), (ssize_t)len);
        seen s = {"", ""};
        cli_reader_callbacks cb = {.article = collect, .failure = failed, .ctx = &s};
        size_t whole = 99;
        assert_int_equal(cli_read_source(path, &cb, &whole), VNS_OK);
        assert_string_equal(s.articles, row->articles);
        assert_string_equal(s.failed, row->failed_ids);
        assert_int_equal(whole, row->whole);
    }
    close(fd);
    unlink(path);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(readers__headline),
        cmocka_unit_test(readers__long_first_line_is_body),
        cmocka_unit_test(readers__file_kinds),
        cmocka_unit_test(readers__jsonl_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
