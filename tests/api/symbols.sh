#!/usr/bin/env bash
# symbols.sh LIB LIST: the shared library exports exactly the functions in LIST (one per line,
# generated from the VNS_EXPORT lines of include/vnsearch.h): no internal symbol leaks, and no
# declared function is missing.
set -u
LIB=$1
LIST=$2
want=$(LC_ALL=C sort -u "$LIST")
got=$(nm -D --defined-only "$LIB" | awk '$2 ~ /^[TtWwDdBbRrVvi]$/ {print $3}' | LC_ALL=C sort -u)
n=$(printf '%s\n' "$want" | grep -c .)
if [ "$n" -lt 20 ]; then
    echo "FAIL: only $n exported functions read from $LIST"
    echo "0 passed, 1 failed"
    exit 1
fi
extra=$(LC_ALL=C comm -13 <(printf '%s\n' "$want") <(printf '%s\n' "$got"))
missing=$(LC_ALL=C comm -23 <(printf '%s\n' "$want") <(printf '%s\n' "$got"))
fails=0
[ -z "$extra" ] || { echo "FAIL exported but not in the header:"; echo "$extra"; fails=$((fails + 1)); }
[ -z "$missing" ] || { echo "FAIL in the header but not exported:"; echo "$missing"; fails=$((fails + 1)); }
echo "$((2 - fails)) passed, $fails failed"
[ "$fails" -eq 0 ]
