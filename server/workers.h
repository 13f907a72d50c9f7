/* workers.h: the server's search workers: a bounded queue of jobs and a pool of threads, each
 * with its own vns_searcher (the library's handles are one per thread). */
#ifndef VNS_SERVER_WORKERS_H
#define VNS_SERVER_WORKERS_H

#include <stddef.h>

#include "vnsearch.h"

/* What a job asks. */
typedef enum srv_kind { SRV_SEARCH, SRV_HEALTH } srv_kind;

/* One request handed to a worker: the worker fills status and body (JSON, malloc'd, the job's)
 * and then calls done(job, done_ctx) from its thread. */
typedef struct srv_job {
    srv_kind kind;
    char *query;            /* SRV_SEARCH: the query (malloc'd, the job's). */
    vns_query_options opts; /* SRV_SEARCH. */
    void (*done)(struct srv_job *j, void *ctx);
    void *done_ctx;
    unsigned status; /* HTTP status of the answer. */
    char *body;      /* The JSON answer (malloc'd), or NULL when out of memory (then 503). */
} srv_job;

typedef struct srv_pool srv_pool;

/* {"error": the formatted message} as a malloc'd JSON text (bytes that are not UTF-8 written as
 * '?'), or NULL when out of memory. */
char *srv_error_json(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The seconds a worker's searcher goes before it reopens to see new commits. */
#define SRV_REOPEN_SECONDS 0.2

/* Starts nthreads workers over the n index paths (borrowed: they must outlive the pool) with a
 * queue of at most queue_cap waiting jobs; *out is the caller's (srv_pool_stop). Each worker
 * opens its searcher when it starts; err (errlen bytes) says why one could not (the pool is
 * then not started). Returns VNS_OK, a status of vns_searcher_open, or VNS_ENOMEM. */
vns_status srv_pool_start(srv_pool **out, const char *const *paths, size_t n, unsigned nthreads,
                          size_t queue_cap, char *err, size_t errlen);

/* Queues j (borrowed until its done call) for a worker. Returns 0, or -1 when the queue is full
 * (the job is not taken: answer 503). Thread-safe. before_queue (may be NULL) is called with the
 * queue's lock held once the job is sure to be taken, before any worker can see it (the server
 * suspends the connection there, so that done never comes before). */
int srv_pool_submit(srv_pool *p, srv_job *j, void (*before_queue)(srv_job *j, void *ctx),
                    void *ctx);

/* Stops the workers after the jobs queued are done (their done calls made); jobs submitted from
 * now on are refused. The pool stays valid until srv_pool_free. Accepts NULL. */
void srv_pool_stop(srv_pool *p);

/* Frees a stopped pool; accepts NULL. */
void srv_pool_free(srv_pool *p);

#endif /* VNS_SERVER_WORKERS_H */
