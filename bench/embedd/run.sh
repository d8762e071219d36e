#!/usr/bin/env bash
# embedd benchmark: warm-cache POST /v1/embed at concurrency 10 against a static nginx baseline serving the
# same body on loopback (same run), the local model's cold throughput at batch 32, and idle/loaded RSS.
#
#   mvn -B -f embedd/pom.xml verify        # builds embedd/target/quarkus-app
#   bench/embedd/run.sh                     # DURATION=10s CONNS=10 THREADS=2 XMX=160m
#   TARGET=http://127.0.0.1:5100 API_KEY=... bench/embedd/run.sh   # warm run through a running gateway instead
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
JAR="${EMBEDD_JAR:-$ROOT/embedd/target/quarkus-app/quarkus-run.jar}"
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
DURATION="${DURATION:-10s}"
CONNS="${CONNS:-10}"
THREADS="${THREADS:-2}"
XMX="${XMX:-160m}"
command -v wrk >/dev/null || { echo "wrk is missing (apt-get install wrk)"; exit 1; }
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
[ -x "$NGINX" ] || { echo "nginx is missing (apt-get install nginx-light)"; exit 1; }
[ -f "$JAR" ] || { echo "no $JAR: run mvn -B -f embedd/pom.xml verify first"; exit 1; }

