#!/usr/bin/env bash
# pathwayd benchmark, straight to pathwayd on a stack of its own (--no-demo): distinct upserts with wrk for
# DURATION at concurrency 1 (the latency-bound baseline of the same run) and then at C (group commit: concurrent
# writes share one S3 put of the log, one embed call and one vectord add), then S role-gated searches. Each
# upsert is decided, appended to the S3 log, embedded and indexed before its 200. Last, pathwayd restarts with
# index-before-ack=false (the 200 once the write is in the S3 log; indexing follows in batches) and the c=C run
# repeats: the write path alone, then how long the indexer takes to catch up. Loopback only, bounded.
#   bench/pathwayd/run.sh [DURATION=20s] [C=32] [S=300]
set -euo pipefail
DURATION="${1:-20s}"; C="${2:-32}"; S="${3:-300}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
STACK="bench-pathway-$$"
cd "$ROOT"
./lakehouse up --stack "$STACK" --no-demo --no-build >/dev/null
trap './lakehouse down --stack "$STACK" >/dev/null' EXIT
. ".run/$STACK/stack.env"
P="http://127.0.0.1:$((PORT_BASE + 9))"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
rate() { sed -n 's/^Requests\/sec: *//p'; }
# Warm-up: the first upserts create the index and warm the JIT; not counted.
wrk -t1 -c4 -d5s -s bench/pathwayd/upsert.lua "$P/v1/pathway/upsert" >/dev/null
out1=$(wrk -t1 -c1 -d"$DURATION" -s bench/pathwayd/upsert.lua "$P/v1/pathway/upsert")
out2=$(wrk -t2 -c"$C" -d"$DURATION" -s bench/pathwayd/upsert.lua "$P/v1/pathway/upsert")
r1=$(echo "$out1" | rate); r2=$(echo "$out2" | rate)
echo "c=1:  $(echo "$out1" | grep '^upserts:') = $r1 upserts/s"
echo "c=$C: $(echo "$out2" | grep '^upserts:') = $r2 upserts/s"
awk -v a="$r1" -v b="$r2" 'BEGIN {printf "group commit gain, same run: %.1fx the c=1 rate\n", b / a}'
curl -s "$P/v1/pathway/stats" | python3 -c 'import json,sys;d=json.load(sys.stdin);b=d["commit_batches"];print("traces",d["traces"],"S3 puts",b,"operations",d["commit_operations"],"mean batch %.1f" % (d["commit_operations"]/max(1,b)),"index pending",d["index_pending"])'
stats() { curl -s "$P/v1/pathway/stats" | python3 -c 'import json,sys;d=json.load(sys.stdin);print(d["'"$1"'"])'; }
LAKEHOUSE_PATHWAYD_INDEX_BEFORE_ACK=false ./lakehouse restart pathwayd --stack "$STACK" >/dev/null
until curl -sf "$P/q/health/ready" >/dev/null; do sleep 1; done
out3=$(wrk -t2 -c"$C" -d"$DURATION" -s bench/pathwayd/upsert.lua "$P/v1/pathway/upsert")
r3=$(echo "$out3" | rate)
t0=$(date +%s%N); pend=$(stats index_pending)
echo "c=$C, index-before-ack=false: $(echo "$out3" | grep '^upserts:') = $r3 upserts/s (durable in S3 before each 200); $pend waiting for the indexer"
while [ "$(stats index_pending)" != 0 ]; do sleep 0.5; done
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
echo "indexer caught up in $ms ms ($(( pend * 1000 / (ms > 0 ? ms : 1) )) traces/s embedded and indexed behind)"
ROLES=("Forklift Operator" "Picker Packer" "CNC Operator" "Welder" "CDL Driver" "Line Cook" "Registered Nurse" "Electrician")
CITIES=(Detroit Toledo Chicago Columbus Cleveland Dayton Flint Lansing)
for i in $(seq 1 "$S"); do
  role="${ROLES[$(( i % 8 ))]}"; city="${CITIES[$(( i % 8 ))]}"
  curl -s -o /dev/null -w '%{time_total}\n' -X POST "$P/v1/pathway/search" -H 'Content-Type: application/json' \
    -d "{\"query\":\"need $role in $city\",\"role\":\"$role\",\"k\":10}"
done | sort -n > "/tmp/$STACK-search.txt"
awk '{a[NR]=$1} END {printf "search: n=%d p50=%.1f ms p99=%.1f ms\n", NR, a[int(NR*0.5)]*1000, a[int(NR*0.99)]*1000}' "/tmp/$STACK-search.txt"
rm -f "/tmp/$STACK-search.txt"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
