#!/usr/bin/env bash
# vnindex --jobs over an index that holds documents: the jobs index what is new or changed into
# parts, which are merged after the index's documents into a copy swapped in. The outcome (counts,
# exit status, documents, answers, pruning and its limits) is the one process's, a kill at any
# moment leaves the old index or the new one whole, and without --jobs only a large input uses the
# jobs.
. "$(dirname "$0")/lib.sh"
{ zcat "$SRC/../shared/corpus/vntc.jsonl.gz" || true; } | head -n 3000 > "$T/all.jsonl"
head -n 2000 "$T/all.jsonl" > "$T/base.jsonl"
# The update: 1,000 new articles, and 100 of the base's changed.
{ sed -n '2001,3000p' "$T/all.jsonl"; sed -n '1,100p' "$T/base.jsonl" | sed 's/"body": "/"body": "sửa lại /'; } > "$T/add.jsonl"

# Folder SOURCEs: each article a .txt file (title line, blank line, body), last modified before
# any index here was written.
mkdir -p "$T/dir"
jq -r '[.id, .title, .body] | @tsv' "$T/base.jsonl" | head -n 400 | while IFS=$'\t' read -r id title body; do
    printf '%s\n\n%s\n' "$title" "$body" > "$T/dir/${id//\//_}.txt"
done
touch -d '2020-01-01' "$T"/dir/*.txt

# state IDX: every article of IDX (sorted) and the answers to a few queries, as one text.
state() {
    "$VNINDEX" -d "$1" --export 2>/dev/null | LC_ALL=C sort | md5sum | cut -d' ' -f1
    for q in 'chinh phu' '"bong da" viet nam' 'sửa lại kinh te' 'gia*'; do
        "$VNSEARCH" -d "$1" --json -n 20 --count -- "$q" | jq -c '[.total, [.results[] | [.id, (.score * 1e6 | round)]]]'
    done
}
# counts JSON: the summary's counts.
counts() { printf '%s' "$1" | jq -c '[.added, .updated, .deleted, .unchanged, .failed, .documents]'; }
inode() { stat -c %i "$1"; }

# One case: the same update by one process (--jobs 1, in place) and by two jobs (a merged copy
# swapped in), from copies of the same index: the same counts, exit status, articles and answers.
# same_update NAME IDX ARGS...
same_update() {
    local name=$1 idx=$2
    shift 2
    rm -rf "$T/one" "$T/two"
    cp -r "$idx" "$T/one"
    cp -r "$idx" "$T/two"
    local o1 o2 r1 r2
    o1=$("$VNINDEX" -d "$T/one" --jobs 1 --json "$@" 2>/dev/null)
    r1=$?
    local before
    before=$(inode "$T/two")
    o2=$("$VNINDEX" -d "$T/two" --jobs 2 --json "$@" 2>"$T/err2")
    r2=$?
    O2=$o2
    R2=$r2
    check "$name: exit status" "$r1" "$r2"
    check "$name: counts" "$(counts "$o1")" "$(counts "$o2")"
    check "$name: articles and answers" "$(state "$T/one")" "$(state "$T/two")"
    check "$name: no scratch left" "" "$(ls "$T" | grep -E '^two\.' | tr '\n' ' ')"
    SWAPPED=$([ "$before" != "$(inode "$T/two")" ] && echo yes || echo no)
}

"$VNINDEX" -d "$T/jbase" "$T/base.jsonl" > /dev/null
same_update "new and changed articles" "$T/jbase" "$T/add.jsonl"
check "new and changed articles: a copy swapped in" yes "$SWAPPED"
check "new and changed articles: counted" '[1000,100,0,0,0,3000]' "$(counts "$O2")"
same_update "nothing new" "$T/jbase" "$T/base.jsonl"
check "nothing new: the index kept, not copied" no "$SWAPPED"

# An index of schema 3 (every exact form an E term) keeps that layout through the jobs' parts
# and their merge: the new articles' common forms (số) get E terms, no N terms, and the merged
# index says 3. (Stamped 3 over documents written as 4: only what is added here is looked at.)
tf() { xapian-delve -t "$2" "$1" 2>/dev/null | sed -n 's/.*(termfreq \([0-9]*\),.*/\1/p'; }
cp -r "$T/jbase" "$T/obase"
xapian-metadata set "$T/obase" vnsearch.schema 3
same_update "an index of schema 3" "$T/obase" "$T/add.jsonl"
check "schema 3: still 3" 3 "$(xapian-metadata get "$T/two" vnsearch.schema)"
check "schema 3: the new articles' số are E terms" yes "$([ "$(tf "$T/two" Esố)" -gt 0 ] 2>/dev/null && echo yes)"
check "schema 3: E and N terms as one process wrote them" "$(tf "$T/one" Esố) $(tf "$T/one" Nsố)" \
    "$(tf "$T/two" Esố) $(tf "$T/two" Nsố)"
