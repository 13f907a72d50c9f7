// xapian_shim.cc: the only C++ in vnsearch; wraps Xapian 1.4 and turns every exception into a
// status.
#include "xapian_shim.h"

#include <xapian.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <vector>

struct vxs_db {
    Xapian::Database *rdb;         // The database read from (== wdb when writable).
    Xapian::WritableDatabase *wdb; // NULL for read handles.
    bool remote; // Some shard is remote (tcp://, or in a stub file): match deciders cannot run.
    char err[VXS_ERRLEN];
};

struct vxs_doc {
    Xapian::Document doc;
    bool failed;
};

struct vxs_query {
    Xapian::Query q;
};

struct vxs_mset {
    Xapian::MSet mset;
};

namespace {

void set_msg(char *buf, const char *prefix, const std::string &msg) {
    if (buf == nullptr) return;
    std::snprintf(buf, VXS_ERRLEN, "%s%s", prefix, msg.c_str());
}

// Xapian's message plus the system's reason when there is one ("No space left on device").
std::string with_errno(const Xapian::Error &e) {
    const char *why = e.get_error_string();
    return why && *why ? e.get_msg() + ": " + why : e.get_msg();
}

// The one place where exceptions become statuses. Call it only inside a catch block.
vns_status map_exception(char *buf) {
    try {
        throw;
    } catch (const Xapian::DatabaseLockError &e) {
        set_msg(buf, "index is locked by another writer: ", e.get_msg());
        return VNS_ELOCKED;
    } catch (const Xapian::DatabaseModifiedError &e) {
        set_msg(buf, "index was modified while reading: ", e.get_msg());
        return VNS_EMODIFIED;
    } catch (const Xapian::DatabaseCorruptError &e) {
        set_msg(buf, "index is corrupt: ", e.get_msg());
        return VNS_ECORRUPT;
    } catch (const Xapian::DatabaseVersionError &e) {
        set_msg(buf, "index format is not supported: ", e.get_msg());
        return VNS_ECORRUPT;
    } catch (const Xapian::DatabaseOpeningError &e) {
        set_msg(buf, "cannot open index: ", with_errno(e));
        return VNS_ENOTFOUND;
    } catch (const Xapian::DatabaseError &e) {
        set_msg(buf, "index I/O failed: ", with_errno(e));
        return VNS_EIO;
    } catch (const Xapian::NetworkError &e) {
        set_msg(buf, "remote index failed: ", with_errno(e));
        return VNS_ENETWORK;
    } catch (const Xapian::InvalidArgumentError &e) {
        set_msg(buf, "invalid argument: ", e.get_msg());
        return VNS_EINVAL;
    } catch (const Xapian::InvalidOperationError &e) {
        set_msg(buf, "invalid operation: ", e.get_msg());
        return VNS_EINVAL;
    } catch (const Xapian::DocNotFoundError &e) {
        set_msg(buf, "no such document: ", e.get_msg());
        return VNS_ENOTFOUND;
    } catch (const Xapian::Error &e) {
        set_msg(buf, "xapian error: ", e.get_description());
        return VNS_EINTERNAL;
    } catch (const std::bad_alloc &) {
        set_msg(buf, "out of memory", "");
        return VNS_ENOMEM;
    } catch (const std::exception &e) {
        set_msg(buf, "internal error: ", e.what());
        return VNS_EINTERNAL;
    } catch (...) {
        set_msg(buf, "internal error: unknown exception", "");
        return VNS_EINTERNAL;
    }
}

vns_status not_writable(vxs_db *db) {
    set_msg(db->err, "index is open for reading only", "");
    return VNS_EINVAL;
}

} // namespace

// Wraps a body that may throw: on exception, maps it into db->err and returns the status.
#define VXS_TRY(db, ...)                                                                           \
    do {                                                                                           \
        try {                                                                                      \
            __VA_ARGS__;                                                                           \
        } catch (...) {                                                                            \
            return map_exception((db)->err);                                                       \
        }                                                                                          \
        (db)->err[0] = '\0';                                                                       \
        return VNS_OK;                                                                             \
    } while (0)

