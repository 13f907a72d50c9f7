#!/usr/bin/env bash
# Pruning deletes only what is really gone: files cut short or unparsable keep their documents,
# an unreadable folder is not pruned, an empty or gutted SOURCE stops before deleting
# (--max-delete), a moved SOURCE still prunes, and one relative path in two SOURCEs is refused.
. "$(dirname "$0")/lib.sh"
C="$SRC/corpus"

# jsonl N FILE: N JSONL records (ids r1..rN) with a word each, into FILE.
jsonl() {
    for i in $(seq 1 "$1"); do
        printf '{"id":"r%d","title":"Bản tin %d","body":"zqrec%d nội dung bài %d"}\n' "$i" "$i" "$i" "$i"
    done > "$2"
}

# 1. A truncated .gz (a partial copy) is a file that could not be read: a .txt.gz keeps its old
# version, and nothing of a .jsonl.gz is pruned.
IDX="$T/gz.idx"
mkdir -p "$T/gz"
jsonl 400 "$T/gz/feed.jsonl"
gzip "$T/gz/feed.jsonl"
{ cat "$C/002_488010b27481680b.txt"; printf 'Câu cuối zqtailword.\n'; } | gzip -c > "$T/gz/art.txt.gz"
out=$("$VNINDEX" -d "$IDX" --json "$T/gz" 2>"$T/err")
check "gz: first run" "0 401" "$? $(field "$out" documents)"
for f in "$T/gz/feed.jsonl.gz" "$T/gz/art.txt.gz"; do
    s=$(stat -c %s "$f"); head -c $((s * 6 / 10)) "$f" > "$T/cut" && mv "$T/cut" "$f"
done
out=$("$VNINDEX" -d "$IDX" --json "$T/gz" 2>"$T/err"); rc=$?
check "gz cut: exit 1" 1 "$rc"
check "gz cut: nothing deleted" "0 401" "$(field "$out" deleted) $(field "$out" documents)"
check "gz cut: .txt.gz not replaced" 0 "$(field "$out" updated)"
check "gz cut: the tail is still found" "art.txt.gz" "$(ids zqtailword)"
check "gz cut: the last record is still found" "r400" "$(ids zqrec400)"
check "gz cut: .txt.gz named" 1 "$(grep -c 'art.txt.gz: .*unexpected end of file' "$T/err")"
check "gz cut: .jsonl.gz named" 1 "$(grep -c 'feed.jsonl.gz:[0-9]*: .*unexpected end of file' "$T/err")"
check "gz cut: no invalid JSON for the cut line" 0 "$(grep -c 'invalid JSON' "$T/err")"

# A JSONL line that stops parsing keeps its document when its id can be read from it; one whose
# id cannot be read keeps the whole SOURCE from being pruned.
IDX="$T/bad.idx"
mkdir -p "$T/bad"
jsonl 5 "$T/bad/feed.jsonl"
"$VNINDEX" -d "$IDX" --json "$T/bad" > /dev/null 2>&1
sed -i '2s/"body":"zqrec2/"body":"zqrec2 \\q/; 3s/^{"id":"r3"/{"id":/' "$T/bad/feed.jsonl"
out=$("$VNINDEX" -d "$IDX" --json "$T/bad" 2>"$T/err"); rc=$?
check "bad line: exit 1" 1 "$rc"
check "bad line: nothing deleted" "0 5" "$(field "$out" deleted) $(field "$out" documents)"
check "bad line with an id: kept" "r2" "$(ids zqrec2)"
check "bad line, no id: not pruned, said" 1 "$(grep -c 'bad: not pruned' "$T/err")"
sed -i '3d' "$T/bad/feed.jsonl"
out=$("$VNINDEX" -d "$IDX" --json "$T/bad" 2>"$T/err")
check "bad line with an id, no other: r3 pruned, r2 kept" "1 r2" "$(field "$out" deleted) $(ids zqrec2)"

