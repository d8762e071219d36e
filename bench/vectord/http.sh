#!/usr/bin/env bash
# HTTP benchmark: S3Proxy + the packaged vectord jar as processes, N clustered vectors loaded through /add,
# then wrk on /search (k=10). The first half loads from one client, the second from ADD_CLIENTS (4) at once
# (their adds share WAL fsyncs and graph inserts). Usage: bench/vectord/http.sh [N=5000] [DIM=384] [SECONDS=15]
# Needs: mvn -f vectord/pom.xml package (quarkus-run.jar), target/tools/s3proxy.jar, wrk, python3.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
N="${1:-5000}"; DIM="${2:-384}"; SECS="${3:-15}"
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
WORK="$(mktemp -d /tmp/vectord-http.XXXX)"
. "$ROOT/bench/lib.sh"
PORT=$(bench_free_port)
bench_start_s3proxy "$WORK"
"$JAVA" -Xmx512m --add-modules jdk.incubator.vector -Dquarkus.http.port=$PORT \
  -Dlakehouse.s3.endpoint=$S3_ENDPOINT -Dlakehouse.s3.bucket=bench \
  -Dlakehouse.observer-client.enabled=false -Dlakehouse.vectord.data-dir="$WORK/data" \
  -jar "$ROOT/vectord/target/quarkus-app/quarkus-run.jar" > "$WORK/vectord.log" 2>&1 &
VPID=$!
bench_track $VPID
bench_wait_http "http://127.0.0.1:$PORT/q/health/ready" 600
curl -sf -XPOST "http://127.0.0.1:$PORT/v1/vectors/index" -H 'content-type: application/json' \
  -d "{\"name\":\"bench\",\"dimension\":$DIM,\"distance\":\"cosine\"}" >/dev/null
python3 - "$PORT" "$N" "$DIM" "$WORK" "${ADD_CLIENTS:-4}" <<'PY'
import json, random, sys, time, urllib.request
from concurrent.futures import ThreadPoolExecutor
port, n, dim, work, clients = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
random.seed(1)
centers = [[random.gauss(0, 1) for _ in range(dim)] for _ in range(50)]
def vec():
    c = random.choice(centers); return [round(x + random.gauss(0, 0.5), 4) for x in c]
# Bodies are made before the clock starts, so the figure is vectord's, not the Python client's.
per = 100
bodies = [json.dumps({"items": [{"id": f"v-{i}", "vector": vec(), "metadata": {"g": i % 10}}
          for i in range(start, min(n, start + per))]}).encode() for start in range(0, n, per)]
def post(body):
    req = urllib.request.Request(f"http://127.0.0.1:{port}/v1/vectors/index/bench/add", body, {"content-type": "application/json"})
    urllib.request.urlopen(req, timeout=600).read()
half = len(bodies) // 2
t = time.time()
for b in bodies[:half]:
    post(b)
r1 = half * per / (time.time() - t)
t = time.time()
with ThreadPoolExecutor(clients) as ex:
    list(ex.map(post, bodies[half:]))
r2 = (len(bodies) - half) * per / (time.time() - t)
print(f"loaded {n} x {dim} through /add ({per}/request, acknowledged after the WAL fsync): 1 client {r1:.0f} vectors/s, "
      f"then {clients} clients {r2:.0f} vectors/s (group commit, same run: {r2 / r1:.2f}x)")
with open(f"{work}/search.lua", "w") as f:
    body = json.dumps({"vector": vec(), "k": 10})
    f.write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = ' + json.dumps(body) + "\n")
PY
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
wrk -t2 -c4 -d"${SECS}s" -s "$WORK/search.lua" "http://127.0.0.1:$PORT/v1/vectors/index/bench/search"
echo "vectord RSS: $(ps -o rss= -p $VPID) KiB"
