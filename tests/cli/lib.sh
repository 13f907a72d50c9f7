# lib.sh: helpers for the CLI tests. Source it with BUILD and SRC set; it makes $T, a scratch dir.
set -u
BUILD=$(cd "$1" && pwd)
SRC=$(cd "$2" && pwd)
VNINDEX="$BUILD/vnindex"
VNSEARCH="$BUILD/vnsearch"
T=$(mktemp -d "${TMPDIR:-/tmp}/vns-cli.XXXXXX")
trap 'rm -rf "$T"' EXIT
FAILS=0
PASSES=0
# VNS_VALGRIND=1: every vnindex and vnsearch run goes through valgrind; finish() fails the test
# when any run reported a memory error or a definite leak.
if [ -n "${VNS_VALGRIND:-}" ]; then
    mkdir -p "$T/vg" "$T/bin"
    chmod 777 "$T/vg" # Some tests run the programs as another user.
    for prog in vnindex vnsearch; do
        printf '#!/bin/sh\nexec valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite --log-file=%s/vg/%s.%%p "%s" "$@"\n' \
            "$T" "$prog" "$BUILD/$prog" > "$T/bin/$prog"
        chmod +x "$T/bin/$prog"
    done
    VNINDEX="$T/bin/vnindex"
    VNSEARCH="$T/bin/vnsearch"
fi

# check NAME WANT GOT: compares two strings.
check() {
    if [ "$2" == "$3" ]; then
        PASSES=$((PASSES + 1))
    else
        FAILS=$((FAILS + 1))
        printf 'FAIL %s\n  want: %s\n  got:  %s\n' "$1" "$2" "$3"
    fi
}

# ids QUERY... : the ids of the documents holding every word of a query on $IDX (--match all),
# sorted, space-separated.
ids() {
    "$VNSEARCH" -d "$IDX" -n 1000 --json --match all -- "$*" | jq -r '.results[].id' | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//'
}

# field JSON NAME: one field of vnindex --json output.
field() { printf '%s' "$1" | jq -r ".$2"; }

# wait_locked DIR: waits (10 s at most) until a process holds the write lock of the index at DIR
# (a lock on DIR/flintlock in /proc/locks), where a fixed sleep can be too short on a loaded
# machine. Returns 1 when none did.
wait_locked() {
    local ino
    for _ in $(seq 1 200); do
        ino=$(stat -c %i "$1/flintlock" 2>/dev/null) && grep -q ":$ino " /proc/locks && return 0
        sleep 0.05
    done
    return 1
}

# preload_lib NAME: compiles $T/NAME.c (a stand-in for a libc or libvnsearch function, to make a
# failure happen on purpose) into $T/NAME.so. Returns cc's status.
preload_lib() { cc -shared -fPIC -I"$SRC/include" -o "$T/$1.so" "$T/$1.c" -ldl; }

# With a library preloaded, ASan (in a sanitized build) must be told that its runtime does not
# come first: run LD_PRELOAD=SO ASAN_OPTIONS="$PRELOAD_ASAN" CMD, or with_preload SO CMD.
PRELOAD_ASAN="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
with_preload() { LD_PRELOAD="$1" ASAN_OPTIONS="$PRELOAD_ASAN" "${@:2}"; }

finish() {
    if [ -n "${VNS_VALGRIND:-}" ]; then
        for f in "$T"/vg/*; do
            [ -s "$f" ] || continue
            FAILS=$((FAILS + 1))
            echo "FAIL valgrind: $(basename "$f")"; head -20 "$f"
        done
    fi
    echo "$PASSES passed, $FAILS failed"
    [ "$FAILS" -eq 0 ]
}
