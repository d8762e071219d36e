#!/usr/bin/env bash
# JMH benchmark of vectord search (SearchJmh, test scope): HNSW search vs exact scan, one distance evaluation.
# Usage: bench/vectord/jmh.sh [JMH args, e.g. -p n=50000 -p ef=40,100 -rf json -rff /tmp/jmh.json]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
cd "$ROOT/vectord"
mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-cp.txt -Dmdep.includeScope=test >/dev/null
exec "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector \
  -cp "target/test-classes:target/classes:$(cat target/bench-cp.txt)" org.openjdk.jmh.Main SearchJmh "$@"