WORK="$(mktemp -d /tmp/embedd-bench.XXXXXX)"
chmod 755 "$WORK"
mkdir -p "$WORK/tmp"
. "$ROOT/bench/lib.sh"
EMBEDD_PID=""
NGINX_PID=""
cleanup() {
  [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null || true
  [ -n "$EMBEDD_PID" ] && kill "$EMBEDD_PID" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT

# CPU time (utime + stime, in clock ticks) of a pid and its children threads; load-independent cost per request.
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
nginx_ticks() { local t; t=$(ticks "$NGINX_PID"); for c in $(pgrep -P "$NGINX_PID"); do t=$((t + $(ticks "$c"))); done; echo "$t"; }
HZ=$(getconf CLK_TCK)
WARMUP="${WARMUP:-30s}"
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
hwm_kb() { awk '/^VmHWM/ {print $2}' "/proc/$1/status"; }

EPORT="$(bench_free_port)"
"$JAVA" -Xmx"$XMX" --enable-native-access=ALL-UNNAMED \
  -Dquarkus.http.port="$EPORT" -Dlakehouse.observer-client.enabled=false \
  -Dquarkus.log.level=WARN -jar "$JAR" >"$WORK/embedd.log" 2>&1 &
EMBEDD_PID=$!
T0=$(date +%s.%N)
for _ in $(seq 1 300); do
  curl -fs "http://127.0.0.1:$EPORT/q/health/live" >/dev/null 2>&1 && break
  kill -0 "$EMBEDD_PID" 2>/dev/null || { cat "$WORK/embedd.log"; exit 1; }
  sleep 0.1
done
T1=$(date +%s.%N)
sleep 2
echo "embedd pid $EMBEDD_PID port $EPORT -Xmx$XMX: live after $(echo "$T1 - $T0" | bc) s (model loaded at start)"
echo "idle RSS after start: $(( $(rss_kb "$EMBEDD_PID") / 1024 )) MiB"

TARGET="${TARGET:-http://127.0.0.1:$EPORT}"
AUTH=()
[ -n "${API_KEY:-}" ] && AUTH=(-H "Authorization: Bearer $API_KEY")
BODY='{"texts":["Forklift operator, night shift, Columbus OH, OSHA certified"]}'
curl -fs "${AUTH[@]}" -H 'Content-Type: application/json' -d "$BODY" "$TARGET/v1/embed" >"$WORK/body.json"
chmod 644 "$WORK/body.json"
echo "response body: $(wc -c <"$WORK/body.json") bytes"

NPORT="$(bench_free_port)"
sed -e "s#@DIR@#$WORK#g" -e "s#@PORT@#$NPORT#g" "$HERE/nginx.conf.template" >"$WORK/nginx.conf"
"$NGINX" -p "$WORK" -c "$WORK/nginx.conf" 2>"$WORK/nginx.out" &
NGINX_PID=$!
for _ in $(seq 1 50); do
  curl -fs -X POST -d x "http://127.0.0.1:$NPORT/v1/embed" >/dev/null 2>&1 && break
  sleep 0.1
done
cmp -s <(curl -fs -X POST -H 'Content-Type: application/json' -d "$BODY" "http://127.0.0.1:$NPORT/v1/embed") "$WORK/body.json" \
  || { echo "nginx does not serve the same body"; cat "$WORK/nginx-error.log" "$WORK/nginx.out"; exit 1; }

WRK_HEADERS=()
[ -n "${API_KEY:-}" ] && WRK_HEADERS=(-H "Authorization: Bearer $API_KEY")
echo
echo "== warm-up (not measured): $WARMUP against nginx and embedd, so the JIT has compiled the hot path"
wrk -t"$THREADS" -c"$CONNS" -d"$WARMUP" -s "$HERE/warm.lua" "http://127.0.0.1:$NPORT/v1/embed" >/dev/null
wrk -t"$THREADS" -c"$CONNS" -d"$WARMUP" -s "$HERE/warm.lua" "${WRK_HEADERS[@]}" "$TARGET/v1/embed" >/dev/null
echo "load average before the measured runs: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
echo
echo "== nginx static baseline: POST /v1/embed, same body, c=$CONNS t=$THREADS d=$DURATION"
c0=$(nginx_ticks)
wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -s "$HERE/warm.lua" "http://127.0.0.1:$NPORT/v1/embed" | tee "$WORK/nginx.txt"
n_cpu=$(( $(nginx_ticks) - c0 ))
echo
echo "== embedd warm cache: POST /v1/embed via $TARGET, c=$CONNS t=$THREADS d=$DURATION"
c0=$(ticks "$EMBEDD_PID")
wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -s "$HERE/warm.lua" "${WRK_HEADERS[@]}" "$TARGET/v1/embed" | tee "$WORK/embedd.txt"
e_cpu=$(( $(ticks "$EMBEDD_PID") - c0 ))
echo "RSS after the warm run: $(( $(rss_kb "$EMBEDD_PID") / 1024 )) MiB"
echo
echo "== local model cold throughput: batch 32 unique texts, c=1 then c=2, d=$DURATION"
wrk -t1 -c1 -d"$DURATION" --timeout 30s -s "$HERE/cold.lua" "http://127.0.0.1:$EPORT/v1/embed" | grep -E 'cold|Latency|Non-2xx' || true
wrk -t2 -c2 -d"$DURATION" --timeout 30s -s "$HERE/cold.lua" "http://127.0.0.1:$EPORT/v1/embed" | grep -E 'cold|Latency|Non-2xx' || true
echo "RSS after the cold runs: $(( $(rss_kb "$EMBEDD_PID") / 1024 )) MiB, peak (VmHWM) $(( $(hwm_kb "$EMBEDD_PID") / 1024 )) MiB"
curl -fs "http://127.0.0.1:$EPORT/v1/embed/stats"; echo

n_rps=$(awk '/^Requests\/sec/ {print $2}' "$WORK/nginx.txt")
e_rps=$(awk '/^Requests\/sec/ {print $2}' "$WORK/embedd.txt")
echo
n_req=$(awk '/requests in/ {print $1}' "$WORK/nginx.txt")
e_req=$(awk '/requests in/ {print $1}' "$WORK/embedd.txt")
echo "summary: embedd $e_rps req/s, nginx $n_rps req/s, ratio embedd/nginx $(echo "scale=3; $e_rps / $n_rps" | bc)"
echo "CPU per request (server side, load-independent): embedd $(echo "scale=1; $e_cpu * 1000000 / $HZ / $e_req" | bc) us," \
  "nginx $(echo "scale=1; $n_cpu * 1000000 / $HZ / $n_req" | bc) us"
echo "logs and configs in $WORK"