extern "C" {

vns_status vxs_db_open_write(vxs_db **out, const char *path, int flags, char *errbuf) {
    *out = nullptr;
    vxs_db *db = new (std::nothrow) vxs_db();
    if (db == nullptr) {
        set_msg(errbuf, "out of memory", "");
        return VNS_ENOMEM;
    }
    try {
        int xf = (flags & VXS_CREATE) ? Xapian::DB_CREATE_OR_OPEN : Xapian::DB_OPEN;
        if (flags & VXS_WAIT_LOCK) xf |= Xapian::DB_RETRY_LOCK;
        if (flags & VXS_SCRATCH) xf |= Xapian::DB_DANGEROUS | Xapian::DB_NO_SYNC;
        db->wdb = new Xapian::WritableDatabase(path, xf);
        db->rdb = db->wdb;
    } catch (...) {
        vns_status st = map_exception(errbuf);
        delete db;
        return st;
    }
    *out = db;
    return VNS_OK;
}

// Opens one shard: "tcp://HOST:PORT" (HOST may be [v6]) through Xapian's remote backend, served
// by xapian-tcpsrv; anything else as a local database directory or stub file.
static Xapian::Database open_one(const std::string &path) {
    const std::string tcp = "tcp://";
    if (path.compare(0, tcp.size(), tcp) != 0) return Xapian::Database(path);
    std::string rest = path.substr(tcp.size()), host;
    size_t colon;
    if (!rest.empty() && rest[0] == '[') {
        size_t close = rest.find(']');
        if (close == std::string::npos) throw Xapian::InvalidArgumentError("bad address: " + path);
        host = rest.substr(1, close - 1);
        colon = close + 1;
    } else {
        colon = rest.rfind(':');
        host = rest.substr(0, colon);
    }
    if (colon == std::string::npos || colon >= rest.size() || rest[colon] != ':')
        throw Xapian::InvalidArgumentError("no port in " + path + " (tcp://HOST:PORT)");
    char *end = nullptr;
    unsigned long port = std::strtoul(rest.c_str() + colon + 1, &end, 10);
    if (host.empty() || *end != '\0' || port == 0 || port > 65535)
        throw Xapian::InvalidArgumentError("bad host or port in " + path + " (tcp://HOST:PORT)");
    // 10 s per operation, 5 s to connect.
    return Xapian::Remote::open(host, static_cast<unsigned>(port), 10000, 5000);
}

vns_status vxs_db_open_read(vxs_db **out, const char *const *paths, size_t n, char *errbuf) {
    *out = nullptr;
    vxs_db *db = new (std::nothrow) vxs_db();
    if (db == nullptr) {
        set_msg(errbuf, "out of memory", "");
        return VNS_ENOMEM;
    }
    try {
        db->rdb = new Xapian::Database();
        for (size_t i = 0; i < n; i++) {
            try {
                db->rdb->add_database(open_one(paths[i]));
                if (std::strncmp(paths[i], "tcp://", 6) == 0) db->remote = true;
            } catch (...) {
                // Name the path in the message; the mapper classifies the exception.
                char tmp[VXS_ERRLEN];
                vns_status st = map_exception(tmp);
                if (errbuf) {
                    std::string m = std::string(paths[i]) + ": " + tmp;
                    std::snprintf(errbuf, VXS_ERRLEN, "%s", m.c_str());
                }
                delete db->rdb;
                delete db;
                return st;
            }
        }
    } catch (...) {
        vns_status st = map_exception(errbuf);
        delete db->rdb;
        delete db;
        return st;
    }
    *out = db;
    return VNS_OK;
}

vns_status vxs_db_close(vxs_db *db) {
    if (db == nullptr) return VNS_OK;
    vns_status st = VNS_OK;
    if (db->wdb) {
        try {
            db->wdb->commit();
            db->wdb->close();
        } catch (...) {
            st = map_exception(db->err);
        }
    }
    try {
        delete db->rdb; // For a writable handle this is the WritableDatabase.
    } catch (...) {
        // A destructor that throws is a Xapian bug; nothing more can be done here.
    }
    delete db;
    return st;
}

void vxs_db_abandon(vxs_db *db) {
    if (db == nullptr) return;
    try {
        if (db->wdb) {
            // Cancel pending changes: a transaction begun and cancelled discards them.
            db->wdb->begin_transaction(false);
            db->wdb->cancel_transaction();
            db->wdb->close();
        }
    } catch (...) {
        (void)map_exception(db->err);
    }
    try {
        delete db->rdb;
    } catch (...) {
    }
    delete db;
}

vns_status vxs_compact(const char *const *srcs, size_t n, const char *dest, char *errbuf) {
    try {
        Xapian::Database all;
        for (size_t i = 0; i < n; i++) all.add_database(Xapian::Database(srcs[i]));
        // Renumbering is what lets shards whose docids overlap be merged.
        all.compact(dest, Xapian::DBCOMPACT_MULTIPASS);
    } catch (...) {
        return map_exception(errbuf);
    }
    return VNS_OK;
}

const char *vxs_db_errmsg(const vxs_db *db) {
    return db ? db->err : "";
}

vns_status vxs_db_commit(vxs_db *db) {
    if (!db->wdb) return not_writable(db);
    VXS_TRY(db, db->wdb->commit());
}

vns_status vxs_db_reopen(vxs_db *db) {
    VXS_TRY(db, db->rdb->reopen());
}

vns_status vxs_db_doc_count(vxs_db *db, uint64_t *out) {
    VXS_TRY(db, *out = db->rdb->get_doccount());
}

vns_status vxs_db_replace(vxs_db *db, const char *unique_term, size_t term_len,
                          const vxs_doc *doc) {
    if (!db->wdb) return not_writable(db);
    if (doc->failed) {
        set_msg(db->err, "out of memory while building a document", "");
        return VNS_ENOMEM;
    }
    VXS_TRY(db, db->wdb->replace_document(std::string(unique_term, term_len), doc->doc));
}

vns_status vxs_db_delete(vxs_db *db, const char *unique_term, size_t term_len) {
    if (!db->wdb) return not_writable(db);
    VXS_TRY(db, db->wdb->delete_document(std::string(unique_term, term_len)));
}

vns_status vxs_db_delete_docid(vxs_db *db, uint32_t docid) {
    if (!db->wdb) return not_writable(db);
    VXS_TRY(db, db->wdb->delete_document(docid));
}

vns_status vxs_db_find_term(vxs_db *db, const char *term, size_t term_len, uint32_t *docid) {
    VXS_TRY(db, {
        std::string t(term, term_len);
        Xapian::PostingIterator it = db->rdb->postlist_begin(t);
        *docid = (it == db->rdb->postlist_end(t)) ? 0 : *it;
    });
}

vns_status vxs_db_get_value(vxs_db *db, uint32_t docid, unsigned slot, char *buf, size_t cap,
                            size_t *len) {
    VXS_TRY(db, {
        std::string v = db->rdb->get_document(docid).get_value(slot);
        *len = v.size();
        std::memcpy(buf, v.data(), v.size() < cap ? v.size() : cap);
    });
}

vns_status vxs_db_each_posting(vxs_db *db, const char *term, size_t term_len, unsigned slot,
                               vxs_posting_fn fn, void *ctx) {
    VXS_TRY(db, {
        std::string t(term, term_len);
        // Collect first: the callback may delete documents, which must not disturb iteration.
        std::vector<std::pair<Xapian::docid, std::string>> items;
        for (Xapian::PostingIterator it = db->rdb->postlist_begin(t);
             it != db->rdb->postlist_end(t); ++it) {
            items.emplace_back(*it, db->rdb->get_document(*it).get_value(slot));
        }
        for (const auto &item : items) {
            if (fn(item.first, item.second.data(), item.second.size(), ctx)) break;
        }
    });
}

vns_status vxs_db_each_term(vxs_db *db, const char *prefix, size_t len, vxs_term_fn fn, void *ctx) {
    VXS_TRY(db, {
        std::string p(prefix, len);
        std::vector<std::string> terms;
        for (Xapian::TermIterator it = db->rdb->allterms_begin(p); it != db->rdb->allterms_end(p);
             ++it)
            terms.push_back(*it);
        for (const auto &t : terms)
            if (fn(t.data(), t.size(), ctx)) break;
    });
}

vns_status vxs_db_set_metadata(vxs_db *db, const char *key, const char *value) {
    if (!db->wdb) return not_writable(db);
    VXS_TRY(db, db->wdb->set_metadata(key, value));
}

vns_status vxs_db_get_metadata(vxs_db *db, const char *key, char **out) {
    *out = nullptr;
    VXS_TRY(db, {
        std::string v = db->rdb->get_metadata(key);
        if (!v.empty()) {
            *out = static_cast<char *>(std::malloc(v.size() + 1));
            if (*out == nullptr) throw std::bad_alloc();
            std::memcpy(*out, v.c_str(), v.size() + 1);
        }
    });
}

vxs_doc *vxs_doc_new(void) {
    return new (std::nothrow) vxs_doc();
}

void vxs_doc_free(vxs_doc *doc) {
    delete doc;
}

// Document builders: the only exception these can raise is bad_alloc (terms are checked for
// length by the caller); remember it for vxs_db_replace.
#define VXS_DOC_TRY(doc, body)                                                                     \
    do {                                                                                           \
        try {                                                                                      \
            body;                                                                                  \
        } catch (...) {                                                                            \
            (doc)->failed = true;                                                                  \
        }                                                                                          \
    } while (0)

void vxs_doc_add_posting(vxs_doc *doc, const char *term, size_t len, uint32_t pos) {
    VXS_DOC_TRY(doc, doc->doc.add_posting(std::string(term, len), pos));
}

void vxs_doc_add_term(vxs_doc *doc, const char *term, size_t len, unsigned wdf) {
    VXS_DOC_TRY(doc, doc->doc.add_term(std::string(term, len), wdf));
}

void vxs_doc_add_boolean_term(vxs_doc *doc, const char *term, size_t len) {
    VXS_DOC_TRY(doc, doc->doc.add_boolean_term(std::string(term, len)));
}

void vxs_doc_set_value(vxs_doc *doc, unsigned slot, const char *value, size_t len) {
    VXS_DOC_TRY(doc, doc->doc.add_value(slot, std::string(value, len)));
}

void vxs_doc_set_data(vxs_doc *doc, const char *data, size_t len) {
    VXS_DOC_TRY(doc, doc->doc.set_data(std::string(data, len)));
}

// Wraps the body of a query constructor: on exception *out stays NULL and the exception is
// mapped into errbuf.
#define VXS_QUERY_TRY(out, ...)                                                                    \
    do {                                                                                           \
        *(out) = nullptr;                                                                          \
        try {                                                                                      \
            __VA_ARGS__;                                                                           \
        } catch (...) {                                                                            \
            return map_exception(errbuf);                                                          \
        }                                                                                          \
        return VNS_OK;                                                                             \
    } while (0)

vns_status vxs_query_term(vxs_query **out, const char *term, size_t len, unsigned wqf, uint32_t pos,
                          char *errbuf) {
    VXS_QUERY_TRY(out, *out = new vxs_query{Xapian::Query(std::string(term, len), wqf, pos)});
}

vns_status vxs_query_combine(vxs_query **out, int op, vxs_query *const *subs, size_t n,
                             unsigned window, char *errbuf) {
    VXS_QUERY_TRY(out, {
        std::vector<Xapian::Query> v;
        v.reserve(n);
        for (size_t i = 0; i < n; i++) v.push_back(subs[i]->q);
        *out = new vxs_query{
            Xapian::Query(static_cast<Xapian::Query::op>(op), v.begin(), v.end(), window)};
    });
}

vns_status vxs_query_scale(vxs_query **out, const vxs_query *q, double factor, char *errbuf) {
    VXS_QUERY_TRY(
        out, *out = new vxs_query{Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q->q, factor)});
}

