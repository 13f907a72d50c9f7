/* test_typing.c: Vietnamese syllables (validity, index forms), Telex and VNI decoding, and
 * spelling suggestions over a table of document counts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "suggest.h"
#include "typing.h"

/* ---- Validity ---------------------------------------------------------------------------- */

typedef struct valid_row {
    const char *word;
    int valid;
} valid_row;

static const valid_row valid_rows[] = {
    /* Typed with diacritics. */
    {"việt", 1},
    {"Nam", 1},
    {"người", 1},
    {"đường", 1},
    {"nước", 1},
    {"chuyển", 1},
    {"đổi", 1},
    {"số", 1},
    {"gì", 1},
    {"giá", 1},
    {"giữa", 1},
    {"gìn", 1},
    {"giếng", 1},
    {"quý", 1},
    {"quyết", 1},
    {"quốc", 1},
    {"quả", 1},
    {"Quỳnh", 1},
    {"quýt", 1},
    {"khuya", 1},
    {"khuỷu", 1},
    {"ngoằn", 1},
    {"hoặc", 1},
    {"hoà", 1},
    {"hòa", 1},
    {"thuỷ", 1},
    {"thủy", 1},
    {"khoẻ", 1},
    {"nghiêng", 1},
    {"yêu", 1},
    {"ý", 1},
    {"uyên", 1},
    {"oà", 1},
    {"kỹ", 1},
    {"kĩ", 1},
    {"xoong", 1},
    {"thuở", 1},
    {"rượu", 1},
    {"VIỆT", 1},
    {"ĐƯỜNG", 1},
    {"Việt", 1},
    {"ấy", 1},
    {"ơi", 1},
    /* Without diacritics. */
    {"viet", 1},
    {"nguyen", 1},
    {"chuyen", 1},
    {"doi", 1},
    {"so", 1},
    {"quy", 1},
    {"ky", 1},
    {"ki", 1},
    {"hy", 1},
    {"the", 1}, /* thẻ, the: a syllable, not only an English word. */
    {"nghieng", 1},
    {"duong", 1},
    {"gi", 1},
    {"qui", 1},
    {"NGUOI", 1},
    /* NFD: base letters and combining marks. */
    {"vie\xcc\x82\xcc\xa3t", 1},
    /* Not syllables. */
    {"google", 0},
    {"sex", 0},
    {"news", 0},
    {"tphcm", 0},
    {"UBND", 0},
    {"COVID", 0},
    {"iphone", 0},
    {"", 0},
    {"2017", 0},
    {"ce", 0},
    {"ka", 0},
    {"ghe", 1},
    {"ghy", 0},
    {"nge", 0},
    {"ngi", 0},
    {"gie", 1},
    {"quu", 0},
    {"q", 0},
    {"vieejt", 0},
    {"tyen", 0},
    {"ien", 0},
    {"yen", 1},
    {"viêt", 0}, /* A stop final takes only sắc or nặng. */
    {"việc", 1},
    {"viềt", 0},
    {"hát", 1},
    {"hàt", 0},
    {"việtt", 0},
    {"vìệt", 0}, /* Two tones. */
    {"streets", 0},
    {"nghiêngg", 0},
    {"xyz", 0},
    {"\xff", 0},
    {"a-b", 0},
};

/* Each row of valid_rows: vnsi_syllable_valid agrees. */
static void typing__valid(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof valid_rows / sizeof valid_rows[0]; i++) {
        const valid_row *r = &valid_rows[i];
        int got = vnsi_syllable_valid(r->word, strlen(r->word));
        if (got != r->valid) fail_msg("valid(\"%s\") = %d, expected %d", r->word, got, r->valid);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(typing__valid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
