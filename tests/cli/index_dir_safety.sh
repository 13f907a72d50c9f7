#!/usr/bin/env bash
# -d never costs the user's files: a non-empty directory that is not an index is refused (exit 2)
# by vnindex and vnsearch, `-d .` and `-d ix/` are safe, and --jobs replaces only an index's own
# files, keeping the old index when the final rename fails.
. "$(dirname "$0")/lib.sh"
mkdir -p "$T/src" "$T/nothing"
cp "$SRC"/corpus/*.txt "$T/src/"
N=$(ls "$T/src" | wc -l)
# user_files DIR: the files a user keeps in DIR.
user_files() { mkdir -p "$1/notes"; echo precious > "$1/thesis.tex"; echo x > "$1/notes/n1.txt"; }
# intact DIR: "yes" when the user's files in DIR are all there.
intact() { [ "$(cat "$1/thesis.tex" 2>/dev/null)" = precious ] && [ -f "$1/notes/n1.txt" ] && echo yes || echo no; }

# A directory of the user's own, not an index: refused by both programs, nothing written.
user_files "$T/work"
"$VNINDEX" -d "$T/work" "$T/srcc" > /dev/null 2> "$T/err"
check "vnindex: a directory that is not an index: exit 2" 2 "$?"
check "vnindex: says why" 1 "$(grep -c 'not an index' "$T/err")"
check "vnindex: no index made inside it" no "$([ -e "$T/work/iamglass" ] && echo yes || echo no)"
"$VNINDEX" -d "$T/work" --jobs 2 "$T/src" > /dev/null 2>&1
check "vnindex --jobs: a directory that is not an index: exit 2" 2 "$?"
check "vnindex: the user's files intact" yes "$(intact "$T/work")"
"$VNSEARCH" -d "$T/work" chuyen > /dev/null 2> "$T/err"
check "vnsearch: a directory that is not an index: exit 2" 2 "$?"
check "vnsearch: says why" 1 "$(grep -c 'not an index' "$T/err")"
check "vnsearch: suggests no vnindex run there" 0 "$(grep -c 'vnindex -d' "$T/err")"
"$VNSEARCH" -d /etc chuyen > /dev/null 2>&1
check "vnsearch -d /etc: exit 2" 2 "$?"

# -d . in the user's directory: refused, nothing removed.
user_files "$T/cwd"
(cd "$T/cwd" && "$VNINDEX" -d . --jobs 2 "$T/src" > /dev/null 2>&1)
check "-d . in a user's directory: exit 2" 2 "$?"
check "-d .: the user's files intact" yes "$(intact "$T/cwd")"
# -d . in a directory that holds an empty index: built there, nothing else removed.
mkdir -p "$T/here"
"$VNINDEX" -d "$T/here" "$T/nothing" > /dev/null 2>&1
out=$(cd "$T/here" && "$VNINDEX" -d . --jobs 2 --json "$T/src")
check "-d . on an empty index: exit 0" 0 "$?"
check "-d . on an empty index: all indexed" "$N" "$(field "$out" documents)"
check "-d . on an empty index: still a directory with the index" "$N" \
    "$("$VNSEARCH" -d "$T/here" --json -n 100 -- "a OR la OR cua OR va" | jq .total)"

# An index made inside a user's directory by an older version: --jobs keeps the user's files.
mkdir -p "$T/old"
"$VNINDEX" -d "$T/old" "$T/nothing" > /dev/null 2>&1
user_files "$T/old"
out=$("$VNINDEX" -d "$T/old" --jobs 2 --json "$T/src")
check "--jobs on an index beside other files: exit 0" 0 "$?"
check "--jobs on an index beside other files: all indexed" "$N" "$(field "$out" documents)"
check "--jobs on an index beside other files: they are intact" yes "$(intact "$T/old")"

# Trailing slashes: an existing empty index and a new one.
"$VNINDEX" -d "$T/ix" "$T/nothing" > /dev/null 2>&1
out=$("$VNINDEX" -d "$T/ix/" --jobs 2 --json "$T/src")
check "-d ix/ --jobs on an empty index: exit 0" 0 "$?"
check "-d ix/ --jobs: all indexed" "$N" "$(field "$out" documents)"
check "-d ix/ --jobs: the index is whole" 0 "$(xapian-check "$T/ix" > /dev/null 2>&1; echo $?)"
check "-d ix/ --jobs: no scratch inside or beside" "" "$(ls -d "$T"/ix/.* "$T"/ix.* 2>/dev/null | grep -v '/\.\.\?$')"
out=$("$VNINDEX" -d "$T/newix//" --jobs 2 --json "$T/src")
check "-d newix// --jobs on a new index: exit 0" 0 "$?"
check "-d newix// --jobs: all indexed" "$N" "$(field "$out" documents)"

# The final rename fails: the old (empty) index is still there, exit 4, no scratch left.
cat > "$T/norename.c" <<'EOF2'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
/* A rename or exchange of a path ending in ".merging" fails; every other one is done. */
static int merging(const char *p) {
    size_t n = strlen(p);
    return n >= 8 && strcmp(p + n - 8, ".merging") == 0;
}
int rename(const char *a, const char *b) {
    int (*real)(const char *, const char *) = (int (*)(const char *, const char *))dlsym(RTLD_NEXT, "rename");
    if (merging(a) || merging(b)) { errno = EXDEV; return -1; }
    return real(a, b);
}
int renameat2(int da, const char *a, int db, const char *b, unsigned flags) {
    int (*real)(int, const char *, int, const char *, unsigned) =
        (int (*)(int, const char *, int, const char *, unsigned))dlsym(RTLD_NEXT, "renameat2");
    if (merging(a) || merging(b)) { errno = EXDEV; return -1; }
    return real(da, a, db, b, flags);
}
EOF2
preload_lib norename
"$VNINDEX" -d "$T/keep2" "$T/nothing" > /dev/null 2>&1
with_preload "$T/norename.so" "$VNINDEX" -d "$T/keep2" --jobs 2 "$T/src" > /dev/null 2> "$T/err"
check "final rename fails: exit 4" 4 "$?"
check "final rename fails: said" 1 "$(grep -c 'cannot move' "$T/err")"
check "final rename fails: the old index is still there" 0 \
    "$("$VNSEARCH" -d "$T/keep2" --json chuyen | jq .total)"
check "final rename fails: no scratch left" "" "$(ls -d "$T"/keep2.* 2>/dev/null)"

# A file system without RENAME_EXCHANGE: two renames instead, the same result, nothing left.
cat > "$T/noexchange.c" <<'EOF2'
#define _GNU_SOURCE
#include <errno.h>
/* No file system here can exchange two names. */
int renameat2(int da, const char *a, int db, const char *b, unsigned flags) {
    (void)da; (void)a; (void)db; (void)b; (void)flags;
    errno = EINVAL;
    return -1;
}
EOF2
preload_lib noexchange
"$VNINDEX" -d "$T/nx" "$T/nothing" > /dev/null 2>&1
out=$(with_preload "$T/noexchange.so" "$VNINDEX" -d "$T/nx" --jobs 2 --json "$T/src")
check "no exchange: exit 0" 0 "$?"
check "no exchange: all indexed" "$N" "$(field "$out" documents)"
check "no exchange: the index is whole" 0 "$(xapian-check "$T/nx" > /dev/null 2>&1; echo $?)"
check "no exchange: no scratch left" "" "$(ls -d "$T"/nx.* 2>/dev/null)"
finish
