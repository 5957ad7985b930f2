#!/usr/bin/env bash
# bench/startup.sh - start-up time of one or more distributions, e.g. before and after a dependency change.
#
# Each run copies DIST to a scratch folder (var/ empty: a first start, keystore and webadmin token made), puts SMTP
# and webadmin on free loopback ports, launches bin/james-sendonly and measures, from the launch (startwait.py):
# "JAMES server started" in the log, the first SMTP 220 and the first /healthcheck 200, and the CPU seconds the server
# used until then (less disturbed than wall time when other jobs share the machine); then stops the server.
# With --later, each copy is first started and stopped once unmeasured, and the start measured is the second one
# (var/ as the first start left it: keystore, token, queue store).
# Runs alternate between the DISTs (round 1: A B, round 2: A B, ...) so that machine drift hits each alike.
# Prints one line per run, then per DIST: lib/ jars and MB, and the median of each figure.
#
# Usage: bench/startup.sh [-r RUNS] [--later] [--keep] DIST [DIST...]
#   -r RUNS   runs per distribution (default 5)
#   --later   measure a later start instead of the first
#   --keep    keep the scratch dir (copies and server logs) and print its path
# Environment: JAVA_OPTS is passed to the server (default: the distribution's own).
# Needs /usr/bin/python3. Exit code 0 when every run started, 1 otherwise.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RUNS=5; KEEP=0; LATER=0; DISTS=()
PY=/usr/bin/python3

die() { echo "startup: $*" >&2; exit 2; }
log() { echo "startup: [$(date +%T)] $*" >&2; }
. "$HERE/lib.sh"

while [ $# -gt 0 ]; do
  case "$1" in
    -r) RUNS=$2; shift 2;;
    --keep) KEEP=1; shift;;
    --later) LATER=1; shift;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0;;
    -*) die "unknown option $1 (see --help)";;
    *) DISTS+=("$(cd "$1" && pwd)"); shift;;
  esac
done
[[ $RUNS =~ ^[0-9]+$ ]] && [ "$RUNS" -ge 1 ] || die "RUNS must be a positive integer"
[ ${#DISTS[@]} -ge 1 ] || die "no distribution given (see --help)"
for d in "${DISTS[@]}"; do [ -x "$d/bin/james-sendonly" ] || die "no distribution at $d"; done

BASE=$(mktemp -d /tmp/sendonly-startup.XXXXXX)
SRV_PID=
cleanup() {
  stop_pid "$SRV_PID" 30
  if [ $KEEP = 1 ] || compgen -G "$BASE/*.failed" >/dev/null; then log "kept $BASE"; else rm -rf "$BASE"; fi
}
trap cleanup EXIT

declare -A FIGURES   # "dist index" -> lines "log smtp health"
ALL_OK=1
for run in $(seq 1 "$RUNS"); do
  for i in "${!DISTS[@]}"; do
    SRV=$BASE/d$i-r$run
    cp -a "${DISTS[$i]}" "$SRV"
    rm -rf "$SRV/var"/*
    read -r SMTP_PORT WEB_PORT <<<"$(free_ports 2)"
    sed -i "s#<bind>[^<]*</bind>#<bind>127.0.0.1:$SMTP_PORT</bind>#" "$SRV/conf/smtpserver.xml"
    sed -i "s/^port=.*/port=$WEB_PORT/" "$SRV/conf/webadmin.properties"
    grep -q "<bind>127.0.0.1:$SMTP_PORT</bind>" "$SRV/conf/smtpserver.xml" && grep -q "^port=$WEB_PORT\$" "$SRV/conf/webadmin.properties" \
      || die "could not set the ports in $SRV/conf"
    if [ $LATER = 1 ]; then
      ( cd "$SRV" && exec bin/james-sendonly ) > "$SRV/first.log" 2>&1 &
      SRV_PID=$!
      $PY "$HERE/startwait.py" "$SRV/first.log" "$SMTP_PORT" "$(date +%s.%N)" "$SRV_PID" 120 "$WEB_PORT" >/dev/null \
        || die "the unmeasured first start of ${DISTS[$i]} failed (log: $SRV/first.log)"
      stop_pid "$SRV_PID" 30; SRV_PID=
    fi
    T_LAUNCH=$(date +%s.%N)
    ( cd "$SRV" && exec bin/james-sendonly ) > "$SRV/server.log" 2>&1 &
    SRV_PID=$!
    if OUT=$($PY "$HERE/startwait.py" "$SRV/server.log" "$SMTP_PORT" "$T_LAUNCH" "$SRV_PID" 120 "$WEB_PORT"); then
      OUT+=" cpu_s=$(awk -v t="$(proc_ticks "$SRV_PID")" -v hz="$CLK_TCK" 'BEGIN {printf "%.2f", t / hz}')"
      FIGURES[$i]+="$(sed -n 's/started_log_s=\([^ ]*\) smtp_banner_s=\([^ ]*\) healthcheck_s=\([^ ]*\) cpu_s=\([^ ]*\)/\1 \2 \3 \4/p' <<<"$OUT")"$'\n'
      echo "run $run dist $i: $OUT"
      stop_pid "$SRV_PID" 30; SRV_PID=
      [ $KEEP = 1 ] || rm -rf "$SRV"
    else
      ALL_OK=0
      stop_pid "$SRV_PID" 30; SRV_PID=
      mv "$SRV" "$SRV.failed"
      log "${DISTS[$i]} did not start ($OUT; kept in $SRV.failed); last log lines:"; tail -5 "$SRV.failed/server.log" >&2
    fi
  done
done

median() { sort -n | awk '{v[NR]=$1} END {if (NR == 0) print "na"; else if (NR % 2) print v[(NR+1)/2]; else printf "%.3f\n", (v[NR/2]+v[NR/2+1])/2}'; }
for i in "${!DISTS[@]}"; do
  d=${DISTS[$i]}
  JARS=$(find "$d/lib" -name '*.jar' | wc -l)
  MB=$(du -sb "$d/lib" | awk '{printf "%.1f", $1/1048576}')
  F=${FIGURES[$i]:-}
  echo "dist $i $d: lib/ $JARS jars, $MB MB; medians of $(grep -c . <<<"$F" || true) runs:" \
    "started_log_s=$(awk 'NF{print $1}' <<<"$F" | median)" \
    "smtp_banner_s=$(awk 'NF{print $2}' <<<"$F" | median)" \
    "healthcheck_s=$(awk 'NF{print $3}' <<<"$F" | median)" \
    "cpu_s=$(awk 'NF{print $4}' <<<"$F" | median)"
done
[ $ALL_OK = 1 ]
