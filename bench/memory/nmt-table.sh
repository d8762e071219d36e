#!/usr/bin/env bash
# nmt-table.sh DIR: one markdown row per daemon from the files nmt-snapshot.sh wrote into DIR
# (<daemon>.nmt = jcmd VM.native_memory summary, <daemon>.heap = jcmd GC.heap_info, <daemon>.rss = /proc status).
# Columns are MB: RSS; heap committed (used); metaspace + class space committed; code cache; CDS/AOT (shared
# class space, file-backed); thread stacks (threads); symbols; GC + compiler + internal + other + the rest NMT
# tracks; NMT total (with the heap and the CDS/AOT mapping counted as resident); untracked = RSS - that (native libraries' own malloc such as ONNX or DuckDB,
# glibc arena slack, libjvm's text).
set -euo pipefail
dir="${1:?usage: nmt-table.sh DIR}"
printf '| daemon | RSS | heap committed / resident (used) | metaspace+class | code | CDS/AOT resident | threads (n) | symbols | GC+other | NMT total | untracked |\n'
printf '|---|---|---|---|---|---|---|---|---|---|---|\n'
for d in gateway embedd vectord matrixd chatd validatord distilld replayd observerd pathwayd catalogd; do
  [ -f "$dir/$d.nmt" ] || continue
  awk -v d="$d" -v heapf="$dir/$d.heap" -v rssf="$dir/$d.rss" -v hres="$(cat "$dir/$d.heaprss" 2>/dev/null || echo -1)" -v cres="$(cat "$dir/$d.cdsrss" 2>/dev/null || echo -1)" '
    function mb(kb) { return sprintf("%.0f", kb / 1024) }
    function committed(line) { match(line, /committed=[0-9]+KB/); return substr(line, RSTART + 10, RLENGTH - 12) + 0 }
    /^Total:/ { total = committed($0) }
    /^-/ {
      name = $0; sub(/^- +/, "", name); sub(/ \(reserved.*/, "", name)
      c = committed($0); cat[name] = c
    }
    /\(threads #/ { match($0, /#[0-9]+/); nthreads = substr($0, RSTART + 1, RLENGTH - 1) }
    END {
      while ((getline l < heapf) > 0) if (l ~ /(total|used) [0-9]+K, used/ || l ~ /total [0-9]+K, used [0-9]+K/) {
        match(l, /used [0-9]+K/); hused += substr(l, RSTART + 5, RLENGTH - 6)
      }
      while ((getline l < rssf) > 0) { match(l, /VmRSS:[ \t]+[0-9]+/); s = substr(l, RSTART, RLENGTH); gsub(/[^0-9]/, "", s); rss = s + 0 }
      heap = cat["Java Heap"]; meta = cat["Class"] + cat["Metaspace"]; code = cat["Code"]; cds = cat["Shared class space"]
      thr = cat["Thread"]; sym = cat["Symbol"]
      rest = total - heap - meta - code - cds - thr - sym
      tracked = total - heap + (hres < 0 ? heap : hres) - cds + (cres < 0 ? cds : cres)
      if (cres >= 0) cds = cres
      printf "| %s | %s | %s / %s (%s) | %s | %s | %s | %s (%s) | %s | %s | %s | %s |\n", d, mb(rss), mb(heap), (hres < 0 ? "?" : mb(hres)), mb(hused), mb(meta), mb(code), mb(cds), mb(thr), nthreads, mb(sym), mb(rest), mb(tracked), mb(rss - tracked)
    }' "$dir/$d.nmt"
done
