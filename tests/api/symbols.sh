#!/usr/bin/env bash
# symbols.sh LIB LIST HEADER: the shared library exports exactly the functions in LIST (one per
# line, generated from the VNS_EXPORT lines of HEADER): no internal symbol leaks, and no declared
# function is missing; and every function HEADER declares is in LIST (none lacks VNS_EXPORT).
set -u
LIB=$1
LIST=$2
HEADER=$3
want=$(LC_ALL=C sort -u "$LIST")
# Declarations start at the beginning of a line (comments, macros and continuations do not).
declared=$(grep -E '^[A-Za-z]' "$HEADER" | grep -v '^#' | grep -oE '\bvns_[a-z0-9_]+\(' | tr -d '(' | LC_ALL=C sort -u)
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
unmarked=$(LC_ALL=C comm -13 <(printf '%s\n' "$want") <(printf '%s\n' "$declared"))
[ -z "$unmarked" ] || { echo "FAIL declared without VNS_EXPORT:"; echo "$unmarked"; fails=$((fails + 1)); }
echo "$((3 - fails)) passed, $fails failed"
[ "$fails" -eq 0 ]
