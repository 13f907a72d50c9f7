/* test_readers.c: headline detection for .txt files, and file kinds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

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

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(readers__headline),
        cmocka_unit_test(readers__long_first_line_is_body),
        cmocka_unit_test(readers__file_kinds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
