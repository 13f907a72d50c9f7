// xapian_shim.cc: the only C++ in vnsearch; wraps Xapian 1.4 and turns every exception into a
// status.
#include "xapian_shim.h"

#include <xapian.h>

#include <sys/stat.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <new>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

// The values of one slot by docid, each distinct value once: id[docid] is 0 (no value) or one
// more than the value's index in values.
struct value_table {
    Xapian::valueno slot;
    std::vector<uint32_t> id;
    std::vector<std::string> values;
};

struct vxs_db {
    // Every member has its initial value here: a handle made on the stack (vxs_db_reopen's
    // fresh one) starts as one made with new does.
    Xapian::Database *rdb = nullptr;         // The database read from (== wdb when writable).
    Xapian::WritableDatabase *wdb = nullptr; // NULL for read handles.
    std::vector<Xapian::Database> shards;    // Each database read (one for a write handle).
    std::vector<std::string> names;          // A name for each shard, for messages.
    bool remote = false; // Some shard is remote (tcp://, or in a stub file): no match deciders.
    // Value counting (vxs_search_opts.count_slots) from tables of the slots' values by docid,
    // read once per revision: the counting searches since the last reopen that changed the
    // database, and the tables read (value_table, below), a read handle's only.
    unsigned counting_searches = 0;
    std::vector<std::unique_ptr<struct value_table>> tables;
    uint64_t reopens = 0; // Reopens that moved to a newer revision (vxs_db_reopens).
    // A read handle's paths as given, and where they led when it was opened (add_where), so
    // that a reopen sees a database swapped in by a rename or a stub file pointed elsewhere.
    std::vector<std::string> paths;
    std::vector<std::pair<dev_t, ino_t>> where;
    char err[VXS_ERRLEN] = {0};
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
    // Bounds that stand for another query than the one run (vxs_mset_set_bounds); else the
    // MSet's own.
    bool bounds_set;
    uint64_t lb, est, ub;
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
        // Only "already locked" means another writer: a lock file that cannot be opened (a
        // read-only index, too many open files, no locking on this file system) is an I/O
        // failure with its own reason, and waiting would not help.
        const std::string &m = e.get_msg();
        const std::string held = "already locked";
        if (m.size() >= held.size() && m.compare(m.size() - held.size(), held.size(), held) == 0) {
            set_msg(buf, "index is locked by another writer: ", m);
            return VNS_ELOCKED;
        }
        set_msg(buf, "cannot take the index's write lock: ", with_errno(e));
        return VNS_EIO;
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
        // A read that ends before the block it wants is a table cut short (a partial copy), not
        // a failing disk: Xapian reports it without a system error.
        if (e.get_msg().compare(0, 18, "EOF reading block ") == 0) {
            set_msg(buf,
                    "index is corrupt (a table is shorter than the index says: a partial "
                    "copy?): ",
                    e.get_msg());
            return VNS_ECORRUPT;
        }
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

// Stub files nested deeper than this are refused: no real setup needs more, and a chain that
// long is most likely a mistake.
const size_t kStubDepth = 16;

// One database to open, found by following stub files.
struct leaf {
    enum kind_t { LOCAL, GLASS, TCP, PROG, INMEMORY } kind;
    std::string path; // LOCAL, GLASS: the path; TCP: the host; PROG: the program.
    std::string args; // PROG: its arguments.
    unsigned port;    // TCP.
    std::string name; // How messages name it.
};

// A stub file being read: its identity (device, inode) and its path, for loop messages.
typedef std::pair<std::pair<dev_t, ino_t>, std::string> stub_seen;

// Parses "HOST:PORT" (HOST may be [v6]) into host and port; what names it in messages. Throws
// InvalidArgumentError when it is not one.
void parse_host_port(const std::string &s, const std::string &what, std::string &host,
                     unsigned &port) {
    size_t colon;
    if (!s.empty() && s[0] == '[') {
        size_t close = s.find(']');
        if (close == std::string::npos) throw Xapian::InvalidArgumentError("bad address: " + what);
        host = s.substr(1, close - 1);
        colon = close + 1;
    } else {
        colon = s.rfind(':');
        host = s.substr(0, colon);
    }
    if (colon == std::string::npos || colon >= s.size() || s[colon] != ':')
        throw Xapian::InvalidArgumentError("no port in " + what + " (tcp://HOST:PORT)");
    const char *digits = s.c_str() + colon + 1;
    char *end = nullptr;
    errno = 0;
    unsigned long p = std::strtoul(digits, &end, 10);
    if (host.empty() || *digits < '0' || *digits > '9' || *end != '\0' || errno != 0 || p == 0 ||
        p > 65535)
        throw Xapian::InvalidArgumentError("bad host or port in " + what + " (tcp://HOST:PORT)");
    port = static_cast<unsigned>(p);
}

// Whether path is a single-file glass database (which Xapian opens itself) rather than a stub.
// Never throws.
bool is_single_file_glass(const std::string &path) {
    static const char magic[] = "\x0f\x0dXapian Glass";
    char buf[sizeof magic - 1];
    std::ifstream f(path, std::ios::binary);
    return f.read(buf, sizeof buf) && std::memcmp(buf, magic, sizeof buf) == 0;
}

void resolve(const std::string &path, std::vector<stub_seen> &chain, std::vector<leaf> &out);

// The chain of stub files being read and the one after it, "a -> b -> c", for messages.
std::string chain_text(const std::vector<stub_seen> &chain, const std::string &last) {
    std::string t;
    for (const stub_seen &s : chain) t += s.second + " -> ";
    return t + last;
}

// Reads a Xapian stub file (lines "auto PATH", "glass PATH", "remote HOST:PORT",
// "remote :PROGRAM ARGS", "inmemory"; '#' comments; paths relative to the file's directory) and
// resolves what it names into out. Throws InvalidArgumentError for a loop, a chain deeper than
// kStubDepth or a bad line, DatabaseOpeningError when the file cannot be read.
void read_stub(const std::string &file, std::vector<stub_seen> &chain, std::vector<leaf> &out) {
    struct stat sb;
    if (stat(file.c_str(), &sb) != 0)
        throw Xapian::DatabaseOpeningError("cannot read stub file " + file, errno);
    std::pair<dev_t, ino_t> id(sb.st_dev, sb.st_ino);
    for (const stub_seen &s : chain)
        if (s.first == id)
            throw Xapian::InvalidArgumentError(
                "stub files name each other in a loop: " + chain_text(chain, file) +
                ": make one of them name the index directory");
    if (chain.size() >= kStubDepth)
        throw Xapian::InvalidArgumentError(
            "stub files nested more than " + std::to_string(kStubDepth) +
            " deep: " + chain_text(chain, file) + ": name the index directories directly");
    std::ifstream in(file);
    if (!in) throw Xapian::DatabaseOpeningError("cannot read stub file " + file, errno);
    chain.emplace_back(id, file);
    std::string dir = file.substr(0, file.rfind('/') + 1); // "" when file has no '/'.
    std::string line;
    for (unsigned line_no = 1; std::getline(in, line); line_no++) {
        if (line.empty() || line[0] == '#') continue;
        size_t space = line.find(' ');
        std::string type = line.substr(0, space);
        std::string rest = space == std::string::npos ? "" : line.substr(space + 1);
        std::string where = file + ":" + std::to_string(line_no);
        if ((type == "auto" || type == "glass") && !rest.empty()) {
            if (rest[0] != '/') rest = dir + rest;
            if (type == "auto")
                resolve(rest, chain, out);
            else
                out.push_back(leaf{leaf::GLASS, rest, "", 0, rest});
        } else if (type == "remote" && !rest.empty() && rest[0] == ':') {
            size_t sp = rest.find(' ');
            std::string prog = rest.substr(1, sp == std::string::npos ? sp : sp - 1);
            std::string args = sp == std::string::npos ? "" : rest.substr(sp + 1);
            out.push_back(leaf{leaf::PROG, prog, args, 0, "remote " + rest});
        } else if (type == "remote" && !rest.empty()) {
            leaf l{leaf::TCP, "", "", 0, "tcp://" + rest};
            parse_host_port(rest, where, l.path, l.port);
            out.push_back(l);
        } else if (type == "inmemory" && rest.empty()) {
            out.push_back(leaf{leaf::INMEMORY, "", "", 0, where});
        } else {
            // The line itself is not quoted: it may come from a file that is not a stub at all.
            throw Xapian::InvalidArgumentError(where +
                                               ": not a stub file line (auto PATH, glass PATH, "
                                               "remote HOST:PORT)");
        }
    }
    chain.pop_back();
}

// Resolves an index path into the databases it stands for: "tcp://HOST:PORT" (HOST may be [v6]),
// a stub file or a directory holding XAPIANDB (read by read_stub), or a local database (a
// directory, a single-file database, or a path that does not exist yet). Throws as read_stub.
void resolve(const std::string &path, std::vector<stub_seen> &chain, std::vector<leaf> &out) {
    const std::string tcp = "tcp://";
    if (path.compare(0, tcp.size(), tcp) == 0) {
        leaf l{leaf::TCP, "", "", 0, path};
        parse_host_port(path.substr(tcp.size()), path, l.path, l.port);
        out.push_back(l);
        return;
    }
    struct stat sb, ib;
    if (stat(path.c_str(), &sb) == 0) {
        if (S_ISREG(sb.st_mode) && !is_single_file_glass(path)) return read_stub(path, chain, out);
        if (S_ISDIR(sb.st_mode) && stat((path + "/iamglass").c_str(), &ib) != 0 &&
            stat((path + "/XAPIANDB").c_str(), &ib) == 0)
            return read_stub(path + "/XAPIANDB", chain, out);
    }
    out.push_back(leaf{leaf::LOCAL, path, "", 0, path});
}

// Appends to out where path leads now: its own file or directory, then each local database of
// leaves (what resolve made of it: the lines of a stub file), by device and inode ({0, 0}:
// cannot be found). Never throws but std::bad_alloc.
void add_where(std::vector<std::pair<dev_t, ino_t>> &out, const std::string &path,
               const std::vector<leaf> &leaves) {
    auto add = [&out](const std::string &p) {
        struct stat sb;
        if (stat(p.c_str(), &sb) == 0)
            out.emplace_back(sb.st_dev, sb.st_ino);
        else
            out.emplace_back(0, 0);
    };
    add(path);
    for (const leaf &l : leaves)
        if (l.kind == leaf::LOCAL || l.kind == leaf::GLASS) add(l.path);
}

// Where paths lead now (add_where of each). A directory swapped in by a rename (vnindex --jobs,
// --compact) or a stub file pointed elsewhere changes it, even when the database found there has
// the revision of the one read. Never throws.
std::vector<std::pair<dev_t, ino_t>> paths_now(const std::vector<std::string> &paths) {
    std::vector<std::pair<dev_t, ino_t>> out;
    for (const std::string &p : paths) {
        try {
            std::vector<leaf> leaves;
            std::vector<stub_seen> chain;
            resolve(p, chain, leaves);
            add_where(out, p, leaves);
        } catch (...) {
            out.emplace_back(0, 1); // A stub that no longer reads: changed.
        }
    }
    return out;
}

// Throws DatabaseCorruptError when dir holds glass tables but no iamglass (the file that makes
// it a database): Xapian would say "not found", or start a new index over the old tables.
void check_tables(const std::string &dir) {
    static const char *const tables[] = {"postlist", "docdata", "termlist", "position"};
    struct stat sb;
    if (stat(dir.c_str(), &sb) != 0 || !S_ISDIR(sb.st_mode)) return;
    if (stat((dir + "/iamglass").c_str(), &sb) == 0) return;
    for (const char *t : tables) {
        if (stat((dir + "/" + t + ".glass").c_str(), &sb) == 0)
            throw Xapian::DatabaseCorruptError(dir + "/iamglass is missing, yet " + t +
                                               ".glass is there: the index is damaged (restore "
                                               "it from a backup, or rebuild it)");
    }
}

// Opens one database resolve() found. Remote ones get 10 s per operation, 5 s to connect.
// Throws what Xapian throws, or as check_tables.
Xapian::Database open_leaf(const leaf &l) {
    switch (l.kind) {
    case leaf::TCP: return Xapian::Remote::open(l.path, l.port, 10000, 5000);
    case leaf::PROG: return Xapian::Remote::open(l.path, l.args, 10000);
    case leaf::INMEMORY: return Xapian::Database(std::string(), Xapian::DB_BACKEND_INMEMORY);
    case leaf::GLASS:
        check_tables(l.path);
        return Xapian::Database(l.path, Xapian::DB_BACKEND_GLASS);
    case leaf::LOCAL: break;
    }
    check_tables(l.path);
    return Xapian::Database(l.path);
}

// q with w's restriction pushed down to each phrase and alternative of its required part (see
// vxs_query_within). Operators it cannot rebuild (a scaled weight, whose factor 1.4 does not
// give back) are left whole: the caller's filter at the top still restricts them.
Xapian::Query within(const Xapian::Query &q, const Xapian::Query &w) {
    Xapian::Query::op op = q.get_type();
    size_t n = q.get_num_subqueries();
    switch (op) {
    case Xapian::Query::OP_PHRASE:
    case Xapian::Query::OP_NEAR: return Xapian::Query(Xapian::Query::OP_FILTER, q, w);
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_SYNONYM: {
        std::vector<Xapian::Query> v;
        v.reserve(n);
        for (size_t i = 0; i < n; i++) v.push_back(within(q.get_subquery(i), w));
        return Xapian::Query(op, v.begin(), v.end());
    }
    case Xapian::Query::OP_AND_MAYBE:
    case Xapian::Query::OP_AND_NOT:
    case Xapian::Query::OP_FILTER: {
        // Only the first subquery decides what matches (the others add weight, exclude, or
        // filter as they are).
        std::vector<Xapian::Query> v;
        v.reserve(n);
        for (size_t i = 0; i < n; i++)
            v.push_back(i ? q.get_subquery(i) : within(q.get_subquery(i), w));
        return Xapian::Query(op, v.begin(), v.end());
    }
    default: return q;
    }
}

// Counts the values of one slot over the documents the match looks at, by docid in the slot's
// table: no value is read from the database.
class TableCountSpy : public Xapian::MatchSpy {
  public:
    const value_table &table;
    std::vector<Xapian::doccount> counts; // By table id (0: no value).
    explicit TableCountSpy(const value_table &t) : table(t), counts(t.values.size() + 1, 0) {}
    void operator()(const Xapian::Document &doc, double) override {
        Xapian::docid d = doc.get_docid();
        if (d < table.id.size()) ++counts[table.id[d]];
    }
};

// The table of slot's values in db, read now when it is not yet (every value of the slot, once).
// Throws what Xapian throws.
const value_table &table_of(vxs_db *db, Xapian::valueno slot) {
    for (const auto &t : db->tables)
        if (t->slot == slot) return *t;
    std::unique_ptr<value_table> t(new value_table{slot, {}, {}});
    t->id.assign(static_cast<size_t>(db->rdb->get_lastdocid()) + 1, 0);
    std::unordered_map<std::string, uint32_t> seen;
    for (Xapian::ValueIterator v = db->rdb->valuestream_begin(slot);
         v != db->rdb->valuestream_end(slot); ++v) {
        auto got = seen.emplace(*v, static_cast<uint32_t>(t->values.size() + 1));
        if (got.second) t->values.push_back(*v);
        Xapian::docid d = v.get_docid();
        if (d < t->id.size()) t->id[d] = got.first->second;
    }
    db->tables.push_back(std::move(t));
    return *db->tables.back();
}

// Whether q holds a wildcard, whose expansion is only known when the match runs.
bool has_wildcard(const Xapian::Query &q) {
    if (q.get_type() == Xapian::Query::OP_WILDCARD) return true;
    for (size_t i = 0; i < q.get_num_subqueries(); i++)
        if (has_wildcard(q.get_subquery(i))) return true;
    return false;
}

// Whether an unweighted run of q on db may meet Xapian 1.4.22's fault with a term that every
// document holds (vxs_query_unweighted): db has had documents deleted, and q holds such a term
// or a wildcard that may expand to one.
bool full_term_fault(Xapian::Database &db, const Xapian::Query &q) {
    Xapian::doccount docs = db.get_doccount();
    if (db.get_lastdocid() == docs) return false;
    if (has_wildcard(q)) return true;
    for (Xapian::TermIterator t = q.get_unique_terms_begin(); t != q.get_unique_terms_end(); ++t)
        if (db.get_termfreq(*t) >= docs) return true;
    return false;
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
        // A stub file is read here, not by Xapian (which follows stubs without limit): the
        // writer goes to the one local database it names.
        std::vector<leaf> leaves;
        std::vector<stub_seen> chain;
        resolve(path, chain, leaves);
        if (leaves.size() != 1)
            throw Xapian::InvalidArgumentError(std::string(path) + " names " +
                                               std::to_string(leaves.size()) +
                                               " databases: an index is written one database "
                                               "at a time, give the path of one");
        const leaf &l = leaves[0];
        if (l.kind != leaf::LOCAL && l.kind != leaf::GLASS)
            throw Xapian::InvalidArgumentError(l.name +
                                               " is not a local index: write it on the machine "
                                               "that holds it");
        check_tables(l.path);
        int xf = (flags & VXS_CREATE) ? Xapian::DB_CREATE_OR_OPEN : Xapian::DB_OPEN;
        if (flags & VXS_WAIT_LOCK) xf |= Xapian::DB_RETRY_LOCK;
        if (flags & VXS_SCRATCH) xf |= Xapian::DB_DANGEROUS | Xapian::DB_NO_SYNC;
        if (l.kind == leaf::GLASS) xf |= Xapian::DB_BACKEND_GLASS;
        db->wdb = new Xapian::WritableDatabase(l.path, xf);
        db->rdb = db->wdb;
        db->shards.push_back(*db->wdb);
        db->names.push_back(l.name);
    } catch (...) {
        vns_status st = map_exception(errbuf);
        delete db->wdb;
        delete db;
        return st;
    }
    *out = db;
    return VNS_OK;
}