check "schema 4: N terms for số" yes "$([ "$(tf "$T/jbase" Nsố)" -gt 0 ] 2>/dev/null && echo yes)"

# Folders: added, changed, gone (pruned), one that cannot be read (kept), limits on pruning.
"$VNINDEX" -d "$T/dbase" "$T/dir" > /dev/null
mkdir -p "$T/gone"
for f in $(ls "$T/dir" | head -n 30); do mv "$T/dir/$f" "$T/gone/"; done
for f in $(ls "$T/dir" | sed -n '1,5p'); do echo "thêm một dòng zqmoi" >> "$T/dir/$f"; done
jq -r '[.id, .title, .body] | @tsv' "$T/add.jsonl" | head -n 200 | while IFS=$'\t' read -r id title body; do
    printf '%s\n\n%s\n' "$title" "$body" > "$T/dir/new_${id//\//_}.txt"
done
# A file that is there but fails (NUL bytes): counted as failed, its old version kept.
printf 'binary\0file\n' > "$T/dir/$(ls "$T/dir" | grep -v '^new_' | sed -n '10p')"
same_update "a folder changed" "$T/dbase" "$T/dir"
check "a folder changed: counted" '[200,5,30,364,1,570]' "$(counts "$O2")"
same_update "a folder changed, pruning over the limit" "$T/dbase" --max-delete 10 "$T/dir"
check "over the limit: exit 1" 1 "$R2"
same_update "a folder changed, not pruned" "$T/dbase" --no-prune "$T/dir"
same_update "a folder and a file" "$T/dbase" "$T/dir" "$T/add.jsonl"
# An article of a file gone from the folder that a file SOURCE gives unchanged (an export) is
# seen, so kept, as one process keeps it.
gone_id=$(ls "$T/gone" | head -n 1)
"$VNINDEX" -d "$T/dbase" --export 2>/dev/null | jq -c --arg id "$gone_id" 'select(.id == $id)' > "$T/gone.jsonl"
check "the export holds the gone file's article" 1 "$(wc -l < "$T/gone.jsonl")"
same_update "a folder and an export of a gone file" "$T/dbase" "$T/dir" "$T/gone.jsonl"
check "a folder and an export of a gone file: kept" 1 "$("$VNINDEX" -d "$T/two" --export 2>/dev/null | jq -r .id | grep -cxF "$gone_id")"
# Nothing new, but files gone: pruned in place.
rm -rf "$T/dpost"
cp -r "$T/one" "$T/dpost"
for f in $(ls "$T/dir" | grep new_ | head -n 3); do mv "$T/dir/$f" "$T/gone/"; done
same_update "files gone only" "$T/dpost" "$T/dir"
check "files gone only: the index kept, not copied" no "$SWAPPED"

# Without --jobs: a small update stays in place, a large one (input at least 1/32 of the index)
# uses the jobs (where the machine has more than one processor).
cp -r "$T/jbase" "$T/small"
before=$(inode "$T/small")
printf '{"id":"zq1","body":"một bài zqsmall"}\n' > "$T/one.jsonl"
"$VNINDEX" -d "$T/small" "$T/one.jsonl" > /dev/null
check "small update: in place" "$before" "$(inode "$T/small")"
# A folder as large as the index, of which one file changed since the index was written: in place.
rm -rf "$T/fold"
cp -r "$T/one" "$T/fold" # The folder as it is now, indexed by one process.
before_fold=$(inode "$T/fold")
f=$(ls "$T/dir" | grep -v '^new_' | sed -n '3p')
echo "một dòng zqfold" >> "$T/dir/$f"
out=$("$VNINDEX" -d "$T/fold" --json "$T/dir" 2>/dev/null)
check "a folder with one file changed: in place" "$before_fold" "$(inode "$T/fold")"
check "a folder with one file changed: updated" '[0,1,0]' "$(printf '%s' "$out" | jq -c '[.added, .updated, .deleted]')"
if [ "$(nproc)" -gt 1 ]; then
    "$VNINDEX" -d "$T/small" "$T/add.jsonl" > /dev/null
    check "large update: the jobs' copy swapped in" yes "$([ "$before" != "$(inode "$T/small")" ] && echo yes)"
