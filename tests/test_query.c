/* test_query.c: the query parser (trees, errors and their positions), the query builder (the Xapian
 * query of a tree) and the snippet generator. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "query_build.h"
#include "query_parse.h"
#include "schema.h"
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
    /* Bytes that are not UTF-8 are refused at their position (JSON could not echo them). */
    {"a \xff", VNS_EQUERY, "position 3: byte 0xFF is not UTF-8"},
    {"sơn \xc3", VNS_EQUERY, "position 5: byte 0xC3 is not UTF-8"},
    {"\xc0\xaf", VNS_EQUERY, "position 1: byte 0xC0"},       /* Overlong '/'. */
    {"x \xed\xa0\x80", VNS_EQUERY, "position 3: byte 0xED"}, /* A surrogate. */
    {"\xf4\x90\x80\x80", VNS_EQUERY, "byte 0xF4"},           /* Above U+10FFFF. */
};

static void query__parse_table(void **state) {
    (void)state;
    for (size_t i = 0; i < sizeof parses / sizeof parses[0]; i++) {
        vxs_query *q = NULL;
        vnsi_hl_spec spec;
        char err[256] = "";
        vns_status st = vnsi_query_build(&q, &spec, an, parses[i].query, 0, 0,
                                         &vnsi_ranking_defaults, err, sizeof err);
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

/* ---- trees ----------------------------------------------------------------------------- */

static const char *const kind_names[] = {"OR",    "AND",   "GROUP",  "NOT",
                                         "FIELD", "WORDS", "PHRASE", "PREFIX"};

/* Appends to buf (cap bytes) at *o; stops quietly when full (the comparison then fails). */
static void put(char *buf, size_t cap, size_t *o, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void put(char *buf, size_t cap, size_t *o, const char *fmt, ...) {
    if (*o >= cap) return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + *o, cap - *o, fmt, ap);
    va_end(ap);
    *o += n > 0 ? (size_t)n : 0;
}

/* Prints a tree as (KIND kids...): words as folded, or folded/exact when typed with diacritics,
 * + before a word typed joined to the one before it;
 * with pos, each node and word followed by @start-end (bytes of the query). */
static void print_tree(char *buf, size_t cap, size_t *o, const vnsi_qnode *n, int pos) {
    put(buf, cap, o, "(%s", kind_names[n->kind]);
    if (pos) put(buf, cap, o, "@%zu-%zu", n->start, n->end);
    if (n->kind == VNSI_Q_FIELD)
        put(buf, cap, o, " %s", strcmp(n->field, VNS_PREFIX_TITLE) == 0 ? "title" : n->field);
    if (n->kind == VNSI_Q_PREFIX) put(buf, cap, o, " %s", n->prefix);
    for (size_t i = 0; i < n->nwords; i++) {
        const vnsi_qword *w = &n->words[i];
        put(buf, cap, o, " %s%s", w->glued ? "+" : "", w->folded);
        if (w->accented) put(buf, cap, o, "/%s", w->exact);
        if (pos) put(buf, cap, o, "@%zu-%zu", w->start, w->end);
    }
    for (size_t i = 0; i < n->nkids; i++) {
        put(buf, cap, o, " ");
        print_tree(buf, cap, o, n->kids[i], pos);
    }
    put(buf, cap, o, ")");
}

typedef struct tree_row {
    const char *query;
    int pos; /* Print positions. */
    const char *tree;
} tree_row;

static const tree_row trees[] = {
    /* OR binds looser than the implicit AND; a run of bare words is one node. */
    {"a OR b c", 0, "(OR (WORDS a) (WORDS b c))"},
    {"a b OR c", 0, "(OR (WORDS a b) (WORDS c))"},
    {"a OR b OR c d e", 0, "(OR (WORDS a) (WORDS b) (WORDS c d e))"},
    {"a OR b c", 1, "(OR@0-8 (WORDS@0-1 a@0-1) (WORDS@5-8 b@5-6 c@7-8))"},
    /* Groups stay nodes: their words never join a run outside them. */
    {"(a OR b) c", 0, "(AND (GROUP (OR (WORDS a) (WORDS b))) (WORDS c))"},
    {"(a) b", 0, "(AND (GROUP (WORDS a)) (WORDS b))"},
    {"a ((b OR c) d)", 0,
     "(AND (WORDS a) (GROUP (AND (GROUP (OR (WORDS b) (WORDS c))) (WORDS d))))"},
    {"x (a OR (b (c)))", 1,
     "(AND@0-16 (WORDS@0-1 x@0-1) (GROUP@2-16 (OR@3-15 (WORDS@3-4 a@3-4) (GROUP@8-15 (AND@9-14 "
     "(WORDS@9-10 b@9-10) (GROUP@11-14 (WORDS@12-13 c@12-13)))))))"},
    /* Exclusions of a word, a phrase, a group. */
    {"a -b", 0, "(AND (WORDS a) (NOT (WORDS b)))"},
    {"a -\"b c\"", 0, "(AND (WORDS a) (NOT (PHRASE b c)))"},
    {"a -(b OR c)", 0, "(AND (WORDS a) (NOT (GROUP (OR (WORDS b) (WORDS c)))))"},
    {"-\"Đồng chí\" (x)", 1,
     "(AND@0-19 (NOT@0-15 (PHRASE@1-15 dong/đồng@2-9 chi/chí@10-14)) (GROUP@16-19 (WORDS@17-18 "
     "x@17-18)))"},
    /* title: a word, a phrase, a prefix, excluded. */
    {"title:x y", 0, "(AND (FIELD title (WORDS x)) (WORDS y))"},
    {"title:\"a b\" c", 0, "(AND (FIELD title (PHRASE a b)) (WORDS c))"},
    {"title:chuyể* a", 0, "(AND (FIELD title (PREFIX chuye)) (WORDS a))"},
    {"title:ab*", 1, "(FIELD@0-9 title (PREFIX@6-9 ab))"},
    {"-title:z a", 0, "(AND (NOT (FIELD title (WORDS z))) (WORDS a))"},
    {"title:đồng-chí", 0, "(FIELD title (WORDS dong/đồng +chi/chí))"},
    /* Prefixes are folded, and end a run. */
    {"viett* Việtt* vie*", 0, "(AND (PREFIX viett) (PREFIX vie))"},
    /* Repeats are merged at every level, so that they cost nothing. */
    {"t* t* t* t*", 0, "(PREFIX t)"},
    {"a t* b t* title:t* title:t*", 0,
     "(AND (WORDS a) (PREFIX t) (WORDS b) (FIELD title (PREFIX t)))"},
    {"x OR x OR y", 0, "(OR (WORDS x) (WORDS y))"},
    {"a -b -b (c OR c) (c)", 0, "(AND (WORDS a) (NOT (WORDS b)) (GROUP (WORDS c)))"},
    {"\"a b\" \"a b\" \"a b c\"", 0, "(AND (PHRASE a b) (PHRASE a b c))"},
    {"hòa -hòa hoa", 0, "(AND (WORDS hoa/hoà) (NOT (WORDS hoa/hoà)) (WORDS hoa))"},
    {"a b* c", 0, "(AND (WORDS a) (PREFIX b) (WORDS c))"},
    /* Words typed joined are not a repeat of the same words apart (a review: "covid 19" was
     * dropped as a repeat of "covid-19", and the answer depended on the order). */
    {"covid-19 OR covid 19", 0, "(OR (WORDS covid +19) (WORDS covid 19))"},
    {"covid 19 OR covid-19", 0, "(OR (WORDS covid 19) (WORDS covid +19))"},
    {"covid-19 OR covid-19", 0, "(WORDS covid +19)"},
    /* Diacritics: the folded and the exact form of each word. */
    {"Đồng chí lạng sơn", 0, "(WORDS dong/đồng chi/chí lang/lạng son/sơn)"},
    {"hòa HOÀ", 0, "(WORDS hoa/hoà hoa/hoà)"},
    {"đồng-chí", 1, "(WORDS@0-12 dong/đồng@0-7 +chi/chí@8-12)"},
    /* Words typed joined without a space are marked (one unit); a space, a quote or a bracket
     * parts them. */
    {"U-19 6/2/2017 Covid-19", 0, "(WORDS u +19 6 +2 +2017 covid +19)"},
    {"kinh tế-xã hội", 0, "(WORDS kinh te/tế +xa/xã hoi/hội)"},
    {"U- 19 U -19 U 19", 0, "(AND (WORDS u 19 u) (NOT (WORDS 19)) (WORDS u 19))"},
    {"-V-League title:U-19", 0, "(AND (NOT (WORDS v +league)) (FIELD title (WORDS u +19)))"},
    {"a\"b\"c", 0, "(AND (WORDS a) (PHRASE b) (WORDS c))"},
    /* A token of no words keeps a run going; an excluded one ends it. */
    {"a ... b", 0, "(WORDS a b)"},
    {"a -... b", 0, "(AND (WORDS a) (WORDS b))"},
};

/* Parses each row's query (as plain text with literal) and compares its tree. Returns the number
 * of rows that differ (each printed). */
static int check_trees(const tree_row *rows, size_t n, int literal) {
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        const tree_row *r = &rows[i];
        vnsi_qnode *t = NULL;
        char err[256] = "", got[1024];
        size_t o = 0;
        vns_status st = vnsi_query_parse(&t, an, r->query, literal, err, sizeof err);
        if (st != VNS_OK) {
            print_error("query [%s]: status %d, '%s'\n", r->query, st, err);
            bad++;
            continue;
        }
        print_tree(got, sizeof got, &o, t, r->pos);
        if (strcmp(got, r->tree) != 0) {
            print_error("query [%s]\n  want %s\n  got  %s\n", r->query, r->tree, got);
            bad++;
        }
        vnsi_qnode_free(t);
    }
    return bad;
}

static void query__tree_table(void **state) {
    (void)state;
    assert_int_equal(check_trees(trees, sizeof trees / sizeof trees[0], 0), 0);
}

/* Literal: the whole text is one run of words; no character is syntax. */
static const tree_row literals[] = {
    {"Ủy ban\" (chuyển -đổi: số OR * [quốc", 0,
     "(WORDS uy/uỷ ban chuyen/chuyển doi/đổi so/số or quoc/quốc)"},
    {"title:x -y \"z\" a*b (c", 0, "(WORDS title +x y z a +b c)"},
    {"-\"a\"", 1, "(WORDS@2-3 a@2-3)"},
};

static void query__literal_table(void **state) {
    (void)state;
    assert_int_equal(check_trees(literals, sizeof literals / sizeof literals[0], 1), 0);
}

/* ---- built queries ------------------------------------------------------------------------ */

/* Weights unlike the defaults, to see each weight land on its boost. */
static const vnsi_ranking_weights other_weights = {.phrase = 1.5,
                                                   .title_terms = 0.5,
                                                   .title_phrase = 0.75,
                                                   .exact = 3,
                                                   .bm25_k1 = 1.2,
                                                   .bm25_b = 0.75};

typedef struct built_row {
    const char *query;
    int exact;                           /* --exact */
    const vnsi_ranking_weights *weights; /* NULL: the defaults. */
    const char *describe;                /* Xapian's get_description() of the built query. */
} built_row;
/* In built_row.exact beside --exact (1): the index writes the common exact forms as N terms. */
#define SCHEMA4 2

static const built_row builts[] = {
    /* a OR (b AND c): the run b c has its phrase and title-phrase boosts inside its alternative. */
    {"a OR b c", 0, NULL,
     "Query((a@1 OR (((b@1 AND c@2) AND_MAYBE 1 * (b@1 PHRASE 2 c@2)) AND_MAYBE 1 * ((Sb@1 AND "
     "Sc@2) AND 0 * (Sb@1 PHRASE 2 Sc@2)))))"},
    /* title: searches S terms, without title boosts. */
    {"title:x", 0, NULL, "Query(Sx@1)"},
    {"title:\"a b\" c", 0, NULL, "Query(((Sa@1 PHRASE 2 Sb@2) AND c@1))"},
    /* An excluded phrase is AND_NOT of the phrase. */
    {"a -\"b c\"", 0, NULL, "Query((a@1 AND_NOT (b@1 PHRASE 2 c@2)))"},
    {"-title:chuyể* x", 0, NULL, "Query((x@1 AND_NOT WILDCARD SYNONYM Schuye))"},
    /* Diacritics: the E terms boost; with --exact they are also a FILTER. */
    {"bậc", 0, NULL, "Query((bac@1 AND_MAYBE 2 * Ebậc))"},
    {"bậc", 1, NULL, "Query(((bac@1 FILTER Ebậc) AND_MAYBE 2 * Ebậc))"},
    /* Schema 4: a common form (số, most documents holding so hold it) is its folded word without
     * its N term, weighed by its E term where a document holds so in other forms too; another
     * form (sở, bậc) keeps its E term. */
    {"số", SCHEMA4, NULL, "Query((so@1 AND_MAYBE 2 * ((so AND_NOT (Nsố OR Esố)) SYNONYM Esố)))"},
    {"số", 1 | SCHEMA4, NULL,
     "Query(((so@1 FILTER (so AND_NOT Nsố)) AND_MAYBE 2 * ((so AND_NOT (Nsố OR Esố)) SYNONYM "
     "Esố)))"},
    {"sở", 1 | SCHEMA4, NULL, "Query(((so@1 FILTER Esở) AND_MAYBE 2 * Esở))"},
    {"bậc", 1 | SCHEMA4, NULL, "Query(((bac@1 FILTER Ebậc) AND_MAYBE 2 * Ebậc))"},
    {"đồng chí", 1, NULL,
     "Query((((((dong@1 AND chi@2) FILTER (Eđồng AND Echí)) AND_MAYBE 1 * (dong@1 PHRASE 2 "
     "chi@2)) AND_MAYBE 1 * ((Sdong@1 AND Schi@2) AND 0 * (Sdong@1 PHRASE 2 Schi@2))) AND_MAYBE 2 "
     "* (Eđồng OR Echí)))"},
    /* The phrase boost and the title-phrase boost of a multi-word run. */
    {"dong chi", 0, NULL,
     "Query((((dong@1 AND chi@2) AND_MAYBE 1 * (dong@1 PHRASE 2 chi@2)) AND_MAYBE 1 * ((Sdong@1 "
     "AND Schi@2) AND 0 * (Sdong@1 PHRASE 2 Schi@2))))"},
    /* Other weights: each boost scaled by its own, and the title-terms boost no longer left out. */
    {"dong chi", 0, &other_weights,
     "Query(((((dong@1 AND chi@2) AND_MAYBE 1.5 * (dong@1 PHRASE 2 chi@2)) AND_MAYBE 0.5 * "
     "(Sdong@1 OR Schi@2)) AND_MAYBE 0.75 * ((Sdong@1 AND Schi@2) AND 0 * (Sdong@1 PHRASE 2 "
     "Schi@2))))"},
    /* A group keeps its boosts inside it. */
    {"(a b) c", 0, NULL,
     "Query(((((a@1 AND b@2) AND_MAYBE 1 * (a@1 PHRASE 2 b@2)) AND_MAYBE 1 * ((Sa@1 AND Sb@2) AND "
     "0 * (Sa@1 PHRASE 2 Sb@2))) AND c@1))"},
    /* A prefix. */
    {"viett*", 0, NULL, "Query(WILDCARD SYNONYM viett)"},
    /* Words typed joined are one phrase (required, or excluded), not scattered words. */
    {"U-19 x", 0, NULL,
     "Query(((((u@1 PHRASE 2 19@2) AND x@3) AND_MAYBE 1 * (u@1 PHRASE 3 19@2 PHRASE 3 x@3)) "
     "AND_MAYBE 1 * ((Su@1 AND S19@2 AND Sx@3) AND 0 * (Su@1 PHRASE 3 S19@2 PHRASE 3 Sx@3))))"},
    {"x -6/2", 0, NULL, "Query((x@1 AND_NOT (6@1 PHRASE 2 2@2)))"},
};

static void query__built_table(void **state) {
    (void)state;
    int bad = 0;
    for (size_t i = 0; i < sizeof builts / sizeof builts[0]; i++) {
        const built_row *r = &builts[i];
        vxs_query *q = NULL;
        vnsi_hl_spec spec;
        char err[256] = "";
        vns_status st =
            vnsi_query_build(&q, &spec, an, r->query, r->exact & 1, (r->exact & SCHEMA4) != 0,
                             r->weights ? r->weights : &vnsi_ranking_defaults, err, sizeof err);
        char *got = st == VNS_OK ? vxs_query_describe(q) : NULL;
        if (got == NULL || strcmp(got, r->describe) != 0) {
            print_error("query [%s] exact %d: status %d '%s'\n  want %s\n  got  %s\n", r->query,
                        r->exact, st, err, r->describe, got ? got : "(none)");
            bad++;
        }
        free(got);
        vxs_query_free(q);
        if (st == VNS_OK) vnsi_hl_spec_clear(&spec);
    }
    assert_int_equal(bad, 0);
}

/* Absurd queries end in bounded time with an answer or a clear error. */
/* The prefixes of one query share VNS_QUERY_MAX_EXPANSION terms. */
static void query__prefix_expansion_shared(void **state) {
    (void)state;
    static const struct {
        size_t prefixes;
        unsigned each;
    } rows[] = {{0, VNS_PREFIX_MAX_EXPANSION},
                {1, VNS_PREFIX_MAX_EXPANSION},
                {5, VNS_PREFIX_MAX_EXPANSION},
                {6, VNS_QUERY_MAX_EXPANSION / 6},
                {64, VNS_QUERY_MAX_EXPANSION / 64},
                {256, VNS_QUERY_MAX_EXPANSION / 256},
                {5000, 1}};
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        unsigned got = vnsi_prefix_expansion(rows[i].prefixes);
        if (got != rows[i].each) fail_msg("%zu prefixes: %u each", rows[i].prefixes, got);
        if (rows[i].prefixes && rows[i].prefixes * got > VNS_QUERY_MAX_EXPANSION && got > 1)
            fail_msg("%zu prefixes expand past the cap", rows[i].prefixes);
    }
}

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
        vnsi_query_build(&q, &spec, an, big, 0, 0, &vnsi_ranking_defaults, err, sizeof err),
        VNS_EQUERY);
    assert_non_null(strstr(err, "over 65536 bytes"));
    /* 10,000 words. */
    for (size_t i = 0; i < 10000; i++) memcpy(big + 2 * i, "a ", 2);
    big[20000] = '\0';
    assert_int_equal(
        vnsi_query_build(&q, &spec, an, big, 0, 0, &vnsi_ranking_defaults, err, sizeof err),
        VNS_EQUERY);
    assert_non_null(strstr(err, "more than 256 words"));
    /* 300 distinct prefixes (aa* ab* ...) and 300 filters count against the same limit (the
     * prefixes did not: a review). */
    static const char *const items[] = {"%c%c*", "tag:%c%c"};
    for (size_t k = 0; k < 2; k++) {
        size_t o = 0;
        for (int i = 0; i < 300; i++) {
            o += (size_t)snprintf(big + o, 16, items[k], 'a' + i / 26, 'a' + i % 26);
            big[o++] = ' ';
        }
        big[o] = '\0';
        assert_int_equal(
            vnsi_query_build(&q, &spec, an, big, 0, 0, &vnsi_ranking_defaults, err, sizeof err),
            VNS_EQUERY);
        assert_non_null(strstr(err, "more than 256 words"));
    }
    /* 1,000 nested parentheses. */
    for (size_t i = 0; i < 1000; i++) big[i] = '(';
    big[1000] = 'a';
    for (size_t i = 0; i < 1000; i++) big[1001 + i] = ')';
    big[2001] = '\0';
    assert_int_equal(
        vnsi_query_build(&q, &spec, an, big, 0, 0, &vnsi_ranking_defaults, err, sizeof err),
        VNS_EQUERY);
    assert_non_null(strstr(err, "nest deeper than 32"));
    /* Control characters are spaces. */
    assert_int_equal(vnsi_query_build(&q, &spec, an, "a\x01\x02\x1b b", 0, 0,
                                      &vnsi_ranking_defaults, err, sizeof err),
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
    assert_int_equal(vnsi_query_build(&q, &s, an, "Đồng chí \"lạng sơn\" -bỏ chuyể* OR x", 0, 0,
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
    /* The window ends at the last word: punctuation glued to it stays, what follows does not
     * (the text past the analyzed part of a long article was copied whole: a review). */
    {"cuoi", 4, "a b c cuối. ---- ++++ ====", "a b c [cuối]. …"},
    {"cuoi", 4, "a b c cuối!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
     "a b c [cuối]!!!!!!!!!!!!!!!! …"},
    /* Two fragments: the ellipses meeting between them become one, and an ellipsis pair the
     * text itself holds in the first fragment is left as written (a review). */
    {"covid zika", 10,
     "x1 x2 covid …… x3 x4 x5 x6 x7 x8 x9 x10 x11 x12 x13 x14 x15 x16 x17 x18 zika x19 x20 x21 "
     "x22 x23 x24 x25 x26",
     "x1 x2 [covid] …… x3 x4 … x16 x17 x18 [zika] x19 …"},
};

static void query__snippet_table(void **state) {
    (void)state;
    int bad = 0;
    for (size_t i = 0; i < sizeof snippets / sizeof snippets[0]; i++) {
        const snip_row *r = &snippets[i];
        vxs_query *q = NULL;
        vnsi_hl_spec spec;
        char err[256];
        assert_int_equal(vnsi_query_build(&q, &spec, an, r->query, 0, 0, &vnsi_ranking_defaults,
                                          err, sizeof err),
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
        cmocka_unit_test(query__parse_table),    cmocka_unit_test(query__tree_table),
        cmocka_unit_test(query__literal_table),  cmocka_unit_test(query__built_table),
        cmocka_unit_test(query__absurd_queries), cmocka_unit_test(query__highlight_spec),
        cmocka_unit_test(query__snippet_table),  cmocka_unit_test(query__prefix_expansion_shared),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
