/* test_analyzer.c: tables of input text -> words (folded, exact, byte offsets) for the analyzer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "analyzer.h"
#include "exact_common.h"
#include "util.h"

/* Renders every word of text as "folded/exact@start-end", space-separated. */
typedef struct render {
    char out[4096];
    size_t len;
    const char *text;
    int slices_ok; /* Each range re-analyzed alone gives the same forms. */
    vnsi_analyzer *an;
} render;

static int render_token(const vnsi_token *t, void *p) {
    render *r = p;
    r->len += (size_t)snprintf(r->out + r->len, sizeof r->out - r->len, "%s%.*s/%.*s@%zu-%zu",
                               r->len ? " " : "", (int)t->folded_len, t->folded, (int)t->exact_len,
                               t->exact, t->start, t->end);
    return 0;
}

static const char *analyze(const char *text) {
    static render r;
    memset(&r, 0, sizeof r);
    vnsi_analyzer *an = NULL;
    assert_int_equal(vnsi_analyzer_new(&an), VNS_OK);
    assert_int_equal(vnsi_analyze(an, text, strlen(text), 0, render_token, &r, NULL), VNS_OK);
    vnsi_analyzer_free(an);
    return r.out;
}

typedef struct row {
    const char *input;
    const char *words;
} row;

/* Words from the seed articles and the cases the issue names. */
static const row forms[] = {
    {"Đồng chí", "dong/đồng@0-7 chi/chí@8-12"},
    {"CĐS", "cds/cđs@0-4"},
    {"UBND tỉnh", "ubnd/ubnd@0-4 tinh/tỉnh@5-11"},
    {"chuyển đổi số", "chuyen/chuyển@0-8 doi/đổi@9-15 so/số@16-20"},
    /* Folding loses the tone; the exact form keeps it. */
    {"số sở sơ", "so/số@0-4 so/sở@5-9 so/sơ@10-13"},
    /* Both tone placements give one exact form, the tone on the second vowel. */
    {"hòa hoà", "hoa/hoà@0-4 hoa/hoà@5-9"},
    {"thủy thuỷ", "thuy/thuỷ@0-6 thuy/thuỷ@7-13"},
    {"Ủy Uỷ", "uy/uỷ@0-4 uy/uỷ@5-9"},
    {"khỏe khoẻ", "khoe/khoẻ@0-6 khoe/khoẻ@7-13"},
    /* With a final consonant the tone already sits on the second vowel. */
    {"Hoàng", "hoang/hoàng@0-6"},
    /* Numbers keep their separators. */
    {"70,91 65.329 3.500", "70,91/70,91@0-5 65.329/65.329@6-12 3.500/3.500@13-18"},
    {"quý I/2022", "qui/quí@0-4 i/i@5-6 2022/2022@7-11"},
    {"Lạng Sơn Cloud", "lang/lạng@0-6 son/sơn@7-11 cloud/cloud@12-17"},
    /* URLs: host names stay one word, the rest splits at / and :. */
    {"https://mic.gov.vn/tin", "https/https@0-5 mic.gov.vn/mic.gov.vn@8-18 tin/tin@19-22"},
    {"e-mail VNeID", "e/e@0-1 mail/mail@2-6 vneid/vneid@7-12"},
    /* Punctuation and spaces are not words. */
    {"– Ngày 25/12, (ĐBP).", "ngay/ngày@4-9 25/25@10-12 12/12@13-15 dbp/đbp@18-22"},
    {"", ""},
    {"   ...  ", ""},
    /* i and y: where y is a syllable's whole vowel after a consonant (qu counts as one), both
     * spellings are one word, in both forms; the tone stays. Words from VNTC. */
    {"kĩ kỹ", "ki/kĩ@0-3 ki/kĩ@4-8"},
    {"tỉ tỷ", "ti/tỉ@0-4 ti/tỉ@5-9"},
    {"lí lý", "li/lí@0-3 li/lí@4-7"},
    {"Mĩ Mỹ", "mi/mĩ@0-3 mi/mĩ@4-8"},
    {"hi hy", "hi/hi@0-2 hi/hi@3-5"},
    {"quí quý Quy", "qui/quí@0-4 qui/quí@5-9 qui/qui@10-13"},
    {"kỉ kỷ sĩ sỹ", "ki/kỉ@0-4 ki/kỉ@5-9 si/sĩ@10-13 si/sĩ@14-18"},
    {"KỸ THUẬT", "ki/kĩ@0-4 thuat/thuật@5-12"},
    {"qúy", "qui/quí@0-4"}, /* The tone moved onto y first, then y written i. */
    /* y in a vowel group, or alone, is left alone: tai is not tay, thủy is not thủi. */
    {"tay tuy thủy yêu nguyên", "tay/tay@0-3 tuy/tuy@4-7 thuy/thuỷ@8-14 yeu/yêu@15-19 "
                                "nguyen/nguyên@20-27"},
    {"ý y Y", "y/ý@0-2 y/y@3-4 y/y@5-6"},
    {"huy khuya quyết", "huy/huy@0-3 khuya/khuya@4-9 quyet/quyết@10-17"},
    /* Invisible format characters inside or around a word: soft hyphen, zero-width space,
     * zero-width joiner and non-joiner, right-to-left and left-to-right marks, BOM, word
     * joiner. The word is still the word, and its bytes still span them. */
    {"chuy\u00ADển đổi", "chuyen/chuyển@0-10 doi/đổi@11-17"},
    {"chuy\u200Bển đổi", "chuyen/chuyển@0-11 doi/đổi@12-18"},
    {"Việt\u200DNam", "vietnam/việtnam@0-12"},
    {"số\u200Chóa", "sohoa/sốhoá@0-11"},
    {"\u200Fhà nội\u200E", "ha/hà@3-6 noi/nội@7-15"},
    {"\uFEFFUBND", "ubnd/ubnd@3-7"},
    {"Hà\u2060Nội", "hanoi/hànội@0-11"},
    {"\u200B\u200B", ""},
    /* Full-width forms fold as ASCII (the exact form too). */
    {"\uFF34\uFF30\uFF0E\uFF28\uFF23\uFF2D", "tp.hcm/tp.hcm@0-18"},
    {"\uFF15\uFF10\uFF05", "50/50@0-6"},
};

