#!/usr/bin/env bash
# Searchers query in a loop while vnindex updates the same index: zero failed queries. A second
# writer gets the lock error and its exit status, or waits with --wait.
. "$(dirname "$0")/lib.sh"
CORPUS="$SRC/../shared/corpus/vntc.jsonl.gz"
{ zcat "$CORPUS" || true; } | head -n 4000 > "$T/all.jsonl"
head -n 500 "$T/all.jsonl" > "$T/a.jsonl"
# The same ids with other text, to force replacements too.
sed -n '1,500p' "$T/all.jsonl" | jq -c '.body = (.body + " Cập nhật.")' > "$T/changed.jsonl"
"$VNINDEX" -d "$T/idx" "$T/a.jsonl" >/dev/null

"$BUILD/tests/stress_readers" "$T/idx" 8 > "$T/r1" 2>"$T/r1.err" &
r1=$!
"$BUILD/tests/stress_readers" "$T/idx" 8 > "$T/r2" 2>"$T/r2.err" &
r2=$!
# Writers, one after the other, with a commit every 250 documents.
"$VNINDEX" -d "$T/idx" --wait "$T/all.jsonl" >/dev/null
"$VNINDEX" -d "$T/idx" --wait "$T/changed.jsonl" >/dev/null
"$VNINDEX" -d "$T/idx" --wait "$T/all.jsonl" >/dev/null
wait $r1; s1=$?
wait $r2; s2=$?
check "reader 1 had no failed query" "0 0" "$s1 $(jq .failed "$T/r1")"
check "reader 2 had no failed query" "0 0" "$s2 $(jq .failed "$T/r2")"
echo "reader 1: $(cat "$T/r1")"
check "readers ran queries" "yes" "$([ "$(jq .queries "$T/r1")" -gt 10 ] && echo yes)"
[ -s "$T/r1.err" ] && cat "$T/r1.err"

# --wait: a second writer waits for the first instead of failing.
( sleep 2 | "$VNINDEX" -d "$T/idx" - >/dev/null 2>&1 ) &
holder=$!
wait_locked "$T/idx"
start=$(date +%s%N)
"$VNINDEX" -d "$T/idx" --wait "$T/a.jsonl" >/dev/null 2>&1; rc=$?
waited=$(( ($(date +%s%N) - start) / 1000000 ))
wait $holder
check "--wait succeeds" 0 "$rc"
check "--wait waited for the lock" yes "$([ "$waited" -ge 800 ] && echo yes)"
finish
