/* test_learn.c: tables of text -> the abbreviations it defines in passing ("phrase (ABBR)"). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "analyzer.h"
#include "learn.h"

typedef struct collect {
    vnsi_learn learn;
    char out[2048];
    size_t len;
} collect;

static int feed(const vnsi_token *tok, void *p) {
    collect *c = p;
    char key[VNSI_LEARN_CAP], phrase[VNSI_LEARN_CAP];
    if (vnsi_learn_token(&c->learn, tok, key, phrase))
        c->len += (size_t)snprintf(c->out + c->len, sizeof c->out - c->len, "%s%s=%s",
                                   c->len ? "; " : "", key, phrase);
    return 0;
}

/* The pairs learned from text, as "key=phrase; ...". */
static const char *learned(const char *text) {
    static collect c;
    memset(&c, 0, sizeof c);
    vnsi_analyzer *an = NULL;
    assert_int_equal(vnsi_analyzer_new(&an), VNS_OK);
    vnsi_learn_field(&c.learn, text);
    assert_int_equal(vnsi_analyze(an, text, strlen(text), 0, feed, &c, NULL), VNS_OK);
    vnsi_analyzer_free(an);
    return c.out;
}

typedef struct row {
    const char *text;
    const char *pairs;
} row;

/* Definitions as VNTC and the seed articles write them, and what must not count as one. */
static const row rows[] = {
    {"Ủy ban nhân dân (UBND) tỉnh", "ubnd=uy ban nhan dan"},
    {"thực hiện chuyển đổi số (CĐS) quốc gia", "cds=chuyen doi so"},
    {"Hội đồng nhân dân ( HĐND ) họp", "hdnd=hoi dong nhan dan"},
    {"tại Thành phố Hồ Chí Minh (TP.HCM) và", "tp.hcm=thanh pho ho chi minh"},
    {"vùng đồng bằng sông Cửu Long (ĐBSCL).", "dbscl=dong bang song cuu long"},
    {"Bảo hiểm xã hội (BHXH) và Bảo hiểm y tế (BHYT)", "bhxh=bao hiem xa hoi; bhyt=bao hiem y te"},
    /* Letters that do not spell the initials of the words before: nothing. */
    {"Ủy ban nhân dân (HĐND)", ""},
    {"Bộ Công an (CA)", "ca=cong an"},
    {"trường Đại học Bách khoa (ĐHBK)", "dhbk=dai hoc bach khoa"},
    /* Lowercase, one letter, too long, not right after the phrase, not closed: nothing. */
    {"chuyển đổi số (cđs)", ""},
    {"Công an (C)", ""},
    {"Ủy ban nhân dân tỉnh (UBND)", ""},
    {"Ủy ban nhân dân, (UBND)", ""},
    {"Ủy ban nhân dân (UBND", ""},
    {"Ủy ban nhân dân [UBND]", ""},
    {"Ủy ban nhân-dân (UBND)", ""},
    {"a b c d e f g h i (ABCDEFGHI)", ""},
    /* Fewer words than letters before the bracket: nothing. */
    {"nhân dân (UBND)", ""},
    {"(UBND)", ""},
    /* Digits are not letters of an abbreviation. */
    {"nhóm hai mươi (G20)", ""},
};

static void learn__table(void **state) {
    (void)state;
    int bad = 0;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const char *got = learned(rows[i].text);
        if (strcmp(got, rows[i].pairs) != 0) {
            print_error("text '%s'\n  want '%s'\n  got  '%s'\n", rows[i].text, rows[i].pairs, got);
            bad++;
        }
    }
    assert_int_equal(bad, 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(learn__table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
