#!/usr/bin/env bash
# catalogd benchmark: ingest of a 500k-row workers-like Parquet and a GROUP BY over it.
# Needs: catalogd built (target/quarkus-app), target/tools/s3proxy.jar at the repo root, JAVA_HOME set.
# Starts S3Proxy and catalogd on free ports, measures with curl, stops both by pid.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
ROWS="${ROWS:-500000}"
JAVA="${JAVA_HOME:?set JAVA_HOME}/bin/java"
DUCKDB_JAR="$(ls ~/.m2/repository/org/duckdb/duckdb_jdbc/*/duckdb_jdbc-*.jar | tail -1)"
WORK="$(mktemp -d /tmp/catalogd-bench.XXXXXX)"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
S3_PORT="$(free_port)"; APP_PORT="$(free_port)"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

echo "generating $ROWS rows"
"$JAVA" --enable-native-access=ALL-UNNAMED -cp "$DUCKDB_JAR" "$HERE/GenWorkers.java" "$WORK/workers.parquet" "$ROWS" "$WORK/workers.csv"
ls -l "$WORK/workers.parquet" "$WORK/workers.csv"

mkdir -p "$WORK/s3"
cat > "$WORK/s3.properties" <<P
s3proxy.endpoint=http://127.0.0.1:$S3_PORT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=local-identity
s3proxy.credential=local-credential
jclouds.provider=filesystem
jclouds.filesystem.basedir=$WORK/s3
P
"$JAVA" -Xmx128m -jar "$ROOT/target/tools/s3proxy.jar" --properties "$WORK/s3.properties" > "$WORK/s3.log" 2>&1 &
PIDS+=($!)
"$JAVA" -Xmx${XMX:-384m} --enable-native-access=ALL-UNNAMED \
  -Dquarkus.http.port="$APP_PORT" -Dlakehouse.s3.endpoint="http://127.0.0.1:$S3_PORT" -Dlakehouse.s3.bucket=bench \
  -Dlakehouse.observer-client.enabled=false \
  -Dlakehouse.catalogd.cache-dir="$WORK/cache" -Dlakehouse.catalogd.work-dir="$WORK/work" \
  -Dlakehouse.catalogd.journal.spool-dir="$WORK/journal" \
  -jar "$ROOT/catalogd/target/quarkus-app/quarkus-run.jar" > "$WORK/catalogd.log" 2>&1 &
APP_PID=$!; PIDS+=($APP_PID)
for i in $(seq 1 600); do
  curl -fs "http://127.0.0.1:$APP_PORT/q/health/ready" >/dev/null 2>&1 && break; sleep 0.5
done
echo "catalogd ready (pid $APP_PID)"
echo "ingest (POST parquet body, wait=true):"
curl -s -o "$WORK/ingest.json" -w "  http %{http_code} in %{time_total}s\n" -H 'Content-Type: application/vnd.apache.parquet' \
  --data-binary @"$WORK/workers.parquet" "http://127.0.0.1:$APP_PORT/v1/ingest/workers?wait=true"
cat "$WORK/ingest.json"; echo
echo "ingest (POST CSV body, inferred schema, wait=true):"
curl -s -o "$WORK/ingest-csv.json" -w "  http %{http_code} in %{time_total}s\n" -H 'Content-Type: text/csv' \
  --data-binary @"$WORK/workers.csv" "http://127.0.0.1:$APP_PORT/v1/ingest/workers_csv?wait=true"
cat "$WORK/ingest-csv.json"; echo
for i in 1 2 3; do
  curl -s -o "$WORK/sql.json" -w "  GROUP BY run $i: http %{http_code} in %{time_total}s" -H 'Content-Type: application/json' \
    -d '{"sql":"SELECT role, count(*) AS n FROM workers GROUP BY role ORDER BY role"}' "http://127.0.0.1:$APP_PORT/v1/sql"
  python3 -c "import json,sys; d=json.load(open('$WORK/sql.json')); print('  elapsed_ms', d.get('elapsed_ms'), 'rows', d.get('row_count'))"
done
curl -s -o /dev/null -w "  rows page (limit=1000, cursor=250000): http %{http_code} in %{time_total}s\n" \
  "http://127.0.0.1:$APP_PORT/v1/catalog/datasets/workers/rows?limit=1000&cursor=250000"
echo "catalogd RSS: $(ps -o rss= -p $APP_PID | awk '{printf "%.0f MB", $1/1024}')"
rm -rf "$WORK"