vns_status vxs_query_wildcard(vxs_query **out, const char *prefix, size_t len,
                              unsigned max_expansion, char *errbuf) {
    VXS_QUERY_TRY(out, {
        // Xapian 1.4.22 expands nothing for LIMIT_MOST_FREQUENT with no limit: use LIMIT_ERROR
        // (never hit at 0) then.
        int mode = max_expansion ? Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT
                                 : Xapian::Query::WILDCARD_LIMIT_ERROR;
        *out = new vxs_query{Xapian::Query(Xapian::Query::OP_WILDCARD, std::string(prefix, len),
                                           max_expansion, mode, Xapian::Query::OP_SYNONYM)};
    });
}

void vxs_query_free(vxs_query *q) {
    delete q;
}

char *vxs_query_describe(const vxs_query *q) {
    try {
        std::string d = q->q.get_description();
        char *s = static_cast<char *>(std::malloc(d.size() + 1));
        if (s) std::memcpy(s, d.c_str(), d.size() + 1);
        return s;
    } catch (...) {
        return nullptr;
    }
}

namespace {

// Thrown by Deadline when a match runs past its time budget.
struct deadline_passed {};

// A match decider that accepts every document and stops the match (by throwing) once the clock
// passes the deadline: Xapian 1.4 has no way to end a match in time, and the decider is called
// for each candidate document.
class Deadline : public Xapian::MatchDecider {
    std::chrono::steady_clock::time_point end_;

