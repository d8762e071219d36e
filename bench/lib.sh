# Helpers shared by the bench scripts. Source it after setting ROOT (the repository root):
#   . "$ROOT/bench/lib.sh"
# It sets an EXIT trap that stops every process registered with bench_track (scripts with their own cleanup
# call bench_cleanup from it). Needs python3 (free ports) and curl.

BENCH_PIDS=()

# A free TCP port on 127.0.0.1.
bench_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# Registers a pid to stop on exit.
bench_track() { BENCH_PIDS+=("$1"); }

# Stops the registered processes (TERM, then waits for them).
bench_cleanup() {
  local p
  for p in "${BENCH_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${BENCH_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap bench_cleanup EXIT

# Waits until URL answers 2xx (tries x 0.5 s, default 240 = 2 min); returns 1 with a message otherwise.
bench_wait_http() {
  local url=$1 tries=${2:-240} _
  for _ in $(seq 1 "$tries"); do
    curl -fsS -o /dev/null "$url" 2>/dev/null && return 0
    sleep 0.5
  done
  echo "not up after $((tries / 2)) s: $url" >&2
  return 1
}

# Starts S3Proxy (filesystem-backed, under WORK/s3) on a free port: sets S3_PORT and S3_ENDPOINT, registers
# the pid. Credentials: $2/$3 (default local-identity / local-credential, the daemons' defaults).
bench_start_s3proxy() {
  local work=$1 identity=${2:-local-identity} credential=${3:-local-credential}
  S3_PORT=$(bench_free_port)
  S3_ENDPOINT="http://127.0.0.1:$S3_PORT"
  mkdir -p "$work/s3"
  cat > "$work/s3.properties" <<P
s3proxy.endpoint=$S3_ENDPOINT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$identity
s3proxy.credential=$credential
jclouds.provider=filesystem
jclouds.filesystem.basedir=$work/s3
P
  "${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java" -Xmx128m -jar "$ROOT/target/tools/s3proxy.jar" \
    --properties "$work/s3.properties" > "$work/s3.log" 2>&1 &
  bench_track $!
  # S3Proxy answers 403 on / without credentials once it is up; any HTTP answer will do.
  local _
  for _ in $(seq 1 120); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$S3_ENDPOINT/" 2>/dev/null)" != 000 ] && return 0
    sleep 0.5
  done
  echo "S3Proxy did not start; see $work/s3.log" >&2
  return 1
}
