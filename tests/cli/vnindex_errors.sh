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
wait_locked "$IDX"
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
# Stub files that name themselves or each other: a message naming the loop, exit 1 (vnsearch) or
# 4 (vnindex), not a crash. A stub naming the index still works.
printf 'auto self.stub\n' > "$T/self.stub"
printf 'auto b.stub\n' > "$T/a.stub"
printf '# b names a\nauto a.stub\n' > "$T/b.stub"
for s in self.stub a.stub; do
    "$VNSEARCH" -d "$T/$s" kinh te >/dev/null 2>"$T/err"; rc=$?
    check "vnsearch on stub loop $s: exit" 1 "$rc"
    check "vnsearch on stub loop $s: says so" 1 "$(grep -c "loop: .*$s" "$T/err")"
    "$VNINDEX" -d "$T/$s" "$T/src" >/dev/null 2>"$T/err"; rc=$?
    check "vnindex on stub loop $s: exit" 4 "$rc"
    check "vnindex on stub loop $s: says so" 1 "$(grep -c "loop: .*$s" "$T/err")"
done
printf '# the index\nauto idx\n' > "$T/ok.stub"
check "a stub naming the index" "$(ids kinh te)" "$(IDX="$T/ok.stub" ids kinh te)"

# A lock file that cannot be opened is not another writer: exit 4 with the system's reason, and
# --wait does not wait for it.
cp -r "$IDX" "$T/lk"
rm "$T/lk/flintlock" && mkdir "$T/lk/flintlock"
"$VNINDEX" -d "$T/lk" "$T/src" >/dev/null 2>"$T/err"; rc=$?
check "unusable lock file: exit" 4 "$rc"
check "unusable lock file: not another writer" 0 "$(grep -c "another writer" "$T/err")"
check "unusable lock file: the system's reason" 1 "$(grep -c "Is a directory" "$T/err")"
timeout 20 "$VNINDEX" -d "$T/lk" --wait "$T/src" >/dev/null 2>&1; rc=$?
check "unusable lock file with --wait: exit at once" 4 "$rc"

# Damaged indexes are called damaged: a table cut to half its size (a partial copy), a missing
# iamglass. Neither is "disk full, permissions" or "build the index first".
"$VNINDEX" -d "$T/cut" "$SRC/corpus" >/dev/null
cp -r "$T/cut" "$T/noglass"
rm "$T/noglass/iamglass"
truncate -s $(( $(stat -c %s "$T/cut/postlist.glass") / 2 )) "$T/cut/postlist.glass"
for d in cut noglass; do
    "$VNSEARCH" -d "$T/$d" so >/dev/null 2>"$T/err"; rc=$?
    check "vnsearch on $d: exit" 1 "$rc"
    check "vnsearch on $d: corrupt" 1 "$(grep -c "corrupt\|damaged" "$T/err" | awk '{print ($1>0)}')"
    check "vnsearch on $d: no wrong remedy" 0 "$(grep -c "disk full\|build the index" "$T/err")"
    "$VNINDEX" -d "$T/$d" "$SRC/corpus" >/dev/null 2>"$T/err"; rc=$?
    check "vnindex on $d: exit" 4 "$rc"
    check "vnindex on $d: corrupt" 1 "$(grep -c "corrupt\|damaged" "$T/err" | awk '{print ($1>0)}')"
    check "vnindex on $d: no wrong remedy" 0 "$(grep -c "disk full\|build the index" "$T/err")"
done
check "missing iamglass named" 1 "$(grep -c "iamglass is missing" "$T/err")"
# The schema an index records is checked by both programs: a Xapian database of documents without
# it (not ours) and a newer schema are refused with what to do, and left as they were.
"$VNINDEX" -d "$T/foreign" "$SRC/corpus" >/dev/null
cp -r "$T/foreign" "$T/newer"
xapian-metadata set "$T/foreign" vnsearch.schema ""
xapian-metadata set "$T/newer" vnsearch.schema 5
for d in foreign newer; do
    want=$([ $d = foreign ] && echo "not a vnsearch index" || echo "index schema 5 is newer")
    "$VNSEARCH" -d "$T/ok.stub" -d "$T/$d" so >/dev/null 2>"$T/err"; rc=$?
    check "vnsearch on $d shard: exit" 1 "$rc"
    check "vnsearch on $d shard: says so" 1 "$(grep -c "$T/$d: $want" "$T/err")"
    "$VNINDEX" -d "$T/$d" "$T/src" >/dev/null 2>"$T/err"; rc=$?
    check "vnindex on $d: exit" 4 "$rc"
    check "vnindex on $d: says so" 1 "$(grep -c "$want" "$T/err")"
done
check "foreign database left alone" "" "$(xapian-metadata get "$T/foreign" vnsearch.schema)"

# An id spelled like the stored form of an id over 239 bytes (its first 200 bytes, '#', 16 hex
# digits of its FNV-1a 64) is refused instead of replacing that id's document.
python3 - "$T/ids.jsonl" <<'PY'
import json, sys
def fnv(b):
    h = 0xcbf29ce484222325
    for c in b:
        h = ((h ^ c) * 0x100000001b3) & (2**64 - 1)
    return h
a = "tenant-a/" + "x" * 291
b = a[:200] + "#%016x" % fnv(a.encode())
with open(sys.argv[1], "w") as f:
    f.write(json.dumps({"id": a, "body": "bí mật zqtenanta"}) + "\n")
    f.write(json.dumps({"id": b, "body": "giả mạo zqtenantb"}) + "\n")
PY
out=$("$VNINDEX" -d "$T/ids" --json "$T/ids.jsonl" 2>"$T/err"); rc=$?
check "id in a long id's stored form: exit" 1 "$rc"
check "id in a long id's stored form: refused" 1 "$(grep -c "could stand for another document" "$T/err")"
check "the long id's document stays" "tenant-a/$(printf 'x%.0s' $(seq 291))" "$(IDX="$T/ids" ids zqtenanta)"
check "the impostor is not indexed" "" "$(IDX="$T/ids" ids zqtenantb)"
finish
