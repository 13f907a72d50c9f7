#!/usr/bin/env bash
# vnsearch-server from outside: the same JSON as vnsearch --json, /health, the page, errors as JSON
# with the right status, hostile requests (long, not UTF-8, NUL, bad numbers, odd paths and
# methods, slow clients), a full queue answered 503, and new commits seen without a restart.
. "$(dirname "$0")/lib.sh"
SERVER="$BUILD/vnsearch-server"
IDX="$T/idx"
mkdir -p "$T/src"
cp "$SRC"/corpus/*.txt "$T/src/"
"$VNINDEX" -d "$IDX" "$T/src" > /dev/null
PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; done
    rm -rf "$T"
}
trap cleanup EXIT

# serve ARGS...: starts the server on a free port of 127.0.0.1 (or where a --listen in ARGS says);
# sets PORT and URL (through 127.0.0.1). Waits up to 30 s (a sanitizer build on a busy machine);
# a server that does not say where it listens by then is shown, and the checks after it fail.
serve() {
    "$SERVER" --listen 127.0.0.1:0 "$@" 2> "$T/server.log" &
    PIDS+=($!)
    PORT=
    for i in $(seq 1 600); do
        PORT=$(grep -o 'listening on http://[0-9.]*:[0-9]*' "$T/server.log" | head -1 | cut -d: -f3)
        [ -n "$PORT" ] && break
        sleep 0.05
    done
    [ -n "$PORT" ] || { echo "the server did not start:"; cat "$T/server.log"; }
    URL="http://127.0.0.1:$PORT"
}
# fetch PATH: BODY gets the body and STATUS the HTTP status (in this shell).
fetch() {
    STATUS=$(curl -s --path-as-is -o "$T/body" -w '%{http_code}' "$URL$1")
    BODY=$(cat "$T/body")
}
# get PATH: the body alone (in a subshell: no STATUS).
get() { curl -s "$URL$1"; }
serve -d "$IDX"
check "starts and says where" 1 "$(grep -c "listening on $URL/" "$T/server.log")"

# The same object as vnsearch --json (took_ms aside), for several queries and options.
while IFS='|' read -r path args; do
    want=$("$VNSEARCH" -d "$IDX" --json $args | jq -c 'del(.took_ms)')
    fetch "$path"
    got=$(printf '%s' "$BODY" | jq -c 'del(.took_ms)')
    check "server = vnsearch --json for $path" "$want" "$got"
    check "status 200 for $path" 200 "$STATUS"
done <<'TABLE'
/search?q=chuy%E1%BB%83n%20%C4%91%E1%BB%95i%20s%E1%BB%91|-- chuyển đổi số
/search?q=chuyen+doi+so&n=3&offset=2|-n 3 --offset 2 -- chuyen doi so
/search?q=%22thu+tuong%22&exact=1|--exact -- "thu tuong"
/search?q=lang+son+chuyen&match=any&html=1|--match any --html -- lang son chuyen
/search?q=vieejt+nam|-- vieejt nam
/search?q=vieejt+nam&as_typed=1|--as-typed -- vieejt nam
/search?q=a+(b&literal=1|--literal -- a (b
/search?q=so&sort=newest&facets=source,year&count=1|--sort newest --facets source,year --count -- so
/search?q=so&count&exact=no|--count -- so
/search?q=so&n=2&n=5&q=chinh+phu|-n 2 -- so
TABLE

check "health" "{\"status\":\"ok\",\"documents\":$(ls "$T/src" | wc -l)}" "$(get /health)"
fetch /
printf '%s' "$BODY" > "$T/page.html"
check "page: 200" 200 "$STATUS"
check "page: the search box" 1 "$(grep -c 'id="q"' "$T/page.html")"
check "page: nothing from outside" 0 "$(grep -c -E 'src="http|href="http|@import|url\(http' "$T/page.html")"
check "page: a strict content policy" 1 "$(curl -s -D - -o /dev/null "$URL/" | grep -c "Content-Security-Policy: default-src 'none'")"

# Errors: JSON {"error": ...} with a status; never a crash.
while IFS='|' read -r path status says; do
    fetch "$path"
    check "status $status for $path" "$status" "$STATUS"
    check "error for $path" 1 "$(printf '%s' "$BODY" | jq -r .error | grep -c -- "$says")"
done <<'TABLE'
/search?q=%22unclosed|400|position 1: '"' is never closed
/search?q=date:2024-13|400|month is not 01 to 12
/search|400|q is missing
/search?q=|400|q is missing
/search?q=a&n=0|400|n must be 1 to 1000
/search?q=a&n=99999999999999999999|400|n must be 1 to 1000
/search?q=a&offset=-1|400|offset must be
/search?q=a&exact=maybe|400|take 1 or 0
/search?q=a&match=some|400|match takes all, any or auto
/search?q=a&sort=up|400|sort takes relevance
/search?q=a&facets=x|400|facets takes source
/search?q=%FF%FE|400|byte 0xFF is not UTF-8
/search?q=a%00b|400|NUL byte
/nope|404|no such path
/../../etc/passwd|404|no such path
/search/../health|404|no such path
/index.html|404|no such path
TABLE
check "POST: 405" 405 "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$URL/search?q=a")"
check "HEAD: 200" 200 "$(curl -s -o /dev/null -w '%{http_code}' -I "$URL/health")"
long=$(python3 - "$PORT" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"GET /search?q=" + b"a" * 300000 + b" HTTP/1.1\r\nHost: localhost\r\n\r\n")
print(s.recv(100).split(b" ")[1].decode())
PY
)
check "a 300 KB query string: 414" 414 "$long"
fetch "/search?q=$(printf 'xy+%.0s' $(seq 1 20000))"
check "a 60 KB query of 20,000 words: 400 (the word limit)" 400 "$STATUS"

# A slow client (connects, sends half a request, then nothing) does not hold up others, and is
# dropped after the connection timeout.
python3 - "$PORT" > "$T/slow" <<'PY' &
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"GET /search?q=a HTTP/1.1\r\n")
t = time.time()
try:
    data = s.recv(100)
except Exception:
    data = b""
print("closed after %d s" % round(time.time() - t))
PY
SLOW=$!
sleep 0.5
fetch /health
check "others are served beside a slow client" 200 "$STATUS"
wait $SLOW
check "a slow client is dropped" 1 "$(grep -c -E 'closed after (9|10|11|12) s' "$T/slow")"

# New commits are seen without a restart, within a second.
printf '{"id":"new1","title":"Bài mới zqfresh","body":"Nội dung zqfresh."}\n' | "$VNINDEX" -d "$IDX" - > /dev/null
sleep 1
check "a new commit is seen" 1 "$(get '/search?q=zqfresh' | jq .total)"

# Still alive after all of it.
check "alive" ok "$(get /health | jq -r .status)"
kill -TERM "${PIDS[0]}"
wait "${PIDS[0]}"
check "SIGTERM: exit 0" 0 $?

# A full queue: one thread, a queue of one, many slow queries at once: some are answered 503
# with a message, none is dropped or crashes the server.
python3 - "$T/many.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    for i in range(20000):
        f.write(json.dumps({"id": "m%d" % i, "body": "zqmany %s tin số %d" % (" ".join("t%d" % (i % 97 + k) for k in range(30)), i)}) + "\n")
PY
"$VNINDEX" -d "$T/many" "$T/many.jsonl" > /dev/null
serve -d "$T/many" --threads 1 --queue 1
CURLS=()
for i in $(seq 1 12); do
    curl -s -o /dev/null -w '%{http_code}\n' "$URL/search?q=t*+zqmany&count=1&facets=source" >> "$T/codes" &
    CURLS+=($!)
done
wait "${CURLS[@]}"
check "queue full: some 503" yes "$([ "$(grep -c '^503$' "$T/codes")" -ge 1 ] && echo yes)"
check "queue full: the rest 200" 12 "$(grep -c -E '^(200|503)$' "$T/codes")"
CURLS=()
for i in $(seq 1 8); do
    curl -s "$URL/search?q=t*+zqmany&count=1" > "$T/rush.$i" &
    CURLS+=($!)
done
wait "${CURLS[@]}"
check "queue full: the 503 says why" yes "$(cat "$T"/rush.* | grep -q 'too many requests waiting' && echo yes)"
check "alive after the rush" ok "$(get /health | jq -r .status)"

# A stop answers every request already taken: one thread busy with slow queries (127 words, any
# of them, counted), light ones waiting, the index removed under them (they fail at once), then
# SIGTERM. The stop used to close
# the connections of the last answers before sending them (the client got no reply at all); three
# rounds, since it is a race.
: > "$T/stop_codes"
# accepted N: waits (5 s at most) until the server holds N connections on $PORT and none waits
# in its listen queue (/proc/net/tcp: established ones, and the listener's rx_queue), so that
# the requests sent are all taken before the stop, even on a loaded machine.
accepted() {
    local hex
    hex=$(printf '%04X' "$PORT")
    for _ in $(seq 1 100); do
        awk -v p=":$hex" -v n="$1" '$2 ~ p"$" && $4 == "01" { est++ }
            $2 ~ p"$" && $4 == "0A" { split($5, q, ":"); if (q[2] != "00000000") wait = 1 }
            END { exit !(est >= n && !wait) }' /proc/net/tcp && return 0
        sleep 0.05
    done
}
HEAVY=$(python3 -c 'print("+".join("t%d" % k for k in range(127)))')
for round in 1 2 3; do
    rm -rf "$T/gone"
    cp -a "$T/many" "$T/gone"
    serve -d "$T/gone" --threads 1 --queue 64
    STOPPING=${PIDS[-1]}
    CURLS=()
    for i in 1 2; do
        curl -s -m 60 -o /dev/null -w '%{http_code}\n' "$URL/search?q=$HEAVY&match=any&count=1&n=1000" >> "$T/stop_codes" &
        CURLS+=($!)
    done
    accepted 2
    rm -rf "$T/gone"
    for i in 1 2 3 4 5; do
        curl -s -m 60 -o /dev/null -w '%{http_code}\n' "$URL/search?q=zqmany" >> "$T/stop_codes" &
        CURLS+=($!)
    done
    accepted 7
    sleep 0.1 # Their requests read.
    kill -TERM "$STOPPING"
    wait "$STOPPING"
    wait "${CURLS[@]}"
done
check "a stop answers the requests taken" 21 "$(grep -c -E '^(200|503)$' "$T/stop_codes")"

# Keep-alive: requests on one connection, one after another and pipelined, are each answered.
serve -d "$IDX"
check "keep-alive: the second request reuses the connection" "1 0" \
    "$(curl -s -o /dev/null -o /dev/null -w '%{num_connects} ' "$URL/health" "$URL/search?q=a" | sed 's/ $//')"
exec 3<> "/dev/tcp/127.0.0.1/$PORT"
printf 'GET /health HTTP/1.1\r\nHost: localhost\r\n\r\nGET /search?q=a HTTP/1.1\r\nHost: localhost\r\n\r\nGET /nope HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' >&3
check "pipelined: three requests, three answers" "200 200 404" \
    "$(timeout 10 cat <&3 | grep -ao 'HTTP/1.1 [0-9]*' | cut -d' ' -f2 | tr '\n' ' ' | sed 's/ $//')"
exec 3<&-
check "405 says what is allowed" 1 \
    "$(curl -s -D - -o /dev/null -X POST "$URL/search?q=a" | grep -c -i '^Allow: GET, HEAD')"

# Only requests naming an IP address, localhost or a name of --allow-host are answered: a page of
# another site, its name pointed at this machine, is refused (DNS rebinding), on any address.
serve -d "$IDX" --allow-host search.example
while read -r host want; do
    check "Host $host: $want" "$want" \
        "$(curl -s -o /dev/null -w '%{http_code}' -H "Host: $host" "$URL/health")"
done <<HOSTS
evil.example 403
evil.example:$PORT 403
127.0.0.1.evil.example 403
localhost.evil 403
[::1].evil 403
[::1]x:80 403
localhost:$PORT 200
LOCALHOST 200
localhost. 200
localhost: 200
127.0.0.1:$PORT 200
127.1.2.3 200
192.168.1.5:8080 200
[::1]:$PORT 200
[::ffff:127.0.0.1] 200
search.example 200
Search.Example:8080 200
HOSTS
check "another host's name: the error says what to do" 1 \
    "$(curl -s -H 'Host: evil.example' "$URL/search?q=a" | jq -r .error | grep -c -- '--allow-host')"
"$SERVER" --allow-host a.example:80 -d "$IDX" 2> /dev/null
check "--allow-host with a port: exit 2" 2 $?
serve -d "$IDX" --listen 0.0.0.0:0
check "on 0.0.0.0 too: another site's name refused" 403 \
    "$(curl -s -o /dev/null -w '%{http_code}' -H 'Host: evil.example' "$URL/health")"
check "on 0.0.0.0: an address answered" 200 "$(curl -s -o /dev/null -w '%{http_code}' "$URL/health")"

# Many threads: every file the workers open counts, not only sockets (libmicrohttpd's select()
# loop refused to start past 1,024 descriptors: 256 threads hold more than that).
serve -d "$IDX" --threads 256
check "256 threads: serving" ok "$(get /health | jq -r .status)"
check "256 threads: over 1,024 descriptors" yes "$([ "$(ls /proc/"${PIDS[-1]}"/fd | wc -l)" -gt 1024 ] && echo yes)"
kill -TERM "${PIDS[-1]}"
wait "${PIDS[-1]}"
check "256 threads: SIGTERM, exit 0" 0 $?

# Bad command lines and an index that is not there.
"$SERVER" -d "$T/none" --listen 127.0.0.1:0 2> "$T/err"
check "missing index: exit 1" 1 $?
check "missing index: named" 1 "$(grep -c "$T/none" "$T/err")"
"$SERVER" --listen nowhere 2> /dev/null
check "bad --listen: exit 2" 2 $?
"$SERVER" --threads 0 2> /dev/null
check "bad --threads: exit 2" 2 $?

finish
