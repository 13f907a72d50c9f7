/* server_main.c: vnsearch-server: the engine over HTTP: GET /search (vnsearch --json's object),
 * GET /health, GET / (the search page, built into the program). */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <getopt.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <microhttpd.h>

#include "args.h"
#include "article_json.h"
#include "page_html.h"
#include "vnsearch.h"
#include "workers.h"

/* Exit statuses. */
enum { EXIT_OK = 0, EXIT_ERROR = 1, EXIT_USAGE = 2 };

#define MAX_INDEXES 64
/* Names --allow-host may add. */
#define MAX_ALLOWED_HOSTS 16
/* Request limits: a request line and headers beyond MHD's memory limit get 414 or 431 from
 * libmicrohttpd; a query beyond the library's limit gets 400 from it. */
#define SRV_MEMORY_LIMIT (128 * 1024)
/* A client that sends nothing for this long is dropped (slow clients). */
#define SRV_CONNECTION_TIMEOUT 10
/* Open connections at most; more are refused by libmicrohttpd (which polls them with poll():
 * select() would cap every descriptor of the process, index files too, at 1,024). */
#define SRV_CONNECTION_LIMIT 1024
/* At a stop, how long the answers already made get to reach their clients, in 10 ms steps. */
#define SRV_DRAIN_STEPS 500
/* The most results one request may ask for, and the deepest offset. */
#define SRV_MAX_N 1000
#define SRV_MAX_OFFSET 100000

static const char usage_text[] =
    "Usage: vnsearch-server [-d INDEX]... [--listen HOST:PORT] [--threads N] [--queue N]\n"
    "Serve the search engine over HTTP (JSON) with a search page.\n"
    "\n"
    "  -d, --index DIR     an index to search (repeatable; as vnsearch -d; default:\n"
    "                      $VNSEARCH_INDEX, else ./vnsearch.db)\n"
    "      --listen HOST:PORT  where to listen (default 127.0.0.1:8080; [::1]:8080 for IPv6;\n"
    "                      port 0 picks a free one, printed at start)\n"
    "      --threads N     search threads, each with its own searcher (default: the CPUs)\n"
    "      --queue N       requests waiting for a thread at most; more get 503 (default 64)\n"
    "      --allow-host NAME  also answer requests for host NAME (repeatable); otherwise only\n"
    "                      requests naming an IP address or localhost are answered, so that\n"
    "                      a web page of another site cannot read it (DNS rebinding)\n"
    "  -h, --help          this help;  --version  the version\n"
    "\n"
    "  GET /search?q=QUERY[&n=N][&offset=K][&exact=1][&match=all|any|auto][&literal=1]\n"
    "      [&as_typed=1][&sort=relevance|newest|oldest][&facets=source,topic,tag,year,month]\n"
    "      [&facet_limit=N][&html=1][&count=1]   vnsearch --json's object\n"
    "  GET /health    {\"status\":\"ok\",\"documents\":N}\n"
    "  GET /          the search page\n"
    "Errors are {\"error\":\"...\"}: 400 bad query or parameter, 403 another host's name, 404\n"
    "unknown path, 405 not GET, 503 index unreadable or too many requests waiting. No\n"
    "authentication: keep it on loopback or behind a reverse proxy (README).\n";

typedef struct server {
    srv_pool *pool;
    unsigned live; /* Requests begun and not completed (atomic: MHD's thread and the main one). */
    const char *allowed[MAX_ALLOWED_HOSTS]; /* --allow-host names (borrowed from argv). */
    size_t nallowed;
} server;

/* The per-request state, from a request's first call of the handler to its completion: the job a
 * worker answers, whether it was handed to the workers and whether they are done with it. */
typedef struct request {
    srv_job job;
    struct MHD_Connection *conn;
    int submitted;
    int done;
} request;

/* ---- responses ------------------------------------------------------------------------- */

