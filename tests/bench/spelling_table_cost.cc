// spelling_table_cost.cc: what Xapian's own spelling table (WritableDatabase::add_spelling)
// would cost, measured before deciding to use it (issue 13).
//
// This program talks to Xapian directly, on purpose: it measures a Xapian feature, not
// vnsearch, so it goes around the C++ shim and the vnsearch API. It is not part of the CMake
// build; compile it by hand:
//
//   g++ -O2 -std=c++17 $(xapian-config --cxxflags) tests/bench/spelling_table_cost.cc \
//       -o /tmp/spelling_table_cost $(xapian-config --libs)
//   /tmp/spelling_table_cost SRC_INDEX OUT_DIR [N_MISSPELLED [perdoc]]
//
// It reads the folded terms of an existing vnsearch index SRC_INDEX (the terms without a
// prefix: those whose first byte is an ASCII lowercase letter or a digit) with their term
// frequencies, then times building a fresh Xapian database at OUT_DIR that holds only a
// spelling table, one add_spelling(term, termfreq) per term and one commit, and prints its size.
// Then it makes N_MISSPELLED (default 100) misspelled words from frequent terms of 4+ bytes
// (one deletion, insertion, substitution or transposition each, fixed seed) and times
// get_spelling_suggestion(word) on the new database for each, reporting how often the
// original term came back.
//
// With "perdoc" it also times the way an indexer would feed the table: one add_spelling(term, 1)
// per unprefixed term of each document's termlist (so the frequencies are document counts, as
// above), into a second database OUT_DIR.perdoc, against a pass over the same termlists that
// only reads them (the difference is the add_spelling cost an index build would pay).
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace fs = std::filesystem;
using clk = std::chrono::steady_clock;

static double ms_since(clk::time_point t0) {
    return std::chrono::duration<double, std::milli>(clk::now() - t0).count();
}

