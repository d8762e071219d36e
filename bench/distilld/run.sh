#!/usr/bin/env bash
# distilld benchmark: N seeded runs (default 100000) through materialize, score and all exports, in process,
# on a local directory store (same key layout as the bucket). Prints runs/s per stage and in total.
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
RUNS=${1:-100000}
mvn -B -q -f distilld/pom.xml test-compile
mvn -B -q -f distilld/pom.xml dependency:build-classpath -Dmdep.outputFile=target/bench.cp >/dev/null
DIR=$(mktemp -d /tmp/distill-bench.XXXXXX)
"$JAVA_HOME/bin/java" -Xmx${BENCH_XMX:-1536m} -cp "distilld/target/test-classes:distilld/target/classes:$(cat distilld/target/bench.cp)" \
  com.lakehouse.distilld.bench.DistillBench "$RUNS" "$DIR"
rm -rf "$DIR"
