#!/usr/bin/env python3
"""server_load.py: vnsearch-server under load (issue 15), Python's standard library only.

CLIENTS threads, each with its own keep-alive HTTP/1.1 connection, cycle through the benchmark
queries (bench_query gen) for SECONDS against vnsearch-server, while a writer runs vnindex every
second or so with the next batch of articles (JSONL on stdin, committed when it exits). Then the
same queries in-process through the Python module (bindings/python), one thread, warm.

Reports requests/s, latency percentiles, and failed requests: any status but 200, a connection
error or a body that is not a JSON object with results (a 503 from a full queue counts). Figures,
not pass/fail; it exits 1 only when a request failed or the server never saw the writer's
articles.

  python3 tests/bench/server_load.py --build build --index /work/data-web/vntc.db \\
      --queries /work/data-web/queries.tsv --writer-corpus ../shared/corpus/baomoi.jsonl.gz

The index is copied first (--work) so that each run starts from the same articles.
"""

import argparse
import gzip
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.normpath(os.path.join(HERE, "..", ".."))


def pct(sorted_ms, p):
    """The p-th percentile (nearest rank) of a sorted list."""
    if not sorted_ms:
        return float("nan")
    k = max(0, min(len(sorted_ms) - 1, int(round(p / 100.0 * len(sorted_ms) + 0.5)) - 1))
    return sorted_ms[k]


def load_queries(path):
    """The vnsearch column of bench_query's queries.tsv (kind, vnsearch query, FTS5 query)."""
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 2 and parts[1]:
                out.append(parts[1])
    return out


def start_server(build, index, threads, queue, log_path):
    """vnsearch-server on a free loopback port; returns (process, host, port)."""
    log = open(log_path, "w")
    proc = subprocess.Popen(
        [os.path.join(build, "vnsearch-server"), "--listen", "127.0.0.1:0", "-d", index,
         "--threads", str(threads), "--queue", str(queue)],
        stdout=subprocess.DEVNULL, stderr=log)
    for _ in range(400):
        with open(log_path) as f:
            m = re.search(r"listening on http://127\.0\.0\.1:(\d+)/", f.read())
        if m:
            return proc, "127.0.0.1", int(m.group(1))
        if proc.poll() is not None:
            sys.exit("vnsearch-server exited: " + open(log_path).read())
        time.sleep(0.05)
    proc.kill()
    sys.exit("vnsearch-server never said where it listens")


def cpu_s(pid):
    """User + system CPU seconds of a process so far (Linux /proc)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def get_json(host, port, path):
    c = http.client.HTTPConnection(host, port, timeout=30)
    c.request("GET", path)
    r = c.getresponse()
    body = r.read()
    c.close()
    return r.status, json.loads(body)


class Client(threading.Thread):
    """One client: a keep-alive connection, the queries in turn from its own starting point;
    every request's latency, and each failure by kind."""

    def __init__(self, host, port, queries, start, stop_at):
        super().__init__(daemon=True)
        self.host, self.port, self.queries, self.i, self.stop_at = host, port, queries, start, stop_at
        self.ms, self.failed = [], {}

    def fail(self, kind):
        self.failed[kind] = self.failed.get(kind, 0) + 1

    def run(self):
        conn = None
        while time.monotonic() < self.stop_at:
            q = self.queries[self.i % len(self.queries)]
            self.i += 1
            path = "/search?" + urllib.parse.urlencode({"q": q, "n": 10})
            t0 = time.perf_counter()
            try:
                if conn is None:
                    conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
                conn.request("GET", path)
                r = conn.getresponse()
                body = r.read()
            except (OSError, http.client.HTTPException) as e:
                self.fail("connection: " + type(e).__name__)
                if conn is not None:
                    conn.close()
                conn = None
                continue
            self.ms.append((time.perf_counter() - t0) * 1000.0)
            if r.status != 200:
                self.fail(f"status {r.status}")
                continue
            try:
                data = json.loads(body)
                if not isinstance(data, dict) or not isinstance(data.get("results"), list):
                    raise ValueError("no results")
            except ValueError:
                self.fail("bad JSON")
            if r.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = None
        if conn is not None:
            conn.close()


class Writer(threading.Thread):
    """The writer: every PERIOD seconds, one vnindex process indexes the next BATCH articles of
    the corpus from stdin and commits when it ends."""

    def __init__(self, build, index, corpus, batch, period, stop_at):
        super().__init__(daemon=True)
        self.build, self.index, self.corpus = build, index, corpus
        self.batch, self.period, self.stop_at = batch, period, stop_at
        self.added = self.commits = self.errors = 0
        self.run_s = []

    def run(self):
        with gzip.open(self.corpus, "rt", encoding="utf-8") as src:
            while time.monotonic() < self.stop_at:
                t0 = time.monotonic()
                lines = [src.readline() for _ in range(self.batch)]
                lines = [x for x in lines if x.strip()]
                if not lines:
                    break
                p = subprocess.run(
                    [os.path.join(self.build, "vnindex"), "--wait", "--json", "-d", self.index, "-"],
                    input="".join(lines).encode(), stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL)
                self.run_s.append(time.monotonic() - t0)
                if p.returncode == 0:
                    self.commits += 1
                    try:
                        self.added += json.loads(p.stdout).get("added", 0)
                    except ValueError:
                        pass
                else:
                    self.errors += 1
                left = self.period - (time.monotonic() - t0)
                if left > 0:
                    time.sleep(left)