fi

# An index that is the root of a mount (a volume, a bind mount) cannot be swapped: it is built
# and updated by one process, by default and with --jobs, and ends as one process leaves it.
mkdir -p "$T/mnt" "$T/bind"
if mount -t tmpfs -o size=200m tmpfs "$T/mnt" 2>/dev/null; then
    mount --bind "$T/bind" "$T/bind"
    trap 'umount "$T/mnt" "$T/bind" 2>/dev/null; rm -rf "$T"' EXIT
    for m in mnt bind; do
        out=$("$VNINDEX" -d "$T/$m" --json "$T/base.jsonl" 2>"$T/err")
        check "$m: a new index on a mount point: exit 0" "0 2000" "$? $(field "$out" documents)"
        out=$("$VNINDEX" -d "$T/$m" --json "$T/add.jsonl" 2>"$T/err")
        check "$m: a large update: exit 0" "0 [1000,100,0,0,0,3000]" "$? $(counts "$out")"
        out=$("$VNINDEX" -d "$T/$m" --jobs 2 --json "$T/add.jsonl" 2>"$T/err")
        check "$m: --jobs 2: exit 0, one process" "0 1" \
            "$? $(grep -c 'cannot be updated by parallel jobs (.*mount point): updating it with one process' "$T/err")"
        "$VNINDEX" -d "$T/$m" --compact > /dev/null 2>"$T/err"
        check "$m: --compact refuses it" "2 1" "$? $(grep -c 'mount point' "$T/err")"
    done
    umount "$T/mnt" "$T/bind"
else
    echo "mount points: skipped (cannot mount a tmpfs here)"
fi

# Readers keep working while it runs; a writer waiting for the lock writes into the new index.
cp -r "$T/jbase" "$T/live"
"$VNINDEX" -d "$T/live" --jobs 2 --wait "$T/add.jsonl" > /dev/null 2>&1 &
sleep 0.3 # Most often the update has the lock by then, and the writer waits on it.
printf '{"id":"zw1","body":"bài zqwaiting"}\n' | "$VNINDEX" -d "$T/live" --wait - > /dev/null 2>&1 &
bad=0
for i in $(seq 1 20); do
    "$VNSEARCH" -d "$T/live" --json -- 'chinh phu' > /dev/null 2>&1 || bad=$((bad + 1))
done
wait
check "readers during the update: no failure" 0 "$bad"
check "the waiting writer's article is in the index" 1 "$("$VNSEARCH" -d "$T/live" --json zqwaiting | jq .total)"
check "the update is in the index" 3001 "$("$VNSEARCH" -d "$T/live" --json --count -- 'date:..9999 OR -date:..9999' | jq .total)"

# Kills at random moments: the index is the old one or the new one, whole; the next run sweeps
# the scratch and ends with the one process's index.
rm -rf "$T/one"
cp -r "$T/jbase" "$T/one"
"$VNINDEX" -d "$T/one" --jobs 1 "$T/add.jsonl" > /dev/null
old=$(state "$T/jbase")
new=$(state "$T/one")
cp -r "$T/jbase" "$T/k"
for i in $(seq 1 12); do
    sig=$([ $((i % 2)) = 0 ] && echo KILL || echo TERM)
    "$VNINDEX" -d "$T/k" --jobs 2 "$T/add.jsonl" > /dev/null 2>&1 &
    pid=$!
    sleep "0.$(printf %03d $((RANDOM % 900)))"
    kill -$sig $pid 2>/dev/null
    wait $pid 2>/dev/null
    sleep 0.2 # A job or merge of a killed run sees its parent gone and ends.
    got=$(state "$T/k")
    check "kill $i ($sig): the old index or the new one" yes "$([ "$got" = "$old" ] || [ "$got" = "$new" ] && echo yes)"
    [ "$got" = "$new" ] && { rm -rf "$T/k"; cp -r "$T/jbase" "$T/k"; }
done
"$VNINDEX" -d "$T/k" --jobs 2 "$T/add.jsonl" > /dev/null 2>&1
check "after the kills: the run ends with the one process's index" "$new" "$(state "$T/k")"
check "after the kills: no scratch left" "" "$(ls "$T" | grep -E '^k\.' | tr '\n' ' ')"
finish
