#!/usr/bin/env bash
# Hostile input: huge and odd files, duplicate ids, symlink loops, unreadable files. What can be
# indexed is indexed, every failure is named, the exit status says so, the index stays whole.
. "$(dirname "$0")/lib.sh"
IDX="$T/idx"
mkdir -p "$T/src"
# A 50 MB single article (one real paragraph repeated), and a 10,000-syllable line without spaces.
para=$(sed -n 2p "$SRC/corpus/001_0ddd52ec78440146.txt")
{ echo "Bài rất dài"; for i in $(seq 1 200); do printf '%s\n' "$para"; done; } > "$T/para.txt"
for i in $(seq 1 $(( 50 * 1024 * 1024 / $(stat -c %s "$T/para.txt") + 1 ))); do cat "$T/para.txt"; done > "$T/src/huge.txt"
{ echo "Dòng liền"; for i in $(seq 1 10000); do printf 'tiếng'; done; printf ' cuối bài\n'; } > "$T/src/nospace.txt"
# Decomposed (NFD) text, and a token of 300 bytes.
printf 'Tin NFD\nchuye\xcc\x82\xcc\x89n \xc4\x91o\xcc\x82\xcc\x89i so\xcc\x82\xcc\x81 o\xcc\x89 \xc4\x90ie\xcc\x82\xcc\xa3n Bie\xcc\x82n\n' > "$T/src/nfd.txt"
{ echo "Từ dài"; head -c 300 /dev/zero | tr '\0' 'x'; echo " hết"; } > "$T/src/longword.txt"
# Duplicate ids in JSONL: the last one wins, and an identical repeat is unchanged.
cat > "$T/src/dups.jsonl" <<'JSONL'
{"id":"dup","title":"Lần một","body":"phiên bản đầu tiên"}
{"id":"dup","title":"Lần hai","body":"phiên bản thứ hai"}
{"id":"dup","title":"Lần hai","body":"phiên bản thứ hai"}
{"id":"wrong-types","title":7,"body":"x"}
{"id":["x"],"body":"x"}
{"id":"nul","body":"có ký tự \u0000 rỗng"}
[1,2,3]
JSONL
printf '{"id":"trunc","body":"no end' >> "$T/src/dups.jsonl"
# A symlink loop and a dangling symlink.
ln -s loop2.txt "$T/src/loop1.txt"; ln -s loop1.txt "$T/src/loop2.txt"
ln -s nowhere.txt "$T/src/dangling.txt"

out=$("$VNINDEX" -d "$IDX" --json "$T/src" 2>"$T/err"); rc=$?
check "exit status says something failed" 1 "$rc"
check "indexable documents indexed" 6 "$(field "$out" documents)"
check "huge article found" "huge.txt" "$(ids '"ho tien thieu"')"
check "no-space line indexed" "nospace.txt" "$(ids cuoi bai)"
check "NFD found folded" "nfd.txt" "$(ids '"chuyen doi so o dien bien"')"
check "NFD found accented" "nfd.txt" "$(ids '"chuyển đổi số ở Điện Biên"')"
check "long word indexed" "longword.txt" "$(ids tu dai het)"
check "duplicate id: last version" "Lần hai" "$("$VNSEARCH" -d "$IDX" --json phien ban | jq -r '.results[0].title')"
check "NUL in JSON text indexed" "nul" "$(ids ky tu rong)"
check "wrong title type named" 1 "$(grep -c 'dups.jsonl:4: "title" is not a string' "$T/err")"
check "wrong id type named" 1 "$(grep -c 'dups.jsonl:5: missing or invalid "id"' "$T/err")"
check "non-object named" 1 "$(grep -c 'dups.jsonl:7: not a JSON object' "$T/err")"
check "truncated line named" 1 "$(grep -c 'dups.jsonl:8: invalid JSON' "$T/err")"
check "symlink loop named" 2 "$(grep -c 'loop[12].txt: broken or looping symlink' "$T/err")"
check "dangling symlink named" 1 "$(grep -c 'dangling.txt: broken or looping symlink' "$T/err")"
check "failures counted" 7 "$(field "$out" failed)"
xapian-check "$IDX" >/dev/null 2>&1; check "index consistent" 0 "$?"

