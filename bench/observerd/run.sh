#!/usr/bin/env bash
# observerd ingest benchmark: packaged observerd (fsync'd spool on, shipping to a local S3Proxy every 10 s),
# wrk at concurrency 10 POSTing single events for DURATION (default 20s). Stops what it started by pid.
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
DURATION=${DURATION:-20s}
[ -f observerd/target/quarkus-app/quarkus-run.jar ] || mvn -B -q -f observerd/pom.xml package -DskipTests
WORK=$(mktemp -d /tmp/observerd-bench.XXXXXX)
S3PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
mkdir -p "$WORK/s3"
cat > "$WORK/s3.properties" <<P
s3proxy.endpoint=http://127.0.0.1:$S3PORT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=local-identity
s3proxy.credential=local-credential
jclouds.provider=filesystem
jclouds.filesystem.basedir=$WORK/s3
P
"$JAVA_HOME/bin/java" -Xmx128m -jar target/tools/s3proxy.jar --properties "$WORK/s3.properties" >"$WORK/s3.log" 2>&1 &
S3PID=$!
"$JAVA_HOME/bin/java" -Xmx256m -Dquarkus.http.port=$PORT -Dlakehouse.s3.endpoint=http://127.0.0.1:$S3PORT \
  -Dlakehouse.s3.bucket=bench -Dlakehouse.observerd.spool-dir="$WORK/spool" -Dlakehouse.observer-client.enabled=false \
  -jar observerd/target/quarkus-app/quarkus-run.jar >"$WORK/observerd.log" 2>&1 &
OPID=$!
cleanup() { kill "$OPID" 2>/dev/null || true; wait "$OPID" 2>/dev/null || true; kill "$S3PID" 2>/dev/null || true; wait "$S3PID" 2>/dev/null || true; }
trap cleanup EXIT
for i in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/q/health/ready" >/dev/null && break; sleep 0.5; done
wrk -t2 -c10 -d"$DURATION" -s bench/observerd/post-event.lua --latency "http://127.0.0.1:$PORT/v1/observer/event"
curl -s "http://127.0.0.1:$PORT/v1/observer/stats" | python3 -c 'import json,sys;d=json.load(sys.stdin);print("stats total",d["total"],"in_ring",d["in_ring"],"dropped",d["dropped"],"spool_failures",d["spool_failures"])'
echo "logs and data in $WORK"