def in_process(build, index, queries, passes):
    """The same queries through the Python module in this process, one thread: a warm-up pass,
    then the timed passes; returns sorted latencies in ms."""
    os.environ.setdefault("VNSEARCH_LIB", os.path.join(build, "libvnsearch.so"))
    sys.path.insert(0, os.path.join(SRC, "bindings", "python"))
    import vnsearch

    ms = []
    with vnsearch.Searcher([index]) as s:
        for q in queries:
            s.search(q, limit=10)
        for _ in range(passes):
            for q in queries:
                t0 = time.perf_counter()
                s.search(q, limit=10)
                ms.append((time.perf_counter() - t0) * 1000.0)
    return sorted(ms)


def line(name, ms):
    return (f"{name}: {len(ms)} requests, p50 {pct(ms, 50):.2f} ms, p90 {pct(ms, 90):.2f} ms, "
            f"p99 {pct(ms, 99):.2f} ms, max {ms[-1] if ms else float('nan'):.2f} ms")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=os.path.join(SRC, "build"))
    ap.add_argument("--index", required=True, help="the VNTC index (copied, never written)")
    ap.add_argument("--queries", required=True, help="bench_query gen's queries.tsv")
    ap.add_argument("--writer-corpus", required=True, help="JSONL.gz of articles to add")
    ap.add_argument("--work", default=None, help="where the copy goes (default: a temp dir)")
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--queue", type=int, default=32)
    ap.add_argument("--batch", type=int, default=100, help="articles per writer commit")
    ap.add_argument("--period", type=float, default=1.0, help="seconds between commits")
    ap.add_argument("--passes", type=int, default=3, help="timed in-process passes")
    a = ap.parse_args()

    queries = load_queries(a.queries)
    work = a.work or tempfile.mkdtemp(prefix="vns-load-")
    idx = os.path.join(work, "idx")
    shutil.rmtree(idx, ignore_errors=True)
    shutil.copytree(a.index, idx)
    print(f"load: {len(os.sched_getaffinity(0))} CPUs, load average {os.getloadavg()[0]:.2f} "
          f"at start; {len(queries)} queries; {a.clients} clients for {a.seconds:g} s; "
          f"server --threads {a.threads} --queue {a.queue}; writer {a.batch} articles every "
          f"{a.period:g} s")

    proc, host, port = start_server(a.build, idx, a.threads, a.queue, os.path.join(work, "server.log"))
    try:
        _, health0 = get_json(host, port, "/health")
        # Warm the server's caches as the in-process run is warmed: every query once.
        for q in queries:
            get_json(host, port, "/search?" + urllib.parse.urlencode({"q": q, "n": 10}))
        t0 = time.monotonic()
        cpu0_server, cpu0_self = cpu_s(proc.pid), time.process_time()
        stop_at = t0 + a.seconds
        writer = Writer(a.build, idx, a.writer_corpus, a.batch, a.period, stop_at)
        clients = [Client(host, port, queries, i * len(queries) // a.clients, stop_at)
                   for i in range(a.clients)]
        writer.start()
        for c in clients:
            c.start()
        for c in clients:
            c.join()
        elapsed = time.monotonic() - t0
        cpu_server, cpu_self = cpu_s(proc.pid) - cpu0_server, time.process_time() - cpu0_self
        writer.join()
        load_end = os.getloadavg()[0]
        time.sleep(1.0)  # The server reopens within 0.2 s of the last commit.
        _, health1 = get_json(host, port, "/health")
    finally:
        proc.terminate()
        rc = proc.wait(timeout=30)

    ms = sorted(m for c in clients for m in c.ms)
    failed = {}
    for c in clients:
        for k, v in c.failed.items():
            failed[k] = failed.get(k, 0) + v
    nfail = sum(failed.values())
    print(f"server: {len(ms) / elapsed:.1f} requests/s over {elapsed:.1f} s; "
          f"failed {nfail} {failed if failed else ''}".rstrip())
    print(line("server latency", ms))
    print(f"writer: {writer.commits} commits, {writer.added} articles added, {writer.errors} "
          f"failed runs; vnindex p50 {pct(sorted(writer.run_s), 50):.2f} s; documents "
          f"{health0['documents']} -> {health1['documents']} (seen by the server)")
    print(f"CPU during the run: server {cpu_server:.1f} s, these clients {cpu_self:.1f} s (of "
          f"{elapsed * len(os.sched_getaffinity(0)):.0f} s on all CPUs)")
    print(f"load average {load_end:.2f} at the end of the run; server exit status {rc}")

    ip = in_process(a.build, idx, queries, a.passes)
    total_s = sum(ip) / 1000.0
    print(line(f"in-process (Python module, 1 thread, {a.passes} passes)", ip)
          + f"; {len(ip) / total_s:.1f} queries/s")
    if not a.work:
        shutil.rmtree(work, ignore_errors=True)
    grew = health1["documents"] > health0["documents"] or a.batch == 0
    return 1 if nfail or not grew else 0


if __name__ == "__main__":
    sys.exit(main())