// Opens the n paths into db (a new read handle: rdb, shards, names, remote, paths, where).
// Returns VNS_OK, or the status with a message naming the path in errbuf (db's rdb then NULL).
static vns_status open_paths(vxs_db *db, const char *const *paths, size_t n, char *errbuf) {
    try {
        db->rdb = new Xapian::Database();
        // The databases opened so far: a local one by its device and inode, a remote one by
        // where it is, so that one named again (the same path, another path to it, a stub file)
        // is searched once rather than answering and counting its documents twice.
        std::set<std::pair<dev_t, ino_t>> local_seen;
        std::set<std::string> remote_seen;
        for (size_t i = 0; i < n; i++) {
            std::string inner; // The database of a stub being opened, when not paths[i] itself.
            try {
                if (paths[i] == nullptr) throw Xapian::InvalidArgumentError("no index path given");
                db->paths.push_back(paths[i]);
                std::vector<leaf> leaves;
                std::vector<stub_seen> chain;
                resolve(paths[i], chain, leaves);
                // Recorded before the databases are opened: one swapped in meanwhile is then
                // seen at the next reopen, never taken for the one that was read.
                add_where(db->where, paths[i], leaves);
                for (const leaf &l : leaves) {
                    struct stat sb;
                    if ((l.kind == leaf::LOCAL || l.kind == leaf::GLASS) &&
                        stat(l.path.c_str(), &sb) == 0 &&
                        !local_seen.insert({sb.st_dev, sb.st_ino}).second)
                        continue;
                    if ((l.kind == leaf::TCP || l.kind == leaf::PROG) &&
                        !remote_seen
                             .insert(std::to_string(l.kind) + " " + l.path + " " + l.args + " " +
                                     std::to_string(l.port))
                             .second)
                        continue;
                    inner = l.name != paths[i] ? l.name : "";
                    Xapian::Database one = open_leaf(l);
                    db->rdb->add_database(one);
                    db->shards.push_back(one);
                    db->names.push_back(l.name);
                    if (l.kind == leaf::TCP || l.kind == leaf::PROG) db->remote = true;
                }
            } catch (...) {
                // Name the path in the message; the mapper classifies the exception.
                char tmp[VXS_ERRLEN];
                vns_status st = map_exception(tmp);
                if (errbuf) {
                    std::string m = (paths[i] ? std::string(paths[i])
                                              : "index path " + std::to_string(i + 1) + " of " +
                                                    std::to_string(n) + " (NULL)") +
                                    (inner.empty() ? "" : " (" + inner + ")") + ": " + tmp;
                    std::snprintf(errbuf, VXS_ERRLEN, "%s", m.c_str());
                }
                delete db->rdb;
                db->rdb = nullptr;
                return st;
            }
        }
    } catch (...) {
        vns_status st = map_exception(errbuf);
        delete db->rdb;
        db->rdb = nullptr;
        return st;
    }
    return VNS_OK;
}

