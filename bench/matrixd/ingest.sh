#!/usr/bin/env bash
# Bulk-index benchmark: a stack of its own with the demo data (WORKERS workers in the catalog), then the workers
# dataset ingested into fresh corpora straight through matrixd (catalog read, embed with the local model,
# HNSW insert in vectord), once with ingest-concurrency=1 (one batch at a time, the old sequential behaviour)
# and once with the default pipeline, in the same run. Prints docs/s for each and the ratio; polls the job's
# progress while it runs. Loopback only.   bench/matrixd/ingest.sh [WORKERS=10000]
set -euo pipefail
WORKERS="${1:-10000}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
STACK="bench-ingest-$$"
cd "$ROOT"
LAKEHOUSE_DEMO_SIZES="--workers $WORKERS --jobs 50 --playbooks 50" ./lakehouse up --stack "$STACK" --no-build >/dev/null
trap './lakehouse down --stack "$STACK" >/dev/null' EXIT
. ".run/$STACK/stack.env"
M="http://127.0.0.1:$((PORT_BASE + 3))"
def=$(curl -sf "$M/v1/matrix/corpora/workers" | python3 -c 'import json,sys;d=json.load(sys.stdin);print(json.dumps({k:d[k] for k in ("text_fields","metadata_fields","role_field","gated","distance") if d.get(k) is not None}))')
ingest() {  # corpus -> prints "rows seconds"
  curl -sf -XPUT "$M/v1/matrix/corpora/$1" -H 'content-type: application/json' -d "$def" >/dev/null
  local t0 id state; t0=$(date +%s%N)
  id=$(curl -sf -XPOST "$M/v1/matrix/corpora/$1/ingest" -H 'content-type: application/json' -d '{"dataset":"workers"}' \
       | python3 -c 'import json,sys;print(json.load(sys.stdin)["id"])')
  while true; do
    state=$(curl -sf "$M/v1/matrix/jobs/$id" | python3 -c 'import json,sys;d=json.load(sys.stdin);print(d["state"],d["progress"]["done"],d["progress"]["total"])')
    case "$state" in succeeded*) break ;; failed*|cancelled*) echo "job $id: $state" >&2; exit 1 ;; esac
    sleep 2
  done
  local s; s=$(( ($(date +%s%N) - t0) / 1000000 ))
  echo "$(echo "$state" | cut -d' ' -f2) $s"
}
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
LAKEHOUSE_MATRIXD_INGEST_CONCURRENCY=1 ./lakehouse restart matrixd --stack "$STACK" >/dev/null
until curl -sf "$M/q/health/ready" >/dev/null; do sleep 1; done
read -r n1 ms1 < <(ingest bench_seq)
echo "ingest-concurrency=1: $n1 rows in $ms1 ms = $(( n1 * 1000 / ms1 )) docs/s"
./lakehouse restart matrixd --stack "$STACK" >/dev/null
until curl -sf "$M/q/health/ready" >/dev/null; do sleep 1; done
read -r n2 ms2 < <(ingest bench_pipe)
echo "pipeline (default): $n2 rows in $ms2 ms = $(( n2 * 1000 / ms2 )) docs/s"
awk -v a="$ms1" -v b="$ms2" 'BEGIN {printf "pipeline gain, same run: %.2fx\n", a / b}'
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
