/* test_query.c: the query parser (errors and their positions) and the snippet generator. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "query_build.h"
#include "snippet.h"

static vnsi_analyzer *an;

static int setup(void **state) {
    (void)state;
    return vnsi_analyzer_new(&an) == VNS_OK ? 0 : -1;
}

static int teardown(void **state) {
    (void)state;
    vnsi_analyzer_free(an);
    return 0;
}

typedef struct parse_row {
    const char *query;
    vns_status status;
    const char *message; /* A part of the error message, or NULL when it parses. */
} parse_row;

static const parse_row parses[] = {
    {"chuyen doi so", VNS_OK, NULL},
    {"\"dien bien\" -\"ban dan\" (a OR b) title:x y* title:\"a b\" -title:z", VNS_OK, NULL},
    {"a OR b OR (c d OR e)", VNS_OK, NULL},
    {"", VNS_EQUERY, "the query is empty"},
    {"   \t ", VNS_EQUERY, "the query is empty"},
    {"...", VNS_EQUERY, "position 1: nothing to search for"},
    {"\"dien bien", VNS_EQUERY, "position 1: '\"' is never closed"},
    {"chuyển \"đổi số", VNS_EQUERY, "position 8: '\"' is never closed"},
    {"(a b", VNS_EQUERY, "position 1: '(' is never closed"},
    {"a b)", VNS_EQUERY, "position 4: ')' has no matching '('"},
    {"a OR", VNS_EQUERY, "position 3: 'OR' needs something to search for on its right"},
    {"OR a", VNS_EQUERY, "position 1: 'OR' needs something to search for on its left"},
    {"a OR OR b", VNS_EQUERY, "position 3: 'OR' needs something"},
    {"*", VNS_EQUERY, "position 1: '*' needs the start of a word"},
    {"a - b", VNS_EQUERY, "position 3: '-' needs a word"},
    {"-a -b", VNS_EQUERY, "only excluded terms"},
    {"title:", VNS_EQUERY, "'title:' needs a word"},
    {"title:(a b)", VNS_EQUERY, "'title:' takes a word or phrase"},
    {"\"\"", VNS_EQUERY, "the phrase has no words"},
    {"()", VNS_EQUERY, "nothing to search for"},
};

static void query__parse_table(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof parses / sizeof parses[0]; i++) {
        vxs_query *q = NULL;
        vnsi_hl_spec spec;
        char err[256] = "";
        vns_status st = vnsi_query_build(&q, &spec, an, parses[i].query, 0, &vnsi_ranking_defaults,
                                         err, sizeof err);
        if (st != parses[i].status || (parses[i].message && strstr(err, parses[i].message) == NULL))
            fail_msg("query [%s]: status %d, message '%s'", parses[i].query, st, err);
        if (st == VNS_OK) {
            assert_non_null(q);
            vnsi_hl_spec_clear(&spec);
        } else {
            assert_null(q);
        }
        vxs_query_free(q);
    }
}

/* Absurd queries end in bounded time with an answer or a clear error. */
static void query__absurd_queries(void **state) {
    (void)state;
    size_t n = 2 * 1024 * 1024;
    char *big = malloc(n + 1);
    assert_non_null(big);
    vxs_query *q = NULL;
    vnsi_hl_spec spec;
    char err[256];
    memset(big, 'a', n);
    big[n] = '\0';
    assert_int_equal(
        vnsi_query_build(&q, &spec, an, big, 0, &vnsi_ranking_defaults, err, sizeof err),
        VNS_EQUERY);
    assert_non_null(strstr(err, "over 65536 bytes"));
    /* 10,000 words. */
    for (size_t i = 0; i < 10000; i++) memcpy(big + 2 * i, "a ", 2);
    big[20000] = '\0';
    assert_int_equal(
        vnsi_query_build(&q, &spec, an, big, 0, &vnsi_ranking_defaults, err, sizeof err),
        VNS_EQUERY);
    assert_non_null(strstr(err, "more than 256 words"));
    /* 1,000 nested parentheses. */
    for (size_t i = 0; i < 1000; i++) big[i] = '(';
    big[1000] = 'a';
    for (size_t i = 0; i < 1000; i++) big[1001 + i] = ')';
    big[2001] = '\0';
    assert_int_equal(
        vnsi_query_build(&q, &spec, an, big, 0, &vnsi_ranking_defaults, err, sizeof err),
        VNS_EQUERY);
    assert_non_null(strstr(err, "nest deeper than 32"));
    /* Control characters are spaces. */
    assert_int_equal(vnsi_query_build(&q, &spec, an, "a\x01\x02\x1b b", 0, &vnsi_ranking_defaults,
                                      err, sizeof err),
                     VNS_OK);
    vxs_query_free(q);
    vnsi_hl_spec_clear(&spec);
    free(big);
}

