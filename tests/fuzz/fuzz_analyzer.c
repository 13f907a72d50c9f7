/* fuzz_analyzer.c: libFuzzer target: any bytes through the analyzer and the UTF-8 sanitizer. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer.h"
#include "util.h"

static int check_token(const vnsi_token *t, void *ctx) {
    size_t len = *(size_t *)ctx;
    /* Offsets stay inside the text, forms inside the term limit. */
    if (t->start >= t->end || t->end > len) abort();
    if (t->folded_len == 0 || t->folded_len > VNS_MAX_FORM_BYTES) abort();
    if (t->exact_len > VNS_MAX_FORM_BYTES) abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static vnsi_analyzer *an;
    if (an == NULL && vnsi_analyzer_new(&an) != VNS_OK) abort();
    size_t len = size;
    vnsi_analyze(an, (const char *)data, size, 0, check_token, &len, NULL);
    size_t clean_len = 0, bad = 0;
    char *clean = vnsi_utf8_sanitize((const char *)data, size, &clean_len, &bad);
    if (clean == NULL) abort();
    if (vnsi_utf8_count_invalid(clean, clean_len) != 0) abort();
    if (memchr(clean, '\0', clean_len) != NULL) abort();
    len = clean_len;
    vnsi_analyze(an, clean, clean_len, 0, check_token, &len, NULL);
    char folded[64];
    vnsi_fold_text(an, clean, clean_len, folded, sizeof folded);
    free(clean);
    return 0;
}