# 2. A file that can be listed but not stat'ed (a folder with mode r--) is kept.
if command -v setpriv >/dev/null && [ "$(id -u)" = 0 ]; then
    AS="setpriv --reuid=65534 --regid=65534 --clear-groups"
    mkdir -p "$T/perm/src/sub"; chmod 777 "$T" "$T/perm"
    printf 'Bài\nzqperm một\n' > "$T/perm/src/sub/a.txt"
    printf 'Bài\nzqperm hai\n' > "$T/perm/src/b.txt"
    chown -R 65534:65534 "$T/perm"
    $AS "$VNINDEX" -d "$T/perm/idx" --json "$T/perm/src" > /dev/null 2>&1
    chmod 644 "$T/perm/src/sub"
    out=$($AS "$VNINDEX" -d "$T/perm/idx" --json "$T/perm/src" 2>"$T/err"); rc=$?
    check "no stat: exit 1" 1 "$rc"
    check "no stat: named" 1 "$(grep -c 'sub/a.txt: cannot stat: Permission denied' "$T/err")"
    check "no stat: nothing deleted" "0 2" "$(field "$out" deleted) $(field "$out" documents)"
    chmod 755 "$T/perm/src/sub"
else
    echo "note: the r-- folder check needs root and setpriv (to act as another user): not run"
fi

