#!/usr/bin/env bash
# pathwayd benchmark: N upserts (distinct workflows, 4 at a time) then S searches, straight to pathwayd on a
# stack of its own; prints upserts/s and search p50/p99. Loopback only, bounded by N and S.
#   bench/pathwayd/run.sh [N=10000] [S=300]
set -euo pipefail
N="${1:-10000}"; S="${2:-300}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
STACK="bench-pathway-$$"
cd "$ROOT"
./lakehouse up --stack "$STACK" --no-demo --no-build >/dev/null
trap './lakehouse down --stack "$STACK" >/dev/null' EXIT
. ".run/$STACK/stack.env"
P="http://127.0.0.1:$((PORT_BASE + 9))"
ROLES=("Forklift Operator" "Picker Packer" "CNC Operator" "Welder" "CDL Driver" "Line Cook" "Registered Nurse" "Electrician")
CITIES=(Detroit Toledo Chicago Columbus Cleveland Dayton Flint Lansing)
upsert() {
  local i="$1" role="${ROLES[$(( $1 % 8 ))]}" city="${CITIES[$(( ($1 / 8) % 8 ))]}"
  curl -s -o /dev/null -w '%{http_code}\n' -X POST "$P/v1/pathway/upsert" -H 'Content-Type: application/json' \
    -d "{\"task_class\":\"fill\",\"subject\":\"$role $city #$i\",\"signal_class\":\"validated\",\"role\":\"$role\",\"tags\":[\"bench\"],\"content\":{\"steps\":[\"search $role in $city\",\"validate fill\",\"email candidate\"],\"verdict\":\"filled $i\"}}"
}
export -f upsert; export P; export ROLES_S="${ROLES[*]}"
t0=$(date +%s%N)
seq 0 $((N - 1)) | xargs -P 4 -I{} bash -c "$(declare -p ROLES CITIES); $(declare -f upsert); upsert {}" > "/tmp/$STACK-upserts.txt"
t1=$(date +%s%N)
ok=$(grep -c '^200$' "/tmp/$STACK-upserts.txt" || true)
echo "upserts: $ok of $N answered 200 in $(( (t1 - t0) / 1000000 )) ms: $(( ok * 1000000000 / (t1 - t0) )) upserts/s (4 concurrent)"
for i in $(seq 1 "$S"); do
  role="${ROLES[$(( i % 8 ))]}"; city="${CITIES[$(( i % 8 ))]}"
  curl -s -o /dev/null -w '%{time_total}\n' -X POST "$P/v1/pathway/search" -H 'Content-Type: application/json' \
    -d "{\"query\":\"need $role in $city\",\"role\":\"$role\",\"k\":10}"
done | sort -n > "/tmp/$STACK-search.txt"
awk '{a[NR]=$1} END {printf "search over %s traces: n=%d p50=%.1f ms p99=%.1f ms\n", "'"$ok"'", NR, a[int(NR*0.5)]*1000, a[int(NR*0.99)]*1000}' "/tmp/$STACK-search.txt"
