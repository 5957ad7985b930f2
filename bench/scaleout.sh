#!/usr/bin/env bash
# bench/scaleout.sh - the scale-out profile against the embedded default, in one run:
#
#   1. embedded:   one node, its own embedded broker (the default)
#   2. external-1: one node, conf/queue.properties -> a shared-store pair of ActiveMQ brokers
#   3. external-2: two nodes on that pair, the connections split between them
#
#   LoadGen (C connections) --SMTP--> node(s) 127.0.0.1 --(queue, RouteDelivery)--> smtp-sink -c 127.0.0.1
#
# Each setup starts from fresh copies (empty var/, empty broker store) and a fresh sink, sends W warm-up messages
# (not measured), then N measured ones. Per setup it prints msgs/s (first connect to the N-th message counted by
# the sink), the DATA-to-250 p99 (LoadGen; with two nodes, the higher of the two drivers), the CPU per message of
# each node and of the serving broker (utime+stime from /proc), and the capacity per core that follows:
# 1000 / (CPU ms per message) on one core. With two cores the machine cannot show linear scaling, so the figure to
# read is the CPU per message per node: if it stays flat from one node to two, capacity grows with the nodes.
#
# The brokers are bench copies of the test's SharedStoreBroker (server/target/test-classes), with the broker jars of
# the distribution's lib/ and activemq-jaas from ~/.m2 (a test dependency): build with mvn verify first.
#
# Usage: bench/scaleout.sh [-n N] [-c C] [--warmup W] [--dist DIR] [--keep]
#   -n N        measured messages per setup (default 5000)
#   -c C        concurrent SMTP connections in all (default 20)
#   --warmup W  unmeasured messages first (default 2000)
#   --keep      keep the scratch dir and print its path
# Needs root (smtp-sink -u postfix), Debian's postfix (smtp-sink), JDK 17, /usr/bin/python3,
# /work/shared/bench/wait-sink.py (SHARED_BENCH=DIR elsewhere). Loopback only.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
SHARED=${SHARED_BENCH:-/work/shared/bench}
DIST=$ROOT/server/target/james-sendonly-dist/james-sendonly
TEST_CLASSES=$ROOT/server/target/test-classes
N=5000; C=20; WARMUP=2000; KEEP=0; TIMEOUT=300
PY=/usr/bin/python3
BROKER_USER=bench-node; BROKER_PASSWORD=bench-$RANDOM$RANDOM

die() { echo "bench: $*" >&2; exit 2; }
log() { echo "bench: [$(date +%T)] $*" >&2; }
. "$HERE/lib.sh"

while [ $# -gt 0 ]; do
  case "$1" in
    -n) N=$2; shift 2;;
    -c) C=$2; shift 2;;
    --warmup) WARMUP=$2; shift 2;;
    --dist) DIST=$2; shift 2;;
    --keep) KEEP=1; shift;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0;;
    *) die "unknown option $1 (see --help)";;
  esac
done
for v in N C WARMUP; do [[ ${!v} =~ ^[0-9]+$ ]] || die "$v must be a non-negative integer"; done
[ "$N" -ge 2 ] && [ "$C" -ge 2 ] || die "-n and -c must be >= 2 (two nodes share them)"
[ "$(id -u)" = 0 ] || die "run as root (smtp-sink -u postfix)"
[ -x "$DIST/bin/james-sendonly" ] || die "no distribution at $DIST (build: mvn -B -q -pl server -am verify)"
[ -f "$TEST_CLASSES/io/sendonly/server/testing/SharedStoreBroker.class" ] || die "no $TEST_CLASSES (build the server module's tests)"
JAAS=$(find "$HOME/.m2/repository/org/apache/activemq/activemq-jaas" -name 'activemq-jaas-*.jar' | sort | tail -1)
[ -n "$JAAS" ] || die "activemq-jaas not in ~/.m2 (build the server module's tests)"
for b in smtp-sink javac java; do command -v $b >/dev/null || die "$b missing"; done
[ -r "$SHARED/wait-sink.py" ] || die "$SHARED/wait-sink.py missing"

