#!/usr/bin/env bash
# matrixd benchmark: search p50/p99 over three corpora vs one vectord search of the same k, and throughput at
# c=10. Runs the packaged matrixd (-Xmx128m, the launcher's limit) against BenchUpstreams (fake embedd/vectord/
# observerd/chatd on one port, constant-cost answers) and the S3Proxy jar. Needs wrk.
# Usage: bench/matrixd/run.sh [seconds per run, default 10]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAVA="$JAVA_HOME/bin/java"
SECS="${1:-10}"
WORK="$(mktemp -d /tmp/matrixd-bench.XXXXXX)"
. "$ROOT/bench/lib.sh"

cd "$ROOT/matrixd"
mvn -B -q package -DskipTests dependency:build-classpath -Dmdep.outputFile=target/bench-cp.txt -Dmdep.includeScope=test >/dev/null

UP=$(bench_free_port); MX=$(bench_free_port)
"$JAVA" -Xmx128m -cp "target/test-classes:$(cat target/bench-cp.txt)" com.lakehouse.matrixd.bench.BenchUpstreams "$UP" \
  >"$WORK/upstreams.log" 2>&1 & bench_track $!
bench_start_s3proxy "$WORK" bench bench-secret
BASE="http://127.0.0.1:$UP"
"$JAVA" -Xmx128m -XX:+UseSerialGC -Xss512k --enable-native-access=ALL-UNNAMED \
  -Dquarkus.http.port="$MX" -Dlakehouse.s3.endpoint="$S3_ENDPOINT" -Dlakehouse.s3.bucket=bench \
  -Dlakehouse.s3.access-key=bench -Dlakehouse.s3.secret-key=bench-secret \
  -Dlakehouse.fleet.embedd="$BASE" -Dlakehouse.fleet.vectord="$BASE" -Dlakehouse.fleet.observerd="$BASE" \
  -Dlakehouse.fleet.chatd="$BASE" -Dquarkus.log.level=WARN \
  -jar target/quarkus-app/quarkus-run.jar >"$WORK/matrixd.log" 2>&1 & MPID=$!; bench_track $MPID
bench_wait_http "http://127.0.0.1:$MX/q/health/ready"
M="http://127.0.0.1:$MX"
for c in workers job_orders workers_b playbook_memory; do
  gated=false; [ "$c" = job_orders ] && gated=true
  curl -fsS -X PUT "$M/v1/matrix/corpora/$c" -H 'Content-Type: application/json' \
    -d "{\"model\":\"bench\",\"gated\":$gated,\"text_fields\":[\"text\"],\"dimension\":384}" >/dev/null
done
curl -fsS "$M/v1/matrix/search" -H 'Content-Type: application/json' \
  -d '{"query_text":"Need 5 pickers in Detroit for Acme","corpora":["workers","job_orders","workers_b"],"k":10,"use_playbook":true}' \
  | head -c 400; echo
echo "warm-up"; wrk -t1 -c4 -d3s -s "$ROOT/bench/matrixd/search.lua" "$M/v1/matrix/search" >/dev/null
wrk -t1 -c4 -d2s -s "$ROOT/bench/matrixd/vectord.lua" "$BASE/v1/vectors/index/workers/search" >/dev/null
echo "== one vectord search (k=10), c=1, ${SECS}s"
wrk -t1 -c1 -d"${SECS}s" --latency -s "$ROOT/bench/matrixd/vectord.lua" "$BASE/v1/vectors/index/workers/search" | grep -E "Latency|50%|99%|Requests/sec"
echo "== matrixd search over 3 corpora (k=10, playbooks on), c=1, ${SECS}s"
wrk -t1 -c1 -d"${SECS}s" --latency -s "$ROOT/bench/matrixd/search.lua" "$M/v1/matrix/search" | grep -E "Latency|50%|99%|Requests/sec"
echo "== matrixd search, c=10, ${SECS}s"
wrk -t2 -c10 -d"${SECS}s" --latency -s "$ROOT/bench/matrixd/search.lua" "$M/v1/matrix/search" | grep -E "Latency|50%|99%|Requests/sec|Non-2xx"
echo "== matrixd RSS after the runs: $(( $(awk '/VmRSS/{print $2}' /proc/$MPID/status) / 1024 )) MB (-Xmx128m)"
