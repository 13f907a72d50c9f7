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
    {"cuy", 0},
    {"coa", 0},
    {"cuân", 0},
    {"cua", 1},
    {"cuộc", 1},
    {"khoa", 1},
    {"goá", 1},
    {"\xe0\x81\xa1", 0}, /* An overlong a. */
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

/* ---- Index forms ------------------------------------------------------------------------- */

typedef struct form_row {
    const char *word, *exact, *folded;
} form_row;

static const form_row form_rows[] = {
    {"kỹ", "kĩ", "ki"},
    {"quý", "quí", "qui"},
    {"lý", "lí", "li"},
    {"Mỹ", "mĩ", "mi"},
    {"hy", "hi", "hi"},
    {"ky", "ki", "ki"},
    {"QUY", "qui", "qui"},
    {"thủy", "thuỷ", "thuy"},
    {"thuỷ", "thuỷ", "thuy"},
    {"tay", "tay", "tay"},
    {"yêu", "yêu", "yeu"},
    {"nguyên", "nguyên", "nguyen"},
    {"tuy", "tuy", "tuy"},
    {"ý", "ý", "y"},
    {"y", "y", "y"},
    {"hòa", "hoà", "hoa"},
    {"khỏe", "khoẻ", "khoe"},
    {"Việt", "việt", "viet"},
    {"ĐƯỜNG", "đường", "duong"},
    {"giữa", "giữa", "giua"},
    {"quýt", "quýt", "quyt"},
    {"Quỳnh", "quỳnh", "quynh"},
    {"mùa", "mùa", "mua"},
    {"hoàn", "hoàn", "hoan"},
    {"ngoài", "ngoài", "ngoai"},
    {"vie\xcc\x82\xcc\xa3t", "việt", "viet"},
};

/* Each row of form_rows: the exact and the folded form. */
static void typing__forms(void **state) {
    (void)state;
    char out[64];
    for (size_t i = 0; i < sizeof form_rows / sizeof form_rows[0]; i++) {
        const form_row *r = &form_rows[i];
        size_t n = vnsi_syllable_canonical_iy(r->word, strlen(r->word), 1, out, sizeof out);
        if (n != strlen(r->exact) || strcmp(out, r->exact) != 0)
            fail_msg("exact(\"%s\") = \"%s\", expected \"%s\"", r->word, n ? out : "", r->exact);
        n = vnsi_syllable_canonical_iy(r->word, strlen(r->word), 0, out, sizeof out);
        if (n != strlen(r->folded) || strcmp(out, r->folded) != 0)
            fail_msg("folded(\"%s\") = \"%s\", expected \"%s\"", r->word, n ? out : "", r->folded);
    }
    /* Not letters, two tones, too long for the buffer. */
    assert_int_equal(vnsi_syllable_canonical_iy("a-b", 3, 1, out, sizeof out), 0);
    assert_int_equal(vnsi_syllable_canonical_iy("àá", strlen("àá"), 1, out, sizeof out), 0);
    assert_int_equal(vnsi_syllable_canonical_iy("việt", strlen("việt"), 1, out, 6), 0);
    assert_int_equal(vnsi_syllable_canonical_iy("việt", strlen("việt"), 1, out, 7), 6);
}

/* ---- Telex and VNI ----------------------------------------------------------------------- */

typedef struct decode_row {
    const char *typed, *decoded; /* decoded NULL: must not decode. */
} decode_row;

