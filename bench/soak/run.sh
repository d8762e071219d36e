#!/usr/bin/env bash
# The soak of issue 24: bench/soak/run.sh [minutes] (default 10).
# Builds the fleet, starts stack "soak" with the demo data (./lakehouse up --stack soak), runs the driver
# (bench/soak/Soak.java: mixed traffic through the gateway at SOAK_RATE req/s, default 30, while every 30 s a random
# daemon gets kill -9 + ./lakehouse restart or SIGSTOP for 5 s, and S3 is paused once for 10 s), reads back every
# acknowledged write and writes the report to .run/soak/soak-report.md (SOAK_OUT overrides). The stack is
# stopped at the end unless SOAK_KEEP=1. Loopback only. Exit 0 when every must holds.
set -euo pipefail
cd "$(dirname "$0")/../.."
MINUTES="${1:-10}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
STACK="${SOAK_STACK:-soak}"
if [ "${SOAK_BUILD:-1}" = 1 ]; then
  mvn -B -q ${SOAK_M2:+-Dmaven.repo.local=$SOAK_M2} -DskipTests install -pl '!fleet-tests' 2>&1 | grep -vE '^WARNING|Unsafe' || true
fi
./lakehouse up --stack "$STACK" --no-build
stop() { [ "${SOAK_KEEP:-0}" = 1 ] || ./lakehouse down --stack "$STACK"; }
trap stop EXIT
"$JAVA_HOME/bin/java" bench/soak/Soak.java --root . --stack "$STACK" --minutes "$MINUTES" \
  --rate "${SOAK_RATE:-30}" --interval "${SOAK_INTERVAL:-30}" --out "${SOAK_OUT:-.run/$STACK/soak-report.md}"