static void analyzer__forms(void **state) {
    (void)state;
    int bad = 0;
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        const char *got = analyze(forms[i].input);
        if (strcmp(got, forms[i].words) != 0) {
            print_error("input '%s'\n  want '%s'\n  got  '%s'\n", forms[i].input, forms[i].words,
                        got);
            bad++;
        }
    }
    assert_int_equal(bad, 0);
}

/* Decomposed (NFD) input gives the same forms as NFC input; only the offsets differ. */
static const row nfd_pairs[] = {
    {"chuyển đổi số", "chuye\xcc\x82\xcc\x89n \xc4\x91o\xcc\x82\xcc\x89i so\xcc\x82\xcc\x81"},
    {"Điện Biên", "\xc4\x90ie\xcc\x82\xcc\xa3n Bie\xcc\x82n"},
    {"hòa thuỷ", "ho\xcc\x80"
                 "a thuy\xcc\x89"},
    {"người Việt", "ngu\xcc\x9bo\xcc\x9b\xcc\x80i Vie\xcc\x82\xcc\xa3t"},
};

/* Strips the @start-end parts so two renders can be compared on forms alone. */
static void strip_offsets(char *s) {
    char *w = s;
    for (char *p = s; *p; p++) {
        if (*p == '@') {
            while (p[1] && p[1] != ' ') p++;
            continue;
        }
        *w++ = *p;
    }
    *w = '\0';
}

static void analyzer__nfd_equals_nfc(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof nfd_pairs / sizeof nfd_pairs[0]; i++) {
        char nfc[1024], nfd[1024];
        snprintf(nfc, sizeof nfc, "%s", analyze(nfd_pairs[i].input));
        snprintf(nfd, sizeof nfd, "%s", analyze(nfd_pairs[i].words));
        strip_offsets(nfc);
        strip_offsets(nfd);
        if (strcmp(nfc, nfd) != 0) fail_msg("NFC '%s' vs NFD '%s'", nfc, nfd);
    }
}

/* Every word's byte range slices the original text into something that analyzes to the same
 * forms, on a passage of seed text mixing NFC and NFD. */
typedef struct slice_ctx {
    const char *text;
    vnsi_analyzer *an;
    int words;
} slice_ctx;

static int check_slice(const vnsi_token *t, void *p) {
    slice_ctx *c = p;
    char folded[256], exact[256];
    snprintf(folded, sizeof folded, "%.*s", (int)t->folded_len, t->folded);
    snprintf(exact, sizeof exact, "%.*s", (int)t->exact_len, t->exact);
    const char *alone = NULL;
    char slice[256];
    snprintf(slice, sizeof slice, "%.*s", (int)(t->end - t->start), c->text + t->start);
    alone = analyze(slice);
    char want[600];
    snprintf(want, sizeof want, "%s/%s@0-%zu", folded, exact, t->end - t->start);
    assert_string_equal(alone, want);
    c->words++;
    return 0;
}

