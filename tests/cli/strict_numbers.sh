#!/usr/bin/env bash
# Numbers on the command line are parsed strictly by both programs: digits only (no sign, no
# space, no hex, no exponent), no overflow, at most a sane maximum; anything else is exit 2 and
# changes nothing.
. "$(dirname "$0")/lib.sh"
mkdir -p "$T/src"
cp "$SRC"/corpus/*.txt "$T/src/"
IX="$T/ix"
"$VNINDEX" -d "$IX" "$T/src" > /dev/null
before=$(ls -l --time-style=full-iso "$IX")

# vnindex OPTION VALUE: each is refused with exit 2, and the index is untouched.
while read -r opt val; do
    [ -z "$opt" ] && continue
    val=${val//_/ } # _ stands for a space
    "$VNINDEX" -d "$IX" "$opt" "$val" "$T/src" > /dev/null 2>&1
    check "vnindex $opt '$val': exit 2" 2 "$?"
done <<'TABLE'
--shard 1/-2
--shard 1/4294967297
--shard 4294967297/4294967298
--shard 1/18446744073709551617
--shard +1/2
--shard 1/+2
--shard _1/2
--shard 1/_2
--shard 1/2_
--shard 1//2
--shard 0x1/2
--shard 1/100000
--shard 1/
--shard /2
--jobs +2
--jobs _2
--jobs 2_
--jobs -2
--jobs 65
--jobs 18446744073709551618
--jobs 0x2
--jobs 2e0
TABLE
check "refused runs left the index untouched" "$before" "$(ls -l --time-style=full-iso "$IX")"
check "refused --shard 1/-2 pruned nothing" 5 \
    "$("$VNSEARCH" -d "$IX" --json -n 100 -- "a OR la OR cua OR va OR cac" | jq .total)"

# vnsearch OPTION VALUE: each is refused with exit 2.
while read -r opt val; do
    [ -z "$opt" ] && continue
    val=${val//_/ }
    "$VNSEARCH" -d "$IX" "$opt" "$val" chuyen > /dev/null 2>&1
    check "vnsearch $opt '$val': exit 2" 2 "$?"
done <<'TABLE'
-n -1
-n +5
-n _5
-n 5_
-n 0
-n 0x10
-n 1e3
-n 18446744073709551616
-n 4294967296
--offset -1
--offset +1
--offset _1
--offset 18446744073709551617
--offset 4294967296
--snippet-words +5
--snippet-words _5
--snippet-words -5
--snippet-words 10001
--snippet-words 4294967301
TABLE

# The good values still work, the maxima included.
"$VNINDEX" -d "$T/s" --shard 2/2 "$T/src" > /dev/null 2>&1; check "vnindex --shard 2/2" 0 "$?"
"$VNINDEX" -d "$T/s4096" --shard 1/4096 "$T/src" > /dev/null 2>&1; check "vnindex --shard 1/4096" 0 "$?"
"$VNINDEX" -d "$T/j" --jobs 064 "$T/src" > /dev/null 2>&1; check "vnindex --jobs 064" 0 "$?"
while read -r args; do
    "$VNSEARCH" -d "$IX" $args chuyen > /dev/null 2>&1
    check "vnsearch $args" 0 "$?"
done <<'TABLE'
-n 5
-n 4294967295
--offset 0
--offset 4294967295
--snippet-words 1
--snippet-words 10000
TABLE
finish
