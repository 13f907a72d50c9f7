#!/usr/bin/env bash
# Two shards served by xapian-tcpsrv on 127.0.0.1 answer exactly like one index (ids, order,
# scores, snippets); a stub file works as an index path; a shard that is down, or dies mid-query,
# is named (and no partial page is printed), and --allow-partial answers from the other.
. "$(dirname "$0")/lib.sh"
mkdir -p "$T/src"
cp "$SRC"/corpus/*.txt "$T/src/"
{ zcat "$SRC/../shared/corpus/vntc.jsonl.gz" || true; } | head -n 400 > "$T/src/more.jsonl"
"$VNINDEX" -d "$T/one" "$T/src" >/dev/null
"$VNINDEX" -d "$T/s1" --shard 1/2 "$T/src" >/dev/null
"$VNINDEX" -d "$T/s2" --shard 2/2 "$T/src" >/dev/null

PIDS=()
cleanup() {
    # xapian-tcpsrv answers SIGTERM by signalling its process group: SIGKILL, and own sessions.
    for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; done
    rm -rf "$T"
}
trap cleanup EXIT
# start CMD...: runs CMD, with {PORT} replaced by a free port, in a session of its own until it
# accepts connections on 127.0.0.1; sets PORT.
start() {
    for try in $(seq 1 20); do
        PORT=$(( 20000 + RANDOM % 40000 ))
        setsid "${@//\{PORT\}/$PORT}" >/dev/null 2>&1 &
        local pid=$!
        disown "$pid"
        for i in $(seq 1 50); do
            if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then PIDS+=("$pid"); return 0; fi
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null
    done
    return 1
}
# serve DB: xapian-tcpsrv for DB on a free port; sets PORT.
serve() { start xapian-tcpsrv --quiet --interface 127.0.0.1 --port '{PORT}' "$1"; }
serve "$T/s1"; P1=$PORT
serve "$T/s2"; P2=$PORT
S1="tcp://127.0.0.1:$P1" S2="tcp://127.0.0.1:$P2"
printf 'remote 127.0.0.1:%s\nremote 127.0.0.1:%s\n' "$P1" "$P2" > "$T/stub"

# results ARGS...: id, score (6 digits) and snippet of every result, one JSON line.
results() {
    "$VNSEARCH" --json -n 50 "$@" | jq -c '[.results[] | [.rank, .id, (.score * 1e6 | round), .snippet, .highlights]]'
}
for q in 'chuyen doi so' '"thu tuong"' 'viet nam -"ha noi"' 'bóng đá' 'title:kinh*' 'chính phủ OR quốc hội'; do
    want=$(results -d "$T/one" -- "$q")
    check "remote shards = one index for [$q]" "$want" "$(results -d "$S1" -d "$S2" -- "$q")"
    check "local shards = one index for [$q]" "$want" "$(results -d "$T/s1" -d "$T/s2" -- "$q")"
    check "stub file = one index for [$q]" "$want" "$(results -d "$T/stub" -- "$q")"
done
# Filters, date sorts and facets (the VNTC lines carry source and topic) on remote shards too.
facets() { "$VNSEARCH" --json -n 20 --sort newest --facets source,topic "$@" | jq -c '[.results[].id], .facets'; }
for q in 'viet nam' 'source:nld.com.vn kinh te' 'topic:"the thao" -source:vnexpress.net'; do
    want=$(facets -d "$T/one" -- "$q")
    check "remote shards = one index, sorted with facets, for [$q]" "$want" "$(facets -d "$S1" -d "$S2" -- "$q")"
done
check "facets are not empty" yes "$([ "$(facets -d "$T/one" viet nam | tail -1 | jq '.source[0].count')" -gt 100 ] && echo yes)"
check "results are not empty" yes "$([ "$(results -d "$T/one" chuyen doi so | jq length)" -gt 5 ] && echo yes)"

# A shard goes down.
kill -KILL "${PIDS[1]}"
sleep 0.2
"$VNSEARCH" -d "$S1" -d "$S2" chuyen doi so >/dev/null 2>"$T/err"; rc=$?
check "down shard: exit 1" 1 "$rc"
check "down shard: named" 1 "$(grep -c "$S2" "$T/err" | awk '{print ($1>0)}')"
out=$("$VNSEARCH" -d "$S1" -d "$S2" --allow-partial --json -n 50 chuyen doi so 2>"$T/err"); rc=$?
check "--allow-partial: exit 0" 0 "$rc"
check "--allow-partial: missing listed" "[\"$S2\"]" "$(printf '%s' "$out" | jq -c .missing)"
check "--allow-partial: says so on stderr" 1 "$(grep -c "left out: $S2" "$T/err" | awk '{print ($1>0)}')"
check "--allow-partial: answers from the other shard" "$(results -d "$T/s1" chuyen doi so)" \
    "$(printf '%s' "$out" | jq -c '[.results[] | [.rank, .id, (.score * 1e6 | round), .snippet, .highlights]]')"
"$VNSEARCH" -d "tcp://127.0.0.1:notaport" x >/dev/null 2>"$T/err"
check "bad address is an error" 1 "$?"

# A shard that dies mid-query: a proxy in front of it cuts each connection after LIMIT bytes from
# the server. The error names the shard, and nothing partial is printed. 1,500 matches: the data
# of the first 1,000 is read with the query, the rest while the results are printed.
python3 - "$T/src3.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    for i in range(1500):
        f.write(json.dumps({"id": "m%04d" % i, "body": "zqmany bài số %d" % i}) + "\n")
PY
"$VNINDEX" -d "$T/s3" "$T/src3.jsonl" >/dev/null
serve "$T/s3"; P3=$PORT
cat > "$T/proxy.py" <<'PY'
# proxy.py LISTEN_PORT UPSTREAM_PORT LIMIT LOG: forwards 127.0.0.1 connections; closes one after
# LIMIT bytes from upstream (0: never) and appends the bytes each connection carried to LOG.
import socket, sys, threading
lport, uport, limit, log = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", lport))
srv.listen(8)
def pump(a, b, count):
    n = 0
    try:
        while True:
            d = a.recv(65536)
            if not d:
                break
            if count and limit and n + len(d) >= limit:
                b.sendall(d[: limit - n])
                n = limit
                break
            b.sendall(d)
            n += len(d)
    except OSError:
        pass
    for s in (a, b):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
    if count:
        with open(log, "a") as f:
            f.write("%d\n" % n)
def handle(c):
    u = socket.create_connection(("127.0.0.1", uport))
    threading.Thread(target=pump, args=(c, u, False), daemon=True).start()
    pump(u, c, True)
while True:
    c, _ = srv.accept()
    threading.Thread(target=handle, args=(c,), daemon=True).start()
PY
# proxy LIMIT: starts the proxy in front of shard 3; sets PP (its port).
proxy() { start python3 "$T/proxy.py" '{PORT}' "$P3" "$1" "$T/bytes"; PP=$PORT; }
proxy 0
rm -f "$T/bytes"
"$VNSEARCH" -d "tcp://127.0.0.1:$PP" -n 2000 zqmany > "$T/full" 2>"$T/err"
check "proxy: the whole answer passes" "0 1500" "$? $(grep -c '^   m[0-9]*  (score' "$T/full")"
sleep 0.2
total=$(sort -n "$T/bytes" | tail -1)
kill -KILL "${PIDS[-1]}"
# Cut at 90% (while the results past the first 1,000 are read) and at 30% (within the query).
for pct in 90 30; do
    proxy $(( total * pct / 100 ))
    out=$("$VNSEARCH" -d "$T/s1" -d "tcp://127.0.0.1:$PP" -n 2000 zqmany 2>"$T/err"); rc=$?
    check "shard dies at $pct%: exit 1" 1 "$rc"
    check "shard dies at $pct%: named" 1 "$(grep -c "tcp://127.0.0.1:$PP: remote index failed" "$T/err")"
    check "shard dies at $pct%: the local one not named" 0 "$(grep -c "$T/s1" "$T/err")"
    check "shard dies at $pct%: nothing partial printed" "" "$out"
    out=$("$VNSEARCH" -d "$T/s1" -d "tcp://127.0.0.1:$PP" --json -n 2000 zqmany 2>/dev/null)
    check "shard dies at $pct%: no partial JSON" "" "$out"
    kill -KILL "${PIDS[-1]}"
done
finish
