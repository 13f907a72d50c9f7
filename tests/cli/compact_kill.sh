#!/usr/bin/env bash
# vnindex --compact: the index is compacted in place (smaller, the same answers), readers keep
# working while it runs, and a kill at any moment (SIGKILL or SIGTERM, at random times) leaves
# a whole index with the same documents and answers; the next run sweeps what was left.
. "$(dirname "$0")/lib.sh"
IDX="$T/idx"
{ zcat "$SRC/../shared/corpus/vntc.jsonl.gz" || true; } | head -n 3000 > "$T/a.jsonl"
# Built in small commits, then half rewritten: an index with room to compact.
"$VNINDEX" -d "$IDX" "$T/a.jsonl" > /dev/null
sed 's/"body": "/"body": "sửa lại /' "$T/a.jsonl" | head -n 1500 > "$T/b.jsonl"
"$VNINDEX" -d "$IDX" "$T/b.jsonl" > /dev/null
answers() {
    for q in 'chinh phu' '"bong da" viet nam' 'sửa lại kinh te' 'gia*'; do
        "$VNSEARCH" -d "$IDX" --json -n 20 --count -- "$q" | jq -c '[.total, [.results[] | [.id, (.score * 1e6 | round)]]]'
    done
}
want=$(answers)
docs=$("$VNSEARCH" -d "$IDX" --json --count -- 'date:..9999 OR -date:..9999' | jq .total)
check "documents before" 3000 "$docs"

initial=$(du -sb "$IDX" | cut -f1)
# Kills at random moments: the index is always whole and answers the same.
for i in $(seq 1 12); do
    sig=$([ $((i % 2)) = 0 ] && echo KILL || echo TERM)
    "$VNINDEX" -d "$IDX" --compact > /dev/null 2> "$T/kill.err" &
    pid=$!
    ms=$(( RANDOM % 150 ))
    sleep "0.$(printf %03d $ms)" # compaction takes about 0.1 s here
    kill -$sig $pid 2>/dev/null
    wait $pid 2>/dev/null
    got=$(answers)
    check "kill $i ($sig after $ms ms): same answers" "$want" "$got"
    if [ "$got" != "$want" ]; then
        # What the run said and left, for whoever reads the failure; the kills after it would
        # only repeat it.
        echo "  vnindex said: $(cat "$T/kill.err")"
        echo "  left: $(ls -la "$T" "$IDX"* 2>&1)"
        break
    fi
done

# A run to the end: smaller, the same answers, no scratch left.
out=$("$VNINDEX" -d "$IDX" --compact --json)
check "compact: exit 0" 0 $?
check "compact: documents" 3000 "$(printf '%s' "$out" | jq .documents)"
after=$(du -sb "$IDX" | cut -f1)
check "compact: smaller than before the first" yes "$([ "$after" -lt "$initial" ] && echo yes)"
check "compact: same answers" "$want" "$(answers)"
check "compact: no scratch left" "" "$(ls "$T" | grep -E '^idx\.' | tr '\n' ' ')"

# Readers keep working while it compacts.
"$VNINDEX" -d "$IDX" --compact > /dev/null 2>&1 &
pid=$!
bad=0
for i in $(seq 1 30); do
    "$VNSEARCH" -d "$IDX" --json -- 'chinh phu' > /dev/null 2>&1 || bad=$((bad + 1))
done
wait $pid
check "readers during compaction: no failure" 0 "$bad"

# A writer waits for it (--wait) and then writes into the compacted index.
"$VNINDEX" -d "$IDX" --compact > /dev/null 2>&1 &
pid=$!
printf '{"id":"new1","body":"zqcompact mới"}\n' | "$VNINDEX" -d "$IDX" --wait - > /dev/null 2>&1
wait $pid
check "a waiting writer's article is in the index" 1 "$("$VNSEARCH" -d "$IDX" --json zqcompact | jq .total)"

# An index built new by one process is compacted at its end; one that existed is not.
"$VNINDEX" -d "$T/new1" --jobs 1 "$T/a.jsonl" > /dev/null 2>&1
printf '{"id":"first","body":"một bài"}\n' | "$VNINDEX" -d "$T/old1" - > /dev/null 2>&1
"$VNINDEX" -d "$T/old1" --jobs 1 "$T/a.jsonl" > /dev/null 2>&1
new_size=$(du -sb "$T/new1" | cut -f1)
old_size=$(du -sb "$T/old1" | cut -f1)
check "built new by one process: compacted (under 80% of an updated one)" yes \
    "$([ $((new_size * 10)) -lt $((old_size * 8)) ] && echo yes)"
check "built new by one process: all there" 3000 "$("$VNSEARCH" -d "$T/new1" --json --count -- 'date:..9999 OR -date:..9999' | jq .total)"

