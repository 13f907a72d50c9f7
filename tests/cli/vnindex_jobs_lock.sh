#!/usr/bin/env bash
# vnindex --jobs holds the index's write lock from start to swap: a plain writer, a --watch and a
# second --jobs started during the build get exit 3; with --wait they wait, and a writer that waited
# through the swap writes into the merged index (its documents are kept).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/gate_lib.sh"
mkdir -p "$T/wdir"
for i in $(seq 1 5); do
    printf '{"id":"w%d","title":"Bài %d","body":"Người viết riêng xylophon %d."}\n' "$i" "$i" "$i"
done > "$T/w.jsonl"
IX="$T/ix"

# docs INDEX: the number of documents, as xapian-delve reads it.
docs() { xapian-delve "$1" 2>/dev/null | sed -n 's/^number of documents = //p'; }

# The build, held in its jobs (every vns_index_put waits for $T/g/go).
gated PUT "$T/g" -d "$IX" --jobs 2 --json "$T/src"
check "the build started" 0 "$?"
jpid=$GATED_PID

"$VNINDEX" -d "$IX" "$T/w.jsonl" > /dev/null 2> "$T/err"
check "plain writer during --jobs: exit 3" 3 "$?"
check "plain writer during --jobs: says locked" 1 "$(grep -c 'locked' "$T/err")"
timeout 10 "$VNINDEX" -d "$IX" --watch "$T/wdir" > /dev/null 2> "$T/err"
check "--watch during --jobs: exit 3" 3 "$?"
"$VNINDEX" -d "$IX" --jobs 2 "$T/src" > /dev/null 2> "$T/err"
check "second --jobs during --jobs: exit 3" 3 "$?"
check "the build still runs" 0 "$(kill -0 "$jpid" 2>/dev/null; echo $?)"

# Writers that wait: a plain one and a second --jobs. Both are waiting on the old (empty)
# directory's lock when the build swaps the merged index in.
# The waiting writer is held in its first vns_index_put (until $T/g2/go) once it has the lock.
rm -rf "$T/g2"
mkdir -p "$T/g2"
env VNS_GATE_PUT="$T/g2" LD_PRELOAD="$T/gate.so" ASAN_OPTIONS="$PRELOAD_ASAN" \
    "$VNINDEX" -d "$IX" --wait --json "$T/w.jsonl" > "$T/wout" 2> "$T/werr" &
wpid=$!
"$VNINDEX" -d "$IX" --wait --jobs 2 --json "$T/src" > "$T/j2out" 2> "$T/j2err" &
j2pid=$!
sleep 0.5
check "waiting writer waits" 0 "$(kill -0 "$wpid" 2>/dev/null; echo $?)"
check "waiting --jobs waits" 0 "$(kill -0 "$j2pid" 2>/dev/null; echo $?)"
touch "$T/g/go"
wait "$jpid"; check "the build: exit 0" 0 "$?"
# The waiting writer now holds the lock of the index the path names, not only that of the old
# directory it waited on: a new writer is locked out.
wait_for "$T/g2/put-started"
check "the waiting writer got the lock" 0 "$?"
"$VNINDEX" -d "$IX" "$T/w.jsonl" > /dev/null 2>&1
check "a new writer while the waiting writer writes: exit 3" 3 "$?"
touch "$T/g2/go"
wait "$wpid"; check "the waiting writer: exit 0" 0 "$?"
wait "$j2pid"; check "the waiting --jobs: exit 0" 0 "$?"
check "the build added its 60" 60 "$(field "$(cat "$T/g.out")" added)"
check "the waiting writer added its 5" 5 "$(field "$(cat "$T/wout")" added)"
check "the waiting --jobs found them all unchanged" 60 "$(field "$(cat "$T/j2out")" unchanged)"
xapian-check "$IX" > /dev/null 2>&1
check "xapian-check passes" 0 "$?"
check "every document kept" 65 "$(docs "$IX")"
check "the waiting writer's documents are searchable" 5 \
    "$("$VNSEARCH" -d "$IX" --json xylophon | jq .total)"
check "no scratch left" "" "$(ls -d "$IX".* 2>/dev/null)"

# A writer that holds the index makes --jobs wait (--wait) or exit 3, and --jobs then builds
# nothing twice: the index is no longer new, so it is updated by one process.
gated PUT "$T/g" -d "$T/ix2" "$T/w.jsonl"
ppid_=$GATED_PID
"$VNINDEX" -d "$T/ix2" --jobs 2 "$T/src" > /dev/null 2>&1
check "--jobs while a plain writer holds the index: exit 3" 3 "$?"
touch "$T/g/go"
wait "$ppid_"
check "the plain writer: exit 0" 0 "$?"
finish
