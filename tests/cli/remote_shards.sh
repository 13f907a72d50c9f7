#!/usr/bin/env bash
# Two shards served by xapian-tcpsrv on 127.0.0.1 answer exactly like one index (ids, order,
# scores, snippets); a stub file works as an index path; a shard that is down is named, and
# --allow-partial answers from the other.
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
# serve DB: starts xapian-tcpsrv on a free port; sets PORT.
serve() {
    for try in $(seq 1 20); do
        PORT=$(( 20000 + RANDOM % 40000 ))
        setsid xapian-tcpsrv --quiet --interface 127.0.0.1 --port "$PORT" "$1" >/dev/null 2>&1 &
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
finish
