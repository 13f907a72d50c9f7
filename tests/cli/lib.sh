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

# check NAME WANT GOT: compares two strings.
check() {
    if [ "$2" == "$3" ]; then
        PASSES=$((PASSES + 1))
    else
        FAILS=$((FAILS + 1))
        printf 'FAIL %s\n  want: %s\n  got:  %s\n' "$1" "$2" "$3"
    fi
}

# ids QUERY... : the ids vnsearch returns for a query on $IDX, sorted, space-separated.
ids() {
    "$VNSEARCH" -d "$IDX" -n 1000 --json -- "$*" | jq -r '.results[].id' | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//'
}

# field JSON NAME: one field of vnindex --json output.
field() { printf '%s' "$1" | jq -r ".$2"; }

finish() {
    echo "$PASSES passed, $FAILS failed"
    [ "$FAILS" -eq 0 ]
}
