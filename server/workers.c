/* workers.c: the server's search workers (workers.h). */
#define _POSIX_C_SOURCE 200809L
#include "workers.h"

#include <jansson.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "article_json.h"
#include "clock.h"

/* How many times a request is answered again after a writer discarded the revision it read (the
 * watcher commits within a second of each change: an outside attack saw 0.7% of requests fail
 * with it under a stream of new files, none with this). */
#define SRV_MODIFIED_RETRIES 3

struct srv_pool {
    const char *const *paths;
    size_t npaths;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    srv_job **ring; /* The waiting jobs: cap slots from head, count of them. */
    size_t cap, head, count;
    int stopping;
    pthread_t *threads;
    unsigned nthreads, started;
    /* Start-up: each worker says whether its searcher opened. */
    pthread_cond_t ready;
    unsigned opened, failed;
    vns_status open_st;
    char open_err[1024];
};

/* A worker's own state. */
typedef struct worker {
    srv_pool *p;
    vns_searcher *s; /* NULL after a failure: opened again for the next job. */
    double reopened; /* cli_now() of the last open or reopen. */
} worker;

char *srv_error_json(const char *fmt, ...) {
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    json_t *o = json_pack("{s:s}", "error", msg);
    for (size_t i = 0; o == NULL && msg[i]; i++) /* Not UTF-8: the bytes above ASCII go. */
        if ((unsigned char)msg[i] >= 0x80) msg[i] = '?';
    if (o == NULL) o = json_pack("{s:s}", "error", msg);
    char *body = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    return body;
}

/* An answer {"error": message} with status into j. */
static void error_answer(srv_job *j, unsigned status, const char *msg) {
    j->status = status;
    j->body = srv_error_json("%s", msg);
}

/* The HTTP status for a failed search: the caller's fault (400), the index's (503), or ours. */
static unsigned status_of(vns_status st) {
    switch (st) {
    case VNS_EQUERY:
    case VNS_EINVAL: return 400;
    case VNS_EINTERNAL: return 500;
    default: return 503; /* Unreadable, gone, busy writer, network, memory: try again later. */
    }
}

/* Opens the worker's searcher, or reopens it when SRV_REOPEN_SECONDS have passed. Returns VNS_OK
 * or the failure (message in err). */
static vns_status fresh_searcher(worker *w, char *err, size_t errlen) {
    double now = cli_now();
    if (w->s && now - w->reopened < SRV_REOPEN_SECONDS) return VNS_OK;
    vns_status st = VNS_OK;
    if (w->s && (st = vns_searcher_reopen(w->s)) != VNS_OK) {
        /* An index replaced (a rebuild swapped in) or damaged: open it anew. */
        vns_searcher_close(w->s);
        w->s = NULL;
    }
    if (w->s == NULL) st = vns_searcher_open(&w->s, w->p->paths, w->p->npaths, err, errlen);
    if (st == VNS_OK) w->reopened = now;
    return st;
}

static void run_search(worker *w, srv_job *j, double started) {
    char err[1024];
    json_t *root = NULL;
    /* A writer committing meanwhile (vnindex --watch) may discard the revision being read, under
     * the query or under the reading of its results: the searcher is reopened and the request
     * answered again, as a new vnsearch would answer it, a few times. */
    for (int attempt = 0;; attempt++) {
        vns_results *r = NULL;
        vns_status st = vns_searcher_query(&r, w->s, j->query, &j->opts);
        if (st == VNS_EMODIFIED && attempt < SRV_MODIFIED_RETRIES &&
            vns_searcher_reopen(w->s) == VNS_OK)
            continue;
        if (st != VNS_OK) {
            error_answer(j, status_of(st), vns_searcher_errmsg(w->s));
            if (status_of(st) == 503) {
                vns_searcher_close(w->s); /* Start again from a fresh open. */
                w->s = NULL;
            }
            return;
        }
        cli_json_opts jo = {.html = j->opts.html, .facets = j->opts.facets, .started = started};
        root = cli_results_json(r, j->query, &jo, err, sizeof err);
        vns_results_free(r);
        if (root != NULL) break;
        /* A result that cannot be read: most often the revision gone; once more, reopened. */
        if (attempt >= SRV_MODIFIED_RETRIES || vns_searcher_reopen(w->s) != VNS_OK) {
            error_answer(j, 503, err);
            return;
        }
    }
    j->status = 200;
    j->body = json_dumps(root, JSON_COMPACT);
    json_decref(root);
}

