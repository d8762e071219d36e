#!/usr/bin/env bash
# Gateway overhead: the same GET straight to an upstream and through the gateway, with wrk; prints both and the ratio.
#
#   bench/gateway/run.sh [duration] [connections]        e.g. bench/gateway/run.sh 10s 16
#
# The upstream is nginx answering a small JSON (so the number is the gateway's own cost), or a real daemon when
# UPSTREAM_URL and UPSTREAM_PATH are set, e.g. UPSTREAM_URL=http://127.0.0.1:5110 UPSTREAM_PATH=/v1/catalog/datasets
# and UPSTREAM_DAEMON (default catalogd) names the daemon the gateway routes that path to.
# Needs: a packaged gateway (mvn -B -f gateway/pom.xml package -DskipTests), wrk, nginx (unless UPSTREAM_URL), python3.
set -euo pipefail
DURATION=${1:-10s}
CONNS=${2:-16}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
JAR=$ROOT/gateway/target/quarkus-app/quarkus-run.jar
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
[ -f "$JAR" ] || { echo "no $JAR: run mvn -B -f gateway/pom.xml package -DskipTests first" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is missing (apt-get install wrk)" >&2; exit 1; }
WORK=$(mktemp -d)
GW_PID=""
NGINX_PID=""
. "$ROOT/bench/lib.sh"
cleanup() {
  [ -n "$GW_PID" ] && kill "$GW_PID" 2>/dev/null || true
  [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

PATH_UNDER_TEST=${UPSTREAM_PATH:-/v1/catalog/datasets}
if [ -z "${UPSTREAM_URL:-}" ]; then
  command -v nginx >/dev/null || { echo "nginx is missing (apt-get install nginx) or set UPSTREAM_URL" >&2; exit 1; }
  UP_PORT=$(bench_free_port)
  cat > "$WORK/nginx.conf" <<NGINX
daemon off;
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $WORK/body; proxy_temp_path $WORK/proxy; fastcgi_temp_path $WORK/fcgi;
  uwsgi_temp_path $WORK/uwsgi; scgi_temp_path $WORK/scgi;
  server {
    listen 127.0.0.1:$UP_PORT;
    location / { default_type application/json; return 200 '{"datasets":[{"name":"workers","version":3}]}'; }
  }
}
NGINX
  nginx -c "$WORK/nginx.conf" -p "$WORK" &
  NGINX_PID=$!
  UPSTREAM_URL=http://127.0.0.1:$UP_PORT
fi
GW_PORT=$(bench_free_port)
"$JAVA" -Xmx128m -Dquarkus.http.port="$GW_PORT" -Dquarkus.http.host=127.0.0.1 \
  -Dlakehouse.fleet.${UPSTREAM_DAEMON:-catalogd}="$UPSTREAM_URL" -Dlakehouse.gateway.api-keys=bench-key \
  -Dquarkus.log.level=WARN -jar "$JAR" > "$WORK/gateway.log" 2>&1 &
GW_PID=$!
bench_wait_http "$UPSTREAM_URL$PATH_UNDER_TEST" 120
bench_wait_http "http://127.0.0.1:$GW_PORT/health" 120

run() { # name url [header]
  local out
  if [ -n "${3:-}" ]; then out=$(wrk -t2 -c"$CONNS" -d"$DURATION" --latency -H "$3" "$2"); else out=$(wrk -t2 -c"$CONNS" -d"$DURATION" --latency "$2"); fi
  echo "$out" | grep -E "Requests/sec|Non-2xx|Socket errors|^ +50%|^ +99%" | sed "s/^/$1: /" >&2
  echo "$out" | awk '/Requests\/sec/ {print $2}'
}
# Warm both paths (JIT, connection pools) before measuring; a cold JVM under load needs ~10 s.
wrk -t2 -c8 -d10s "$UPSTREAM_URL$PATH_UNDER_TEST" >/dev/null
wrk -t2 -c8 -d10s -H "Authorization: Bearer bench-key" "http://127.0.0.1:$GW_PORT$PATH_UNDER_TEST" >/dev/null
DIRECT=$(run direct "$UPSTREAM_URL$PATH_UNDER_TEST")
VIA=$(run gateway "http://127.0.0.1:$GW_PORT$PATH_UNDER_TEST" "Authorization: Bearer bench-key")
# Errors the gateway made itself (503/504/502) are logged at WARN; show a few so a non-2xx count is explained.
WARNS=$(grep -c " WARN " "$WORK/gateway.log" || true)
if [ "${WARNS:-0}" -gt 0 ]; then echo "gateway logged $WARNS warning(s), first ones:" >&2; grep " WARN " "$WORK/gateway.log" | head -3 | cut -c1-240 >&2; fi
RSS=$(awk '/VmRSS/ {print $2}' "/proc/$GW_PID/status")
python3 - "$DIRECT" "$VIA" "$RSS" "$DURATION" "$CONNS" <<'PY'
import sys
d, g, rss, dur, c = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
print(f"duration {dur}, {c} connections, 2 wrk threads")
print(f"direct : {d:10.0f} req/s")
print(f"gateway: {g:10.0f} req/s")
print(f"overhead ratio (direct/gateway throughput): {d / g:.2f}x; gateway RSS after run: {rss // 1024} MB")
PY
