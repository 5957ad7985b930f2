#!/usr/bin/env bash
# bench/backlog.sh - a long outage of the next hop: accept N messages while the sink is down, then bring the
# sink back, flush the queue (webadmin, like Postfix's postqueue -f) and measure how fast the backlog drains.
#
#   smtp-source --SMTP--> james-sendonly --(durable queue; next hop down, then up)--> smtp-sink
#
# Prints, every SAMPLE seconds, the server's RSS, its Java heap in use (young and old generations) and the queue sizes,
# then: accept rate, peak RSS, drain rate, and whether every message arrived. Loopback only.
#
# Usage: bench/backlog.sh [options]
#   -n N            messages (default 100000)
#   -c C            concurrent SMTP connections (default 20)
#   -l BYTES        payload bytes per message (default 2048)
#   --sample S      seconds between samples (default 5)
#   --dist DIR      distribution folder (default server/target/james-sendonly-dist/james-sendonly)
#   --keep          keep the scratch dir (server copy, logs, samples.csv)
# Environment: JAVA_OPTS is passed to the server (default: none, the distribution's defaults).
# Needs root (smtp-sink -u postfix), Debian's postfix (smtp-source, smtp-sink), /usr/bin/python3, curl.
# Exit code 0 when the sink received all N messages, 1 otherwise.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
DIST=$ROOT/server/target/james-sendonly-dist/james-sendonly
N=100000; C=20; SIZE=2048; SAMPLE=5; KEEP=0
PY=/usr/bin/python3

die() { echo "backlog: $*" >&2; exit 2; }
log() { echo "backlog: [$(date +%T)] $*" >&2; }
. "$HERE/lib.sh"

while [ $# -gt 0 ]; do
  case "$1" in
    -n) N=$2; shift 2;;
    -c) C=$2; shift 2;;
    -l) SIZE=$2; shift 2;;
    --sample) SAMPLE=$2; shift 2;;
    --dist) DIST=$2; shift 2;;
    --keep) KEEP=1; shift;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0;;
    *) die "unknown option $1 (see --help)";;
  esac
done
for v in N C SIZE SAMPLE; do [[ ${!v} =~ ^[0-9]+$ ]] && [ "${!v}" -ge 1 ] || die "$v must be a positive integer"; done
[ "$(id -u)" = 0 ] || die "run as root (smtp-sink -u postfix)"
[ -x "$DIST/bin/james-sendonly" ] || die "no distribution at $DIST (build: mvn -B -q package -DskipTests)"
for b in smtp-source smtp-sink curl ss jcmd; do command -v $b >/dev/null || die "$b missing"; done

BASE=$(mktemp -d /var/lib/sendonly-backlog.XXXXXX)
chmod 755 "$BASE"
LOGS=$BASE/logs; mkdir -p "$LOGS"
read -r SMTP_PORT WEB_PORT SINK_PORT <<<"$(free_ports 3)"

