#!/usr/bin/env bash
# nmt-snapshot.sh --stack NAME OUTDIR: for each daemon of a running stack started with
# LAKEHOUSE_EXTRA_OPTS=-XX:NativeMemoryTracking=summary, save jcmd VM.native_memory summary (<d>.nmt),
# jcmd GC.heap_info (<d>.heap), /proc status (<d>.rss) and the resident part of the Java heap from smaps
# (<d>.heaprss, KB; committed heap is not all resident) and of the CDS archive or AOT cache (<d>.cdsrss). Then print the table (nmt-table.sh).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
[ "${1:-}" = --stack ] || { echo "usage: nmt-snapshot.sh --stack NAME OUTDIR" >&2; exit 2; }
stack="$2"; out="${3:?OUTDIR}"; mkdir -p "$out"
JCMD="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/jcmd"
for d in gateway embedd vectord matrixd chatd validatord distilld replayd observerd pathwayd catalogd; do
  pid=$(cat "$ROOT/.run/$stack/pids/$d.pid")
  # JDK 25.0.3 crashes (SIGSEGV in FileMapInfo::readonly_total) on VM.native_memory during an AOT training run.
  if [ -f "$ROOT/.run/$stack/pids/$d.aot-training" ]; then echo "$d: AOT training run, skipped" >&2; continue; fi
  "$JCMD" "$pid" VM.native_memory summary > "$out/$d.nmt"
  "$JCMD" "$pid" GC.heap_info > "$out/$d.heap"
  grep -E 'VmRSS|RssAnon|RssFile|Threads' "/proc/$pid/status" | tr '\n' ' ' > "$out/$d.rss"
  # The heap's address range: the first and the last address heap_info prints.
  lo=$(grep -o '0x[0-9a-f]*' "$out/$d.heap" | sort | head -1); hi=$(grep -o '0x[0-9a-f]*' "$out/$d.heap" | sort | tail -1)
  perl -ne 'BEGIN { ($lo, $hi) = (hex($ARGV[0]), hex($ARGV[1])); @ARGV = ($ARGV[2]) }
    if (/^([0-9a-f]+)-[0-9a-f]+ /) { $s = hex($1); $in = ($s >= $lo && $s < $hi) }
    $kb += $1 if $in && /^Rss:\s+(\d+)/;
    END { print $kb + 0, "\n" }' "$lo" "$hi" "/proc/$pid/smaps" > "$out/$d.heaprss"
  # The CDS archive / AOT cache is mapped whole but only partly resident: its resident part, from smaps.
  perl -ne 'if (/^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(\S*)/) { $in = ($1 =~ /(\.aot|\.jsa)$/) }
    $kb += $1 if $in && /^Rss:\s+(\d+)/;
    END { print $kb + 0, "\n" }' "/proc/$pid/smaps" > "$out/$d.cdsrss"
done
uptime > "$out/uptime"
"$ROOT/bench/memory/nmt-table.sh" "$out"