# 3. An empty (or unmounted) SOURCE is not pruned; a run that would delete more than
# --max-delete allows (default: half the index) stops before deleting and says how to proceed.
IDX="$T/wipe.idx"
mkdir -p "$T/wipe"
cp "$C"/*.txt "$T/wipe/"
"$VNINDEX" -d "$IDX" --json "$T/wipe" > /dev/null 2>&1
mkdir "$T/wipe.away"; mv "$T/wipe"/* "$T/wipe.away/"
out=$("$VNINDEX" -d "$IDX" --json "$T/wipe" 2>"$T/err"); rc=$?
check "empty source: exit 1" 1 "$rc"
check "empty source: nothing deleted" "0 5" "$(field "$out" deleted) $(field "$out" documents)"
check "empty source: said, with the way on" 1 "$(grep -c 'wipe: no articles.*--max-delete all' "$T/err")"
cp "$T/wipe.away/000_582f45e862c6e7f9.txt" "$T/wipe/"
out=$("$VNINDEX" -d "$IDX" --json "$T/wipe" 2>"$T/err"); rc=$?
check "over the limit: exit 1" 1 "$rc"
check "over the limit: nothing deleted" "0 5" "$(field "$out" deleted) $(field "$out" documents)"
check "over the limit: said, with the way on" 1 "$(grep -c 'would delete 4 .*--max-delete 4' "$T/err")"
out=$("$VNINDEX" -d "$IDX" --json --max-delete 3 "$T/wipe" 2>"$T/err"); rc=$?
check "--max-delete 3: still stops" "1 5" "$rc $(field "$out" documents)"
out=$("$VNINDEX" -d "$IDX" --json --max-delete 4 "$T/wipe" 2>"$T/err"); rc=$?
check "--max-delete 4: deletes" "0 4 1" "$rc $(field "$out" deleted) $(field "$out" documents)"
rm "$T/wipe"/*
out=$("$VNINDEX" -d "$IDX" --json --max-delete 100% "$T/wipe" 2>"$T/err"); rc=$?
check "--max-delete 100%: empties" "0 1 0" "$rc $(field "$out" deleted) $(field "$out" documents)"
for bad in -1 5x 101% "" 1.5; do
    "$VNINDEX" -d "$IDX" --max-delete "$bad" "$T/wipe" > /dev/null 2>&1
    check "--max-delete '$bad' refused" 2 "$?"
done
# A folder replaced by another (an unmounted mount point, a new copy) is another SOURCE: it
# prunes nothing of the first.
out=$("$VNINDEX" -d "$IDX" --json "$T/wipe.away" 2>"$T/err")
mv "$T/wipe.away" "$T/wipe.old"; mkdir "$T/wipe.away"
out=$("$VNINDEX" -d "$IDX" --json "$T/wipe.away" 2>"$T/err"); rc=$?
check "replaced folder: nothing deleted" "0 0 5" "$rc $(field "$out" deleted) $(field "$out" documents)"
# A new, empty folder with nothing indexed from it is no accident.
mkdir -p "$T/fresh"
"$VNINDEX" -d "$T/fresh.idx" "$T/fresh" > /dev/null 2>&1
check "empty source, nothing to delete: exit 0" 0 "$?"

# 4. A SOURCE moved, or reached by another path, still prunes its deleted files.
IDX="$T/mv.idx"
mkdir -p "$T/mv"
cp -r "$C" "$T/mv/src"
"$VNINDEX" -d "$IDX" --json "$T/mv/src" > /dev/null 2>&1
mv "$T/mv/src" "$T/mv/articles"
out=$("$VNINDEX" -d "$IDX" --json "$T/mv/articles" 2>"$T/err")
check "moved: unchanged" "5 0" "$(field "$out" unchanged) $(field "$out" deleted)"
rm "$T/mv/articles/000_582f45e862c6e7f9.txt"
out=$("$VNINDEX" -d "$IDX" --json "$T/mv/articles" 2>"$T/err")
check "moved, file removed: pruned" "1 4" "$(field "$out" deleted) $(field "$out" documents)"
ln -s articles "$T/mv/current"
rm "$T/mv/articles/001_0ddd52ec78440146.txt"
out=$(cd "$T/mv" && "$VNINDEX" -d "$IDX" --json current/ 2>"$T/err")
check "through a symlink: pruned" "1 3" "$(field "$out" deleted) $(field "$out" documents)"
# A copy (another disk, a restore from a backup) has a key of its own: the first run over it moves
# the documents to it (counted as updated), and later runs prune its deleted files.
cp -r "$T/mv/articles" "$T/mv/copy"
rm -r "$T/mv/articles" "$T/mv/current"
out=$("$VNINDEX" -d "$IDX" --json "$T/mv/copy" 2>"$T/err")
check "copied: the documents move to the copy" "3 0 3" "$(field "$out" updated) $(field "$out" deleted) $(field "$out" documents)"
rm "$T/mv/copy/002_488010b27481680b.txt"
out=$("$VNINDEX" -d "$IDX" --json "$T/mv/copy" 2>"$T/err")
check "copied, file removed: pruned" "1 2" "$(field "$out" deleted) $(field "$out" documents)"

# 5. The same relative path under two directory SOURCEs: the first is indexed, the second is
# refused with a message, and re-runs change nothing.
IDX="$T/two.idx"
mkdir -p "$T/news" "$T/blogs"
printf 'Tin\nzqnews một\n' > "$T/news/a.txt"; printf 'Blog\nzqblog hai\n' > "$T/blogs/a.txt"
printf 'Blog khác\nzqother ba\n' > "$T/blogs/b.txt"
out=$("$VNINDEX" -d "$IDX" --json "$T/news" "$T/blogs" 2>"$T/err"); rc=$?
check "same path: exit 1" 1 "$rc"
check "same path: named" 1 "$(grep -c 'blogs/a.txt: .*also .*news/a.txt' "$T/err")"
check "same path: first kept" "a.txt" "$(ids zqnews)"
out=$("$VNINDEX" -d "$IDX" --json "$T/news" "$T/blogs" 2>"$T/err")
check "same path, again: nothing rewritten" "0 0 2" "$(field "$out" updated) $(field "$out" deleted) $(field "$out" unchanged)"
out=$("$VNINDEX" -d "$IDX" --json "$T/news" "$T/news/" 2>"$T/err"); rc=$?
check "one folder given twice: read once" "0 1" "$rc $(field "$out" unchanged)"
finish
