#!/usr/bin/env bash
# SIGKILL vnindex at random moments while it builds; after each kill the index opens, passes
# xapian-check and holds whole documents only; re-running completes to the exact count.
# KILLS (default 3) and DOCS (default 3000) set the size; make stress runs 20 kills on all of VNTC.
# JOB_KILLS (default 3) kills of a --jobs 2 build follow, each followed by a whole rebuild;
# MERGE_KILLS (default 1) kills of a --jobs 2 run during its merge, each followed by a plain run
# that must remove the scratch; CONCURRENT (default 1) runs of --jobs 2 with a plain writer
# (--wait) started at a random moment of the build: both finish, and nothing is lost.
. "$(dirname "$0")/lib.sh"
KILLS=${KILLS:-3}
DOCS=${DOCS:-3000}
JOB_KILLS=${JOB_KILLS:-3}
MERGE_KILLS=${MERGE_KILLS:-1}
CONCURRENT=${CONCURRENT:-1}
CORPUS="$SRC/../shared/corpus/vntc.jsonl.gz"
if [ "$DOCS" = all ]; then
    cp "$CORPUS" "$T/in.jsonl.gz"; IN="$T/in.jsonl.gz"
else
    { zcat "$CORPUS" || true; } | head -n "$DOCS" > "$T/in.jsonl"; IN="$T/in.jsonl"
fi
# The uninterrupted build is the reference.
ref=$("$VNINDEX" -d "$T/ref" --json "$IN" | jq .documents)
# How long a full build takes, to spread the kills over it.
t0=$(date +%s%N)
"$VNINDEX" -d "$T/timing" "$IN" >/dev/null
full_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
rm -rf "$T/timing"
RANDOM=20261122
# kill_group PID: SIGKILLs the process group PID leads and waits (up to 10 s) until every process
# of it is gone: the jobs of a --jobs run share its lock, which holds until the last one exits.
kill_group() {
    kill -KILL -- -"$1" 2>/dev/null
    wait "$1" 2>/dev/null
    for _ in $(seq 1 200); do kill -0 -- -"$1" 2>/dev/null || return 0; sleep 0.05; done
}
# gone_group PID: waits (up to 10 s) until no process of the group PID led is left. Returns 0
# when none is, else 1.
gone_group() {
    for _ in $(seq 1 200); do kill -0 -- -"$1" 2>/dev/null || return 0; sleep 0.05; done
    return 1
}
for k in $(seq 1 "$KILLS"); do
    # Its own process group, to see its jobs (a build or a large update runs them) end with it.
    setsid "$VNINDEX" -d "$T/idx" "$IN" >/dev/null 2>&1 &
    pid=$!
    sleep "$(awk -v ms=$(( RANDOM % (full_ms * 9 / 10 + 1) + 50 )) 'BEGIN { printf "%.3f", ms / 1000 }')"
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    # Its jobs and its merge hold the index's lock with it: they end on their own, soon.
    gone_group "$pid"
    check "kill $k: the jobs end with vnindex" 0 "$?"
    if [ -d "$T/idx" ]; then
        xapian-check "$T/idx" >/dev/null 2>&1
        check "kill $k: xapian-check passes" 0 "$?"
        # Whole documents only: every document has its id term, its data decodes (vnsearch
        # reads it), and the count of ids equals the count of documents.
        n=$(xapian-delve "$T/idx" 2>/dev/null | sed -n 's/^number of documents = //p')
        q=$(xapian-delve -a "$T/idx" 2>/dev/null | tr ' ' '\n' | grep -c '^Q')
        check "kill $k: one id per document" "$n" "$q"
        "$VNSEARCH" -d "$T/idx" -n 100000 --json -- "a OR cua OR la" >/dev/null
        check "kill $k: every stored document reads back" 0 "$?"
    fi
done
out=$("$VNINDEX" -d "$T/idx" --json "$IN")
check "re-run completes to the reference count" "$ref" "$(field "$out" documents)"
check "re-run adds only what was missing" "$ref" "$(( $(field "$out" added) + $(field "$out" unchanged) ))"
xapian-check "$T/idx" >/dev/null 2>&1
check "final xapian-check" 0 "$?"