# Scratch that is not the run's (a directory of the user's with a scratch name) stops it, and is
# left as it is; a new index is then not compacted at its end either.
mkdir -p "$IDX.merging" && echo notes > "$IDX.merging/notes.txt"
"$VNINDEX" -d "$IDX" --compact > /dev/null 2>&1
check "compact with foreign scratch in the way: exit 4" 4 $?
check "the user's file is left" notes "$(cat "$IDX.merging/notes.txt")"
mkdir -p "$T/fresh.merging" && echo notes > "$T/fresh.merging/notes.txt"
"$VNINDEX" -d "$T/fresh" --jobs 1 "$T/b.jsonl" > /dev/null 2>&1
check "a new index beside foreign scratch: built, not compacted" "notes yes" \
    "$(cat "$T/fresh.merging/notes.txt") $([ -e "$T/fresh/iamglass" ] && ! [ -e "$T/fresh/notes.txt" ] && echo yes)"
rm -rf "$IDX.merging"

# A file system without the exchange of two names, where both renames back fail too: the old
# index and its compacted copy are both kept, whole, and named (a review found the old one
# removed). A preloaded stand-in makes renameat2 unsupported and every rename after the first
# fail.
cat > "$T/norename.c" <<'EOF'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>

int renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath,
              unsigned int flags) {
    (void)olddirfd, (void)oldpath, (void)newdirfd, (void)newpath, (void)flags;
    errno = ENOSYS;
    return -1;
}

int rename(const char *oldpath, const char *newpath) {
    static int calls;
    if (calls++ == 0) {
        int (*real)(const char *, const char *) =
            (int (*)(const char *, const char *))dlsym(RTLD_NEXT, "rename");
        return real(oldpath, newpath);
    }
    errno = EIO;
    return -1;
}
EOF
preload_lib norename
before=$(answers)
with_preload "$T/norename.so" "$VNINDEX" -d "$IDX" --compact > /dev/null 2> "$T/err"
check "renames failing: exit 4" 4 $?
check "renames failing: said where the index is" 1 "$(grep -c "the index is at $IDX.replaced" "$T/err")"
check "renames failing: the old index kept whole" 3001 "$("$VNINDEX" -d "$IDX.replaced" --export 2>/dev/null | wc -l)"
check "renames failing: the compacted copy kept whole" 3001 "$("$VNINDEX" -d "$IDX.merging" --export 2>/dev/null | wc -l)"
mv "$IDX.replaced" "$IDX"
rm -rf "$IDX.merging"
check "moved back: the same answers" "$before" "$(answers)"

# Killed while removing the old index after the swap, whatever file it had come to: the next run
# sweeps the rest and compacts (the scratch mark goes last; a run used to find an unmarked
# directory in the way and refuse until the user removed it).
cat > "$T/killunlink.c" <<'EOF'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>
#include <stdlib.h>

int unlinkat(int dirfd, const char *path, int flags) {
    static int calls;
    const char *at = getenv("KILL_AT_UNLINK");
    if (at && ++calls == atoi(at)) raise(SIGKILL);
    int (*real)(int, const char *, int) = (int (*)(int, const char *, int))dlsym(RTLD_NEXT, "unlinkat");
    return real(dirfd, path, flags);
}
EOF
preload_lib killunlink
bad=""
for n in 1 2 3 4 5 6 7 8 9 10; do
    KILL_AT_UNLINK=$n with_preload "$T/killunlink.so" "$VNINDEX" -d "$IDX" --compact > /dev/null 2>&1
    "$VNINDEX" -d "$IDX" --compact > /dev/null 2>&1 || bad="$bad $n"
done
check "killed while removing the old index: the next --compact ends well" "" "$bad"
check "killed while removing the old index: the same answers" "$before" "$(answers)"

# Killed between the two renames of a swap without the exchange: no index at INDEX, the old one
# at INDEX.replaced, its compacted copy at INDEX.merging. The next run moves the old one back
# (a review found a run creating a new, empty index there and sweeping both away as scratch).
cat > "$T/killrename.c" <<'EOF'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>

int renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath,
              unsigned int flags) {
    (void)olddirfd, (void)oldpath, (void)newdirfd, (void)newpath, (void)flags;
    errno = EINVAL;
    return -1;
}

int rename(const char *oldpath, const char *newpath) {
    static int calls;
    if (calls++ == 1) raise(SIGKILL);
    int (*real)(const char *, const char *) =
        (int (*)(const char *, const char *))dlsym(RTLD_NEXT, "rename");
    return real(oldpath, newpath);
}
EOF
preload_lib killrename
with_preload "$T/killrename.so" "$VNINDEX" -d "$IDX" --compact > /dev/null 2>&1
check "killed between the renames: no index, the old one aside" "no yes" \
    "$([ -e "$IDX" ] && echo yes || echo no) $([ -d "$IDX.replaced" ] && echo yes || echo no)"