static void analyzer__offsets_slice_original(void **state) {
    (void)state;
    const char *text =
        "Đồng chí Hồ Tiến Thiệu, Chủ tịch UBND tỉnh, Trưởng Ban Chỉ đạo chuyển đổi số tỉnh chủ "
        "trì hội nghị tại điểm cầu tỉnh Lạng Sơn. Tiết kiệm 3.500 tỷ đồng; ho\xcc\x80"
        "a bi\xcc\x80nh.";
    vnsi_analyzer *an = NULL;
    assert_int_equal(vnsi_analyzer_new(&an), VNS_OK);
    slice_ctx c = {text, an, 0};
    assert_int_equal(vnsi_analyze(an, text, strlen(text), 0, check_slice, &c, NULL), VNS_OK);
    vnsi_analyzer_free(an);
    assert_int_equal(c.words, 34);
}

/* Positions count words from first_pos, skipping punctuation. */
static int record_pos(const vnsi_token *t, void *p) {
    uint32_t *pos = p;
    pos[pos[0] + 1] = t->pos;
    pos[0]++;
    return 0;
}

static void analyzer__positions(void **state) {
    (void)state;
    uint32_t pos[8] = {0};
    vnsi_analyzer *an = NULL;
    assert_int_equal(vnsi_analyzer_new(&an), VNS_OK);
    const char *text = "Hà Nội, ngày 5.";
    assert_int_equal(vnsi_analyze(an, text, strlen(text), 7, record_pos, pos, NULL), VNS_OK);
    vnsi_analyzer_free(an);
    assert_int_equal(pos[0], 4);
    assert_int_equal(pos[1], 7);
    assert_int_equal(pos[2], 8);
    assert_int_equal(pos[3], 9);
    assert_int_equal(pos[4], 10);
}

/* Invalid UTF-8 is counted and never becomes part of a word. */
static void analyzer__invalid_utf8(void **state) {
    (void)state;
    const char text[] = "ab\xff cd \xe1\xba tiếng\xc3";
    render r;
    memset(&r, 0, sizeof r);
    vnsi_analyzer *an = NULL;
    vnsi_analyze_stats st;
    assert_int_equal(vnsi_analyzer_new(&an), VNS_OK);
    assert_int_equal(vnsi_analyze(an, text, sizeof text - 1, 0, render_token, &r, &st), VNS_OK);
    vnsi_analyzer_free(an);
    assert_string_equal(r.out, "ab/ab@0-2 cd/cd@4-6 tieng/tiếng@10-17");
    assert_int_equal(st.invalid_utf8, 3);
    assert_int_equal(st.tokens, 3);

    size_t len, bad;
    char *clean = vnsi_utf8_sanitize(text, sizeof text - 1, &len, &bad);
    assert_non_null(clean);
    assert_int_equal(bad, 3);
    assert_int_equal(vnsi_utf8_count_invalid(clean, len), 0);
    assert_string_equal(clean, "ab\xef\xbf\xbd cd \xef\xbf\xbd tiếng\xef\xbf\xbd");
    free(clean);
}

/* A word over the term limit is cut at a character boundary and flagged. */
static int check_long(const vnsi_token *t, void *p) {
    int *n = p;
    assert_true(t->folded_len <= VNS_MAX_FORM_BYTES);
    assert_true(t->exact_len <= VNS_MAX_FORM_BYTES);
    assert_true(t->truncated);
    assert_int_equal(vnsi_utf8_count_invalid(t->exact, t->exact_len), 0);
    assert_int_equal(vnsi_utf8_count_invalid(t->folded, t->folded_len), 0);
    assert_int_equal(t->exact_len, 240); /* "ệ" is 3 bytes: 80 of them fill 240 exactly. */
    (*n)++;
    return 0;
}

static void analyzer__long_word_truncated(void **state) {
    (void)state;
    char text[3 * 150 + 1] = "";
    for (int i = 0; i < 150; i++) strcat(text, "ệ");
    int n = 0;
    vnsi_analyzer *an = NULL;
    vnsi_analyze_stats st;
    assert_int_equal(vnsi_analyzer_new(&an), VNS_OK);
    assert_int_equal(vnsi_analyze(an, text, strlen(text), 0, check_long, &n, &st), VNS_OK);
    vnsi_analyzer_free(an);
    assert_int_equal(n, 1);
    assert_int_equal(st.truncated, 1);
}

/* Non-Latin words go through ICU and still fold (Cyrillic, Greek with marks, CJK). */
static const row other_scripts[] = {
    {"Москва", "москва/москва@0-12"},
    {"Ἀθῆναι", "αθηναι/ἀθῆναι@0-14"},
    {"Café", "cafe/café@0-5"},
};

