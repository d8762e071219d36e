#!/usr/bin/env bash
# chatd dispatcher overhead: wrk at concurrency 10 against a tiny fake OpenAI upstream directly, then through
# chatd (model kimi/fake, kimi's base URL pointed at the fake by config alone). Short runs; numbers are noisy
# on a shared machine, so read the ratio, not the absolutes.
# Usage: bench/chatd/run.sh [duration, default 10s] [warm-up, default 60s]
#   (needs chatd/target/quarkus-app: mvn -B -f chatd/pom.xml package -DskipTests)
# The warm-up matters: on a loaded 2-core box chatd needs ~10k requests before the JIT has compiled its hot
# path; measured cold it looks 10-50x slower than it is.
set -euo pipefail
DUR=${1:-10s}
WARMUP=${2:-60s}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAR="$ROOT/chatd/target/quarkus-app/quarkus-run.jar"
[ -f "$JAR" ] || { echo "build chatd first: mvn -B -f chatd/pom.xml package -DskipTests" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is not installed" >&2; exit 1; }
. "$ROOT/bench/lib.sh"
FP=$(bench_free_port); CP=$(bench_free_port)
LOG=$(mktemp -d)
"$JAVA_HOME/bin/java" "$HERE/FakeOpenAi.java" "$FP" >"$LOG/fake.log" 2>&1 &
bench_track $!
"$JAVA_HOME/bin/java" -Xmx128m -Dquarkus.http.port="$CP" -Dlakehouse.observer-client.enabled=false \
  -Dlakehouse.chatd.providers.kimi.base-url="http://127.0.0.1:$FP/v1" -Dlakehouse.chatd.providers.kimi.api-key=test \
  -jar "$JAR" >"$LOG/chatd.log" 2>&1 &
bench_track $!
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$CP/q/health/ready" >/dev/null 2>&1 && curl -sf -o /dev/null -X POST \
    -H 'Content-Type: application/json' -d '{"model":"fake","messages":[{"role":"user","content":"x"}]}' \
    "http://127.0.0.1:$FP/v1/chat/completions" && break
  sleep 0.5
done
# warm both up (JIT) before measuring
MODEL=kimi/fake wrk -t2 -c10 -d"$WARMUP" -s "$HERE/post.lua" "http://127.0.0.1:$CP/v1/chat/completions" >/dev/null
MODEL=fake wrk -t2 -c10 -d3s -s "$HERE/post.lua" "http://127.0.0.1:$FP/v1/chat/completions" >/dev/null
echo "== direct to the fake upstream (c=10, $DUR)"
MODEL=fake wrk -t2 -c10 -d"$DUR" --latency -s "$HERE/post.lua" "http://127.0.0.1:$FP/v1/chat/completions" | tee "$LOG/direct.txt"
echo "== through chatd, model kimi/fake (c=10, $DUR)"
MODEL=kimi/fake wrk -t2 -c10 -d"$DUR" --latency -s "$HERE/post.lua" "http://127.0.0.1:$CP/v1/chat/completions" | tee "$LOG/chatd.txt"
echo "== through chatd, fleet shape POST /v1/chat (fully asynchronous path), model kimi/fake (c=10, $DUR)"
MODEL=kimi/fake wrk -t2 -c10 -d"$DUR" --latency -s "$HERE/post.lua" "http://127.0.0.1:$CP/v1/chat" | tee "$LOG/chat.txt"
p50() { awk '/ 50%/ {print $2}' "$1"; }
rps() { awk '/Requests\/sec/ {print $2}' "$1"; }
echo "== summary: p50 direct $(p50 "$LOG/direct.txt"), /v1/chat/completions $(p50 "$LOG/chatd.txt"), /v1/chat $(p50 "$LOG/chat.txt"); req/s direct $(rps "$LOG/direct.txt"), /v1/chat/completions $(rps "$LOG/chatd.txt"), /v1/chat $(rps "$LOG/chat.txt"); load: $(cut -d' ' -f1-3 /proc/loadavg)"
