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
. "$ROOT/bench/lib.sh"
APP_PORT="$(bench_free_port)"

echo "generating $ROWS rows"
"$JAVA" --enable-native-access=ALL-UNNAMED -cp "$DUCKDB_JAR" "$HERE/GenWorkers.java" "$WORK/workers.parquet" "$ROWS" "$WORK/workers.csv"
ls -l "$WORK/workers.parquet" "$WORK/workers.csv"

bench_start_s3proxy "$WORK"
"$JAVA" -Xmx${XMX:-384m} --enable-native-access=ALL-UNNAMED \
  -Dquarkus.http.port="$APP_PORT" -Dlakehouse.s3.endpoint="$S3_ENDPOINT" -Dlakehouse.s3.bucket=bench \
  -Dlakehouse.observer-client.enabled=false \
  -Dlakehouse.catalogd.cache-dir="$WORK/cache" -Dlakehouse.catalogd.work-dir="$WORK/work" \
  -Dlakehouse.catalogd.journal.spool-dir="$WORK/journal" \
  -jar "$ROOT/catalogd/target/quarkus-app/quarkus-run.jar" > "$WORK/catalogd.log" 2>&1 &
APP_PID=$!; bench_track $APP_PID
bench_wait_http "http://127.0.0.1:$APP_PORT/q/health/ready" 600
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