static bool unprefixed(const std::string &t) {
    if (t.empty()) return false;
    unsigned char c = static_cast<unsigned char>(t[0]);
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static unsigned long long dir_bytes(const std::string &dir) {
    unsigned long long n = 0;
    for (const auto &e : fs::directory_iterator(dir))
        if (e.is_regular_file()) n += e.file_size();
    return n;
}

static double pct(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    size_t i = static_cast<size_t>(p * (v.size() - 1) + 0.5);
    return v[i];
}

int main(int argc, char **argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s SRC_INDEX OUT_DIR [N_MISSPELLED]\n", argv[0]);
        return 2;
    }
    const std::string src = argv[1], out = argv[2];
    const int nmis = argc > 3 ? std::atoi(argv[3]) : 100;
    const bool perdoc = argc > 4 && std::string(argv[4]) == "perdoc";
    try {
        // 1. The folded terms and their frequencies.
        auto t0 = clk::now();
        Xapian::Database db(src);
        std::vector<std::pair<std::string, Xapian::doccount>> terms;
        for (auto it = db.allterms_begin(); it != db.allterms_end(); ++it) {
            std::string t = *it;
            if (unprefixed(t)) terms.emplace_back(t, it.get_termfreq());
        }
        double read_ms = ms_since(t0);
        std::printf("source: %s, %u documents, %zu unprefixed terms read in %.0f ms\n", src.c_str(),
                    db.get_doccount(), terms.size(), read_ms);

        // 2. A database holding only the spelling table.
        fs::remove_all(out);
        t0 = clk::now();
        {
            Xapian::WritableDatabase w(out, Xapian::DB_CREATE_OR_OVERWRITE);
            for (const auto &p : terms) w.add_spelling(p.first, p.second);
            w.commit();
            w.close();
        }
        double build_ms = ms_since(t0);
        unsigned long long bytes = dir_bytes(out);
        std::printf("spelling table: %zu words added in %.0f ms (one commit); %s holds %llu bytes "
                    "(%.1f MB)\n",
                    terms.size(), build_ms, out.c_str(), bytes, bytes / 1048576.0);
        for (const auto &e : fs::directory_iterator(out))
            if (e.is_regular_file() && e.file_size() > 0)
                std::printf("  %-20s %llu\n", e.path().filename().c_str(),
                            static_cast<unsigned long long>(e.file_size()));

        // 3. Misspelled words from frequent terms (letters only, 4+ bytes), fixed seed.
        std::vector<std::string> pool;
        for (const auto &p : terms) {
            if (p.second < 50 || p.first.size() < 4) continue;
            bool letters = std::all_of(p.first.begin(), p.first.end(),
                                       [](char c) { return c >= 'a' && c <= 'z'; });
            if (letters) pool.push_back(p.first);
        }
        std::mt19937 rng(20261123u);
        std::vector<std::pair<std::string, std::string>> mis; // (misspelled, original)
        Xapian::Database sp(out);
        while (static_cast<int>(mis.size()) < nmis && !pool.empty()) {
            std::string w = pool[rng() % pool.size()], m = w;
            size_t i = rng() % m.size();
            char c = static_cast<char>('a' + rng() % 26);
            switch (rng() % 4) {
            case 0: m.erase(i, 1); break;
            case 1: m.insert(i, 1, c); break;
            case 2: m[i] = c; break;
            default:
                if (i + 1 < m.size())
                    std::swap(m[i], m[i + 1]);
                else
                    m.erase(i, 1);
            }
            if (m == w || db.term_exists(m)) continue; // Not a misspelling: a real term.
            mis.emplace_back(m, w);
        }
        std::vector<double> ms;
        int back = 0, none = 0;
        t0 = clk::now();
        for (const auto &p : mis) {
            auto t1 = clk::now();
            std::string s = sp.get_spelling_suggestion(p.first);
            ms.push_back(ms_since(t1));
            if (s == p.second) back++;
            if (s.empty()) none++;
        }
        double total = ms_since(t0);
        std::printf("get_spelling_suggestion over %zu misspelled words: total %.1f ms, "
                    "median %.3f ms, p95 %.3f ms, max %.3f ms; original back %d, none %d\n",
                    mis.size(), total, pct(ms, 0.5), pct(ms, 0.95), pct(ms, 1.0), back, none);
        for (size_t i = 0; i < mis.size() && i < 5; i++)
            std::printf("  e.g. %s -> %s (from %s)\n", mis[i].first.c_str(),
                        sp.get_spelling_suggestion(mis[i].first).c_str(), mis[i].second.c_str());
        if (perdoc) {
            // 4. Per document, as an indexer would call it.
            unsigned long long calls = 0, seen = 0;
            t0 = clk::now();
            for (auto d = db.postlist_begin(""); d != db.postlist_end(""); ++d)
                for (auto t = db.termlist_begin(*d); t != db.termlist_end(*d); ++t)
                    if (unprefixed(*t)) seen++;
            double readonly_ms = ms_since(t0);
            const std::string out2 = out + ".perdoc";
            fs::remove_all(out2);
            t0 = clk::now();
            {
                Xapian::WritableDatabase w(out2, Xapian::DB_CREATE_OR_OVERWRITE);
                for (auto d = db.postlist_begin(""); d != db.postlist_end(""); ++d)
                    for (auto t = db.termlist_begin(*d); t != db.termlist_end(*d); ++t) {
                        const std::string term = *t;
                        if (unprefixed(term)) {
                            w.add_spelling(term, 1);
                            calls++;
                        }
                    }
                w.commit();
                w.close();
            }
            double perdoc_ms = ms_since(t0);
            unsigned long long b2 = dir_bytes(out2);
            std::printf("per document: %llu add_spelling calls over %u termlists in %.0f ms; the "
                        "same pass reading only: %.0f ms (%llu terms); difference %.0f ms; %s "
                        "holds %llu bytes (%.1f MB)\n",
                        calls, db.get_doccount(), perdoc_ms, readonly_ms, seen,
                        perdoc_ms - readonly_ms, out2.c_str(), b2, b2 / 1048576.0);
        }
    } catch (const Xapian::Error &e) {
        std::fprintf(stderr, "Xapian: %s\n", e.get_description().c_str());
        return 1;
    }
    return 0;
}