static const decode_row telex_rows[] = {
    {"vieejt", "việt"},
    {"vieetj", "việt"},
    {"Vieejt", "Việt"},
    {"VIEEJT", "VIỆT"},
    {"chuyeenr", "chuyển"},
    {"chuyeern", "chuyển"},
    {"ddooir", "đổi"},
    {"ddoori", "đổi"},
    {"soos", "số"},
    {"nguwowif", "người"},
    {"nguowif", "người"},
    {"dduwowngf", "đường"},
    {"dduowngf", "đường"},
    {"nuwowcs", "nước"},
    {"nuowcs", "nước"},
    {"thur", "thủ"},
    {"tuwowngs", "tướng"},
    {"tuowngs", "tướng"},
    {"quoocs", "quốc"},
    {"hooij", "hội"},
    {"huwowngs", "hướng"},
    {"daanx", "dẫn"},
    {"giaos", "giáo"},
    {"ducj", "dục"},
    {"khuyeens", "khuyến"},
    {"khichs", "khích"},
    {"hoaf", "hoà"},
    {"khoer", "khoẻ"},
    {"thuyr", "thuỷ"},
    {"quys", "quý"},
    {"ngoaif", "ngoài"},
    {"tw", "tư"},
    {"DDaij", "Đại"},
    {"hocj", "học"},
    {"trieenr", "triển"},
    {"kinhs", "kính"},
    {"teets", "tết"},
    {"nawm", "năm"},
    {"hoawcj", "hoặc"},
    {"muwa", "mưa"},
    {"gif", "gì"},
    {"giuwax", "giữa"},
    {"khuyar", "khuỷa"},
    {"phats", "phát"},
    {"xaay", "xây"},
    {"duwngj", "dựng"},
    {"cuar", "của"},
    {"nhaan", "nhân"},
    {"thaanf", "thần"},
    {"baof", "bào"},
    {"raats", "rất"},
    /* oo is ô typed in Telex even where oong is a rime as typed (xoong, boong): the index tells
     * a pot from a word typed in Telex (rewrite.c). */
    {"khoong", "không"},
    {"coong", "công"},
    {"Coong", "Công"},
    {"Oong", "Ông"},
    {"xoong", "xông"},
    /* Abbreviations typed in capitals: DD is Đ; DDD could be ĐD or DĐ. */
    {"CDD", "CĐ"},
    {"DDBSCL", "ĐBSCL"},
    {"HDDND", "HĐND"},
    {"DDTDDD", NULL},
    {"DDDD", NULL},
    {"Cdd", NULL},
    {"CD", NULL},
    /* Not Telex, or not a syllable once read as Telex. */
    {"viet", NULL},
    {"nam", NULL},
    {"Hà", NULL},
    {"google", NULL},
    {"COVID", NULL},
    {"UBND", NULL},
    {"iphone", NULL},
    {"the", NULL},
    {"news", NULL},
    {"facebook", NULL},
    {"Trump", NULL},
    {"Biden", NULL},
    {"tphcm", NULL},
    {"vieetf", NULL}, /* huyền on a stop. */
    {"vieet", NULL},
    {"ss", NULL},
    {"vieejtj", NULL},
    {"", NULL},
    {"wifi", NULL},
    {"Samsung", NULL},
    {"online", NULL},
    {"Apple", NULL},
    {"Hanoi", NULL},
    {"email", NULL},
    {"video", NULL},
    {"tweet", NULL},
};

