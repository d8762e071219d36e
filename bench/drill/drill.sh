#!/usr/bin/env bash
# Fault drill: under steady load through the gateway, kill -9 each daemon (except the gateway) in turn.
#
#   bench/drill/drill.sh --stack NAME [--only embedd,vectord] [--settle S] [--max-seconds S] [--out FILE]
#
# Against a running stack (./lakehouse up --stack NAME): reads .run/NAME/stack.env and .run/NAME/api-key, talks
# to the gateway on loopback only. One curl loop per route keeps steady load on a shallow route of every daemon
# (plus one deep route, matrix search, which needs embedd + vectord + matrixd). For each daemon in turn:
#   1. writes something acknowledged (a vector, an observed op) and notes counts (datasets, corpora, traces, ops);
#   2. kill -9 of the daemon's JVM (the pid in .run/NAME/pids, or its child running the daemon's jar);
#   3. time until its route answers 503 through the gateway (must be < 2 s);
#   4. ./lakehouse restart <daemon> --stack NAME; time until the daemon is ready and its route answers 2xx again;
#   5. checks nothing acknowledged was lost and that no other daemon's shallow route failed meanwhile.
# Ends with a table (requests served and errors by route; time-to-503, recovery and lost data per daemon) and a
# check that the fleet is back to all-ready. Exit 0 only when every expectation held. Bounded: each wait has a
# timeout and the whole drill stops at --max-seconds (default 1500).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STACK="${LAKEHOUSE_STACK:-lakehouse}"
ONLY=""
SETTLE=5
MAX_SECONDS=1500
OUT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --stack) STACK="${2:?}"; shift 2 ;;
    --only) ONLY="${2:?}"; shift 2 ;;
    --settle) SETTLE="${2:?}"; shift 2 ;;
    --max-seconds) MAX_SECONDS="${2:?}"; shift 2 ;;
    --out) OUT="${2:?}"; shift 2 ;;
    -h|--help) sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "drill: unknown argument $1" >&2; exit 2 ;;
  esac
done

RUN="$ROOT/.run/$STACK"
[ -f "$RUN/stack.env" ] || { echo "drill: stack $STACK is not up (no $RUN/stack.env)" >&2; exit 2; }
# shellcheck disable=SC1091
. "$RUN/stack.env"
KEY="$(cat "$RUN/api-key")"
declare -A OFFSET=([gateway]=0 [embedd]=1 [vectord]=2 [matrixd]=3 [chatd]=4 [validatord]=5 [distilld]=6
                   [replayd]=7 [observerd]=8 [pathwayd]=9 [catalogd]=10)
GW="http://127.0.0.1:$PORT_BASE"
VICTIMS=(embedd vectord matrixd chatd validatord distilld replayd observerd pathwayd catalogd)
[ -n "$ONLY" ] && IFS=, read -r -a VICTIMS <<< "$ONLY"
for d in "${VICTIMS[@]}"; do
  [ -n "${OFFSET[$d]+x}" ] && [ "$d" != gateway ] || { echo "drill: cannot drill '$d'" >&2; exit 2; }
done

WORK="$RUN/drill/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$WORK"
START=$(date +%s)
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
over_budget() { [ $(( $(date +%s) - START )) -ge "$MAX_SECONDS" ]; }
say() { echo "drill: $*" >&2; }

# ---- routes: one shallow route per daemon (only that daemon behind it), plus the deep matrix search ----------
declare -A ROUTE_METHOD ROUTE_PATH ROUTE_BODY
route() { ROUTE_METHOD[$1]="$2"; ROUTE_PATH[$1]="$3"; ROUTE_BODY[$1]="${4:-}"; }
route embedd     POST /v1/embed '{"texts":["drill steady probe"]}'
route vectord    GET  /v1/vectors/index
route matrixd    GET  /v1/matrix/corpora
route chatd      GET  /v1/chat/providers
route validatord GET  /v1/truth/rules
route distilld   GET  /v1/distill/jobs
route replayd    GET  /v1/replay/jobs
route observerd  GET  /v1/observer/stats
route pathwayd   GET  /v1/pathway/stats
route catalogd   GET  /v1/catalog/datasets
route search     POST /v1/matrix/search '{"query_text":"Need 2 forklift operators in Detroit","corpora":["workers"],"k":5}'
ROUTES=(embedd vectord matrixd chatd validatord distilld replayd observerd pathwayd catalogd search)
# The deep route fails legitimately while any of these is down.
declare -A DEEP_DEPS=([search]="embedd vectord matrixd")

