#!/usr/bin/env bash
# validatord benchmark: roster load time and heap for N workers (default 500k), then fill and email
# validations per second on one core. Usage: bench/validatord/run.sh [workers] [seconds] [parquet]
# XMX (default 75m) is the heap the load must fit in; the run fails with OutOfMemoryError if it does not.
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
mvn -B -q -f validatord/pom.xml test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test >/dev/null
CP="validatord/target/classes:validatord/target/test-classes:$(cat validatord/target/bench.cp)"
PIN=()
if command -v taskset >/dev/null; then PIN=(taskset -c 0); fi
exec "${PIN[@]}" "$JAVA_HOME/bin/java" -XX:ActiveProcessorCount=1 -Xmx"${XMX:-75m}" --enable-native-access=ALL-UNNAMED \
  -cp "$CP" com.lakehouse.validatord.bench.ValidatordBench "$@"
