/* facets.c: counting matching articles per metadata value (facets.h). */
#include "facets.h"

#include <stdlib.h>
#include <string.h>

#include "meta.h"
#include "schema.h"
#include "util.h"

/* One value: its spelling, how many documents hold it, and (after finish) its folded key. */
typedef struct entry {
    char *value;
    uint64_t count;
} entry;

/* A string -> count table with open addressing (power-of-two capacity). */
typedef struct table {
    entry *slots;
    size_t n, cap;
} table;

/* One facet: raw spellings counted as given, then the merged values, ordered. */
typedef struct facet {
    int on;
    table raw;
    entry *out; /* Merged and ordered after finish (nout of them). */
    size_t nout;
} facet;

struct vnsi_facets {
    facet f[VNS_FACET_COUNT];
    unsigned limit;
    vnsi_analyzer *an;
    unsigned slots[VNS_FACET_COUNT]; /* The value slots counted, and */
    size_t nslots;
    vns_status st;
};

static uint64_t hash(const char *s, size_t len) {
    return vnsi_fnv1a(VNSI_FNV_SEED, s, len);
}

/* The entry of key (len bytes) in t, or NULL. Never fails. */
static entry *table_get(const table *t, const char *key, size_t len) {
    if (t->cap == 0) return NULL;
    size_t j = hash(key, len) & (t->cap - 1);
    for (; t->slots[j].value; j = (j + 1) & (t->cap - 1))
        if (strlen(t->slots[j].value) == len && memcmp(t->slots[j].value, key, len) == 0)
            return &t->slots[j];
    return NULL;
}

/* Adds count to key (len bytes) in t. Returns 0, or -1 when out of memory. */
static int table_add(table *t, const char *key, size_t len, uint64_t count) {
    if ((t->n + 1) * 2 > t->cap) {
        size_t ncap = t->cap ? t->cap * 2 : 64;
        entry *ns = calloc(ncap, sizeof *ns);
        if (ns == NULL) return -1;
        for (size_t i = 0; i < t->cap; i++) {
            if (t->slots[i].value == NULL) continue;
            size_t j = hash(t->slots[i].value, strlen(t->slots[i].value)) & (ncap - 1);
            while (ns[j].value) j = (j + 1) & (ncap - 1);
            ns[j] = t->slots[i];
        }
        free(t->slots);
        t->slots = ns;
        t->cap = ncap;
    }
    size_t j = hash(key, len) & (t->cap - 1);
    while (t->slots[j].value) {
        if (strlen(t->slots[j].value) == len && memcmp(t->slots[j].value, key, len) == 0) {
            t->slots[j].count += count;
            return 0;
        }
        j = (j + 1) & (t->cap - 1);
    }
    char *copy = malloc(len + 1);
    if (copy == NULL) return -1;
    memcpy(copy, key, len);
    copy[len] = '\0';
    t->slots[j] = (entry){copy, count};
    t->n++;
    return 0;
}

static void table_free(table *t) {
    for (size_t i = 0; i < t->cap; i++) free(t->slots[i].value);
    free(t->slots);
    memset(t, 0, sizeof *t);
}

vns_status vnsi_facets_new(vnsi_facets **out, unsigned which, unsigned limit, vnsi_analyzer *an) {
    vnsi_facets *f = calloc(1, sizeof *f);
    *out = f;
    if (f == NULL) return VNS_ENOMEM;
    f->limit = limit ? limit : VNS_FACET_LIMIT;
    f->an = an;
    for (int i = 0; i < VNS_FACET_COUNT; i++) f->f[i].on = (which & VNS_FACET_BIT(i)) != 0;
    if (which) f->slots[f->nslots++] = VNS_SLOT_FACETS;
    return VNS_OK;
}

size_t vnsi_facets_slots(const vnsi_facets *f, unsigned *slots) {
    memcpy(slots, f->slots, f->nslots * sizeof *slots);
    return f->nslots;
}

static void add_raw(vnsi_facets *f, vns_facet which, const char *v, size_t len, uint64_t count) {
    if (f->st == VNS_OK && len > 0 && table_add(&f->f[which].raw, v, len, count) < 0)
        f->st = VNS_ENOMEM;
}

/* The tags of one document's slot: each counted once (tags that fold alike are one). */
static void add_tags(vnsi_facets *f, const char *v, size_t len, uint64_t count) {
    table seen = {0}; /* The folded tags of this document so far. */
    size_t from = 0;
    for (size_t i = 0; i <= len && f->st == VNS_OK; i++) {
        if (i < len && v[i] != VNSI_TAG_SEP) continue;
        const char *t = v + from;
        size_t tl = i - from;
        from = i + 1;
        char key[VNSI_META_TERM_CAP];
        size_t kl = vnsi_meta_term(f->an, "", t, tl, key, sizeof key);
        if (kl == 0 || table_get(&seen, key, kl)) continue; /* Has this tag already. */
        if (table_add(&seen, key, kl, 1) < 0) f->st = VNS_ENOMEM;
        add_raw(f, VNS_FACET_TAG, t, tl, count);
    }
    table_free(&seen);
}