# call METHOD PATH [BODY] -> prints "<code> <seconds>"; never fails.
call() {
  local args=(-s -o /dev/null -w '%{http_code} %{time_total}' --max-time 5 -H "Authorization: Bearer $KEY")
  [ -n "${3:-}" ] && args+=(-H 'Content-Type: application/json' --data "$3")
  curl "${args[@]}" -X "$1" "$GW$2" 2>/dev/null || echo "000 5"
}
# body METHOD PATH [BODY] -> prints the body (empty on failure).
body() {
  local args=(-s --max-time 10 -H "Authorization: Bearer $KEY")
  [ -n "${3:-}" ] && args+=(-H 'Content-Type: application/json' --data "$3")
  curl "${args[@]}" -X "$1" "$GW$2" 2>/dev/null || true
}
code_of() { call "$@" | cut -d' ' -f1; }

# ---- steady load -------------------------------------------------------------------------------------------
LOAD_PIDS=()
STOP="$WORK/stop"
load_loop() {  # route name; appends "<epoch_ms> <code> <seconds>" lines to $WORK/load-<route>.log
  local r="$1" log="$WORK/load-$1.log"
  while [ ! -e "$STOP" ]; do
    local res; res=$(call "${ROUTE_METHOD[$r]}" "${ROUTE_PATH[$r]}" "${ROUTE_BODY[$r]}")
    echo "$(now_ms) $res" >> "$log"
    sleep 0.2
  done
}
stop_load() {
  touch "$STOP"
  for p in "${LOAD_PIDS[@]+"${LOAD_PIDS[@]}"}"; do wait "$p" 2>/dev/null || true; done
  LOAD_PIDS=()
}
trap 'stop_load' EXIT

# ---- processes ---------------------------------------------------------------------------------------------
jar_of() { echo "$ROOT/$1/target/quarkus-app/quarkus-run.jar"; }
runs_jar() { [ -r "/proc/$1/cmdline" ] && tr '\0' ' ' < "/proc/$1/cmdline" | grep -qF -- "$2"; }
# The daemon's JVM: the recorded pid when it runs the jar, else its child that does (the launcher may record the
# subshell that started the JVM).
jvm_pid() {
  local d="$1" jar pid; jar="$(jar_of "$d")"
  pid="$(cat "$RUN/pids/$d.pid" 2>/dev/null || true)"
  [ -n "$pid" ] || return 1
  if runs_jar "$pid" "$jar"; then echo "$pid"; return 0; fi
  for c in $(ps -o pid= --ppid "$pid" 2>/dev/null); do
    if runs_jar "$c" "$jar"; then echo "$c"; return 0; fi
  done
  return 1
}
ready_direct() { [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$(( PORT_BASE + OFFSET[$1] ))/q/health/ready" 2>/dev/null)" = 200 ]; }
ready_count() { body GET /v1/fleet/health | sed -n 's/.*"ready_count":\([0-9]*\).*/\1/p'; }

# ---- acknowledged state: written or counted before a kill, checked after the restart ----------------------
json_num() { sed -n "s/.*\"$1\":\([0-9][0-9]*\).*/\1/p" | head -1; }
count_items() { grep -o "\"$1\"" | wc -l | tr -d ' '; }
VEC_INDEX="drill-$(date +%s)"
before_kill() {  # daemon -> prints a state line; fails the daemon when a write is not acknowledged
  local d="$1"
  case "$d" in
    vectord)
      code_of POST /v1/vectors/index "{\"name\":\"$VEC_INDEX\",\"dimension\":4,\"distance\":\"cosine\"}" >/dev/null
      local c; c=$(code_of POST "/v1/vectors/index/$VEC_INDEX/add" \
        "{\"items\":[{\"id\":\"drill-a\",\"vector\":[1,0,0,0],\"metadata\":{\"drill\":true}},{\"id\":\"drill-b\",\"vector\":[0,1,0,0]}]}")
      echo "vector add $c" ;;
    observerd)
      local c; c=$(code_of POST /v1/observer/event '{"endpoint":"/drill","source":"drill","success":true}')
      echo "event $c total $(body GET /v1/observer/stats | json_num total)" ;;
    catalogd) echo "datasets $(body GET /v1/catalog/datasets | count_items dataset)" ;;
    matrixd) echo "corpora $(body GET /v1/matrix/corpora | count_items name)" ;;
    pathwayd) echo "traces $(body GET /v1/pathway/stats | json_num traces)" ;;
    *) echo "-" ;;
  esac
}
after_restart() {  # daemon, before-line -> prints "ok ..." or "LOST ..."
  local d="$1" before="$2"
  case "$d" in
    vectord)
      [[ "$before" == "vector add 200" ]] || { echo "LOST (add was not acknowledged: $before)"; return; }
      local b; b=$(body POST "/v1/vectors/index/$VEC_INDEX/search" '{"vector":[1,0,0,0],"k":2}')
      if grep -q '"drill-a"' <<< "$b" && grep -q '"drill-b"' <<< "$b"; then echo "ok (2 acknowledged vectors back)"
      else echo "LOST (search after restart: ${b:0:160})"; fi ;;
    observerd)
      local t0 t1; t0=$(awk '{print $4}' <<< "$before"); t1=$(body GET /v1/observer/stats | json_num total)
      if [ -n "$t1" ] && [ -n "$t0" ] && [ "$t1" -ge "$t0" ]; then echo "ok (ops total $t0 -> $t1)"
      else echo "LOST (ops total $t0 -> ${t1:-?})"; fi ;;
    catalogd|matrixd|pathwayd)
      local n0 n1; n0=$(awk '{print $2}' <<< "$before")
      case "$d" in
        catalogd) n1=$(body GET /v1/catalog/datasets | count_items dataset) ;;
        matrixd) n1=$(body GET /v1/matrix/corpora | count_items name) ;;
        pathwayd) n1=$(body GET /v1/pathway/stats | json_num traces) ;;
      esac
      if [ -n "$n1" ] && [ "${n1:-0}" -ge "${n0:-0}" ]; then echo "ok (${before%% *} $n0 -> $n1)"
      else echo "LOST (${before%% *} $n0 -> ${n1:-?})"; fi ;;
    *) echo "ok (stateless route)" ;;
  esac
}

