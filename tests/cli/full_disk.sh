#!/usr/bin/env bash
# Indexing onto a small filesystem that fills up: a clear error and exit status 4; the committed
# index still opens, passes xapian-check and answers; with space again, a re-run completes.
. "$(dirname "$0")/lib.sh"
D="$T/disk"
mkdir -p "$D"
if ! mount -t tmpfs -o size=6m tmpfs "$D" 2>/dev/null; then
    echo "skipped: cannot mount a small tmpfs here (needs root and mount rights)"
    echo "0 passed, 0 failed"
    exit 0
fi
trap 'umount "$D" 2>/dev/null; rm -rf "$T"' EXIT
IDX="$D/idx"
out=$("$VNINDEX" -d "$IDX" --json "$SRC/corpus")
check "seed index fits" 5 "$(field "$out" documents)"
before=$(ids chuyen doi so)
{ zcat "$SRC/../shared/corpus/vntc.jsonl.gz" || true; } | head -n 3000 > "$T/more.jsonl"
"$VNINDEX" -d "$IDX" --json "$T/more.jsonl" >"$T/out" 2>"$T/err"; rc=$?
check "full disk: exit status 4" 4 "$rc"
check "full disk: clear message" 1 "$(grep -c 'No space left on device' "$T/err" | awk '{print ($1>0)}')"
check "full disk: says the last commit stays" 1 "$(grep -c 'keeps its last committed state' "$T/err")"
xapian-check "$IDX" >/dev/null 2>&1
check "committed index passes xapian-check" 0 "$?"
check "committed index answers as before" "$before" "$(ids chuyen doi so | tr ' ' '\n' | grep -v '^vntc' | tr '\n' ' ' | sed 's/ $//')"
# Room again: a bigger filesystem over the same files; the re-run finishes the work.
mount -o remount,size=64m "$D"
out=$("$VNINDEX" -d "$IDX" --json "$T/more.jsonl")
check "re-run with room completes" 3005 "$(field "$out" documents)"
finish