  public:
    explicit Deadline(double seconds)
        : end_(std::chrono::steady_clock::now() +
               std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                   std::chrono::duration<double>(seconds))) {}
    bool operator()(const Xapian::Document &) const override {
        if (std::chrono::steady_clock::now() > end_) throw deadline_passed();
        return true;
    }
};

} // namespace

vns_status vxs_db_search(vxs_db *db, const vxs_query *q, size_t offset, size_t limit,
                         size_t check_at_least, const vxs_search_opts *opts, vxs_mset **out) {
    *out = nullptr;
    double budget = opts ? opts->time_limit : 0;
    try {
        Deadline deadline(budget);
        Xapian::Enquire enq(*db->rdb);
        enq.set_query(q->q);
        if (opts) {
            // BM25Weight(k1, k2, k3, b, min_normlen): k2 = 0 and k3 = 1 are Xapian's defaults.
            enq.set_weighting_scheme(Xapian::BM25Weight(opts->k1, 0, 1, opts->b, 0.5));
            if (opts->tie_slot >= 0)
                enq.set_sort_by_relevance_then_value(static_cast<Xapian::valueno>(opts->tie_slot),
                                                     false);
        }
        Xapian::doccount first = static_cast<Xapian::doccount>(
            offset > Xapian::doccount(-1) ? Xapian::doccount(-1) : offset);
        Xapian::doccount max = static_cast<Xapian::doccount>(
            limit > Xapian::doccount(-1) ? Xapian::doccount(-1) : limit);
        Xapian::doccount check = static_cast<Xapian::doccount>(
            check_at_least > Xapian::doccount(-1) ? Xapian::doccount(-1) : check_at_least);
        // Not Enquire::set_time_limit: it only stops counting for check_at_least, and its POSIX
        // timer starts a helper thread that lives as long as the process.
        const Xapian::MatchDecider *stop = budget > 0 && !db->remote ? &deadline : nullptr;
        try {
            *out = new vxs_mset{enq.get_mset(first, max, check, nullptr, stop)};
        } catch (const Xapian::UnimplementedError &) {
            // A remote shard behind a stub file: no deciders there, so no deadline either.
            if (stop == nullptr) throw;
            db->remote = true;
            *out = new vxs_mset{enq.get_mset(first, max, check)};
        }
    } catch (const deadline_passed &) {
        set_msg(db->err, "the search ran past its time budget", "");
        return VNS_EQUERY;
    } catch (...) {
        return map_exception(db->err);
    }
    db->err[0] = '\0';
    return VNS_OK;
}

