#!/usr/bin/env bash
# SIGTERM or SIGINT to a vnindex --jobs parent stops its jobs (and the merge) and removes the
# scratch; a SIGKILL during the merge leaves scratch that the next run of any kind removes; scratch
# a live process holds, or that holds files of the user's, is left alone.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/gate_lib.sh"
IX="$T/ix"
# running: the vnindex processes still running on $IX (the jobs have the parent's command line).
running() { pgrep -f -- "-d $IX " | tr '\n' ' ' | sed 's/ $//'; }
# scratch: what is left beside $IX.
scratch() { ls -d "$IX".* 2>/dev/null | tr '\n' ' ' | sed 's/ $//'; }
# gone_within: waits up to 5 s for every vnindex on $IX to end, then prints what runs.
gone_within() { for _ in $(seq 1 50); do [ -z "$(running)" ] && break; sleep 0.1; done; running; }

# A signal while the jobs build: the parent stops them, removes their parts, and dies of it.
for sig in TERM INT; do
    rm -rf "$IX"
    gated PUT "$T/g" -d "$IX" --jobs 2 "$T/src"
    kill -"$sig" "$GATED_PID"
    wait "$GATED_PID"
    rc=$?
    check "SIG$sig during the build: the parent dies of it" "$(( 128 + $(kill -l "$sig") ))" "$rc"
    check "SIG$sig during the build: no job left running" "" "$(gone_within)"
    check "SIG$sig during the build: no scratch left" "" "$(scratch)"
    check "SIG$sig during the build: the index is empty" 0 \
        "$("$VNSEARCH" -d "$IX" --json chuyen | jq .total)"
done

# A signal during the merge: the merge stops, nothing is left, the index is as it was.
rm -rf "$IX"
gated MERGE "$T/g" -d "$IX" --jobs 2 "$T/src"
kill -TERM "$GATED_PID"
wait "$GATED_PID"
check "SIGTERM during the merge: the parent dies of it" 143 "$?"
check "SIGTERM during the merge: nothing left running" "" "$(gone_within)"
check "SIGTERM during the merge: no scratch left" "" "$(scratch)"

# SIGKILL of the parent alone during the build: the jobs end too.
rm -rf "$IX"
gated PUT "$T/g" -d "$IX" --jobs 2 "$T/src"
kill -KILL "$GATED_PID"
wait "$GATED_PID" 2>/dev/null
check "SIGKILL of the parent: its jobs end" "" "$(gone_within)"

# SIGKILL of everything during the merge: the scratch stays, and the next run (a plain one)
# removes it.
rm -rf "$IX" "$IX".*
gated MERGE "$T/g" -d "$IX" --jobs 2 "$T/src"
kill -KILL -- -"$GATED_PID"
wait "$GATED_PID" 2>/dev/null
gone_within > /dev/null
check "SIGKILL during the merge: the parts and the merge's directory stay" "$IX.merging $IX.part0 $IX.part1" "$(scratch)"
# Scratch that is not the run's to remove: a part a live writer holds, and a directory of the
# user's that happens to have a scratch name.
mkdir -p "$IX.part7"; echo mine > "$IX.part7/notes.txt"
gated PUT "$T/g" -d "$IX.part5" --jobs 1 "$T/src"
holder=$GATED_PID
out=$("$VNINDEX" -d "$IX" --json "$T/src" 2> "$T/err")
check "the next run: exit 0" 0 "$?"
check "the next run: all indexed" 60 "$(field "$out" documents)"
check "the next run removed the stale parts, nothing else" "$IX.part5 $IX.part7" "$(scratch)"
check "the user's file in a scratch-named directory is kept" mine "$(cat "$IX.part7/notes.txt")"
touch "$T/g/go"
wait "$holder"
check "the writer that held a scratch-named index: exit 0" 0 "$?"
# An index of the user's that happens to have a scratch name (shards named news.part1 and
# news.part2 beside news), no process holding it now: only what a --jobs run marked as its
# scratch is removed, so it is kept whole (a review found it deleted by any run on $IX).
"$VNINDEX" -d "$IX" --jobs 1 "$T/src" > /dev/null 2> "$T/err"
check "a user's index with a scratch name: the run exits 0" 0 "$?"
check "a user's index with a scratch name: kept" 60 "$("$VNINDEX" -d "$IX.part5" --export 2>/dev/null | wc -l)"
check "a user's index with a scratch name: said" 1 "$(grep -c "left $IX.part5, the scratch name of a --jobs run: not marked as one" "$T/err")"
finish
