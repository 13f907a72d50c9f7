#!/usr/bin/env bash
# Files removed while vnindex runs: the run ends normally (each vanished file named if it was
# listed but gone), the index stays consistent, and the next run leaves exactly the files present.
. "$(dirname "$0")/lib.sh"
IDX="$T/idx"
mkdir -p "$T/src"
body=$(sed -n 2p "$SRC/corpus/001_0ddd52ec78440146.txt")
for i in $(seq -w 1 1500); do printf 'Bài %s\n%s\n' "$i" "$body" > "$T/src/a$i.txt"; done
"$VNINDEX" -d "$IDX" --json "$T/src" > "$T/out" 2> "$T/err" &
pid=$!
# Remove every other file from the end of the list while the run goes on.
sleep 0.3
for i in $(seq 1500 -2 2); do rm -f "$T/src/a$(printf %04d "$i").txt"; done
wait $pid; rc=$?
check "run ends with 0 or 1" yes "$([ "$rc" -le 1 ] && echo yes)"
check "every failure names a file" 0 "$(grep -vc 'a[0-9]*\.txt: cannot open' "$T/err")"
xapian-check "$IDX" >/dev/null 2>&1; check "index consistent" 0 "$?"
out=$("$VNINDEX" -d "$IDX" --json "$T/src")
check "next run: documents are the files present" "$(ls "$T/src" | wc -l)" "$(field "$out" documents)"
check "next run: nothing failed" 0 "$(field "$out" failed)"
finish
