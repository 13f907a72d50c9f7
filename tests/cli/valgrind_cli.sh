#!/usr/bin/env bash
# vnindex and vnsearch under valgrind: no memory errors and no definite leaks on the CLI paths.
# (Only definite leaks are shown: the --jobs children end with _exit while the parent's open
# index, which holds the lock, is in their memory too; its ICU blocks read as "possibly lost".)
. "$(dirname "$0")/lib.sh"
VG=(valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite)
mkdir -p "$T/src"
cp "$SRC"/corpus/*.txt "$T/src/"
printf '{"id":"j1","title":"Tiêu đề","body":"Nội dung"}\nnot json\n' > "$T/src/x.jsonl"
"${VG[@]}" "$VNINDEX" -d "$T/idx" --json "$T/src" >/dev/null 2>"$T/err"
check "vnindex under valgrind (exit 1: one bad line)" 1 "$?"
check "vnindex valgrind report empty" "" "$(grep '^==' "$T/err")"
"${VG[@]}" "$VNINDEX" -d "$T/par" --jobs 2 --json "$T/src" >/dev/null 2>"$T/err"
check "vnindex --jobs under valgrind" 1 "$?"
check "vnindex --jobs valgrind report empty" "" "$(grep '^==' "$T/err")"
for q in 'chuyen doi so' '"dien bien" -vneid' 'vneid OR 5g' 'title:chuyen*' 'bậc' '"unclosed' ''; do
    for mode in --json --count; do
        "${VG[@]}" "$VNSEARCH" -d "$T/idx" $mode -- "$q" >/dev/null 2>"$T/err"; rc=$?
        check "vnsearch [$q] $mode: no valgrind error" yes "$([ "$rc" -ne 99 ] && echo yes)"
        check "vnsearch [$q] $mode: report empty" "" "$(grep '^==' "$T/err")"
    done
done
"${VG[@]}" "$VNSEARCH" -d "$T/missing" x >/dev/null 2>"$T/err"
check "missing index under valgrind" 1 "$?"
finish
