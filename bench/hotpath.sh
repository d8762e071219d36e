#!/usr/bin/env bash
# The hot path in one run: nginx static (the machine's ceiling), embedd direct, embed through the gateway, vectord
# search direct, matrix search direct and through the gateway at c=1 and c=10, pathwayd upserts through the gateway.
# Every figure comes from the same minute, so ratios are fair on a noisy box; the load average is printed with them.
#
#   bench/hotpath.sh [duration] [--stack NAME]     e.g. bench/hotpath.sh 10s
#
# Uses a running stack (default "lakehouse", `./lakehouse up` with demo data); starts one with `./lakehouse up`
# when none answers. Needs wrk and nginx (apt-get install wrk nginx-light). Loopback only; every wrk run is bounded
# by the duration. Prints a markdown table (req/s, p50, p99, ratio to the same call made directly).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DURATION=10s
STACK=lakehouse
while [ $# -gt 0 ]; do
  case "$1" in
    --stack) STACK="$2"; shift 2 ;;
    *) DURATION="$1"; shift ;;
  esac
done
command -v wrk >/dev/null || { echo "wrk is missing (apt-get install wrk)" >&2; exit 1; }
command -v nginx >/dev/null || { echo "nginx is missing (apt-get install nginx-light)" >&2; exit 1; }
RUN="$ROOT/.run/$STACK"
# shellcheck disable=SC1091
[ -f "$RUN/stack.env" ] && . "$RUN/stack.env"
PORT_BASE=${PORT_BASE:-5100}
port() { echo $(( PORT_BASE + $1 )); }
GW=http://127.0.0.1:$(port 0); EMBEDD=http://127.0.0.1:$(port 1); VECTORD=http://127.0.0.1:$(port 2)
MATRIXD=http://127.0.0.1:$(port 3)
if ! curl -sf -o /dev/null "$GW/health"; then
  echo "no fleet on $GW: starting stack $STACK with the demo data" >&2
  "$ROOT/lakehouse" up --stack "$STACK" >&2
  . "$RUN/stack.env"; PORT_BASE=${PORT_BASE:-5100}
  GW=http://127.0.0.1:$(port 0); EMBEDD=http://127.0.0.1:$(port 1); VECTORD=http://127.0.0.1:$(port 2)
  MATRIXD=http://127.0.0.1:$(port 3)
