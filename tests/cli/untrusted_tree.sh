#!/usr/bin/env bash
# A SOURCE others can write into: symlinks out of it are not followed (unless --follow-symlinks),
# FIFOs and other non-regular files never block the run, and a JSONL byte order mark is skipped.
. "$(dirname "$0")/lib.sh"
C="$SRC/corpus"

# 6. A symlink that leaves the SOURCE tree is not followed; one inside it is.
mkdir -p "$T/outside" "$T/up/sub"
printf 'Bí mật\nzqsecret root:x:0:0\n' > "$T/outside/shadow.txt"
printf 'Bài\nzqinside bình thường\n' > "$T/up/sub/real.txt"
ln -s "$T/outside/shadow.txt" "$T/up/x.txt"
ln -s ../../outside/shadow.txt "$T/up/sub/rel.txt"
ln -s sub/real.txt "$T/up/in.txt"
IDX="$T/sym.idx"
out=$("$VNINDEX" -d "$IDX" --json "$T/up" 2>"$T/err"); rc=$?
check "symlink out: exit 0" 0 "$rc"
check "symlink out: not indexed" "" "$(ids zqsecret)"
check "symlink inside: indexed" "in.txt sub/real.txt" "$(ids zqinside)"
check "symlink out: said" 2 "$(grep -c 'symlink to outside the SOURCE.*--follow-symlinks' "$T/err")"
out=$("$VNINDEX" -d "$IDX" --json --follow-symlinks "$T/up" 2>"$T/err"); rc=$?
check "--follow-symlinks: indexed" "0 sub/rel.txt x.txt" "$rc $(ids zqsecret)"
out=$("$VNINDEX" -d "$IDX" --json "$T/up" 2>"$T/err")
check "without it again: pruned" "2 " "$(field "$out" deleted) $(ids zqsecret)"

# 7. A FIFO named like an article neither blocks the run nor is indexed (a file SOURCE that is a
# FIFO is a failure, at once).
mkdir -p "$T/ff"
cp "$C/000_582f45e862c6e7f9.txt" "$T/ff/"
mkfifo "$T/ff/fifo.txt" "$T/ff/feed.jsonl" "$T/lone.txt"
out=$(timeout 20 "$VNINDEX" -d "$T/ff.idx" --json "$T/ff" 2>"$T/err"); rc=$?
check "FIFO in a folder: exit 0, not blocked" 0 "$rc"
check "FIFO in a folder: the file indexed" 1 "$(field "$out" documents)"
check "FIFO in a folder: said" 2 "$(grep -c 'not a regular file' "$T/err")"
timeout 20 "$VNINDEX" -d "$T/ff.idx" "$T/lone.txt" > /dev/null 2>"$T/err"; rc=$?
check "FIFO as SOURCE: exit 1, not blocked" 1 "$rc"
check "FIFO as SOURCE: said" 1 "$(grep -c 'lone.txt: .*not a regular file' "$T/err")"

# 8. A JSONL file that starts with a UTF-8 byte order mark keeps its first record.
mkdir -p "$T/bom"
printf '\xef\xbb\xbf{"id":"b1","body":"zqbomfirst"}\n{"id":"b2","body":"zqbomsecond"}\n' > "$T/bom/f.jsonl"
gzip -c "$T/bom/f.jsonl" > "$T/bom/g.jsonl.gz"
sed -i 's/"b\([12]\)"/"g\1"/' "$T/bom/f.jsonl"
out=$("$VNINDEX" -d "$T/bom.idx" --json "$T/bom" 2>"$T/err"); rc=$?
check "BOM: exit 0" 0 "$rc"
check "BOM: first records indexed" "b1 g1" "$(IDX="$T/bom.idx" ids zqbomfirst)"
check "BOM: all four" 4 "$(field "$out" documents)"
finish
