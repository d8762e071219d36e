#!/usr/bin/env bash
# In-process vectord benchmark (VectordBench, test scope). Usage: bench/vectord/run.sh [-Dn=100000 -Ddim=384 ...]
# Needs: mvn -f vectord/pom.xml test-compile (done here) and the S3Proxy jar in target/tools (common-contracts build).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
cd "$ROOT/vectord"
mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-cp.txt -Dmdep.includeScope=test >/dev/null
exec "$JAVA_HOME/bin/java" -Xmx${BENCH_XMX:-2g} --add-modules jdk.incubator.vector -Dlakehouse.tools.dir="$ROOT/target/tools" "$@" \
  -cp "target/test-classes:target/classes:$(cat target/bench-cp.txt)" com.lakehouse.vectord.bench.VectordBench