vns_status vxs_db_open_read(vxs_db **out, const char *const *paths, size_t n, char *errbuf) {
    *out = nullptr;
    vxs_db *db = new (std::nothrow) vxs_db();
    if (db == nullptr) {
        set_msg(errbuf, "out of memory", "");
        return VNS_ENOMEM;
    }
    vns_status st = open_paths(db, paths, n, errbuf);
    if (st != VNS_OK) {
        delete db;
        return st;
    }
    *out = db;
    return VNS_OK;
}

size_t vxs_db_shard_count(const vxs_db *db) {
    return db->shards.size();
}

const char *vxs_db_shard_name(const vxs_db *db, size_t i) {
    return i < db->names.size() ? db->names[i].c_str() : "";
}

vns_status vxs_db_shard_meta(vxs_db *db, size_t i, const char *key, char **value, uint64_t *docs) {
    *value = nullptr;
    *docs = 0;
    if (i >= db->shards.size()) {
        set_msg(db->err, "no such shard", "");
        return VNS_EINVAL;
    }
    VXS_TRY(db, {
        Xapian::Database &one = db->shards[i];
        std::string v = one.get_metadata(key);
        *docs = one.get_doccount();
        if (!v.empty()) {
            *value = static_cast<char *>(std::malloc(v.size() + 1));
            if (*value == nullptr) throw std::bad_alloc();
            std::memcpy(*value, v.c_str(), v.size() + 1);
        }
    });
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
    if (!db->wdb && !db->paths.empty() && paths_now(db->paths) != db->where) {
        // Another database is at one of the paths now: opened anew, as a new handle would be.
        vxs_db fresh{};
        std::vector<const char *> p;
        for (const std::string &x : db->paths) p.push_back(x.c_str());
        vns_status st = open_paths(&fresh, p.data(), p.size(), db->err);
        if (st != VNS_OK) return st;
        delete db->rdb;
        db->rdb = fresh.rdb;
        fresh.rdb = nullptr;
        db->shards.swap(fresh.shards);
        db->names.swap(fresh.names);
        db->remote = fresh.remote;
        db->where.swap(fresh.where);
        db->counting_searches = 0;
        db->tables.clear();
        db->reopens++;
        db->err[0] = '\0';
        return VNS_OK;
    }
    VXS_TRY(db, {
        if (db->rdb->reopen()) {
            db->counting_searches = 0;
            db->tables.clear();
            db->reopens++;
        }
    });
}