# ---- the drill ---------------------------------------------------------------------------------------------
[ "$(ready_count)" = 11 ] || { echo "drill: the fleet is not all-ready before the drill (ready_count=$(ready_count))" >&2; exit 1; }
for r in "${ROUTES[@]}"; do load_loop "$r" & LOAD_PIDS+=($!); done
say "steady load on ${#ROUTES[@]} routes through $GW; warming up ${SETTLE}s"
sleep "$SETTLE"

declare -A T503 RECOVER ROUTEBACK COLLATERAL DATA KILLED_AT BACK_AT LAUNCHER
FAILED=()
for d in "${VICTIMS[@]}"; do
  if over_budget; then say "time budget of ${MAX_SECONDS}s spent; skipping the rest from $d"; break; fi
  before="$(before_kill "$d")"
  pid="$(jvm_pid "$d")" || { say "$d: no JVM found from $RUN/pids/$d.pid"; FAILED+=("$d: no pid"); continue; }
  say "$d: kill -9 $pid ($before)"
  t_kill=$(now_ms); KILLED_AT[$d]=$t_kill
  kill -9 "$pid"
  # time until the killed daemon's route answers 503 through the gateway
  t503="-"
  while [ $(( $(now_ms) - t_kill )) -lt 10000 ]; do
    if [ "$(code_of "${ROUTE_METHOD[$d]}" "${ROUTE_PATH[$d]}" "${ROUTE_BODY[$d]}")" = 503 ]; then t503=$(( $(now_ms) - t_kill )); break; fi
    sleep 0.05
  done
  T503[$d]=$t503
  # the JVM must be gone (its port released) before the restart; kill -9 is not instantaneous under load
  for _ in $(seq 1 100); do [ -e "/proc/$pid" ] || break; sleep 0.1; done
  sleep 1   # a moment of outage under load
  t_restart=$(now_ms)
  if "$ROOT/lakehouse" restart "$d" --stack "$STACK" > "$WORK/restart-$d.log" 2>&1; then LAUNCHER[$d]=0; else LAUNCHER[$d]=$?; fi
  # ready as the daemon itself reports it (the launcher's own wait may give up early)
  rec="-"
  while [ $(( $(now_ms) - t_restart )) -lt 240000 ]; do
    if ready_direct "$d"; then rec=$(( $(now_ms) - t_restart )); break; fi
    sleep 0.25
  done
  RECOVER[$d]=$rec
  # and until its route answers 2xx through the gateway again (the breaker closes on its next probe)
  back="-"
  while [ $(( $(now_ms) - t_restart )) -lt 300000 ]; do
    c=$(code_of "${ROUTE_METHOD[$d]}" "${ROUTE_PATH[$d]}" "${ROUTE_BODY[$d]}")
    if [[ "$c" == 2* ]]; then back=$(( $(now_ms) - t_restart )); break; fi
    sleep 0.25
  done
  ROUTEBACK[$d]=$back
  BACK_AT[$d]=$(now_ms)
  if [ "$back" = "-" ]; then DATA[$d]="UNCHECKED (the daemon did not come back)"
  else DATA[$d]="$(after_restart "$d" "$before")"; fi
  say "$d: 503 after ${t503} ms, ready ${rec} ms after restart, route back ${back} ms; ${DATA[$d]}"
  sleep "$SETTLE"