static void run_health(worker *w, srv_job *j) {
    uint64_t docs = 0;
    vns_status st = vns_searcher_doc_count(&docs, w->s);
    if (st != VNS_OK) {
        error_answer(j, 503, vns_searcher_errmsg(w->s));
        return;
    }
    json_t *o = json_pack("{s:s,s:I}", "status", "ok", "documents", (json_int_t)docs);
    j->status = 200;
    j->body = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
}

static void run_job(worker *w, srv_job *j) {
    double started = cli_now();
    char err[1024];
    vns_status st = fresh_searcher(w, err, sizeof err);
    if (st != VNS_OK) {
        j->status = 503;
        j->body = srv_error_json("the index cannot be read: %s", err);
    } else if (j->kind == SRV_HEALTH) {
        run_health(w, j);
    } else {
        run_search(w, j, started);
    }
    if (j->body == NULL) j->status = 503; /* Out of memory: the server says so. */
    j->done(j, j->done_ctx);
}

static void *worker_main(void *arg) {
    worker w = {.p = arg};
    srv_pool *p = w.p;
    char err[1024];
    vns_status st = fresh_searcher(&w, err, sizeof err);
    pthread_mutex_lock(&p->lock);
    if (st == VNS_OK) {
        p->opened++;
    } else {
        p->failed++;
        p->open_st = st;
        snprintf(p->open_err, sizeof p->open_err, "%s", err);
    }
    pthread_cond_broadcast(&p->ready);
    for (;;) {
        while (p->count == 0 && !p->stopping) pthread_cond_wait(&p->wake, &p->lock);
        if (p->count == 0) break; /* Stopping, and nothing left. */
        srv_job *j = p->ring[p->head];
        p->head = (p->head + 1) % p->cap;
        p->count--;
        pthread_mutex_unlock(&p->lock);
        run_job(&w, j);
        pthread_mutex_lock(&p->lock);
    }
    pthread_mutex_unlock(&p->lock);
    vns_searcher_close(w.s);
    return NULL;
}

vns_status srv_pool_start(srv_pool **out, const char *const *paths, size_t n, unsigned nthreads,
                          size_t queue_cap, char *err, size_t errlen) {
    *out = NULL;
    srv_pool *p = calloc(1, sizeof *p);
    if (p == NULL) return VNS_ENOMEM;
    p->paths = paths;
    p->npaths = n;
    p->cap = queue_cap ? queue_cap : 1;
    p->nthreads = nthreads ? nthreads : 1;
    p->ring = calloc(p->cap, sizeof *p->ring);
    p->threads = calloc(p->nthreads, sizeof *p->threads);
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->wake, NULL);
    pthread_cond_init(&p->ready, NULL);
    if (p->ring == NULL || p->threads == NULL) {
        srv_pool_free(p);
        snprintf(err, errlen, "out of memory");
        return VNS_ENOMEM;
    }
    for (unsigned i = 0; i < p->nthreads; i++) {
        if (pthread_create(&p->threads[i], NULL, worker_main, p) != 0) break;
        p->started++;
    }
    pthread_mutex_lock(&p->lock);
    while (p->opened + p->failed < p->started) pthread_cond_wait(&p->ready, &p->lock);
    vns_status st = p->failed ? p->open_st : p->started < p->nthreads ? VNS_ENOMEM : VNS_OK;
    if (st != VNS_OK)
        snprintf(err, errlen, "%s", p->failed ? p->open_err : "cannot start the worker threads");
    pthread_mutex_unlock(&p->lock);
    if (st != VNS_OK) {
        srv_pool_free(p);
        return st;
    }
    *out = p;
    return VNS_OK;
}

int srv_pool_submit(srv_pool *p, srv_job *j, void (*before_queue)(srv_job *j, void *ctx),
                    void *ctx) {
    pthread_mutex_lock(&p->lock);
    if (p->count == p->cap || p->stopping) {
        pthread_mutex_unlock(&p->lock);
        return -1;
    }
    if (before_queue) before_queue(j, ctx);
    p->ring[(p->head + p->count) % p->cap] = j;
    p->count++;
    pthread_cond_signal(&p->wake);
    pthread_mutex_unlock(&p->lock);
    return 0;
}

void srv_pool_stop(srv_pool *p) {
    if (p == NULL) return;
    pthread_mutex_lock(&p->lock);
    p->stopping = 1;
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->lock);
    for (unsigned i = 0; i < p->started; i++) pthread_join(p->threads[i], NULL);
    p->started = 0;
}

void srv_pool_free(srv_pool *p) {
    if (p == NULL) return;
    srv_pool_stop(p);
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->wake);
    pthread_cond_destroy(&p->ready);
    free(p->ring);
    free(p->threads);
    free(p);
}
