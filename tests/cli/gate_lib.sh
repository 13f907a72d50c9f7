# gate_lib.sh: for the CLI tests that hold vnindex at a chosen step (tests/cli/gate.c); source it
# after lib.sh. It writes $T/src/many.jsonl (60 articles, ids j1 to j60) and compiles $T/gate.so.
mkdir -p "$T/src"
for i in $(seq 1 60); do
    printf '{"id":"j%d","title":"Tin %d","body":"Nội dung chuyển đổi số thứ %d."}\n' "$i" "$i" "$i"
done > "$T/src/many.jsonl"
cp "$SRC/tests/cli/gate.c" "$T/gate.c"
preload_lib gate

# wait_for FILE: waits up to 20 s for FILE to exist. Returns 1 when it never does.
wait_for() { for _ in $(seq 1 200); do [ -e "$1" ] && return 0; sleep 0.1; done; return 1; }

# gated STEP DIR ARGS...: starts vnindex ARGS in the background, in a session of its own (so that
# its whole group can be killed), held at STEP (PUT: every vns_index_put; MERGE: the merge) until
# DIR/go (PUT) or DIR/go-merge (MERGE) exists; DIR is emptied first. Waits until it reached STEP
# and sets GATED_PID. Its stdout and stderr go to DIR.out and DIR.err.
gated() {
    local step=$1 dir=$2
    shift 2
    rm -rf "$dir"
    mkdir -p "$dir"
    env "VNS_GATE_$step=$dir" LD_PRELOAD="$T/gate.so" ASAN_OPTIONS="$PRELOAD_ASAN" \
        setsid "$VNINDEX" "$@" > "$dir.out" 2> "$dir.err" &
    GATED_PID=$!
    local started=put-started
    [ "$step" = MERGE ] && started=merge-started
    wait_for "$dir/$started"
}