static const decode_row vni_rows[] = {
    {"vie65t", "việt"},
    {"vie6t5", "việt"},
    {"Vie65t", "Việt"},
    {"VIE65T", "VIỆT"},
    {"chuye6n3", "chuyển"},
    {"chuye63n", "chuyển"},
    {"d9o6i3", "đổi"},
    {"d9oi63", "đổi"},
    {"so61", "số"},
    {"so16", "số"},
    {"nguo72i", "người"},
    {"ngu7o72i", "người"},
    {"d9uo72ng", "đường"},
    {"nu7o7c1", "nước"},
    {"nuo7c1", "nước"},
    {"thu3", "thủ"},
    {"tuo71ng", "tướng"},
    {"quo6c1", "quốc"},
    {"ho6i5", "hội"},
    {"huo7ng1", "hướng"},
    {"da6n4", "dẫn"},
    {"gia1o", "giáo"},
    {"du5c", "dục"},
    {"khuye6n1", "khuyến"},
    {"khi1ch", "khích"},
    {"hoa2", "hoà"},
    {"khoe3", "khoẻ"},
    {"thuy3", "thuỷ"},
    {"quy1", "quý"},
    {"ngoa2i", "ngoài"},
    {"na8m", "năm"},
    {"hoa8c5", "hoặc"},
    {"mu7a", "mưa"},
    {"gi2", "gì"},
    {"D9a5i", "Đại"},
    {"ho5c", "học"},
    {"trie63n", "triển"},
    {"te6t1", "tết"},
    {"xa6y", "xây"},
    {"cua3", "của"},
    /* The mark typed at the end fits the first of two vowels. */
    {"uu7", "ưu"},
    {"Huu7", "Hưu"},
    {"cu7u1", "cứu"},
    /* Abbreviations typed in capitals: as many 9s at the end as Ds. */
    {"CD9", "CĐ"},
    {"DBSCL9", "ĐBSCL"},
    {"HDND9", NULL}, /* HĐND or HDNĐ. */
    {"DTDD99", NULL},
    {"DTDD9", NULL},
    {"CD99", NULL},
    {"G7", NULL},
    /* Numbers and words with digits that are not VNI. */
    {"2017", NULL},
    {"u19", NULL},
    {"70,91", NULL},
    {"covid19", NULL},
    {"u23", NULL},
    {"h5n1", NULL},
    {"mp3", NULL},
    {"g7", NULL},
    {"b52", NULL},
    {"f1", NULL},
    {"ios14", NULL},
    {"4g", NULL},
    {"vie6t2", NULL}, /* huyền on a stop. */
    {"vie69t", NULL},
    {"a0", NULL},
    {"x2", NULL},
    {"100", NULL},
    {"3d", NULL},
    {"covid", NULL},
    {"5g", NULL},
};

/* Prefixes typed before '*': the keys typed so far applied to the start of a syllable. */
static const decode_row prefix_rows[] = {
    /* Telex, from the benchmark queries (VNTC). */
    {"vuwowj", "vượ"},
    {"vuowj", "vượ"},
    {"lieef", "liề"},
    {"tuwowr", "tưở"},
    {"vieej", "việ"},
    {"hieej", "hiệ"},
    {"kieej", "kiệ"},
    {"nguwow", "ngươ"},
    {"ddu", "đu"},
    /* Whole syllables still read. */
    {"khus", "khú"},
    {"coon", "côn"},
    {"hocj", "học"},
    {"nhuw", "như"},
    {"vaf", "và"},
    /* VNI. */
    {"vuo775", "vượ"},
    {"lie62", "liề"},
    {"tuo773", "tưở"},
    {"vie65", "việ"},
    {"va2", "và"},
    /* Plain prefixes and words: no key to read. */
    {"cong", NULL},
    {"nguy", NULL},
    {"tha", NULL},
    {"viet", NULL},
    {"goog", NULL},
    {"2017", NULL},
    {"u19", NULL},
    /* Keys that start no syllable. */
    {"vieetf", NULL},
    {"bww", NULL},
    {"", NULL},
};

/* Decodes each row of n rows (as a prefix when prefix), and checks what comes back and that out
 * is "" otherwise. */
static void check_decode_as(const decode_row *rows, size_t n, int prefix) {
    char out[64];
    for (size_t i = 0; i < n; i++) {
        const decode_row *r = &rows[i];
        memset(out, 'x', sizeof out);
        int got = prefix ? vnsi_typing_decode_prefix(r->typed, strlen(r->typed), out, sizeof out)
                         : vnsi_typing_decode(r->typed, strlen(r->typed), out, sizeof out);
        if (r->decoded == NULL && got != 0)
            fail_msg("decode(\"%s\") = \"%s\", expected none", r->typed, out);
        if (r->decoded == NULL && out[0] != 0) fail_msg("decode(\"%s\"): out not empty", r->typed);
        if (r->decoded != NULL && (got != 1 || strcmp(out, r->decoded) != 0))
            fail_msg("decode(\"%s\") = %d \"%s\", expected \"%s\"", r->typed, got, got ? out : "",
                     r->decoded);
        /* A syllable, or an abbreviation typed without a vowel (CDD: CĐ). */
        int abbreviation = strpbrk(r->typed, "aeiouyAEIOUY") == NULL;
        if (!prefix && !abbreviation && r->decoded != NULL &&
            !vnsi_syllable_valid(out, strlen(out)))
            fail_msg("decode(\"%s\") = \"%s\" is not a syllable", r->typed, out);
    }
}

