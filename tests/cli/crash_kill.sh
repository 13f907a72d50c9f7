#!/usr/bin/env bash
# SIGKILL vnindex at random moments while it builds; after each kill the index opens, passes
# xapian-check and holds whole documents only; re-running completes to the exact count.
# KILLS (default 3) and DOCS (default 3000) set the size; make stress runs 20 kills on all of VNTC.
# JOB_KILLS (default 3) kills of a --jobs 2 build follow, each followed by a whole rebuild.
. "$(dirname "$0")/lib.sh"
KILLS=${KILLS:-3}
DOCS=${DOCS:-3000}
JOB_KILLS=${JOB_KILLS:-3}
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
for k in $(seq 1 "$KILLS"); do
    "$VNINDEX" -d "$T/idx" "$IN" >/dev/null 2>&1 &
    pid=$!
    sleep "$(awk -v ms=$(( RANDOM % (full_ms * 9 / 10 + 1) + 50 )) 'BEGIN { printf "%.3f", ms / 1000 }')"
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
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
    kill -KILL -- -"$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
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
finish
