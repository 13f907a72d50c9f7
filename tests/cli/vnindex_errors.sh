#!/usr/bin/env bash
# vnindex on bad input: binary, empty, invalid UTF-8, missing and unsupported sources, a locked index.
. "$(dirname "$0")/lib.sh"
IDX="$T/idx"
mkdir -p "$T/src"
printf 'Tiêu đề tốt\nNội dung bình thường về kinh tế.\n' > "$T/src/good.txt"
head -c 4096 /dev/urandom > "$T/src/binary.txt"
printf 'ab\0cd\n' >> "$T/src/binary.txt"
: > "$T/src/empty.txt"
printf 'Văn bản có byte hỏng \xff\xfe ở giữa, vẫn được đánh chỉ mục đầy đủ về kinh tế.\n' > "$T/src/latin1.txt"
printf 'not an article\n' > "$T/src/notes.md"

out=$("$VNINDEX" -d "$IDX" --json "$T/src" 2>"$T/err"); rc=$?
check "exit 1 when a file failed" 1 "$rc"
check "good files added" 2 "$(field "$out" added)"
check "failures counted" 2 "$(field "$out" failed)"
check "invalid UTF-8 counted (two bad bytes)" 2 "$(field "$out" invalid_utf8)"
check "binary named" 1 "$(grep -c "binary.txt: binary file" "$T/err")"
check "empty named" 1 "$(grep -c "empty.txt: empty file" "$T/err")"
check "other files ignored" 0 "$(grep -c "notes.md" "$T/err")"
check "text around bad bytes indexed" "latin1.txt" "$(ids van ban co byte hong)"

# A file that now fails keeps its previous version (not pruned).
printf '\0' >> "$T/src/good.txt"
out=$("$VNINDEX" -d "$IDX" --json "$T/src" 2>/dev/null)
check "failing file kept" 2 "$(field "$out" documents)"
check "failing file not deleted" 0 "$(field "$out" deleted)"

# Missing and unsupported sources.
"$VNINDEX" -d "$IDX" "$T/nope" 2>"$T/err" >/dev/null; rc=$?
check "missing source exit" 1 "$rc"
check "missing source named" 1 "$(grep -c "nope: cannot open" "$T/err")"
"$VNINDEX" -d "$IDX" "$T/src/notes.md" 2>"$T/err" >/dev/null; rc=$?
check "unsupported file exit" 1 "$rc"
"$VNINDEX" 2>/dev/null; rc=$?
check "no source is a usage error" 2 "$rc"
"$VNINDEX" --bogus x 2>/dev/null; rc=$?
check "unknown flag is a usage error" 2 "$rc"

# A second writer gets a prompt, clear error and its own exit status.
( sleep 3 | "$VNINDEX" -d "$IDX" - >/dev/null 2>&1 ) &
holder=$!
sleep 1
"$VNINDEX" -d "$IDX" "$T/src" >/dev/null 2>"$T/err"; rc=$?
check "locked exit status" 3 "$rc"
check "locked message" 1 "$(grep -c "locked by another writer" "$T/err")"
wait $holder
# ... and the index is intact afterwards.
out=$("$VNINDEX" -d "$IDX" --json "$T/src" 2>/dev/null)
check "intact after lock" 2 "$(field "$out" documents)"

# vnsearch on a missing index: clear message naming the path and how to build it.
"$VNSEARCH" -d "$T/missing.db" kinh te >/dev/null 2>"$T/err"; rc=$?
check "vnsearch missing index exit" 1 "$rc"
check "vnsearch names the path" 1 "$(grep -c "missing.db" "$T/err" | awk '{print ($1>0)}')"
check "vnsearch says how to build" 1 "$(grep -c "vnindex -d" "$T/err")"
finish