static void check_decode(const decode_row *rows, size_t n) {
    check_decode_as(rows, n, 0);
}

/* Each row of prefix_rows. */
static void typing__prefix(void **state) {
    (void)state;
    check_decode_as(prefix_rows, sizeof prefix_rows / sizeof prefix_rows[0], 1);
}

/* Each row of telex_rows. */
static void typing__telex(void **state) {
    (void)state;
    check_decode(telex_rows, sizeof telex_rows / sizeof telex_rows[0]);
}

/* Each row of vni_rows. */
static void typing__vni(void **state) {
    (void)state;
    check_decode(vni_rows, sizeof vni_rows / sizeof vni_rows[0]);
}

/* A syllable that does not fit in out is not decoded, and out is left "". */
static void typing__decode_small_out(void **state) {
    (void)state;
    char out[8];
    assert_int_equal(vnsi_typing_decode("nguwowif", 8, out, 8), 0); /* người: 9 bytes + NUL. */
    assert_string_equal(out, "");
    assert_int_equal(vnsi_typing_decode("nguwowif", 8, out, 0), 0);
    char big[11];
    assert_int_equal(vnsi_typing_decode("nguwowif", 8, big, sizeof big), 1);
    assert_string_equal(big, "người");
}

/* ---- Suggestions ------------------------------------------------------------------------- */

/* Document counts of the fake index, by form: exact forms (lowercase NFC, canonical) and
 * folded forms, in separate tables as in the index. */
typedef struct count_row {
    const char *form;
    uint64_t count;
} count_row;

static const count_row exact_counts[] = {
    {"xảy", 1000}, {"sảy", 10},     {"triển", 5000}, {"chiến", 3000},  {"làm", 20000},
    {"nam", 8000}, {"nằm", 900},    {"nàm", 5},      {"gì", 50000},    {"dì", 2000},
    {"rì", 3},     {"kĩ", 5000},    {"mất", 7000},   {"người", 90000}, {"ngòi", 50},
    {"bàn", 4000}, {"bàng", 30000},
};

static const count_row folded_counts[] = {
    {"ban", 100},     {"bang", 1000}, {"nang", 100000}, {"hoc", 60000},
    {"nguyen", 9000}, {"lam", 20000}, {"qui", 700},
};

/* What the fake df records: calls, and whether every form was a syllable in its index form. */
typedef struct df_log {
    int calls;
    int bad; /* Forms that were not a syllable, or not in their canonical form. */
} df_log;

/* The fake df: counts from the tables above; checks each form it is asked for. */
static uint64_t fake_df(const char *form, size_t len, int exact, void *ctx) {
    df_log *log = ctx;
    log->calls++;
    char canon[64];
    size_t n = vnsi_syllable_canonical_iy(form, len, exact, canon, sizeof canon);
    if (n != len || memcmp(canon, form, len) != 0) log->bad++;
    const count_row *t = exact ? exact_counts : folded_counts;
    size_t nt = exact ? sizeof exact_counts / sizeof exact_counts[0]
                      : sizeof folded_counts / sizeof folded_counts[0];
    for (size_t i = 0; i < nt; i++)
        if (strlen(t[i].form) == len && memcmp(t[i].form, form, len) == 0) return t[i].count;
    return 0;
}

typedef struct suggest_row {
    const char *word;
    uint64_t ratio;
    const char *expected; /* NULL: no suggestion. */
} suggest_row;