fi
KEY=$(cat "$RUN/api-key")
WORK=$(mktemp -d)
chmod 755 "$WORK"   # nginx workers (nobody, when started as root) read the body from here
NGINX_PID=""
cleanup() { [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

EMBED_BODY='{"texts":["Forklift operator, night shift, Columbus OH, OSHA certified"]}'
SEARCH_BODY='{"query_text":"Need 5 pickers in Detroit for Acme","corpora":["workers","job_orders"],"k":10,"use_playbook":true}'
# the body embedd answers, for nginx to serve as the static ceiling; a warm-up that also fills every cache
curl -sf -H 'Content-Type: application/json' "$EMBEDD/v1/embed" -d "$EMBED_BODY" > "$WORK/body.json"
VECTOR=$(sed -n 's/.*"vectors":\[\(\[[^]]*\]\)\].*/\1/p' "$WORK/body.json")
[ -n "$VECTOR" ] || { echo "embedd gave no vector: $(head -c 300 "$WORK/body.json")" >&2; exit 1; }
curl -sf -o /dev/null -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' "$GW/v1/matrix/search" \
  -d "$SEARCH_BODY" || { echo "matrix search through the gateway failed: is the demo data loaded?" >&2; exit 1; }

NGINX_PORT=$(( PORT_BASE + 19 ))
sed -e "s#@DIR@#$WORK#g" -e "s#@PORT@#$NGINX_PORT#g" "$ROOT/bench/embedd/nginx.conf.template" > "$WORK/nginx.conf"
mkdir -p "$WORK/tmp"
nginx -c "$WORK/nginx.conf" -p "$WORK" &
NGINX_PID=$!
for _ in $(seq 1 50); do curl -sf -o /dev/null -X POST "http://127.0.0.1:$NGINX_PORT/v1/embed" && break; sleep 0.1; done

lua() {  # name, body, [auth]
  local f="$WORK/$1.lua"
  { echo 'wrk.method = "POST"'; echo 'wrk.headers["Content-Type"] = "application/json"'
    [ -n "${3:-}" ] && echo "wrk.headers[\"Authorization\"] = \"Bearer $KEY\""
    printf "wrk.body = '%s'\n" "$2"; } > "$f"
  echo "$f"
}
cat > "$WORK/upsert.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $KEY"
local roles = {"Forklift Operator", "Picker Packer", "CNC Operator", "Welder", "CDL Driver", "Line Cook"}
local n = 0
local tid = math.random(1, 1000000000)
request = function()
  n = n + 1
  local role = roles[(n % #roles) + 1]
  local body = string.format('{"task_class":"fill","subject":"%s hotpath %d-%d","signal_class":"validated","role":"%s",' ..
    '"tags":["bench"],"content":{"steps":["search","validate","email"],"verdict":"filled %d"}}', role, tid, n, role, n)
  return wrk.format(nil, nil, nil, body)
end
LUA

ROWS=()
ms() {  # wrk latency value (e.g. 812.00us, 3.10ms, 1.20s) -> ms
  awk -v v="$1" 'BEGIN { u=v; gsub(/[0-9.]/,"",u); x=v+0; if (u=="us") x/=1000; else if (u=="s") x*=1000; printf "%.2f", x }'
}
measure() {  # label, connections, url, lua script, id (names the figure for the ratios)
  local label="$1" c="$2" url="$3" script="$4" t=2
  [ "$c" -lt 2 ] && t=1
  local out; out=$(wrk -t"$t" -c"$c" -d"$DURATION" --latency -s "$script" "$url")
  local rps p50 p99 non2xx
  rps=$(echo "$out" | awk '/Requests\/sec/ {printf "%d", $2}')
  p50=$(ms "$(echo "$out" | awk '$1=="50%" {print $2}')")
  p99=$(ms "$(echo "$out" | awk '$1=="99%" {print $2}')")
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $5}'); non2xx=${non2xx:-0}
  printf -v "RPS_$5" '%s' "$rps"; printf -v "P99_$5" '%s' "$p99"
  ROWS+=("$label|$c|$rps|$p50|$p99|$non2xx|$5")
}
EMBED=$(lua embed "$EMBED_BODY"); EMBED_GW=$(lua embed-gw "$EMBED_BODY" auth)
VSEARCH=$(lua vsearch "{\"vector\":$VECTOR,\"k\":10}")
SEARCH=$(lua search "$SEARCH_BODY"); SEARCH_GW=$(lua search-gw "$SEARCH_BODY" auth)
# warm-up, not measured: the JIT compiles each daemon's path before its figure is taken
for w in "$EMBEDD/v1/embed $EMBED" "$GW/v1/embed $EMBED_GW" "$VECTORD/v1/vectors/index/workers/search $VSEARCH" \
         "$MATRIXD/v1/matrix/search $SEARCH" "$GW/v1/matrix/search $SEARCH_GW"; do
  set -- $w
  wrk -t2 -c10 -d"${WARMUP:-5s}" -s "$2" "$1" > /dev/null
done
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
measure "nginx static (same embed body)" 10 "http://127.0.0.1:$NGINX_PORT/v1/embed" "$EMBED" nginx
measure "embedd direct, warm POST /v1/embed" 10 "$EMBEDD/v1/embed" "$EMBED" embed
measure "embed through the gateway" 10 "$GW/v1/embed" "$EMBED_GW" embedgw
measure "vectord search direct (workers, k 10)" 10 "$VECTORD/v1/vectors/index/workers/search" "$VSEARCH" vsearch
measure "matrix search direct" 1 "$MATRIXD/v1/matrix/search" "$SEARCH" ms1
measure "matrix search direct" 10 "$MATRIXD/v1/matrix/search" "$SEARCH" ms10
measure "matrix search through the gateway" 1 "$GW/v1/matrix/search" "$SEARCH_GW" msgw1
measure "matrix search through the gateway" 10 "$GW/v1/matrix/search" "$SEARCH_GW" msgw10
measure "pathwayd upserts through the gateway" 10 "$GW/v1/pathway/upsert" "$WORK/upsert.lua" upsert
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
echo
echo "hot path, $(date -u +%Y-%m-%dT%H:%MZ), wrk -d$DURATION, load average $LOAD_BEFORE -> $LOAD_AFTER, $(nproc) cores"
echo
echo "| call | conns | req/s | p50 ms | p99 ms | non-2xx | ratio |"
echo "|---|---|---|---|---|---|---|"
for r in "${ROWS[@]}"; do
  IFS='|' read -r label c rps p50 p99 non2xx id <<< "$r"
  case "$id" in
    nginx)  note="ceiling" ;;
    embed)  note="$(ratio "$rps" "$RPS_nginx") of nginx" ;;
    embedgw) note="hop $(ratio "$RPS_embed" "$rps")x direct, $(ratio "$rps" "$RPS_nginx") of nginx" ;;
    vsearch) note="$(ratio "$rps" "$RPS_nginx") of nginx" ;;
    ms1)    note="-" ;;
    ms10)   note="$(ratio "$rps" "$RPS_ms1")x its c=1" ;;
    msgw1)  note="hop $(ratio "$RPS_ms1" "$rps")x direct" ;;
    msgw10) note="hop $(ratio "$RPS_ms10" "$rps")x direct; $(ratio "$rps" 2704) of the Go fleet's 2,704" ;;
    upsert) note="$(ratio "$rps" 500) of the 500/s goal" ;;
    *) note="" ;;
  esac
  echo "| $label | $c | $rps | $p50 | $p99 | $non2xx | $note |"
done