# An unreadable file, as a user who cannot read it (root reads everything).
if command -v setpriv >/dev/null && [ "$(id -u)" = 0 ]; then
    mkdir -p "$T/u"; chmod 777 "$T" "$T/u"
    printf 'Bí mật\nNội dung.\n' > "$T/u/secret.txt"; chmod 000 "$T/u/secret.txt"
    printf 'Công khai\nNội dung mở.\n' > "$T/u/open.txt"; chmod 644 "$T/u/open.txt"
    out=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$VNINDEX" -d "$T/u/idx" --json "$T/u" 2>"$T/err"); rc=$?
    check "unreadable: exit 1" 1 "$rc"
    check "unreadable: named" 1 "$(grep -c 'secret.txt: cannot open: Permission denied' "$T/err")"
    check "unreadable: the rest indexed" 1 "$(field "$out" documents)"
else
    echo "note: the unreadable-file check needs root and setpriv (to act as another user): not run"
fi

# A file name that is not UTF-8 (Latin-1 "café.txt") cannot be a document id: it is named as a
# failure with its path, the other files are indexed, and nothing is pruned wrongly.
latin1=$(printf 'caf\xe9.txt')
mkdir -p "$T/latin"
cp "$SRC/corpus/000_582f45e862c6e7f9.txt" "$T/latin/"
printf 'Tiêu đề\n\nNội dung về bánh mì.\n' > "$T/latin/$latin1"
printf 'Bánh mì\n\nBánh mì Hội An, nội dung khác.\n' > "$T/latin/banh.txt"
out=$("$VNINDEX" -d "$T/lidx" --json "$T/latin" 2>"$T/err"); rc=$?
check "Latin-1 name: exit 1" 1 "$rc"
# The name's stray byte is shown as \xe9, as vnsearch shows one (cli_put_visible).
check "Latin-1 name: named with its path" 1 "$(LC_ALL=C grep -c 'latin/caf\\xe9.txt: .*not valid UTF-8' "$T/err")"
check "Latin-1 name: counted as failed" 1 "$(field "$out" failed)"
check "Latin-1 name: the other files indexed" 2 "$(field "$out" documents)"
out=$("$VNINDEX" -d "$T/lidx" --json "$T/latin" 2>"$T/err"); rc=$?
check "Latin-1 name, again: exit 1" 1 "$rc"
check "Latin-1 name, again: nothing pruned" "0 2" "$(field "$out" deleted) $(field "$out" unchanged)"
r=$("$VNSEARCH" -d "$T/lidx" --json noi dung)
check "vnsearch --json: as many results as total" "$(jq .total <<<"$r")" "$(jq '.results | length' <<<"$r")"
# Ids and file names in vnindex's messages are shown, not obeyed: an id with an escape sequence
# (retitling the window, clearing the screen) and a bad date, a file name with a control
# character, a JSONL line that does not parse with one in its id.
mkdir -p "$T/ctl"
printf '%s\n' '{"id":"x\u001b]0;PWNED\u0007\u001b[2J","body":"b","date":"bad"}' > "$T/ctl/a.jsonl"
printf '{"id":"y\033[2J","body": }\n' >> "$T/ctl/a.jsonl"
printf 'Tin\nBài.\n' > "$T/ctl/$(printf 'c\033[2Jd.txt')"
printf '\xff\xfe' | gzip > "$T/ctl/$(printf 'e\033]0;T\007.txt.gz')"
"$VNINDEX" -d "$T/cidx" "$T/ctl" > /dev/null 2> "$T/err"
check "control characters: none reaches stderr raw" 0 "$(tr -d '\n' < "$T/err" | LC_ALL=C grep -c $'[\x01-\x1f\x7f]')"
check "control characters: the id shown escaped" 1 "$(grep -c 'document x\\x1b\]0;PWNED\\x07\\x1b\[2J indexed without' "$T/err")"
# A result that JSON cannot carry (an id that is not UTF-8, as an index written before ids were
# checked could hold) is an error, never silently dropped: a preloaded stand-in gives such an id.
cat > "$T/latin1id.c" <<'EOF'
#include "vnsearch.h"
const char *vns_results_id(const vns_results *r) {
    (void)r;
    return "caf\xe9.txt";
}
EOF
preload_lib latin1id
r=$(with_preload "$T/latin1id.so" "$VNSEARCH" -d "$T/lidx" --json noi dung 2>"$T/err"); rc=$?
check "vnsearch --json, id not UTF-8: exit 1" 1 "$rc"
check "vnsearch --json, id not UTF-8: said" 1 "$(grep -c 'cannot encode result 1 as JSON' "$T/err")"
check "vnsearch --json, id not UTF-8: no partial output" "" "$r"
finish