uint64_t vxs_db_reopens(const vxs_db *db) {
    return db->reopens;
}

vns_status vxs_db_doc_count(vxs_db *db, uint64_t *out) {
    VXS_TRY(db, *out = db->rdb->get_doccount());
}

vns_status vxs_db_term_freq(vxs_db *db, const char *term, size_t term_len, uint64_t *out) {
    VXS_TRY(db, *out = db->rdb->get_termfreq(std::string(term, term_len)));
}

vns_status vxs_db_prefix_top_freq(vxs_db *db, const char *prefix, size_t len, uint64_t *out) {
    *out = 0;
    VXS_TRY(db, {
        std::string p(prefix, len);
        for (Xapian::TermIterator it = db->rdb->allterms_begin(p); it != db->rdb->allterms_end(p);
             ++it) {
            uint64_t f = it.get_termfreq();
            if (f > *out) *out = f;
        }
    });
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

vns_status vxs_db_doc_has_term(vxs_db *db, uint32_t docid, const char *term, size_t term_len,
                               int *has) {
    *has = 0;
    VXS_TRY(db, {
        std::string t(term, term_len);
        Xapian::PostingIterator it = db->rdb->postlist_begin(t);
        if (it != db->rdb->postlist_end(t)) it.skip_to(docid);
        *has = it != db->rdb->postlist_end(t) && *it == docid;
    });
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

vns_status vxs_db_each_term_freq(vxs_db *db, const char *prefix, size_t len, vxs_term_freq_fn fn,
                                 void *ctx) {
    VXS_TRY(db, {
        std::string p(prefix, len);
        std::vector<std::pair<std::string, Xapian::doccount>> terms;
        for (Xapian::TermIterator it = db->rdb->allterms_begin(p); it != db->rdb->allterms_end(p);
             ++it)
            terms.emplace_back(*it, it.get_termfreq());
        for (const auto &t : terms)
            if (fn(t.first.data(), t.first.size(), t.second, ctx)) break;
    });
}

namespace {

// vxs_db_each_term's callback, called through vxs_db_each_term_freq.
struct term_only {
    vxs_term_fn fn;
    void *ctx;
};

int drop_freq(const char *term, size_t len, uint64_t, void *p) {
    term_only *t = static_cast<term_only *>(p);
    return t->fn(term, len, t->ctx);
}

} // namespace

vns_status vxs_db_each_term(vxs_db *db, const char *prefix, size_t len, vxs_term_fn fn, void *ctx) {
    term_only t = {fn, ctx};
    return vxs_db_each_term_freq(db, prefix, len, drop_freq, &t);
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

static_assert(int(VXS_OP_PHRASE) == int(Xapian::Query::OP_PHRASE) &&
                  int(VXS_OP_SYNONYM) == int(Xapian::Query::OP_SYNONYM) &&
                  int(VXS_OP_AND_MAYBE) == int(Xapian::Query::OP_AND_MAYBE),
              "vxs_query_op values are Xapian's");

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

vns_status vxs_query_within(vxs_query **out, const vxs_query *q, const vxs_query *w, char *errbuf) {
    VXS_QUERY_TRY(out, *out = new vxs_query{
                           Xapian::Query(Xapian::Query::OP_FILTER, within(q->q, w->q), w->q)});
}

vns_status vxs_query_scale(vxs_query **out, const vxs_query *q, double factor, char *errbuf) {
    VXS_QUERY_TRY(
        out, *out = new vxs_query{Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q->q, factor)});
}

vns_status vxs_query_unweighted(vxs_query **out, vxs_db *db, const vxs_query *q, char *errbuf) {
    VXS_QUERY_TRY(out, {
        Xapian::Query all = q->q;
        // Xapian 1.4.22 reads an unweighted term that every document holds through a postlist
        // that fails ("Unexpected end of posting list") once a document was deleted from a
        // postlist of several chunks; under a filter of MatchAll it reads the term as a filter,
        // which is sound. Only a query that may hold such a term, on a database with deletions,
        // is filtered: the filter costs about half the pass (1.5 ms -> 2.2 ms for a term in
        // 44,232 of VNTC's articles), and such terms are rare in a large index.
        if (full_term_fault(*db->rdb, q->q))
            all = Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query::MatchAll, all);
        *out = new vxs_query{Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, all, 0.0)};
    });
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

vns_status vxs_query_match_all(vxs_query **out, char *errbuf) {
    // Weighted 0: a filter alone ranks nothing by itself.
    VXS_QUERY_TRY(out, *out = new vxs_query{Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
                                                          Xapian::Query::MatchAll, 0.0)});
}

