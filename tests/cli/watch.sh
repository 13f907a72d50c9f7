#!/usr/bin/env bash
# vnindex --watch: new, changed, renamed, moved-in and deleted files and directories reach the
# index within 2 s; a file being written in pieces is never indexed half-written; SIGINT and
# SIGTERM commit and exit cleanly.
. "$(dirname "$0")/lib.sh"
IDX="$T/idx"
mkdir -p "$T/src" "$T/outside"
cp "$SRC/corpus/000_582f45e862c6e7f9.txt" "$T/src/"

# within QUERY WANT: polls vnsearch (a new process each time, as a user would) for up to 2 s.
within() {
    local got
    for i in $(seq 1 20); do
        got=$(ids "$1")
        [ "$got" = "$2" ] && { echo "$got"; return; }
        sleep 0.1
    done
    echo "$got"
}
# start_watch: runs vnindex --watch in the background (with $PRELOAD preloaded, when set).
start_watch() {
    if [ -n "${PRELOAD:-}" ]; then
        LD_PRELOAD="$PRELOAD" ASAN_OPTIONS="$PRELOAD_ASAN" "$VNINDEX" -d "$IDX" --json --watch "$T/src" > "$T/out" 2> "$T/err" &
    else
        "$VNINDEX" -d "$IDX" --json --watch "$T/src" > "$T/out" 2> "$T/err" &
    fi
    WPID=$!
    for i in $(seq 1 50); do grep -q 'watching' "$T/err" 2>/dev/null && return; sleep 0.1; done
}
start_watch
check "initial run indexed the directory" "000_582f45e862c6e7f9.txt" "$(ids dien bien)"

printf 'Tin mới\nBài về xylophon.\n' > "$T/src/new.txt"
check "new file" "new.txt" "$(within xylophon new.txt)"

printf 'Tin mới\nBài về marimba.\n' > "$T/src/new.txt"
check "changed file: new text" "new.txt" "$(within marimba new.txt)"
check "changed file: old text gone" "" "$(ids xylophon)"

mv "$T/src/new.txt" "$T/src/renamed.txt"
check "renamed: new id" "renamed.txt" "$(within marimba renamed.txt)"

printf 'Tin ngoài\nBài về ocarina.\n' > "$T/outside/in.txt"
mv "$T/outside/in.txt" "$T/src/in.txt"
check "moved into place" "in.txt" "$(within ocarina in.txt)"

mkdir -p "$T/outside/dir"
printf 'Tin thư mục\nBài về quetzal.\n' > "$T/outside/dir/a.txt"
mv "$T/outside/dir" "$T/src/dir"
check "directory moved in" "dir/a.txt" "$(within quetzal dir/a.txt)"
rm -r "$T/src/dir"
check "directory removed" "" "$(within quetzal '')"
# A directory removed takes its .txt files' documents, not JSONL articles whose ids happen to
# start with its name (their file is still there).
mkdir -p "$T/src/news"
printf '{"id":"news/1","title":"Tin","body":"Bài về bouzouki."}\n' > "$T/src/feed.jsonl"
printf 'Tin thư mục\nBài về bouzouki nữa.\n' > "$T/src/news/a.txt"
check "a JSONL article and a .txt file indexed" "news/1 news/a.txt" "$(within bouzouki 'news/1 news/a.txt')"
rm -r "$T/src/news"
check "directory removed: its .txt file gone, the JSONL article kept" "news/1" "$(within bouzouki news/1)"
sleep 0.5
check "... and still kept" "news/1" "$(ids bouzouki)"
# A JSONL file deleted: its articles stay (until a plain run), whatever their ids.
printf '{"id":"feed.jsonl","title":"Tin","body":"Bài về bouzouki ba."}\n' >> "$T/src/feed.jsonl"
check "an article with its file's name as id" "feed.jsonl news/1" "$(within bouzouki 'feed.jsonl news/1')"
rm "$T/src/feed.jsonl"
sleep 1
check "JSONL file deleted: its articles kept" "feed.jsonl news/1" "$(ids bouzouki)"

rm "$T/src/renamed.txt"
check "deleted file" "" "$(within marimba '')"

# Written in pieces, the writer keeping it open: never indexed half-written.
exec 3> "$T/src/pieces.txt"
printf 'Tin từng phần\nPhần một về bandoneon.\n' >&3
sleep 1.5
check "half-written file not indexed" "" "$(ids bandoneon)"
printf 'Phần hai về theremin.\n' >&3
exec 3>&-
check "complete file indexed" "pieces.txt" "$(within theremin pieces.txt)"
check "with its first piece" "pieces.txt" "$(ids bandoneon)"

kill -INT "$WPID"; wait "$WPID"; rc=$?
check "SIGINT: exit 0" 0 "$rc"
# The 3 files, and the 2 articles of a JSONL file deleted (kept until a plain run prunes them).
check "SIGINT: summary" 5 "$(jq .documents "$T/out")"
xapian-check "$IDX" >/dev/null 2>&1; check "SIGINT: index consistent" 0 "$?"

# A change made just before SIGTERM is committed on the way out.
start_watch
printf 'Tin cuối\nBài về kalimba.\n' > "$T/src/last.txt"
sleep 0.05
kill -TERM "$WPID"; wait "$WPID"; rc=$?
check "SIGTERM: exit 0" 0 "$rc"
check "SIGTERM: last change committed" "last.txt" "$(ids kalimba)"
"$VNINDEX" -d "$IDX" --watch "$T/src" extra 2>/dev/null; check "--watch with a SOURCE is usage" 2 "$?"