void vnsi_facets_add(size_t i, const char *value, size_t len, uint64_t count, void *p) {
    vnsi_facets *f = p;
    if (i >= f->nslots || f->slots[i] != VNS_SLOT_FACETS) return;
    /* month SEP source SEP topic SEP tags (schema.h). */
    const char *field[4] = {value, "", "", ""};
    size_t flen[4] = {len, 0, 0, 0}, k = 0;
    for (size_t j = 0; j < len && k < 3; j++) {
        if (value[j] != VNSI_FIELD_SEP) continue;
        flen[k] = (size_t)(value + j - field[k]);
        field[++k] = value + j + 1;
        flen[k] = len - j - 1;
    }
    if (f->f[VNS_FACET_MONTH].on) add_raw(f, VNS_FACET_MONTH, field[0], flen[0], count);
    if (f->f[VNS_FACET_YEAR].on)
        add_raw(f, VNS_FACET_YEAR, field[0], flen[0] < 4 ? flen[0] : 4, count);
    if (f->f[VNS_FACET_SOURCE].on) add_raw(f, VNS_FACET_SOURCE, field[1], flen[1], count);
    if (f->f[VNS_FACET_TOPIC].on) add_raw(f, VNS_FACET_TOPIC, field[2], flen[2], count);
    if (f->f[VNS_FACET_TAG].on && flen[3]) add_tags(f, field[3], flen[3], count);
}

static int by_count(const void *a, const void *b) {
    const entry *x = a, *y = b;
    if (x->count != y->count) return x->count > y->count ? -1 : 1;
    return strcmp(x->value, y->value);
}

/* Merges the raw spellings of facet which that fold alike (all but year and month), keeping the
 * commonest spelling, then orders by count and cuts at the limit. Returns 0 or -1 (memory). */
static int merge(vnsi_facets *f, vns_facet which) {
    facet *fc = &f->f[which];
    entry *all = calloc(fc->raw.n ? fc->raw.n : 1, sizeof *all);
    if (all == NULL) return -1;
    size_t n = 0;
    for (size_t i = 0; i < fc->raw.cap; i++)
        if (fc->raw.slots[i].value) all[n++] = fc->raw.slots[i];
    /* Commonest spelling first, so the first of each folded key is the one shown. */
    qsort(all, n, sizeof *all, by_count);
    int fold = which != VNS_FACET_YEAR && which != VNS_FACET_MONTH;
    table keys = {0}; /* folded key -> index into out + 1 */
    fc->out = calloc(n ? n : 1, sizeof *fc->out);
    if (fc->out == NULL) {
        free(all);
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        char key[VNSI_META_TERM_CAP];
        size_t kl =
            fold ? vnsi_meta_term(f->an, "", all[i].value, strlen(all[i].value), key, sizeof key)
                 : 0;
        if (fold && kl == 0) continue;
        /* A later spelling of a value seen: added to it (keys maps a folded value to its
         * place in out, plus one). */
        entry *seen = fold ? table_get(&keys, key, kl) : NULL;
        if (seen) {
            fc->out[seen->count - 1].count += all[i].count;
            continue;
        }
        if (fold && table_add(&keys, key, kl, fc->nout + 1) < 0) {
            rc = -1;
            break;
        }
        fc->out[fc->nout++] = (entry){all[i].value, all[i].count};
    }
    table_free(&keys);
    free(all);
    if (rc < 0) return -1;
    qsort(fc->out, fc->nout, sizeof *fc->out, by_count);
    if (fc->nout > f->limit) fc->nout = f->limit;
    return 0;
}

vns_status vnsi_facets_finish(vnsi_facets *f) {
    for (int i = 0; i < VNS_FACET_COUNT && f->st == VNS_OK; i++)
        if (f->f[i].on && merge(f, (vns_facet)i) < 0) f->st = VNS_ENOMEM;
    return f->st;
}

vns_status vnsi_facets_get(const vnsi_facets *f, vns_facet which, size_t i, const char **value,
                           uint64_t *count) {
    if (f == NULL || (int)which < 0 || which >= VNS_FACET_COUNT) return VNS_DONE;
    const facet *fc = &f->f[which];
    if (!fc->on || i >= fc->nout) return VNS_DONE;
    *value = fc->out[i].value;
    *count = fc->out[i].count;
    return VNS_OK;
}

void vnsi_facets_free(vnsi_facets *f) {
    if (f == NULL) return;
    for (int i = 0; i < VNS_FACET_COUNT; i++) {
        table_free(&f->f[i].raw); /* Owns every value string out points to. */
        free(f->f[i].out);
    }
    free(f);
}