# --jobs 2 writes its parts as scratch indexes (no fsync, blocks rewritten in place): a kill of
# the whole process group while they are written leaves no index (or an empty one), and the next
# run throws the parts away and builds the whole index.
for k in $(seq 1 "$JOB_KILLS"); do
    rm -rf "$T/par"
    setsid "$VNINDEX" -d "$T/par" --jobs 2 "$IN" >/dev/null 2>&1 &
    pid=$!
    sleep "$(awk -v ms=$(( RANDOM % (full_ms / 2 + 1) + 50 )) 'BEGIN { printf "%.3f", ms / 1000 }')"
    kill_group "$pid"
    n=0
    if [ -d "$T/par" ]; then
        n=$(xapian-delve "$T/par" 2>/dev/null | sed -n 's/^number of documents = //p')
    fi
    # Either nothing (killed before the merge was put in place) or the whole index (after).
    check "jobs kill $k: no index or a whole one" "yes" "$([ "${n:-0}" = 0 ] || [ "$n" = "$ref" ] && echo yes)"
    out=$("$VNINDEX" -d "$T/par" --jobs 2 --json "$IN")
    check "jobs kill $k: the next run builds it all" "$ref" "$(field "$out" documents)"
    check "jobs kill $k: no parts left" "" "$(ls -d "$T"/par.* 2>/dev/null)"
    xapian-check "$T/par" >/dev/null 2>&1
    check "jobs kill $k: xapian-check passes" 0 "$?"
done

# A kill of the whole --jobs process group during its merge (once INDEX.merging appears): the
# index is left empty or whole, and the next run, a plain one, removes the scratch and builds it.
for k in $(seq 1 "$MERGE_KILLS"); do
    rm -rf "$T/mrg" "$T"/mrg.*
    setsid "$VNINDEX" -d "$T/mrg" --jobs 2 "$IN" >/dev/null 2>&1 &
    pid=$!
    for _ in $(seq 1 $(( full_ms / 10 + 500 ))); do
        [ -e "$T/mrg.merging" ] && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.01
    done
    sleep "$(awk -v ms=$(( RANDOM % 200 )) 'BEGIN { printf "%.3f", ms / 1000 }')"
    kill_group "$pid"
    n=$(xapian-delve "$T/mrg" 2>/dev/null | sed -n 's/^number of documents = //p')
    check "merge kill $k: the index is empty or whole" "yes" "$([ "${n:-0}" = 0 ] || [ "$n" = "$ref" ] && echo yes)"
    out=$("$VNINDEX" -d "$T/mrg" --json "$IN")
    check "merge kill $k: the next plain run builds it all" "$ref" "$(field "$out" documents)"
    check "merge kill $k: the next plain run removed the scratch" "" "$(ls -d "$T"/mrg.* 2>/dev/null)"
    xapian-check "$T/mrg" >/dev/null 2>&1
    check "merge kill $k: xapian-check passes" 0 "$?"
done

# --jobs and a plain writer at once: the writer waits for the build (--wait) and then adds its
# own documents to the merged index; neither run loses the other's work.
if [ "$CONCURRENT" -gt 0 ]; then
    if [ "$DOCS" = all ]; then zcat "$IN"; else cat "$IN"; fi | head -n 200 |
        sed 's/"id": *"/"id": "other-/' > "$T/other.jsonl"
    other=$(grep -c . "$T/other.jsonl")
fi
for k in $(seq 1 "$CONCURRENT"); do
    rm -rf "$T/cc"
    "$VNINDEX" -d "$T/cc" --jobs 2 --json "$IN" > "$T/cc.jobs" 2>/dev/null &
    jpid=$!
    sleep "$(awk -v ms=$(( RANDOM % (full_ms / 2 + 1) + 20 )) 'BEGIN { printf "%.3f", ms / 1000 }')"
    "$VNINDEX" -d "$T/cc" --wait --json "$T/other.jsonl" > "$T/cc.plain" 2>/dev/null
    check "concurrent $k: the plain writer: exit 0" 0 "$?"
    wait "$jpid"
    check "concurrent $k: the --jobs run: exit 0" 0 "$?"
    n=$(xapian-delve "$T/cc" 2>/dev/null | sed -n 's/^number of documents = //p')
    check "concurrent $k: every document of both runs" "$(( ref + other ))" "$n"
    xapian-check "$T/cc" >/dev/null 2>&1
    check "concurrent $k: xapian-check passes" 0 "$?"
done
finish