# Failures while watching: a file with invalid UTF-8 is counted in the --json summary, and a bad
# JSONL line makes the exit status 1 after SIGTERM.
start_watch
printf 'Tin lỗi\nBài về ukulele, có một byte \xff lạc vào giữa câu.\n' > "$T/src/badutf.txt"
check "invalid UTF-8 file indexed" "badutf.txt" "$(within ukulele badutf.txt)"
printf '{"id":"ok1","title":"Tin","body":"Bài về sitar."}\nnot json\n' > "$T/src/lines.jsonl"
check "good JSONL line indexed" "ok1" "$(within sitar ok1)"
kill -TERM "$WPID"; wait "$WPID"; rc=$?
check "a line failed while watching: exit 1" 1 "$rc"
check "the failed line named" 1 "$(grep -c 'lines.jsonl:2: invalid JSON' "$T/err")"
check "summary: the failure counted" 1 "$(jq .failed "$T/out")"
check "summary: invalid UTF-8 counted" yes "$([ "$(jq .invalid_utf8 "$T/out")" -gt 0 ] && echo yes)"
rm "$T/src/lines.jsonl"

# A failing vns_index_delete_prefix_if (a directory removed) stops the watcher with exit 4, as
# every other index failure does. A preloaded stand-in makes it fail.
cat > "$T/failprefix.c" <<'EOF'
#include "vnsearch.h"
vns_status vns_index_delete_prefix_if(uint64_t *deleted, vns_index *ix, const char *prefix,
                                      vns_id_filter_fn filter, void *ctx) {
    (void)ix;
    (void)prefix;
    (void)filter;
    (void)ctx;
    if (deleted) *deleted = 0;
    return VNS_EIO;
}
EOF
preload_lib failprefix
PRELOAD="$T/failprefix.so" start_watch
mkdir "$T/src/gone"
printf 'Tin thư mục\nBài về didgeridoo.\n' > "$T/src/gone/a.txt"
check "file in a new directory indexed" "gone/a.txt" "$(within didgeridoo gone/a.txt)"
rm -r "$T/src/gone"
for i in $(seq 1 30); do kill -0 "$WPID" 2>/dev/null || break; sleep 0.1; done
kill -TERM "$WPID" 2>/dev/null; wait "$WPID"; rc=$?
check "failed delete_prefix stops the watcher: exit 4" 4 "$rc"
check "failed delete_prefix named" 1 "$(grep -c 'cannot delete the documents below gone/' "$T/err")"
# The watcher holds the writer's lock only while it writes a batch: a plain writer (a cron job)
# gets in while it waits, and the watcher goes on afterwards.
start_watch
mkdir -p "$T/other"
printf 'Tin khác\nBài về balalaika.\n' > "$T/other/o.txt"
"$VNINDEX" -d "$IDX" --json "$T/other" > "$T/plain" 2> "$T/plainerr"
check "a plain writer while watching: exit 0" 0 "$?"
check "the plain writer's article" "o.txt" "$(ids balalaika)"
printf 'Tin sau\nBài về mandolin.\n' > "$T/src/after.txt"
check "the watcher goes on after it" "after.txt" "$(within mandolin after.txt)"
kill -TERM "$WPID"; wait "$WPID"; rc=$?
check "watcher after a plain writer: exit 0" 0 "$rc"

# A file created while the first run reads DIR is indexed: watching starts before that run. A
# preloaded stand-in for vns_index_commit writes it at the end of the first run's reading.
cat > "$T/during.c" <<'EOF'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

#include "vnsearch.h"

vns_status vns_index_commit(vns_index *ix) {
    static int done;
    const char *path = getenv("VNS_TEST_DURING");
    if (!done && path) {
        done = 1;
        FILE *f = fopen(path, "w");
        if (f) {
            fputs("Tin giữa chừng\nBài về harmonica.\n", f);
            fclose(f);
        }
    }
    vns_status (*real)(vns_index *) =
        (vns_status(*)(vns_index *))dlsym(RTLD_NEXT, "vns_index_commit");
    return real(ix);
}
EOF
preload_lib during
VNS_TEST_DURING="$T/src/during.txt" PRELOAD="$T/during.so" start_watch
check "file created during the first run indexed" "during.txt" "$(within harmonica during.txt)"
kill -TERM "$WPID"; wait "$WPID"

# DIR moved away and replaced by another directory: the watcher says so and stops (exit 1)
# instead of following a directory that is no longer at the path.
start_watch
mv "$T/src" "$T/src.moved"
mkdir "$T/src"
# The path is checked once a second: on a loaded machine (CI on 2 cores) that can take seconds.
for i in $(seq 1 150); do kill -0 "$WPID" 2>/dev/null || break; sleep 0.1; done
kill -0 "$WPID" 2>/dev/null && { kill -TERM "$WPID"; echo "watcher still running"; }
wait "$WPID"; rc=$?
check "DIR replaced: exit 1" 1 "$rc"
check "DIR replaced: said" 1 "$(grep -c 'was moved or renamed: stopping' "$T/err")"
rmdir "$T/src"; mv "$T/src.moved" "$T/src"

finish
