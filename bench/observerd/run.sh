#!/usr/bin/env bash
# observerd ingest benchmark: packaged observerd (fsync'd spool on, shipping to a local S3Proxy every 10 s),
# wrk at concurrency 10 POSTing single events for DURATION (default 20s). Stops what it started by pid.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
. bench/lib.sh
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
DURATION=${DURATION:-20s}
[ -f observerd/target/quarkus-app/quarkus-run.jar ] || mvn -B -q -f observerd/pom.xml package -DskipTests
WORK=$(mktemp -d /tmp/observerd-bench.XXXXXX)
PORT=$(bench_free_port)
bench_start_s3proxy "$WORK"
"$JAVA_HOME/bin/java" -Xmx256m -Dquarkus.http.port=$PORT -Dlakehouse.s3.endpoint=$S3_ENDPOINT \
  -Dlakehouse.s3.bucket=bench -Dlakehouse.observerd.spool-dir="$WORK/spool" -Dlakehouse.observer-client.enabled=false \
  -jar observerd/target/quarkus-app/quarkus-run.jar >"$WORK/observerd.log" 2>&1 &
bench_track $!
bench_wait_http "http://127.0.0.1:$PORT/q/health/ready" 120
wrk -t2 -c10 -d"$DURATION" -s bench/observerd/post-event.lua --latency "http://127.0.0.1:$PORT/v1/observer/event"
curl -s "http://127.0.0.1:$PORT/v1/observer/stats" | python3 -c 'import json,sys;d=json.load(sys.stdin);print("stats total",d["total"],"in_ring",d["in_ring"],"dropped",d["dropped"],"spool_failures",d["spool_failures"])'
echo "logs and data in $WORK"