static enum MHD_Result send_body(struct MHD_Connection *c, unsigned status, char *body,
                                 const char *type) {
    struct MHD_Response *r =
        MHD_create_response_from_buffer(strlen(body), body, MHD_RESPMEM_MUST_FREE);
    if (r == NULL) {
        free(body);
        return MHD_NO;
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
        MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
    enum MHD_Result ok = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ok;
}

static enum MHD_Result send_json(struct MHD_Connection *c, unsigned status, char *body) {
    if (body == NULL) {
        body = strdup("{\"error\":\"out of memory\"}");
        status = 503;
        if (body == NULL) return MHD_NO;
    }
    return send_body(c, status, body, "application/json; charset=utf-8");
}

/* {"error": the formatted message} with status. */
#define send_error(c, status, ...) send_json((c), (status), srv_error_json(__VA_ARGS__))

static enum MHD_Result send_page(struct MHD_Connection *c) {
    struct MHD_Response *r = MHD_create_response_from_buffer(
        sizeof srv_page_html - 1, (void *)srv_page_html, MHD_RESPMEM_PERSISTENT);
    if (r == NULL) return MHD_NO;
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/html; charset=utf-8");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    /* The page is self-contained: it may talk to this server and load nothing else. */
    MHD_add_response_header(r, "Content-Security-Policy",
                            "default-src 'none'; script-src 'unsafe-inline'; style-src "
                            "'unsafe-inline'; connect-src 'self'; img-src data:; base-uri "
                            "'none'; form-action 'self'; frame-ancestors 'none'");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    enum MHD_Result ok = MHD_queue_response(c, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return ok;
}

/* ---- parameters ------------------------------------------------------------------------ */

/* The value of parameter key (NULL when absent); *bad set when it holds a NUL byte (%00). */
static const char *param(struct MHD_Connection *c, const char *key, int *bad) {
    const char *v = NULL;
    size_t len = 0;
    if (MHD_lookup_connection_value_n(c, MHD_GET_ARGUMENT_KIND, key, strlen(key), &v, &len) !=
            MHD_YES ||
        v == NULL)
        return NULL;
    if (strlen(v) != len) *bad = 1;
    return v;
}

/* Reads a flag (1/0, true/false, yes/no; empty: 1). Returns 0, or -1 when it is none. */
static int flag(const char *v, int *out) {
    if (v == NULL) return 0;
    if (!*v || !strcmp(v, "1") || !strcmp(v, "true") || !strcmp(v, "yes")) {
        *out = 1;
    } else if (!strcmp(v, "0") || !strcmp(v, "false") || !strcmp(v, "no")) {
        *out = 0;
    } else {
        return -1;
    }
    return 0;
}

/* Reads a count in [lo, hi]. Returns 0 (absent: *out unchanged), or -1 when it is none. */
static int count(const char *v, unsigned long long lo, unsigned long long hi, size_t *out) {
    unsigned long long x;
    if (v == NULL) return 0;
    if (cli_parse_count(&x, v, hi) < 0 || x < lo) return -1;
    *out = (size_t)x;
    return 0;
}

/* Fills o from the request's parameters. Returns NULL, or the message of the first bad one. */
static const char *read_params(struct MHD_Connection *c, vns_query_options *o, char *msg,
                               size_t cap) {
    int bad = 0;
    const char *n = param(c, "n", &bad), *offset = param(c, "offset", &bad);
    const char *exact = param(c, "exact", &bad), *literal = param(c, "literal", &bad);
    const char *as_typed = param(c, "as_typed", &bad), *html = param(c, "html", &bad);
    const char *match = param(c, "match", &bad), *sort = param(c, "sort", &bad);
    const char *facets = param(c, "facets", &bad), *flimit = param(c, "facet_limit", &bad);
    const char *cnt = param(c, "count", &bad);
    size_t v = 0;
    if (bad) return "a parameter holds a NUL byte (%00)";
    if (count(n, 1, SRV_MAX_N, &o->limit) < 0) {
        snprintf(msg, cap, "n must be 1 to %d, not '%.40s'", SRV_MAX_N, n);
        return msg;
    }
    if (count(offset, 0, SRV_MAX_OFFSET, &o->offset) < 0) {
        snprintf(msg, cap, "offset must be 0 to %d, not '%.40s'", SRV_MAX_OFFSET, offset);
        return msg;
    }
    if (flag(exact, &o->exact) < 0 || flag(literal, &o->literal) < 0 ||
        flag(as_typed, &o->as_typed) < 0 || flag(html, &o->html) < 0 ||
        flag(cnt, &o->exact_count) < 0)
        return "exact, literal, as_typed, html and count take 1 or 0 (true or false)";
    if (match && !strcmp(match, "all"))
        o->match = VNS_MATCH_ALL;
    else if (match && !strcmp(match, "any"))
        o->match = VNS_MATCH_ANY;
    else if (match && strcmp(match, "auto"))
        return "match takes all, any or auto";
    if (sort && !strcmp(sort, "newest"))
        o->sort = VNS_SORT_NEWEST;
    else if (sort && !strcmp(sort, "oldest"))
        o->sort = VNS_SORT_OLDEST;
    else if (sort && strcmp(sort, "relevance"))
        return "sort takes relevance, newest or oldest";
    for (const char *p = facets; p && *p;) {
        size_t len = strcspn(p, ",");
        int f = -1;
        for (int i = 0; i < VNS_FACET_COUNT; i++)
            if (strlen(cli_facet_names[i]) == len && !strncmp(p, cli_facet_names[i], len)) f = i;
        if (f < 0 && len > 0)
            return "facets takes source, topic, tag, year, month (comma-separated)";
        if (f >= 0) o->facets |= VNS_FACET_BIT(f);
        p += len + (p[len] == ',');
    }
    if (count(flimit, 1, 1000, &v) < 0) return "facet_limit must be 1 to 1000";
    if (v) o->facet_limit = (unsigned)v;
    return NULL;
}

/* ---- requests -------------------------------------------------------------------------- */

/* Whether a request naming host (its Host header, NULL when it sent none) may be answered: one
 * naming an IP address (a port aside), localhost, or a name of --allow-host. A browser sends the
 * name of the site its page came from, so a page of another site whose name was made to point at
 * this machine (DNS rebinding) is refused; an address typed as digits cannot be rebound. No Host,
 * or an empty one, names no site: answered. Never fails. */
static int host_allowed(const server *sv, const char *host) {
    if (host == NULL) return 1;
    size_t n = strlen(host);
    const char *colon = strrchr(host, ':');
    const char *bracket = strrchr(host, ']');
    /* A port: ":" and digits (maybe none) to the end, after the "]" of a [v6] name. */
    if (colon && strspn(colon + 1, "0123456789") == strlen(colon + 1) &&
        (host[0] != '[' || (bracket && bracket + 1 == colon)))
        n = (size_t)(colon - host);
    if (n > 0 && host[n - 1] == '.') n--; /* "localhost." is localhost. */
    if (n == 0) return 1;
    char buf[64];
    if (host[0] == '[') {
        struct in6_addr a6;
        if (n < 2 || host[n - 1] != ']' || n - 2 >= sizeof buf) return 0;
        memcpy(buf, host + 1, n - 2);
        buf[n - 2] = '\0';
        return inet_pton(AF_INET6, buf, &a6) == 1;
    }
    struct in_addr a4;
    if (n < sizeof buf) {
        memcpy(buf, host, n);
        buf[n] = '\0';
        if (inet_pton(AF_INET, buf, &a4) == 1) return 1;
    }
    if (n == 9 && strncasecmp(host, "localhost", 9) == 0) return 1;
    for (size_t i = 0; i < sv->nallowed; i++)
        if (strlen(sv->allowed[i]) == n && strncasecmp(host, sv->allowed[i], n) == 0) return 1;
    return 0;
}

/* A worker finished a job: its connection goes on. Called from the worker's thread. */
static void job_done(srv_job *j, void *ctx) {
    request *rq = ctx;
    (void)j;
    rq->done = 1;
    MHD_resume_connection(rq->conn);
}

/* Called by srv_pool_submit with the queue locked, before any worker can see the job. */
static void suspend(srv_job *j, void *ctx) {
    (void)j;
    MHD_suspend_connection(((request *)ctx)->conn);
}

/* Hands a job to the workers; its answer is sent when it is done. Answers 503 when the queue is
 * full. */
static enum MHD_Result submit(server *sv, struct MHD_Connection *c, request *rq) {
    rq->conn = c;
    rq->job.done = job_done;
    rq->job.done_ctx = rq;
    if (srv_pool_submit(sv->pool, &rq->job, suspend, rq) < 0)
        return send_error(c, MHD_HTTP_SERVICE_UNAVAILABLE,
                          "too many requests waiting: try again in a moment");
    rq->submitted = 1;
    return MHD_YES;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload_data,
                              size_t *upload_data_size, void **con_cls) {
    (void)version;
    (void)upload_data;
    server *sv = cls;
    request *rq = *con_cls;
    if (rq == NULL) {
        /* A refused host or method is answered at once (libmicrohttpd then closes the
         * connection: its body is not read). */
        const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
        if (!host_allowed(sv, host))
            return send_error(c, MHD_HTTP_FORBIDDEN,
                              "this server answers requests naming an IP address, localhost or a "
                              "name of --allow-host, not the host this request names (a page of "
                              "another site may not read it): start it with --allow-host NAME to "
                              "answer that name");
        if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
            return send_error(c, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET and HEAD");
        /* The first call has the headers only: the answer waits for the whole request (one
         * queued now would close the connection after it, and drop requests pipelined on it). */
        if ((rq = calloc(1, sizeof *rq)) == NULL) return MHD_NO;
        __atomic_add_fetch(&sv->live, 1, __ATOMIC_SEQ_CST);
        *con_cls = rq;
        return MHD_YES;
    }
    if (*upload_data_size != 0) { /* A body on a GET is ignored. */
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (rq->submitted) {
        if (!rq->done) return MHD_YES;
        unsigned status = rq->job.status;
        char *body = rq->job.body;
        rq->job.body = NULL;
        return send_json(c, status, body);
    }
    if (strcmp(url, "/") == 0) return send_page(c);
    int search = strcmp(url, "/search") == 0;
    if (!search && strcmp(url, "/health") != 0)
        return send_error(c, MHD_HTTP_NOT_FOUND, "no such path: try /search?q=..., /health or /");
    rq->job.kind = search ? SRV_SEARCH : SRV_HEALTH;
    if (search) {
        vns_query_options o = VNS_QUERY_OPTIONS_INIT;
        char msg[256];
        int bad = 0;
        const char *q = param(c, "q", &bad);
        const char *why = bad ? "q holds a NUL byte (%00)" : read_params(c, &o, msg, sizeof msg);
        if (why == NULL && (q == NULL || *q == '\0')) why = "q is missing: /search?q=...";
        if (why) return send_error(c, MHD_HTTP_BAD_REQUEST, "%s", why);
        rq->job.opts = o;
        if ((rq->job.query = strdup(q)) == NULL) return send_json(c, 503, NULL);
    }
    return submit(sv, c, rq);
}

/* Frees a request when its connection is done with it (answered, or the client gone). */
static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode toe) {
    server *sv = cls;
    (void)c;
    (void)toe;
    request *rq = *con_cls;
    if (rq == NULL) return;
    free(rq->job.query);
    free(rq->job.body);
    free(rq);
    *con_cls = NULL;
    __atomic_sub_fetch(&sv->live, 1, __ATOMIC_SEQ_CST);
}

/* ---- start-up -------------------------------------------------------------------------- */

/* Parses HOST:PORT ([V6]:PORT) into *out (malloc'd by getaddrinfo). Returns 0 or -1. */
static int parse_listen(const char *spec, struct addrinfo **out) {
    char host[256];
    const char *colon = strrchr(spec, ':');
    if (colon == NULL || colon == spec || (size_t)(colon - spec) >= sizeof host) return -1;
    size_t hl = (size_t)(colon - spec);
    memcpy(host, spec, hl);
    host[hl] = '\0';
    if (host[0] == '[' && hl > 2 && host[hl - 1] == ']') {
        memmove(host, host + 1, hl - 2);
        host[hl - 2] = '\0';
    }
    unsigned long long port;
    if (cli_parse_count(&port, colon + 1, 65535) < 0) return -1;
    struct addrinfo hints = {.ai_family = AF_UNSPEC,
                             .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_NUMERICSERV | AI_PASSIVE};
    return getaddrinfo(host, colon + 1, &hints, out) == 0 ? 0 : -1;
}

int main(int argc, char **argv) {
    const char *paths[MAX_INDEXES];
    size_t npaths = 0;
    const char *listen_at = "127.0.0.1:8080";
    unsigned long long threads = 0, queue = 64;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    server sv = {0};
    static const struct option longopts[] = {
        {"index", required_argument, NULL, 'd'},      {"listen", required_argument, NULL, 'l'},
        {"threads", required_argument, NULL, 't'},    {"queue", required_argument, NULL, 'q'},
        {"allow-host", required_argument, NULL, 'a'}, {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},          {NULL, 0, NULL, 0}};
    int ch;
    while ((ch = getopt_long(argc, argv, "d:h", longopts, NULL)) != -1) {
        switch (ch) {
        case 'd':
            if (npaths == MAX_INDEXES) {
                fprintf(stderr, "vnsearch-server: at most %d indexes\n", MAX_INDEXES);
                return EXIT_USAGE;
            }
            paths[npaths++] = optarg;
            break;
        case 'l': listen_at = optarg; break;
        case 't':
            if (cli_parse_count(&threads, optarg, 256) < 0 || threads == 0) {
                fprintf(stderr, "vnsearch-server: --threads needs 1 to 256, not '%s'\n", optarg);
                return EXIT_USAGE;
            }
            break;
        case 'q':
            if (cli_parse_count(&queue, optarg, 100000) < 0 || queue == 0) {
                fprintf(stderr, "vnsearch-server: --queue needs 1 to 100000, not '%s'\n", optarg);
                return EXIT_USAGE;
            }
            break;
        case 'a':
            if (sv.nallowed == MAX_ALLOWED_HOSTS || optarg[0] == '\0' || strchr(optarg, ':')) {
                fprintf(stderr,
                        "vnsearch-server: --allow-host takes a host name without a port, at "
                        "most %d times, not '%s'\n",
                        MAX_ALLOWED_HOSTS, optarg);
                return EXIT_USAGE;
            }
            sv.allowed[sv.nallowed++] = optarg;
            break;
        case 'h': fputs(usage_text, stdout); return EXIT_OK;
        case 'V': printf("vnsearch-server %s\n", vns_version(NULL)); return EXIT_OK;
        default: fputs(usage_text, stderr); return EXIT_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "vnsearch-server: unexpected argument '%s'\n%s", argv[optind], usage_text);
        return EXIT_USAGE;
    }
    if (npaths == 0) paths[npaths++] = vns_default_index_path();
    for (size_t i = 0; i < npaths; i++)
        if (cli_dir_is_foreign(paths[i])) {
            fprintf(stderr,
                    "vnsearch-server: %s is not an index: it is a directory that holds "
                    "other files\n",
                    paths[i]);
            return EXIT_USAGE;
        }
    if (threads == 0) threads = cpus > 0 ? (unsigned long long)cpus : 2;
    struct addrinfo *ai = NULL;
    if (parse_listen(listen_at, &ai) < 0) {
        fprintf(stderr,
                "vnsearch-server: --listen needs HOST:PORT (127.0.0.1:8080, [::1]:8080), "
                "not '%s'\n",
                listen_at);
        return EXIT_USAGE;
    }

    /* SIGINT and SIGTERM end the server; they are waited for in this thread only. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    char err[1024];
    vns_status st =
        srv_pool_start(&sv.pool, paths, npaths, (unsigned)threads, (size_t)queue, err, sizeof err);
    if (st != VNS_OK) {
        fprintf(stderr, "vnsearch-server: %s\n", err);
        freeaddrinfo(ai);
        return EXIT_ERROR;
    }
    /* poll(), not select() (which caps every descriptor of the process at 1,024), nor epoll
     * (whose quiesce at a stop libmicrohttpd 0.9.75 is not safe with: a review, 2026-12-07). */
    unsigned flags =
        MHD_USE_POLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
    if (ai->ai_family == AF_INET6) flags |= MHD_USE_IPv6;
    struct MHD_Daemon *d =
        MHD_start_daemon(flags, 0, NULL, NULL, handle, &sv, MHD_OPTION_SOCK_ADDR, ai->ai_addr,
                         MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)SRV_CONNECTION_TIMEOUT,
                         MHD_OPTION_CONNECTION_LIMIT, (unsigned)SRV_CONNECTION_LIMIT,
                         MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)SRV_MEMORY_LIMIT,
                         MHD_OPTION_NOTIFY_COMPLETED, completed, &sv, MHD_OPTION_END);
    freeaddrinfo(ai);
    if (d == NULL) {
        fprintf(stderr,
                "vnsearch-server: cannot listen on %s (in use, or not an address of "
                "this machine)\n",
                listen_at);
        srv_pool_free(sv.pool);
        return EXIT_ERROR;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    char host[256];
    snprintf(host, sizeof host, "%.*s", (int)(strrchr(listen_at, ':') - listen_at), listen_at);
    fprintf(stderr, "vnsearch-server: listening on http://%s:%u/ (%llu threads)\n", host,
            info ? info->port : 0, threads);
    int sig = 0;
    sigwait(&stop, &sig);
    fprintf(stderr, "vnsearch-server: stopping (%s)\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
    /* No new connection; the queued jobs finish and resume their connections (a suspended
     * connection must not outlive the daemon; requests arriving meanwhile on open connections
     * get 503); the answers made reach their clients; then the daemon stops. */
    MHD_socket listener = MHD_quiesce_daemon(d);
    srv_pool_stop(sv.pool);
    for (int i = 0; i < SRV_DRAIN_STEPS && __atomic_load_n(&sv.live, __ATOMIC_SEQ_CST) > 0; i++)
        nanosleep(&(struct timespec){.tv_nsec = 10 * 1000 * 1000}, NULL);
    MHD_stop_daemon(d);
    /* Only now: libmicrohttpd's thread may look at it until it has stopped (microhttpd.h). */
    if (listener != MHD_INVALID_SOCKET) close(listener);
    srv_pool_free(sv.pool);
    return EXIT_OK;
}