vns_status vxs_query_value_range(vxs_query **out, unsigned slot, const char *lo, size_t lo_len,
                                 const char *hi, size_t hi_len, char *errbuf) {
    VXS_QUERY_TRY(out, {
        Xapian::valueno v = static_cast<Xapian::valueno>(slot);
        if (lo && hi)
            *out = new vxs_query{Xapian::Query(Xapian::Query::OP_VALUE_RANGE, v,
                                               std::string(lo, lo_len), std::string(hi, hi_len))};
        else if (lo)
            *out = new vxs_query{
                Xapian::Query(Xapian::Query::OP_VALUE_GE, v, std::string(lo, lo_len))};
        else if (hi)
            *out = new vxs_query{
                Xapian::Query(Xapian::Query::OP_VALUE_LE, v, std::string(hi, hi_len))};
        else
            *out = new vxs_query{Xapian::Query(Xapian::Query::OP_VALUE_GE, v, std::string())};
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

// Thrown by Deadline when a match runs past its time budget. (Not empty: it sits inside the
// extern "C" block, where clang warns that an empty struct differs in size between C and C++.)
struct deadline_passed {
    char unused;
};

// A match decider that accepts every document and stops the match (by throwing) once the clock
// passes the deadline: Xapian 1.4 has no way to end a match in time, and the decider is called
// for each candidate document. The clock is read once every CLOCK_EVERY candidates, not for each
// one (the decider is on the hot path of every query): a few microseconds of matching at most
// between two readings.
class Deadline : public Xapian::MatchDecider {
    static constexpr unsigned CLOCK_EVERY = 64;
    std::chrono::steady_clock::time_point end_;
    mutable unsigned calls_ = 0;

  public:
    explicit Deadline(double seconds)
        : end_(std::chrono::steady_clock::now() +
               std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                   std::chrono::duration<double>(seconds))) {}
    bool operator()(const Xapian::Document &) const override {
        if (++calls_ % CLOCK_EVERY == 0 && std::chrono::steady_clock::now() > end_)
            throw deadline_passed();
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
        // Kept alive until get_mset returns (Enquire holds them by pointer).
        std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> spies;
        std::vector<std::unique_ptr<TableCountSpy>> table_spies;
        // Xapian's own spies, which read each match's value, one per slot to count.
        auto add_value_spies = [&]() {
            for (size_t i = 0; i < opts->ncount_slots; i++) {
                spies.emplace_back(new Xapian::ValueCountMatchSpy(
                    static_cast<Xapian::valueno>(opts->count_slots[i])));
                enq.add_matchspy(spies.back().get());
            }
        };
        if (opts) {
            // BM25Weight(k1, k2, k3, b, min_normlen): k2 = 0 and k3 = 1 are Xapian's defaults.
            enq.set_weighting_scheme(Xapian::BM25Weight(opts->k1, 0, 1, opts->b, 0.5));
            if (opts->sort_order != 0) {
                // By the value alone (the remote backend takes no KeyMaker): documents without
                // it have the empty value, first ascending and last descending.
                enq.set_sort_by_value_then_relevance(static_cast<Xapian::valueno>(opts->sort_slot),
                                                     opts->sort_order < 0);
            } else if (opts->tie_slot >= 0) {
                enq.set_sort_by_relevance_then_value(static_cast<Xapian::valueno>(opts->tie_slot),
                                                     false);
            }
            // A handle that counts values more than once per revision (a server, a program
            // asking for facets again) reads each slot's values once into a table, and counts
            // by docid: a remote shard cannot run that spy, nor a writable handle keep it, and
            // over several shards a spy is handed each shard's own docids, which do not say
            // which shard (the table is by the docids of the whole).
            bool tables = opts->ncount_slots > 0 && !db->remote && db->wdb == nullptr &&
                          db->shards.size() == 1 && ++db->counting_searches > 1;
            for (size_t i = 0; tables && i < opts->ncount_slots; i++) {
                Xapian::valueno slot = static_cast<Xapian::valueno>(opts->count_slots[i]);
                table_spies.emplace_back(new TableCountSpy(table_of(db, slot)));
                enq.add_matchspy(table_spies.back().get());
            }
            if (!tables) add_value_spies();
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
            *out = new vxs_mset{enq.get_mset(first, max, check, nullptr, stop), false, 0, 0, 0};
        } catch (const Xapian::UnimplementedError &) {
            // A remote shard behind a stub file: no deciders there, so no deadline either, and
            // no table spies (which cannot be sent): counted by Xapian's spies instead.
            if (stop == nullptr && table_spies.empty()) throw;
            db->remote = true;
            if (!table_spies.empty()) {
                enq.clear_matchspies();
                table_spies.clear();
                add_value_spies();
            }
            *out = new vxs_mset{enq.get_mset(first, max, check), false, 0, 0, 0};
        }
        for (size_t i = 0; opts && i < spies.size(); i++)
            for (Xapian::TermIterator t = spies[i]->values_begin(); t != spies[i]->values_end();
                 ++t) {
                std::string v = *t;
                opts->count_fn(i, v.data(), v.size(), t.get_termfreq(), opts->count_ctx);
            }
        for (size_t i = 0; opts && i < table_spies.size(); i++) {
            const value_table &t = table_spies[i]->table;
            const std::vector<Xapian::doccount> &c = table_spies[i]->counts;
            for (size_t k = 1; k < c.size(); k++)
                if (c[k])
                    opts->count_fn(i, t.values[k - 1].data(), t.values[k - 1].size(), c[k],
                                   opts->count_ctx);
        }
    } catch (const deadline_passed &) {
        set_msg(db->err, "the search ran past its time budget", "");
        return VNS_EQUERY;
    } catch (...) {
        vxs_mset_free(*out);
        *out = nullptr;
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
    return m->bounds_set ? m->est : m->mset.get_matches_estimated();
}

uint64_t vxs_mset_lower_bound(const vxs_mset *m) {
    return m->bounds_set ? m->lb : m->mset.get_matches_lower_bound();
}

uint64_t vxs_mset_upper_bound(const vxs_mset *m) {
    return m->bounds_set ? m->ub : m->mset.get_matches_upper_bound();
}

void vxs_mset_set_bounds(vxs_mset *m, uint64_t lower, uint64_t estimated, uint64_t upper) {
    m->bounds_set = true;
    m->lb = lower;
    m->ub = upper < lower ? lower : upper;
    m->est = estimated < lower ? lower : estimated > m->ub ? m->ub : estimated;
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