BASE=$(mktemp -d /var/lib/sendonly-scaleout.XXXXXX)
chmod 755 "$BASE"
LOGS=$BASE/logs; mkdir -p "$LOGS"
PIDS=()
cleanup() {
  local rc=$? p
  set +e
  trap - EXIT INT TERM
  for p in "${PIDS[@]}"; do stop_pid "$p" 30; done
  if [ $KEEP = 1 ]; then log "kept $BASE"; else rm -rf "$BASE"; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$BASE/loadgen"
javac -d "$BASE/loadgen" "$HERE/LoadGen.java" || die "javac LoadGen.java failed"

# node NAME SINK_PORT [BROKER_URL]: a fresh copy configured for the sink (and the brokers); prints "SMTP_PORT"
node() {
  local srv=$BASE/$1 smtp web
  read -r smtp web <<<"$(free_ports 2)"
  cp -a "$DIST" "$srv"
  rm -rf "$srv/var"/*
  sed -i "s#<bind>[^<]*</bind>#<bind>127.0.0.1:$smtp</bind>#" "$srv/conf/smtpserver.xml"
  sed -i "s/^port=.*/port=$web/" "$srv/conf/webadmin.properties"
  echo "default [127.0.0.1]:$2" > "$srv/conf/routes"
  sed -i "s#<autodiscover>true</autodiscover>#<autodiscover>false</autodiscover>\n    <servers><server>127.0.0.1</server></servers>#" "$srv/conf/dnsservice.xml"
  if [ -n "${3:-}" ]; then
    ( umask 077; printf 'user=%s\npassword=%s\n' "$BROKER_USER" "$BROKER_PASSWORD" > "$srv/conf/queue.credentials" )
    printf 'engine=external\nbroker.url=failover:(%s)?initialReconnectDelay=100&maxReconnectDelay=1000\nbroker.credentials=conf/queue.credentials\n' "$3" > "$srv/conf/queue.properties"
  fi
  echo "$smtp"
}

# start_node NAME SMTP_PORT: starts it, waits for SMTP 220; prints its pid
start_node() {
  local srv=$BASE/$1 t pid
  t=$(date +%s.%N)
  ( cd "$srv" && exec bin/james-sendonly ) > "$LOGS/$1.log" 2>&1 &
  pid=$!
  $PY "$HERE/startwait.py" "$LOGS/$1.log" "$2" "$t" "$pid" 120 > /dev/null || { tail -20 "$LOGS/$1.log" >&2; die "$1 did not start"; }
  echo "$pid"
}

# start_broker NAME PORT STORE: a SharedStoreBroker process; prints its pid
start_broker() {
  BROKER_PASSWORD=$BROKER_PASSWORD java -Xmx256m -cp "$DIST/lib/*:$TEST_CLASSES:$JAAS" io.sendonly.server.testing.SharedStoreBroker \
    127.0.0.1 "$2" "$3" "$BROKER_USER" > "$LOGS/$1.log" 2>&1 &
  echo $!
}

await_port() {   # await_port PORT SECONDS
  local i
  for i in $(seq 1 $(( $2 * 10 ))); do ss -Hltn "sport = :$1" | grep -q . && return 0; sleep 0.1; done
  return 1
}

# run_setup KEY NODES EXTERNAL(0/1)
declare -A MPS P99 NODE_CPU BROKER_CPU DELIVERED
run_setup() {
  local key=$1 nodes=$2 external=$3 sink_port b1 b2 url="" i
  read -r sink_port b1 b2 <<<"$(free_ports 3)"
  smtp-sink -c -u postfix -h sink.example.net "127.0.0.1:$sink_port" 1024 > "$LOGS/$key.sink" 2> "$LOGS/$key.sink.err" &
  local sink_pid=$!; PIDS+=("$sink_pid")
  await_port "$sink_port" 10 || die "smtp-sink did not start"
  local broker_pid="" standby_pid=""
  if [ "$external" = 1 ]; then
    broker_pid=$(start_broker "$key-broker1" "$b1" "$BASE/$key-store"); PIDS+=("$broker_pid")
    await_port "$b1" 60 || die "broker did not start: $(tail -5 "$LOGS/$key-broker1.log")"
    standby_pid=$(start_broker "$key-broker2" "$b2" "$BASE/$key-store"); PIDS+=("$standby_pid")
    url="tcp://127.0.0.1:$b1,tcp://127.0.0.1:$b2"
  fi
  local ports=() pids=()
  for i in $(seq 1 "$nodes"); do
    ports+=("$(node "$key-node$i" "$sink_port" "$url")")
    pids+=("$(start_node "$key-node$i" "${ports[-1]}")"); PIDS+=("${pids[-1]}")
  done
  log "$key: $nodes node(s) up (ports ${ports[*]}), sink $sink_port${url:+, brokers $url}"

  # load LABEL MESSAGES: LoadGen drivers, the connections and messages split between the nodes; waits for the sink
  local sent=0
  load() {
    local label=$1 n=$2 j drv=()
    sent=$((sent + n))
    for j in $(seq 0 $((nodes - 1))); do
      java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx256m -cp "$BASE/loadgen" LoadGen 127.0.0.1 "${ports[$j]}" \
        $((n / nodes)) $((C / nodes)) --per-conn 0 > "$LOGS/$key.$label.loadgen$j" 2>&1 &
      drv+=($!)
    done
    for j in "${drv[@]}"; do wait "$j" || log "$key $label: a driver failed: $(cat "$LOGS/$key.$label.loadgen"*)"; done
    $PY "$SHARED/wait-sink.py" "$LOGS/$key.sink" "$sent" "$TIMEOUT" 0.01 > "$LOGS/$key.$label.wait" || log "$key $label: sink short: $(cat "$LOGS/$key.$label.wait")"
  }
  [ "$WARMUP" -gt 0 ] && load warmup $(( WARMUP / nodes * nodes ))
  local measured=$(( N / nodes * nodes )) t0s=() ticks0=() ticks1=() b0 b1t
  for i in "${pids[@]}"; do ticks0+=("$(proc_ticks "$i")"); done
  b0=$([ -n "$broker_pid" ] && proc_ticks "$broker_pid" || echo 0)
  load measured "$measured"
  for i in "${pids[@]}"; do ticks1+=("$(proc_ticks "$i")"); done
  b1t=$([ -n "$broker_pid" ] && proc_ticks "$broker_pid" || echo 0)
  local count t_end t_first
  read -r count t_end < "$LOGS/$key.measured.wait"
  t_first=$(cat "$LOGS/$key.measured.loadgen"* | sed -n 's/.*t_first_connect=\([^ ]*\).*/\1/p' | sort -n | head -1)
  DELIVERED[$key]=$(( count - (sent - measured) ))/$measured
  MPS[$key]=$(awk -v n=$((count - (sent - measured))) -v a="$t_first" -v b="$t_end" 'BEGIN{printf "%.1f", n/(b-a)}')
  P99[$key]=$(cat "$LOGS/$key.measured.loadgen"* | sed -n 's/.*lat_p99_ms=\([^ ]*\).*/\1/p' | sort -g | tail -1)
  NODE_CPU[$key]=""
  for i in $(seq 0 $((nodes - 1))); do
    NODE_CPU[$key]+="$(awk -v d=$(( ticks1[i] - ticks0[i] )) -v hz="$CLK_TCK" -v n=$((measured / nodes)) 'BEGIN{printf "%.3f", 1000*d/hz/n}') "
  done
  BROKER_CPU[$key]=$([ -n "$broker_pid" ] && awk -v d=$((b1t - b0)) -v hz="$CLK_TCK" -v n="$measured" 'BEGIN{printf "%.3f", 1000*d/hz/n}' || echo "-")
  for i in "${pids[@]}" $standby_pid $broker_pid "$sink_pid"; do stop_pid "$i" 60; done
  log "$key: ${MPS[$key]} msgs/s, p99 ${P99[$key]} ms, node cpu ms/msg ${NODE_CPU[$key]}, broker ${BROKER_CPU[$key]}"
}

log "n=$N conc=$C warmup=$WARMUP; scratch $BASE"
run_setup embedded 1 0
run_setup external-1 1 1
run_setup external-2 2 1

echo
echo "== james-sendonly scale-out bench $(date '+%F %T %Z') host=$(hostname) cores=$(nproc) n=$N conc=$C warmup=$WARMUP load=$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-12s %6s %9s %8s %11s %-18s %12s %-22s\n' setup nodes msgs/s p99_ms delivered "node cpu ms/msg" "broker ms/msg" "node msgs/s per core"
for key in embedded external-1 external-2; do
  per_core=$(for c in ${NODE_CPU[$key]}; do awk -v c="$c" 'BEGIN{printf "%.0f ", (c>0 ? 1000/c : 0)}'; done)
  printf '%-12s %6s %9s %8s %11s %-18s %12s %-22s\n' "$key" "$([ $key = external-2 ] && echo 2 || echo 1)" "${MPS[$key]}" "${P99[$key]}" \
    "${DELIVERED[$key]}" "${NODE_CPU[$key]}" "${BROKER_CPU[$key]}" "$per_core"
done
echo "(node msgs/s per core = 1000 / node CPU ms per message: what one core of a node can take, broker CPU not included)"