done
stop_load
trap - EXIT

# ---- results -----------------------------------------------------------------------------------------------
# Errors on other daemons' shallow routes while one daemon was down (kill -> its route back): must be none.
for d in "${!KILLED_AT[@]}"; do
  from=${KILLED_AT[$d]}; to=${BACK_AT[$d]:-$(now_ms)}; n=0; detail=""
  for r in "${ROUTES[@]}"; do
    [ "$r" = "$d" ] && continue
    deps=" ${DEEP_DEPS[$r]:-$r} "
    [[ "$deps" == *" $d "* ]] && continue
    [ -f "$WORK/load-$r.log" ] || continue
    bad=$(awk -v f="$from" -v t="$to" '$1>=f && $1<=t && $2 !~ /^2/' "$WORK/load-$r.log" | wc -l | tr -d ' ')
    if [ "$bad" -gt 0 ]; then n=$(( n + bad )); detail+=" $r:$bad"; fi
  done
  COLLATERAL[$d]="$n${detail:+ ($detail )}"
done

ready_end="$(ready_count)"
{
  echo
  echo "fault drill: stack $STACK, gateway $GW, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(( $(date +%s) - START )) s"
  echo
  printf '%-11s %-28s %9s %7s %6s %7s %9s\n' ROUTE PATH REQUESTS 2XX 503 OTHER P50_MS
  for r in "${ROUTES[@]}"; do
    f="$WORK/load-$r.log"; [ -f "$f" ] || continue
    p50=$(awk '{print $3}' "$f" | sort -n | awk '{v[NR]=$1} END {if (NR) printf "%.0f", v[int((NR+1)/2)]*1000; else print 0}')
    awk -v r="$r" -v p="${ROUTE_METHOD[$r]} ${ROUTE_PATH[$r]}" -v p50="$p50" '
      { n++; if ($2 ~ /^2/) ok++; else if ($2 == "503") u++; else o++ }
      END { printf "%-11s %-28s %9d %7d %6d %7d %9s\n", r, p, n, ok, u, o, p50 }' "$f"
  done
  echo
  printf '%-11s %12s %14s %14s %-22s %s\n' DAEMON TIME_TO_503 READY_AFTER_MS ROUTE_BACK_MS OTHER_ROUTE_ERRORS ACKNOWLEDGED_DATA
  for d in "${VICTIMS[@]}"; do
    [ -n "${T503[$d]+x}" ] || continue
    printf '%-11s %10s ms %14s %14s %-22s %s\n' "$d" "${T503[$d]}" "${RECOVER[$d]}" "${ROUTEBACK[$d]}" "${COLLATERAL[$d]}" "${DATA[$d]}"
  done
  echo
  echo "fleet ready after the drill: ${ready_end:-?} of 11"
} | tee "$WORK/results.txt"
[ -n "$OUT" ] && cp "$WORK/results.txt" "$OUT"

# ---- verdict -----------------------------------------------------------------------------------------------
for d in "${VICTIMS[@]}"; do
  [ -n "${T503[$d]+x}" ] || { FAILED+=("$d: not drilled"); continue; }
  [ "${T503[$d]}" != "-" ] && [ "${T503[$d]}" -lt 2000 ] || FAILED+=("$d: no 503 within 2 s (${T503[$d]})")
  [ "${RECOVER[$d]}" != "-" ] || FAILED+=("$d: not ready after restart")
  [ "${ROUTEBACK[$d]}" != "-" ] || FAILED+=("$d: its route never answered 2xx again")
  [[ "${COLLATERAL[$d]}" == 0* ]] || FAILED+=("$d: other routes failed while it was down: ${COLLATERAL[$d]}")
  [[ "${DATA[$d]}" == ok* ]] || FAILED+=("$d: ${DATA[$d]}")
  [ "${LAUNCHER[$d]}" = 0 ] || echo "note: ./lakehouse restart $d exited ${LAUNCHER[$d]} (see $WORK/restart-$d.log)" >&2
done
[ "${ready_end:-0}" = 11 ] || FAILED+=("fleet not all-ready after the drill (${ready_end:-?} of 11)")
code_of DELETE "/v1/vectors/index/$VEC_INDEX" >/dev/null || true
if [ ${#FAILED[@]} -gt 0 ]; then
  printf 'drill FAILED:\n' >&2; printf '  - %s\n' "${FAILED[@]}" >&2
  exit 1
fi
echo "drill passed (details in $WORK)"
