#!/usr/bin/env bash
# HTTP benchmark: S3Proxy + the packaged vectord jar as processes, N clustered vectors loaded through /add,
# then wrk on /search (k=10). Usage: bench/vectord/http.sh [N=5000] [DIM=384] [SECONDS=15]
# Needs: mvn -f vectord/pom.xml package (quarkus-run.jar), target/tools/s3proxy.jar, wrk, python3.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
N="${1:-5000}"; DIM="${2:-384}"; SECS="${3:-15}"
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
WORK="$(mktemp -d /tmp/vectord-http.XXXX)"
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
"$JAVA" -Xmx128m -jar "$ROOT/target/tools/s3proxy.jar" --properties "$WORK/s3.properties" > "$WORK/s3.log" 2>&1 &
S3PID=$!
"$JAVA" -Xmx512m --add-modules jdk.incubator.vector -Dquarkus.http.port=$PORT \
  -Dlakehouse.s3.endpoint=http://127.0.0.1:$S3PORT -Dlakehouse.s3.bucket=bench \
  -Dlakehouse.observer-client.enabled=false -Dlakehouse.vectord.data-dir="$WORK/data" \
  -jar "$ROOT/vectord/target/quarkus-app/quarkus-run.jar" > "$WORK/vectord.log" 2>&1 &
VPID=$!
trap 'kill $VPID $S3PID 2>/dev/null || true' EXIT
for i in $(seq 1 600); do
  curl -sf "http://127.0.0.1:$PORT/q/health/ready" >/dev/null 2>&1 && break; sleep 0.5
done
curl -sf -XPOST "http://127.0.0.1:$PORT/v1/vectors/index" -H 'content-type: application/json' \
  -d "{\"name\":\"bench\",\"dimension\":$DIM,\"distance\":\"cosine\"}" >/dev/null
python3 - "$PORT" "$N" "$DIM" "$WORK" <<'PY'
import json, random, sys, time, urllib.request
port, n, dim, work = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
random.seed(1)
centers = [[random.gauss(0, 1) for _ in range(dim)] for _ in range(50)]
def vec():
    c = random.choice(centers); return [round(x + random.gauss(0, 0.5), 4) for x in c]
t = time.time()
for start in range(0, n, 500):
    items = [{"id": f"v-{i}", "vector": vec(), "metadata": {"g": i % 10}} for i in range(start, min(n, start + 500))]
    req = urllib.request.Request(f"http://127.0.0.1:{port}/v1/vectors/index/bench/add", json.dumps({"items": items}).encode(),
                                 {"content-type": "application/json"})
    urllib.request.urlopen(req, timeout=600).read()
print(f"loaded {n} x {dim} through /add (500/request, WAL fsync each) in {time.time()-t:.1f} s = {n/(time.time()-t):.0f} vectors/s")
with open(f"{work}/search.lua", "w") as f:
    body = json.dumps({"vector": vec(), "k": 10})
    f.write('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = ' + json.dumps(body) + "\n")
PY
wrk -t2 -c4 -d"${SECS}s" -s "$WORK/search.lua" "http://127.0.0.1:$PORT/v1/vectors/index/bench/search"
echo "vectord RSS: $(ps -o rss= -p $VPID) KiB"