static void analyzer__other_scripts(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof other_scripts / sizeof other_scripts[0]; i++) {
        const char *got = analyze(other_scripts[i].input);
        if (strcmp(got, other_scripts[i].words) != 0)
            fail_msg("input '%s'\n  want '%s'\n  got  '%s'", other_scripts[i].input,
                     other_scripts[i].words, got);
    }
}

/* The common exact forms (exact_common.h) are what the analyzer makes of them (an exact form with
 * marks, whose fold is the entry's), sorted by folded word, without repeats; and the lookups find
 * each entry, and nothing for a form that is not one. */
static void analyzer__common_forms_table(void **state) {
    (void)state;
    size_t n = vnsi_common_count();
    assert_true(n > 0 && n <= VNSI_COMMON_FORMS_MAX);
    for (size_t i = 0; i < n; i++) {
        const vnsi_common_form *e = vnsi_common_entry(i);
        char want[256];
        snprintf(want, sizeof want, "%s/%s@0-%zu", e->fold, e->form, strlen(e->form));
        const char *got = analyze(e->form);
        if (strcmp(got, want) != 0 || strcmp(e->fold, e->form) == 0)
            fail_msg("entry %zu: %s is analyzed as %s", i, want, got);
        if (i > 0) {
            const vnsi_common_form *p = vnsi_common_entry(i - 1);
            int c = strcmp(p->fold, e->fold);
            if (c > 0 || (c == 0 && strcmp(p->form, e->form) >= 0))
                fail_msg("entries %zu and %zu out of order", i - 1, i);
        }
        size_t first = 0, count = vnsi_common_by_fold(e->fold, strlen(e->fold), &first);
        size_t want_first = i, want_count = 0;
        while (want_first > 0 && strcmp(vnsi_common_entry(want_first - 1)->fold, e->fold) == 0)
            want_first--;
        for (size_t j = want_first; j < n && strcmp(vnsi_common_entry(j)->fold, e->fold) == 0; j++)
            want_count++;
        if (first != want_first || count != want_count)
            fail_msg("%s: entries %zu+%zu, want %zu+%zu", e->fold, first, count, want_first,
                     want_count);
        assert_int_equal(vnsi_common_find(e->fold, strlen(e->fold), e->form, strlen(e->form)),
                         (long)i);
    }
    assert_null(vnsi_common_entry(n));
    static const struct {
        const char *fold, *form;
        long found;
    } finds[] = {{"so", "số", 1}, {"so", "sở", 0}, {"s", "số", 0},      {"soo", "số", 0},
                 {"so", "s", 0},  {"", "", 0},     {"dong", "đồng", 1}, {"dong", "động", 1}};
    static const char *const not_folds[] = {"", "s", "soo", "sO", "s\xc3\xb4", "zzzzzzzz"};
    for (size_t i = 0; i < sizeof not_folds / sizeof not_folds[0]; i++) {
        size_t first = 0;
        if (vnsi_common_by_fold(not_folds[i], strlen(not_folds[i]), &first) != 0)
            fail_msg("'%s' found as a folded word", not_folds[i]);
    }
    /* A folded word's bytes then a NUL and one more byte: no entry (a lookup that stopped
     * comparing at the NUL would read past the entry's end; the sanitizer build catches it). */
    for (size_t i = 0; i < n; i++) {
        const char *fold = vnsi_common_entry(i)->fold;
        size_t len = strlen(fold), first = 0;
        char key[VNS_MAX_FORM_BYTES + 2];
        if (len + 2 > sizeof key) continue;
        memcpy(key, fold, len);
        key[len] = '\0';
        for (int b = 0; b < 256; b++) {
            key[len + 1] = (char)b;
            if (vnsi_common_by_fold(key, len + 2, &first) != 0)
                fail_msg("'%s' then NUL and byte %d found as a folded word", fold, b);
        }
    }
    for (size_t i = 0; i < sizeof finds / sizeof finds[0]; i++) {
        long got = vnsi_common_find(finds[i].fold, strlen(finds[i].fold), finds[i].form,
                                    strlen(finds[i].form));
        if ((got >= 0) != finds[i].found) fail_msg("%s/%s: %ld", finds[i].fold, finds[i].form, got);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(analyzer__forms),
        cmocka_unit_test(analyzer__nfd_equals_nfc),
        cmocka_unit_test(analyzer__offsets_slice_original),
        cmocka_unit_test(analyzer__positions),
        cmocka_unit_test(analyzer__invalid_utf8),
        cmocka_unit_test(analyzer__long_word_truncated),
        cmocka_unit_test(analyzer__other_scripts),
        cmocka_unit_test(analyzer__common_forms_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