static const suggest_row suggest_rows[] = {
    {"sảy", 10, "xảy"},                         /* s/x: xảy 100 times as common. */
    {"Sảy", 10, "Xảy"},                         /* The case pattern is kept. */
    {"SẢY", 10, "XẢY"},     {"sảy", 200, NULL}, /* xảy only 100 times as common. */
    {"chiển", 10, "triển"}, /* ch/tr (5000) over chiến (3000, another tone). */
    {"nàm", 10, "làm"},     /* n/l (20000) over nam (8000, another tone) and nằm (900). */
    {"rì", 10, "gì"},       /* r/gi (50000) over r/d (dì, 2000). */
    {"kỷ", 10, "kỹ"},       /* Another tone; df sees the index form kĩ. */
    {"mấc", 10, "mất"},     /* Final c/t. */
    {"bàn", 5, "bàng"},     /* Final n/ng, exact forms (bàng 30000 >= 5 x 4000). */
    {"bàn", 10, NULL},      /* bàng only 7.5 times as common. */
    {"ban", 5, "bang"},     /* Folded forms. */
    {"ban", 10, "bang"},    /* Exactly 10 times counts. */
    {"ban", 20, NULL},      {"bnag", 10, "bang"}, /* Transposition: one edit beats nang's two edits
                                                     and 100000. */
    {"hco", 10, "hoc"},     {"nguyn", 10, "nguyen"}, /* Insertion, folded. */
    {"nguòi", 10, "ngòi"}, /* Fewest edits first: ngòi (1) over người (2, 90000). */
    {"làm", 10, NULL},     /* The word itself is common. */
    {"gì", 1, NULL},        {"tphcm", 10, NULL}, /* Nothing within two edits. */
    {"a-b", 10, NULL},      {"covid19", 10, NULL},   {"", 10, NULL},
};

/* Each row of suggest_rows, with the number of df calls bounded and every form looked up a
 * syllable in its index form. */
static void typing__suggest(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof suggest_rows / sizeof suggest_rows[0]; i++) {
        const suggest_row *r = &suggest_rows[i];
        df_log log = {0, 0};
        char out[64];
        memset(out, 'x', sizeof out);
        int got =
            vnsi_suggest_word(r->word, strlen(r->word), r->ratio, fake_df, &log, out, sizeof out);
        if (r->expected == NULL && (got != 0 || out[0] != 0))
            fail_msg("suggest(\"%s\", %d) = \"%s\", expected none", r->word, (int)r->ratio, out);
        if (r->expected != NULL && (got != 1 || strcmp(out, r->expected) != 0))
            fail_msg("suggest(\"%s\", %d) = %d \"%s\", expected \"%s\"", r->word, (int)r->ratio,
                     got, got ? out : "", r->expected);
        if (log.calls > VNSI_SUGGEST_MAX_LOOKUPS + 1)
            fail_msg("suggest(\"%s\"): %d lookups", r->word, log.calls);
        if (log.bad) fail_msg("suggest(\"%s\"): %d forms not canonical", r->word, log.bad);
    }
}

/* The quí of the index is found for a word typed quy (folded), and the answer keeps the typed
 * spelling's letters; a too small out gives no answer. */
static void typing__suggest_edges(void **state) {
    (void)state;
    df_log log = {0, 0};
    char out[64];
    /* quyy: one deletion from quy, whose folded form is qui. */
    assert_int_equal(vnsi_suggest_word("quyy", 4, 10, fake_df, &log, out, sizeof out), 1);
    assert_true(strcmp(out, "quy") == 0 || strcmp(out, "qui") == 0);
    assert_int_equal(log.bad, 0);
    char small[4];
    assert_int_equal(vnsi_suggest_word("sảy", strlen("sảy"), 10, fake_df, &log, small, 4), 0);
    assert_string_equal(small, "");
    assert_int_equal(vnsi_suggest_word("sảy", strlen("sảy"), 10, NULL, NULL, out, sizeof out), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(typing__valid),   cmocka_unit_test(typing__forms),
        cmocka_unit_test(typing__telex),   cmocka_unit_test(typing__vni),
        cmocka_unit_test(typing__prefix),  cmocka_unit_test(typing__decode_small_out),
        cmocka_unit_test(typing__suggest), cmocka_unit_test(typing__suggest_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