SRV_PID=""; SINK_PID=""; SRC_PID=""; SAMPLER_PID=""
cleanup() {
  local rc=$?
  set +e
  trap - EXIT INT TERM
  stop_pid "$SAMPLER_PID" 5; stop_pid "$SRC_PID" 5; stop_pid "$SRV_PID" 60; stop_pid "$SINK_PID" 5
  if [ $KEEP = 1 ]; then log "kept $BASE"; else rm -rf "$BASE"; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- our server, next hop = the (down) sink
SRV=$BASE/james-sendonly
cp -a "$DIST" "$SRV"
rm -rf "$SRV/var"/*
sed -i "s#<bind>[^<]*</bind>#<bind>127.0.0.1:$SMTP_PORT</bind>#" "$SRV/conf/smtpserver.xml"
sed -i "s/^port=.*/port=$WEB_PORT/" "$SRV/conf/webadmin.properties"
sed -i "s#<autodiscover>true</autodiscover>#<autodiscover>false</autodiscover>\n    <servers><server>127.0.0.1</server></servers>#" "$SRV/conf/dnsservice.xml"
echo "default [127.0.0.1]:$SINK_PORT" > "$SRV/conf/routes"
grep -q "<bind>127.0.0.1:$SMTP_PORT</bind>" "$SRV/conf/smtpserver.xml" && grep -q "^port=$WEB_PORT\$" "$SRV/conf/webadmin.properties" \
  || die "could not set the ports in the server copy"

SRV_LOG=$LOGS/server.log
log "n=$N conc=$C size=$SIZE; server 127.0.0.1:$SMTP_PORT, webadmin $WEB_PORT, sink $SINK_PORT (down); scratch $BASE; JAVA_OPTS='${JAVA_OPTS:-}'"
( cd "$SRV" && exec bin/james-sendonly ) > "$SRV_LOG" 2>&1 &
SRV_PID=$!
for i in $(seq 1 600); do grep -q "JAMES server started" "$SRV_LOG" && break; kill -0 $SRV_PID || die "server died: $(tail -5 "$SRV_LOG")"; sleep 0.1; done
grep -q "JAMES server started" "$SRV_LOG" || die "server did not start in 60 s"
[ "$(cat /proc/$SRV_PID/comm)" = java ] || die "pid $SRV_PID is not the java process"

webadmin() { curl -s -H "Authorization: Bearer $(cat "$SRV/var/webadmin/token")" "$@"; }
queue_size() { webadmin -m 5 "http://127.0.0.1:$WEB_PORT/mailQueues/$1" | sed -n 's/.*"size":\([0-9]*\).*/\1/p'; }
heap_used_mb() {   # the heap in use, every generation (young and old: the lines with a total)
  jcmd "$SRV_PID" GC.heap_info 2>/dev/null | awk '/total/ && /used/{for(i=1;i<=NF;i++) if($i=="used"){v=$(i+1); sub(/K,?/,"",v); s+=v}} END{print int(s/1024)}'
}
sink_count() { tail -c 256 "$LOGS/sink.out" 2>/dev/null | grep -o 'mesg=[0-9]*' | tail -1 | cut -d= -f2 || true; }
T0=$(date +%s)
sampler() {
  echo "seconds,phase,rss_mb,heap_used_mb,spool,outgoing,sink_received"
  while kill -0 "$SRV_PID" 2>/dev/null; do
    local rss phase=accept
    rss=$(awk '/^VmRSS/{print int($2/1024)}' /proc/$SRV_PID/status 2>/dev/null || echo 0)
    [ -e "$LOGS/sink.up" ] && phase=drain
    echo "$(( $(date +%s) - T0 )),$phase,$rss,$(heap_used_mb),$(queue_size spool),$(queue_size outgoing),$(sink_count)"
    sleep "$SAMPLE"
  done
}
sampler > "$LOGS/samples.csv" &
SAMPLER_PID=$!

# ---------------------------------------------------------------- accept N with the next hop down
log "accepting $N messages over $C connections; the next hop refuses connections"
T_A0=$(date +%s.%N)
smtp-source -s "$C" -m "$N" -l "$SIZE" -f bench@example.com -t rcpt@example.net -S "sendonly backlog" -M client.example.com -d \
  "127.0.0.1:$SMTP_PORT" > "$LOGS/source.out" 2>&1 &
SRC_PID=$!
wait $SRC_PID || die "smtp-source failed: $(tail -3 "$LOGS/source.out")"
SRC_PID=""
T_A1=$(date +%s.%N)
ACCEPT_S=$(echo "$T_A1 - $T_A0" | bc -l)
log "accepted $N in $(printf %.1f "$ACCEPT_S") s; letting the spool settle"
for i in $(seq 1 600); do [ "$(queue_size spool)" = 0 ] && break; sleep 1; done
QUEUED=$(queue_size outgoing)
RSS_ACCEPT=$(awk '/^VmHWM/{print int($2/1024)}' /proc/$SRV_PID/status)
log "queued: spool=$(queue_size spool) outgoing=$QUEUED; peak RSS so far ${RSS_ACCEPT} MB"

# ---------------------------------------------------------------- the next hop returns: flush and drain
( exec smtp-sink -c -u postfix -h sink.example.net "127.0.0.1:$SINK_PORT" 1024 ) > "$LOGS/sink.out" 2> "$LOGS/sink.err" &
SINK_PID=$!
for i in $(seq 1 100); do ss -Hltn "sport = :$SINK_PORT" | grep -q . && break; sleep 0.1; done
touch "$LOGS/sink.up"
T_D0=$(date +%s.%N)
flush() { webadmin -m 600 -XPATCH "http://127.0.0.1:$WEB_PORT/mailQueues/outgoing/mails?delayed=true" --json '{"delayed": false}' >/dev/null || true; }
flush
log "sink up, outgoing queue flushed (PATCH /mailQueues/outgoing/mails?delayed=true, as postqueue -f)"
# A mail in the middle of a failed attempt while the flush ran goes back with its retry delay: like an operator, flush
# again when delivery stalls (at most 5 times); give up after 120 s without progress or 30 minutes in all.
COUNT=0; LAST=0; STILL=0; FLUSHES=1; T_END=$T_D0
while :; do
  sleep 0.5
  COUNT=$(sink_count); COUNT=${COUNT:-0}
  if [ "$COUNT" -gt "$LAST" ]; then LAST=$COUNT; STILL=0; T_END=$(date +%s.%N); else STILL=$((STILL + 1)); fi
  [ "$COUNT" -ge "$N" ] && break
  if [ $STILL = 20 ] && [ $FLUSHES -lt 5 ]; then flush; FLUSHES=$((FLUSHES + 1)); log "delivery stalled at $COUNT: flushed again"; fi
  [ $STILL -ge 240 ] && { log "no progress for 120 s at $COUNT of $N"; break; }
  [ "$(echo "$(date +%s.%N) - $T_D0 > 1800" | bc -l)" = 1 ] && { log "30 minutes: giving up at $COUNT of $N"; break; }
done
DRAIN_S=$(echo "$T_END - $T_D0" | bc -l)
sleep "$SAMPLE"
PEAK_RSS=$(awk '/^VmHWM/{print int($2/1024)}' /proc/$SRV_PID/status)
stop_pid "$SAMPLER_PID" 5; SAMPLER_PID=""

echo "== james-sendonly backlog $(date -u '+%F %T') UTC host=$(hostname) cores=$(nproc) n=$N conc=$C size=$SIZE JAVA_OPTS='${JAVA_OPTS:-}'"
echo "samples (every ${SAMPLE}s; heap = in use, young and old generations):"
column -t -s, "$LOGS/samples.csv" | sed 's/^/  /'
printf 'accept: %d messages in %.1f s = %.1f msgs/s with the next hop down; then spool=0 outgoing=%s\n' "$N" "$ACCEPT_S" "$(echo "$N / $ACCEPT_S" | bc -l)" "$QUEUED"
printf 'drain:  %d of %d delivered in %.1f s after the sink came back = %.1f msgs/s (%d flushes)\n' "$COUNT" "$N" "$DRAIN_S" "$(echo "$COUNT / $DRAIN_S" | bc -l)" "$FLUSHES"
echo "peak RSS: ${RSS_ACCEPT} MB while accepting, ${PEAK_RSS} MB overall"
echo "WARN/ERROR lines in the server log: $(grep -cE ' (WARN|ERROR) ' "$SRV_LOG" || true)"
grep -E ' (WARN|ERROR) ' "$SRV_LOG" | sed -E 's/^[0-9:.]+ //' | sort | uniq -c | sort -rn | head -5 | sed 's/^/  /'
echo "RESULT backlog_n=$N accept_msgs_per_s=$(printf %.1f "$(echo "$N / $ACCEPT_S" | bc -l)") drain_msgs_per_s=$(printf %.1f "$(echo "$COUNT / $DRAIN_S" | bc -l)") delivered=$COUNT peak_rss_mb=$PEAK_RSS ok=$([ "$COUNT" -ge "$N" ] && echo 1 || echo 0)"
[ "$COUNT" -ge "$N" ]