/* The highlight spec says what the snippet generator marks. */
static void query__highlight_spec(void **state) {
    (void)state;
    vxs_query *q = NULL;
    vnsi_hl_spec s;
    char err[256];
    assert_int_equal(vnsi_query_build(&q, &s, an, "Đồng chí \"lạng sơn\" -bỏ chuyể* OR x", 0,
                                      &vnsi_ranking_defaults, err, sizeof err),
                     VNS_OK);
    assert_int_equal(s.nwords, 3); /* dong, chi, x (excluded words are not highlighted) */
    assert_string_equal(s.words[0], "dong");
    assert_string_equal(s.words[1], "chi");
    assert_string_equal(s.words[2], "x");
    assert_int_equal(s.nprefixes, 1);
    assert_string_equal(s.prefixes[0], "chuye");
    assert_int_equal(s.nphrases, 1);
    assert_string_equal(s.phrase_words[0], "lang");
    assert_string_equal(s.phrase_words[1], "son");
    vxs_query_free(q);
    vnsi_hl_spec_clear(&s);
}

typedef struct snip_row {
    const char *query;
    unsigned words;
    const char *text;
    const char *marked; /* The snippet with [ ] around the highlights. */
} snip_row;

static const snip_row snippets[] = {
    /* Short text: whole, no ellipsis; diacritics intact; adjacent matches merged. */
    {"lang son cloud", 30, "Nền tảng Lạng Sơn Cloud phục vụ.",
     "Nền tảng [Lạng Sơn Cloud] phục vụ."},
    /* A phrase is highlighted only whole. */
    {"\"dien bien\"", 30, "Điện lực ở Điện Biên, biên giới.", "Điện lực ở [Điện Biên], biên giới."},
    /* Newlines become spaces. */
    {"so", 30, "Chuyển đổi\nsố", "Chuyển đổi [số]"},
    /* A window in the middle of a long text, cut on both sides. */
    {"muc", 6, "a b c d e f g h i j mục k l m n o p q r s t u v", "… h i j [mục] k l …"},
    /* Matches far apart: two fragments of half the size. */
    {"alpha omega", 8, "alpha b c d e f g h i j k l m n o p q r s t u v w x y z omega",
     "[alpha] b c d … x y z [omega]"},
    /* A prefix. */
    {"chuyen*", 30, "chuyển đổi và chuyên môn", "[chuyển] đổi và [chuyên] môn"},
    /* No match in the text: its opening words. */
    {"xyz", 4, "một hai ba bốn năm sáu", "một hai ba bốn …"},
};

static void query__snippet_table(void **state) {
    (void)state;
    int bad = 0;
    for (size_t i = 0; i < sizeof snippets / sizeof snippets[0]; i++) {
        const snip_row *r = &snippets[i];
        vxs_query *q = NULL;
        vnsi_hl_spec spec;
        char err[256];
        assert_int_equal(
            vnsi_query_build(&q, &spec, an, r->query, 0, &vnsi_ranking_defaults, err, sizeof err),
            VNS_OK);
        char *snip = NULL;
        size_t len = 0, nhl = 0;
        vns_range *hl = NULL;
        assert_int_equal(vnsi_snippet_make(an, &spec, r->text, strlen(r->text), r->words, &snip,
                                           &len, &hl, &nhl),
                         VNS_OK);
        char marked[1024];
        size_t o = 0, from = 0;
        for (size_t k = 0; k < nhl; k++) {
            o += (size_t)snprintf(marked + o, sizeof marked - o, "%.*s[%.*s]",
                                  (int)(hl[k].start - from), snip + from,
                                  (int)(hl[k].end - hl[k].start), snip + hl[k].start);
            from = hl[k].end;
        }
        snprintf(marked + o, sizeof marked - o, "%s", snip + from);
        if (strcmp(marked, r->marked) != 0) {
            print_error("query [%s]\n  want '%s'\n  got  '%s'\n", r->query, r->marked, marked);
            bad++;
        }
        free(snip);
        free(hl);
        vxs_query_free(q);
        vnsi_hl_spec_clear(&spec);
    }
    assert_int_equal(bad, 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(query__parse_table),
        cmocka_unit_test(query__absurd_queries),
        cmocka_unit_test(query__highlight_spec),
        cmocka_unit_test(query__snippet_table),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