"$VNSEARCH" -d "$IDX" -- 'chinh phu' > /dev/null 2> "$T/err"
check "vnsearch meanwhile: exit 1, says where the index is" "1 1" \
    "$? $(grep -c "the index is at $IDX.replaced, and the next run of vnindex -d $IDX moves it back" "$T/err")"
"$VNINDEX" -d "$IDX" --compact > /dev/null 2> "$T/err"
check "the next --compact: exit 0, said it moved the index back" "0 1" "$? $(grep -c "was at $IDX.replaced" "$T/err")"
check "the next --compact: the same answers" "$before" "$(answers)"
with_preload "$T/killrename.so" "$VNINDEX" -d "$IDX" --compact > /dev/null 2>&1
printf '{"id":"zqafter","body":"zqafter mới"}\n' | "$VNINDEX" -d "$IDX" - > /dev/null 2>&1
check "a run that adds: exit 0, into the old index" "0 3002" \
    "$? $("$VNSEARCH" -d "$IDX" --json --count -- 'date:..9999 OR -date:..9999' | jq .total)"
check "no scratch left" "" "$(ls "$T" | grep -E '^idx\.' | tr '\n' ' ')"

# Killed after marking the old index for the swap, before the exchange: the mark is left in the
# live index. An index named like another's part (news.part1 beside news) is then not taken for
# scratch by a run on news (a review: it was removed, 200 documents), and its own next run
# removes the mark.
cat > "$T/killexchange.c" <<'EOF'
#define _GNU_SOURCE
#include <signal.h>

int renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath,
              unsigned int flags) {
    (void)olddirfd, (void)oldpath, (void)newdirfd, (void)newpath, (void)flags;
    raise(SIGKILL);
    return -1;
}
EOF
preload_lib killexchange
head -n 200 "$T/a.jsonl" > "$T/p.jsonl"
"$VNINDEX" -d "$T/news.part1" --jobs 1 "$T/p.jsonl" > /dev/null 2>&1
with_preload "$T/killexchange.so" "$VNINDEX" -d "$T/news.part1" --compact > /dev/null 2>&1
check "killed before the exchange: the mark is left in the index" yes \
    "$([ -e "$T/news.part1/vnindex-swapped-out" ] && echo yes)"
printf '{"id":"n1","body":"tin mới"}\n' | "$VNINDEX" -d "$T/news" - > /dev/null 2>&1
check "a run on news leaves news.part1 whole" 200 \
    "$("$VNSEARCH" -d "$T/news.part1" --json --count -- 'date:..9999 OR -date:..9999' | jq .total)"
# The same after the exchange, before the new index's swap mark is removed.
cat > "$T/killunmark.c" <<'EOF'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>
#include <string.h>

int unlink(const char *path) {
    static int calls; /* The first is the open's removal of a stale mark. */
    if (strstr(path, "news.part1/vnindex-swapped-out") && ++calls == 2) raise(SIGKILL);
    int (*real)(const char *) = (int (*)(const char *))dlsym(RTLD_NEXT, "unlink");
    return real(path);
}
EOF
preload_lib killunmark
with_preload "$T/killunmark.so" "$VNINDEX" -d "$T/news.part1" --compact > /dev/null 2>&1
check "killed after the exchange: the mark is left in the new index" "yes no" \
    "$([ -e "$T/news.part1/vnindex-swapped-out" ] && echo yes) $([ -e "$T/news.part1/vnindex-scratch" ] && echo yes || echo no)"
printf '{"id":"n2","body":"tin mới"}\n' | "$VNINDEX" -d "$T/news" - > /dev/null 2>&1
check "a run on news leaves news.part1 whole (after the exchange)" 200 \
    "$("$VNSEARCH" -d "$T/news.part1" --json --count -- 'date:..9999 OR -date:..9999' | jq .total)"
"$VNINDEX" -d "$T/news.part1" --compact > /dev/null 2>&1
check "news.part1's next run: exit 0, the marks removed" "0 no" \
    "$? $([ -e "$T/news.part1/vnindex-swapped-out" ] || [ -e "$T/news.part1/vnindex-scratch" ] && echo yes || echo no)"

# What it refuses.
"$VNINDEX" -d "$IDX" --compact "$T/a.jsonl" > /dev/null 2>&1
check "--compact with a SOURCE: exit 2" 2 $?
"$VNINDEX" -d "$T/none" --compact > /dev/null 2>&1
check "--compact of no index: exit 4" 4 $?
check "--compact of no index: creates nothing" no "$([ -e "$T/none" ] && echo yes || echo no)"
ln -s "$IDX" "$T/link"
"$VNINDEX" -d "$T/link" --compact > /dev/null 2> "$T/err"
check "--compact through a symlink: refused" 2 $?
finish
