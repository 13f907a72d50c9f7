#!/usr/bin/env python3
"""compare_cli.py: the benchmark queries through the Python module and through vnsearch --json.

Runs every query of the benchmark set (tests/bench/bench_query.c `gen`: 600 queries, 50 of each
kind, typed with and without diacritics) against one index, top 10 with snippets as the
benchmark asks, once through the module (one Searcher, in-process) and once through
`vnsearch -d INDEX --json -- QUERY` (a process per query), and reports how many answers agree
exactly: the whole JSON object but took_ms (ids, order, scores, snippets, highlights,
highlights_chars, matched_words, metadata, totals), and, for those that do not, which fields
differ. A query both refuse agrees when both give the same message.

    VNSEARCH_LIB=build/libvnsearch.so python3 bindings/python/compare_cli.py \\
        --index /work/data-python/vntc.db --corpus ../shared/corpus/vntc.jsonl.gz

--corpus runs build/bench/bench_query gen on it (the queries depend on the corpus: give the one
the index was built from); --queries takes a queries.tsv made before. Prints a summary, and
one JSON line with the figures last. Exit status 0 when every query agrees, 1 otherwise.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import vnsearch  # noqa: E402

REPO = os.path.normpath(os.path.join(HERE, "..", ".."))


def read_queries(path):
    """(kind, vnsearch query) pairs of a bench_query queries.tsv."""
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 2:
                out.append((parts[0], parts[1]))
    return out


def module_answer(s, query):
    """The module's answer as vnsearch --json's object, or ("error", message)."""
    try:
        return s.search(query).as_json()
    except vnsearch.VnsearchError as e:
        return ("error", str(e))


def cli_answer(cli, index, query):
    p = subprocess.run([cli, "-d", index, "--json", "--", query], capture_output=True, text=True)
    if p.returncode != 0:
        first = p.stderr.splitlines()[0] if p.stderr else ""
        return ("error", first[len("vnsearch: ") :] if first.startswith("vnsearch: ") else first)
    obj = json.loads(p.stdout)
    obj.pop("took_ms", None)
    return obj


def differing_fields(a, b):
    """Which fields of two answers differ (top level, then per result field)."""
    if isinstance(a, tuple) or isinstance(b, tuple):
        return ["error"]
    out = [k for k in sorted(set(a) | set(b)) if k != "results" and a.get(k) != b.get(k)]
    ra, rb = a.get("results", []), b.get("results", [])
    if [r["id"] for r in ra] != [r["id"] for r in rb]:
        out.append("results.ids")
    else:
        for x, y in zip(ra, rb):
            out += ["results." + k for k in sorted(set(x) | set(y)) if x.get(k) != y.get(k)]
    return sorted(set(out))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--index", required=True)
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--queries", help="a queries.tsv from bench_query gen")
    g.add_argument("--corpus", help="the corpus to draw the queries from (bench_query gen)")
    ap.add_argument("--build", default=os.path.join(REPO, "build"), help="the build directory")
    args = ap.parse_args()
    cli = os.path.join(args.build, "vnsearch")
    if args.corpus:
        gen = os.path.join(args.build, "bench", "bench_query")
        p = subprocess.run([gen, "gen", args.corpus], capture_output=True, text=True, check=True)
        path = os.path.join(args.build, "compare_cli_queries.tsv")
        with open(path, "w", encoding="utf-8") as f:
            f.write(p.stdout)
        args.queries = path
    queries = read_queries(args.queries)

    agree = 0
    errors_both = 0
    answered = hits = 0
    fields = {}
    kinds = {}
    ms = []
    with vnsearch.Searcher(args.index) as s:
        for kind, q in queries:
            t0 = time.perf_counter()
            mine = module_answer(s, q)
            ms.append((time.perf_counter() - t0) * 1e3)
            theirs = cli_answer(cli, args.index, q)
            if not isinstance(theirs, tuple) and theirs["results"]:
                answered += 1
                hits += len(theirs["results"])
            k = kinds.setdefault(kind.split("-")[0], [0, 0])
            k[1] += 1
            if mine == theirs:
                agree += 1
                k[0] += 1
                errors_both += isinstance(mine, tuple)
                continue
            for f in differing_fields(mine, theirs):
                fields[f] = fields.get(f, 0) + 1
            print("DIFFER %-18s %s: %s" % (kind, q, ", ".join(differing_fields(mine, theirs))))

    n = len(queries)
    print("%d of %d queries agree exactly (%d of them refused by both with the same message); "
          "%d queries found something, %d hits compared" % (agree, n, errors_both, answered, hits))
    for kind, (a, t) in kinds.items():
        print("  %-8s %d of %d" % (kind, a, t))
    for f, c in sorted(fields.items()):
        print("  differing %s: %d" % (f, c))
    print("module, in-process, top 10 with snippets: p50 %.2f ms, p99 %.2f ms"
          % (statistics.median(ms), sorted(ms)[min(len(ms) - 1, int(len(ms) * 0.99))]))
    print(json.dumps({"queries": n, "agree": agree, "refused_by_both": errors_both,
                      "answered": answered, "hits": hits,
                      "differing_fields": fields, "library": vnsearch.library_path(),
                      "index": args.index, "module_ms_p50": round(statistics.median(ms), 2)}))
    return 0 if agree == n else 1


if __name__ == "__main__":
    sys.exit(main())