void vxs_mset_free(vxs_mset *m) {
    delete m;
}

size_t vxs_mset_size(const vxs_mset *m) {
    return m->mset.size();
}

uint64_t vxs_mset_estimated(const vxs_mset *m) {
    return m->mset.get_matches_estimated();
}

uint64_t vxs_mset_lower_bound(const vxs_mset *m) {
    return m->mset.get_matches_lower_bound();
}

uint64_t vxs_mset_upper_bound(const vxs_mset *m) {
    return m->mset.get_matches_upper_bound();
}

uint32_t vxs_mset_docid(const vxs_mset *m, size_t i) {
    return *m->mset[static_cast<Xapian::doccount>(i)];
}

double vxs_mset_weight(const vxs_mset *m, size_t i) {
    return m->mset[static_cast<Xapian::doccount>(i)].get_weight();
}

vns_status vxs_db_get_data(vxs_db *db, uint32_t docid, char **data, size_t *len) {
    *data = nullptr;
    *len = 0;
    VXS_TRY(db, {
        std::string d = db->rdb->get_document(docid).get_data();
        char *buf = static_cast<char *>(std::malloc(d.size() + 1));
        if (buf == nullptr) throw std::bad_alloc();
        std::memcpy(buf, d.data(), d.size());
        buf[d.size()] = '\0';
        *data = buf;
        *len = d.size();
    });
}

} // extern "C"
