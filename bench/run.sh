#!/usr/bin/env bash
# bench/run.sh - end-to-end throughput benchmark of the james-sendonly distribution, with the
# Postfix (+ OpenDKIM) anchor measured in the same run.
#
#   driver --SMTP--> james-sendonly 127.0.0.1:PORT --(durable queue, RouteDelivery, conf/routes)--> smtp-sink 127.0.0.1:SINK
#
# Everything listens on and talks to loopback only (the server's DNS is pointed at 127.0.0.1 too).
# One run does, in this order (ours sits between the two anchors: the machine drifts):
#   1. anchor: Postfix alone           (/work/shared/bench/anchor-postfix-opendkim.sh --no-dkim)
#   2. ours:   copy the built distribution to a scratch dir, set ports + conf/routes, start it
#              (start-up time), then
#        phase A  smtp-source, same flags as the anchor    -> msgs/s, server CPU ms/msg  (the ratios)
#        phase B  bench/LoadGen.java (C connections)       -> msgs/s, CPU, DATA-to-250 p50/p99
#      then queue/repository/log checks, peak RSS (VmHWM), stop (shutdown time).
#   3. anchor: Postfix + OpenDKIM      (rsa-sha256 2048)
# and prints a summary. By default our server does not DKIM-sign (the distribution ships empty
# conf/dkim tables): "ours vs Postfix alone" is then the fair pair. With --dkim it signs like the
# anchor's OpenDKIM (rsa-sha256 2048, relaxed/relaxed, From oversigned, From domain example.com)
# and "ours vs Postfix + OpenDKIM" is the fair pair.
#
# Usage: bench/run.sh [options]
#   -n N            messages per measurement (default 10000)
#   -c C            concurrent SMTP connections (default 20)
#   -l BYTES        payload bytes per message (default 2048)
#   --quick         N=1000 (smoke run)
#   --dkim          our server signs: a fresh 2048-bit RSA key (bin/genkey) for example.com, selector
#                   s1, in the copy's conf/dkim KeyTable + SigningTable (needs SignDkim in the pipeline)
#                   and, after the measurements, 5 more messages to a dumping sink are verified with
#                   python3-dkim against the new public key (bench/verify-dkim.py)
#   --alg A         with --dkim (implied): rsa (default: rsa-sha256 2048) or ed25519 (ed25519-sha256),
#                   for ours (bin/genkey -a) and the anchor's OpenDKIM (the shared anchor script with
#                   its key generation and SignatureAlgorithm lines changed; opendkim-genkey makes RSA only)
#   --skip-anchor   only our server
#   --conn-cache T  RouteDelivery's connectionCacheTime (shipped 2s; 0s = one SMTP connection per message)
#   --self-check V  SignDkim's selfCheck (shipped always; never, or 1/N for every Nth message): what the
#                   independent verification of each signature costs
#   --no-transport-safe  without MakeTransportSafe (shipped before SignDkim): what the scan costs
#   --no-events     without the event log and the RECEIVED events (conf/events.xml <log enabled="false">, no
#                   PublishReceived mailet): what recording every event costs (the metrics still count)
#   --first-attempt F  RouteDelivery's firstAttempt (shipped spool: on the spooler thread, only deferred
#                   mail is queued again; queue: every mail through the outgoing queue first)
#   --per-conn K    messages per connection before QUIT/reconnect (default 0 = one connection per
#                   slot for the whole run, smtp-source -d / anchor --reuse; K=1: one message per
#                   connection, smtp-source and anchor without -d/--reuse; other K: LoadGen only,
#                   smtp-source and the anchor then use -d/--reuse)
#   --warmup W      before phase A, send W messages with smtp-source, unmeasured (default 0: phase A
#                   includes the JVM's JIT warm-up, as right after a restart; phase B is always warm)
#   --wait-quiet S  before each measurement wait up to S s until the machine has been idle (<15% busy)
#                   for 2 s (shared machine: other jobs skew every figure; also passed to the anchor)
#   --timeout S     per measurement: give up waiting for the sink after S s (default 300; also gives
#                   up when the sink count stalls for 30 s after the driver ended)
#   --dist DIR      distribution folder (default server/target/james-sendonly-dist/james-sendonly)
#   --keep          keep the scratch dir (server copy, logs) and print its path
# Environment: JAVA_OPTS is passed to the server (default: none, the distribution's defaults).
#
# Needs root (smtp-sink -u, postfix, cgroups), Debian's postfix (smtp-source, smtp-sink) and, for
# the anchor, opendkim + opendkim-tools; Debian's /usr/bin/python3; a JDK 17 (javac).
# Exit code 0 when every measurement delivered all N messages (and, with --dkim, every message was
# signed and the 5 checked verify), 1 otherwise.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
SHARED=${SHARED_BENCH:-/work/shared/bench}
DIST=$ROOT/server/target/james-sendonly-dist/james-sendonly
N=10000; C=20; SIZE=2048; ALG=rsa; PER_CONN=0; WARMUP=0; WAIT_QUIET=0; DKIM=0; SKIP_ANCHOR=0; CONN_CACHE=; FIRST_ATTEMPT=; SELF_CHECK=; TRANSPORT_SAFE=1; EVENTS=1; TIMEOUT=300; STALL=30; KEEP=0
PY=/usr/bin/python3
FROM=bench@example.com; RCPT=rcpt@example.net

die() { echo "bench: $*" >&2; exit 2; }
log() { echo "bench: [$(date +%T)] $*" >&2; }
. "$HERE/lib.sh"

while [ $# -gt 0 ]; do
  case "$1" in
    -n) N=$2; shift 2;;
    -c) C=$2; shift 2;;
    -l) SIZE=$2; shift 2;;
    --quick) N=1000; shift;;
    --dkim) DKIM=1; shift;;
    --alg) ALG=$2; DKIM=1; shift 2;;
    --skip-anchor) SKIP_ANCHOR=1; shift;;
    --conn-cache) CONN_CACHE=$2; shift 2;;
    --first-attempt) FIRST_ATTEMPT=$2; shift 2;;
    --self-check) SELF_CHECK=$2; shift 2;;
    --no-transport-safe) TRANSPORT_SAFE=0; shift;;
    --no-events) EVENTS=0; shift;;
    --per-conn) PER_CONN=$2; shift 2;;
    --warmup) WARMUP=$2; shift 2;;
    --wait-quiet) WAIT_QUIET=$2; shift 2;;
    --timeout) TIMEOUT=$2; shift 2;;
    --dist) DIST=$2; shift 2;;
    --keep) KEEP=1; shift;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0;;
    *) die "unknown option $1 (see --help)";;
  esac
done
for v in N C SIZE PER_CONN WARMUP WAIT_QUIET TIMEOUT; do [[ ${!v} =~ ^[0-9]+$ ]] || die "$v must be a non-negative integer"; done
[ "$N" -ge 1 ] && [ "$C" -ge 1 ] || die "-n and -c must be >= 1"
case $ALG in rsa) ALG_DESC="rsa-sha256 2048";; ed25519) ALG_DESC="ed25519-sha256";; *) die "--alg: rsa or ed25519, not '$ALG'";; esac
[ "$(id -u)" = 0 ] || die "run as root (smtp-sink -u postfix, the anchor's postfix, cgroups)"
[ -x "$DIST/bin/james-sendonly" ] || die "no distribution at $DIST (build: mvn -B -q package -DskipTests)"
HAS_SIGNER=0; grep -q 'class="io.sendonly.sign.SignDkim"' "$DIST/conf/mailetcontainer.xml" && HAS_SIGNER=1
if [ $DKIM = 1 ]; then
  [ $HAS_SIGNER = 1 ] && [ -x "$DIST/bin/genkey" ] && [ -d "$DIST/conf/dkim" ] || die "--dkim: this distribution has no SignDkim mailet / bin/genkey / conf/dkim"
fi
for b in smtp-source smtp-sink javac java curl ss; do command -v $b >/dev/null || die "$b missing (apt-get install postfix)"; done
[ -x "$PY" ] || die "$PY missing"
[ -r "$SHARED/wait-sink.py" ] || die "$SHARED/wait-sink.py missing"
if [ $SKIP_ANCHOR = 0 ]; then
  [ -r "$SHARED/anchor-postfix-opendkim.sh" ] || die "$SHARED/anchor-postfix-opendkim.sh missing (or use --skip-anchor)"
  for b in postfix opendkim opendkim-genkey; do command -v $b >/dev/null || die "$b missing (apt-get install postfix opendkim opendkim-tools, or --skip-anchor)"; done
fi
REUSE=1; [ "$PER_CONN" = 1 ] && REUSE=0
ANCHOR=$SHARED/anchor-postfix-opendkim.sh

# ---------------------------------------------------------------- scratch dir, ports
# under /var/lib, not /tmp: same filesystem as the anchor's queue, and opendkim refuses keys
# below a world-writable dir
BASE=$(mktemp -d /var/lib/sendonly-bench.XXXXXX)
chmod 755 "$BASE"
LOGS=$BASE/logs; mkdir -p "$LOGS"

if [ $SKIP_ANCHOR = 0 ] && [ $ALG = ed25519 ]; then
  # the shared anchor with an Ed25519 key (PKCS#8 PEM, which OpenDKIM 2.11 reads; the .txt record
  # as opendkim-genkey writes it) and SignatureAlgorithm ed25519-sha256; nothing else changed
  ANCHOR=$BASE/anchor-postfix-opendkim-ed25519.sh
  sed -e 's|^HERE=.*|HERE='"$SHARED"'|' \
      -e 's|^  opendkim-genkey -b 2048 -d "$DOMAIN" -s "$SELECTOR" -D "$ODK/keys/$DOMAIN"$|  K=$ODK/keys/$DOMAIN/$SELECTOR; openssl genpkey -algorithm ed25519 -out "$K.private" \&\& printf "%s._domainkey\\tIN\\tTXT\\t( \\"v=DKIM1; k=ed25519; p=%s\\" )\\n" "$SELECTOR" "$(openssl pkey -in "$K.private" -pubout -outform DER \| tail -c 32 \| base64)" > "$K.txt"|' \
      -e 's|^SignatureAlgorithm      rsa-sha256$|SignatureAlgorithm      ed25519-sha256|' \
      "$SHARED/anchor-postfix-opendkim.sh" > "$ANCHOR"
  [ "$(diff "$SHARED/anchor-postfix-opendkim.sh" "$ANCHOR" | grep -c '^>')" = 3 ] || die "could not make the ed25519 anchor from $SHARED/anchor-postfix-opendkim.sh (changed?)"
fi

read -r SMTP_PORT WEB_PORT SINK_PORT A_PORT A_SINK_PORT <<<"$(free_ports 5)"

# ---------------------------------------------------------------- cgroup for the load side (sink + drivers)
CG=""
if [ -w /sys/fs/cgroup/cpuacct ] && [ -f /sys/fs/cgroup/cpuacct/cpuacct.usage_user ]; then
  CG=/sys/fs/cgroup/cpuacct/sendonly-bench.$$
  mkdir -p "$CG"
fi
cg_join() { if [ -n "$CG" ]; then echo "$BASHPID" > "$CG/cgroup.procs"; fi; }   # call in a subshell
cg_ns() { if [ -n "$CG" ]; then echo $(( $(cat "$CG/cpuacct.usage_user") + $(cat "$CG/cpuacct.usage_sys") )); else echo 0; fi; }
host_jiffies() { awk '/^cpu /{print $2+$3+$4+$7+$8, $2+$3+$4+$5+$6+$7+$8+$9; exit}' /proc/stat; }   # busy total
declare -A QUIET
wait_quiet() {   # wait_quiet KEY: up to WAIT_QUIET s for 2 consecutive 1-s samples under 15% busy
  [ "$WAIT_QUIET" -gt 0 ] || { QUIET[$1]=na; return 0; }
  local q0=$SECONDS streak=0 b1 t1 b2 t2
  QUIET[$1]=no
  while [ $((SECONDS - q0)) -lt "$WAIT_QUIET" ]; do
    read -r b1 t1 <<<"$(host_jiffies)"; sleep 1; read -r b2 t2 <<<"$(host_jiffies)"
    if [ $((t2 - t1)) -gt 0 ] && [ $((100 * (b2 - b1) / (t2 - t1))) -lt 15 ]; then streak=$((streak + 1)); else streak=0; fi
    if [ $streak -ge 2 ]; then QUIET[$1]=$((SECONDS - q0)); return 0; fi
  done
  log "machine did not get quiet within ${WAIT_QUIET}s; measuring $1 anyway"
}

# ---------------------------------------------------------------- cleanup
SRV_PID=""; SINK_PID=""; DRV_PID=""; WAIT_PID=""; ANCHOR_PID=""
cleanup() {
  local rc=$? i
  set +e
  trap - EXIT INT TERM
  [ -n "$WAIT_PID" ] && stop_pid "$WAIT_PID" 5
  if [ -n "$DRV_PID" ]; then
    [ -s "$LOGS/driver.pid" ] && stop_pid "$(cat "$LOGS/driver.pid")" 5
    stop_pid "$DRV_PID" 5
  fi
  [ -n "$ANCHOR_PID" ] && stop_pid "$ANCHOR_PID" 60   # its own trap stops postfix/opendkim/sink
  [ -n "$SRV_PID" ] && stop_pid "$SRV_PID" 60
  [ -n "$SINK_PID" ] && stop_pid "$SINK_PID" 5
  if [ -n "$CG" ] && [ -d "$CG" ]; then
    for i in $(seq 1 50); do [ -z "$(cat "$CG/cgroup.procs" 2>/dev/null)" ] && break; sleep 0.1; done
    rmdir "$CG" 2>/dev/null || log "could not remove cgroup $CG"
  fi
  if [ $KEEP = 1 ]; then log "kept $BASE"; else rm -rf "$BASE"; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

NCPU=$(nproc)
log "n=$N conc=$C size=$SIZE per_conn=$PER_CONN ports: smtp=$SMTP_PORT webadmin=$WEB_PORT sink=$SINK_PORT anchor=$A_PORT/$A_SINK_PORT; scratch $BASE"

# ---------------------------------------------------------------- anchor runner
declare -A AN_MPS AN_CPU AN_SEC AN_DEL AN_OK AN_LINE AN_CLEAN
run_anchor() {   # run_anchor KEY [extra anchor flags]
  local key=$1; shift
  local flags=(-n "$N" -c "$C" -l "$SIZE" --port "$A_PORT" --sink-port "$A_SINK_PORT"
               --work "$BASE/anchor-$key" --timeout "$TIMEOUT" "$@")
  [ $REUSE = 1 ] && flags+=(--reuse)
  [ "$WAIT_QUIET" -gt 0 ] && flags+=(--wait-quiet "$WAIT_QUIET")
  log "anchor $key: $(basename "$ANCHOR") ${flags[*]}"
  bash "$ANCHOR" "${flags[@]}" > "$LOGS/anchor-$key.out" 2> "$LOGS/anchor-$key.err" &
  ANCHOR_PID=$!
  local rc=0; wait $ANCHOR_PID || rc=$?; ANCHOR_PID=""
  local line; line=$(grep '^anchor=' "$LOGS/anchor-$key.out" | tail -1 || true)
  [ $rc = 0 ] || { log "anchor $key exited rc=$rc:"; tail -5 "$LOGS/anchor-$key.err" >&2; }
  AN_LINE[$key]=$line
  kv() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$line"; }
  AN_MPS[$key]=$(kv msgs_per_s); AN_CPU[$key]=$(kv cpu_ms_per_msg); AN_SEC[$key]=$(kv seconds)
  AN_DEL[$key]=$(kv delivered); AN_OK[$key]=$(kv ok); AN_CLEAN[$key]=$(kv clean)
  echo "$line"
}

ALL_OK=1
if [ $SKIP_ANCHOR = 0 ]; then
  run_anchor nodkim --no-dkim
  [ "${AN_OK[nodkim]:-0}" = 1 ] || ALL_OK=0
fi

# ---------------------------------------------------------------- our server: prepare a copy
SRV=$BASE/james-sendonly
touch "$BASE/copy.mark"; sleep 0.01
cp -a "$DIST" "$SRV"
# someone may be rebuilding the distribution right now: refuse a half-written copy
if [ -n "$(find "$DIST" -newer "$BASE/copy.mark" -print -quit)" ]; then die "$DIST changed while it was copied (a build running?); try again"; fi
DIST_STAMP=$(find "$DIST/lib" -name 'sendonly-*.jar' -printf '%TY-%Tm-%Td %TH:%TM:%.2TS\n' | sort | tail -1)
rm -rf "$SRV/var"/*   # fresh queue, keystore, repositories
edit() {   # edit FILE SED-EXPR GREP-CHECK
  sed -i "$2" "$SRV/conf/$1"
  grep -q "$3" "$SRV/conf/$1" || die "could not edit conf/$1 ($2)"
}
edit smtpserver.xml "s#<bind>[^<]*</bind>#<bind>127.0.0.1:$SMTP_PORT</bind>#" "<bind>127.0.0.1:$SMTP_PORT</bind>"
edit webadmin.properties "s/^port=.*/port=$WEB_PORT/" "^port=$WEB_PORT\$"
echo "default [127.0.0.1]:$SINK_PORT" > "$SRV/conf/routes"   # every message to the sink, as the anchor's relayhost
if [ -n "$CONN_CACHE" ]; then
  edit mailetcontainer.xml "s#<connectionCacheTime>[^<]*</connectionCacheTime>#<connectionCacheTime>$CONN_CACHE</connectionCacheTime>#" \
    "<connectionCacheTime>$CONN_CACHE</connectionCacheTime>"
fi
if [ -n "$SELF_CHECK" ]; then
  edit mailetcontainer.xml "s#<oversignHeaders>From</oversignHeaders>#<oversignHeaders>From</oversignHeaders><selfCheck>$SELF_CHECK</selfCheck>#" \
    "<selfCheck>$SELF_CHECK</selfCheck>"
fi
if [ "$TRANSPORT_SAFE" = 0 ]; then
  sed -i 's#<mailet match="All" class="io.sendonly.mime.MakeTransportSafe"/>##' "$SRV/conf/mailetcontainer.xml"
  ! grep -q MakeTransportSafe "$SRV/conf/mailetcontainer.xml" || die "could not remove MakeTransportSafe from conf/mailetcontainer.xml"
fi
if [ "$EVENTS" = 0 ]; then
  edit events.xml 's#<log enabled="true">#<log enabled="false">#' '<log enabled="false">'
  sed -i 's#<mailet match="All" class="io.sendonly.events.PublishReceived"/>##' "$SRV/conf/mailetcontainer.xml"
  ! grep -q PublishReceived "$SRV/conf/mailetcontainer.xml" || die "could not remove PublishReceived from conf/mailetcontainer.xml"
fi
if [ -n "$FIRST_ATTEMPT" ]; then
  edit mailetcontainer.xml "s#<firstAttempt>[^<]*</firstAttempt>#<firstAttempt>$FIRST_ATTEMPT</firstAttempt>#" \
    "<firstAttempt>$FIRST_ATTEMPT</firstAttempt>"
fi
# never query the host's resolver (not loopback): dnsjava asks 127.0.0.1 (nothing there), the route is an IP
edit dnsservice.xml "s#<autodiscover>true</autodiscover>#<autodiscover>false</autodiscover>\n    <servers><server>127.0.0.1</server></servers>#" \
  "<server>127.0.0.1</server>"
if [ $DKIM = 1 ]; then   # as the anchor's OpenDKIM: one key (2048-bit RSA or Ed25519) signs *@example.com
  GENKEY=(bin/genkey -a "$ALG" -d example.com -s s1 -D conf/dkim/keys); [ $ALG = rsa ] && GENKEY+=(-b 2048)
  ( cd "$SRV" && "${GENKEY[@]}" ) > "$LOGS/genkey.out" 2>&1 \
    || { cat "$LOGS/genkey.out" >&2; die "bin/genkey failed"; }
  [ -s "$SRV/conf/dkim/keys/s1.private" ] || die "bin/genkey wrote no conf/dkim/keys/s1.private"
  echo "s1._domainkey.example.com example.com:s1:keys/s1.private" >> "$SRV/conf/dkim/KeyTable"
  echo "*@example.com s1._domainkey.example.com" >> "$SRV/conf/dkim/SigningTable"
fi
DELIVERY_THREADS=$(sed -n 's#.*<deliveryThreads>\([0-9]*\)</deliveryThreads>.*#\1#p' "$SRV/conf/mailetcontainer.xml")
SPOOL_THREADS=$(sed -n 's#.*<threads>\([0-9]*\)</threads>.*#\1#p' "$SRV/conf/mailetcontainer.xml")

# load generator, compiled before anything is timed
mkdir -p "$BASE/loadgen"
javac -d "$BASE/loadgen" "$HERE/LoadGen.java" || die "javac LoadGen.java failed"
LOADGEN=(java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx256m -cp "$BASE/loadgen" LoadGen 127.0.0.1 "$SMTP_PORT" "$N" "$C" --per-conn "$PER_CONN" --size "$SIZE" --from "$FROM" --to "$RCPT")
SRC=(smtp-source -s "$C" -m "$N" -l "$SIZE" -f "$FROM" -t "$RCPT" -S "sendonly bench" -M client.example.com)
[ $REUSE = 1 ] && SRC+=(-d)
SRC+=("127.0.0.1:$SMTP_PORT")

# ---------------------------------------------------------------- sink
SINK_OUT=$LOGS/sink.out
( cg_join; exec smtp-sink -c -u postfix -h sink.example.net "127.0.0.1:$SINK_PORT" 1024 ) > "$SINK_OUT" 2> "$LOGS/sink.err" &
SINK_PID=$!
for i in $(seq 1 100); do ss -Hltn "sport = :$SINK_PORT" | grep -q . && break; sleep 0.1; done
ss -Hltn "sport = :$SINK_PORT" | grep -q . || { cat "$LOGS/sink.err" >&2; die "smtp-sink did not start"; }

# ---------------------------------------------------------------- start the server
SRV_LOG=$LOGS/server.log
log "starting $SRV (JAVA_OPTS='${JAVA_OPTS:-}')"
T_LAUNCH=$(date +%s.%N)
( cd "$SRV" && exec bin/james-sendonly ) > "$SRV_LOG" 2>&1 &
SRV_PID=$!
STARTUP=$($PY "$HERE/startwait.py" "$SRV_LOG" "$SMTP_PORT" "$T_LAUNCH" "$SRV_PID" 120) || {
  log "server did not start ($STARTUP); last log lines:"; tail -20 "$SRV_LOG" >&2; exit 1; }
STARTED_LOG_S=$(sed -n 's/.*started_log_s=\([^ ]*\).*/\1/p' <<<"$STARTUP")
STARTED_SMTP_S=$(sed -n 's/.*smtp_banner_s=\([^ ]*\).*/\1/p' <<<"$STARTUP")
[ "$(cat /proc/$SRV_PID/comm 2>/dev/null)" = java ] || die "pid $SRV_PID is not the java process"
HEALTH=$(curl -s -m 10 "http://127.0.0.1:$WEB_PORT/healthcheck" | tr -d ' \n' | sed -n 's/.*"status":"\([^"]*\)".*/\1/p' || true)
RSS_IDLE_KB=$(awk '/^VmRSS/{print $2}' /proc/$SRV_PID/status)
log "server pid $SRV_PID up: 'JAMES server started' after ${STARTED_LOG_S}s, SMTP 220 after ${STARTED_SMTP_S}s, healthcheck=${HEALTH:-none}"

# ---------------------------------------------------------------- one measurement against our server
# measure KEY MESSAGES TARGET_SINK_COUNT T0_FROM_LOADGEN(0/1) cmd...   -> sets M_* for KEY
# (the sink counts across measurements: TARGET = messages before + MESSAGES)
declare -A M_SEC M_MPS M_CPU M_DEL M_OK M_HOSTBUSY M_OTHER M_LOADCPU M_DRV M_CLEAN
measure() {
  local key=$1 n=$2 target=$3 t0_from_drv=$4; shift 4
  local out=$LOGS/$key.driver.out end=$LOGS/$key.end
  rm -f "$end" "$LOGS/driver.pid"
  wait_quiet "$key"
  local tk0 tk1 hb0 ht0 hb1 ht1 cg0 cg1 t0 count t_end rc
  tk0=$(proc_ticks "$SRV_PID"); read -r hb0 ht0 <<<"$(host_jiffies)"; cg0=$(cg_ns)
  log "$key: $* (sink target $target)"
  t0=$(date +%s.%N)
  ( cg_join
    "$@" > "$out" 2>&1 &
    echo $! > "$LOGS/driver.pid"; r=0; wait $! || r=$?
    echo "$(date +%s.%N) $r" > "$end.tmp"; mv "$end.tmp" "$end"; exit $r ) &
  DRV_PID=$!
  $PY "$SHARED/wait-sink.py" "$SINK_OUT" "$target" "$TIMEOUT" 0.01 "$end" "$STALL" > "$LOGS/$key.wait" &
  WAIT_PID=$!
  rc=0; wait $WAIT_PID || rc=$?; WAIT_PID=""
  tk1=$(proc_ticks "$SRV_PID"); read -r hb1 ht1 <<<"$(host_jiffies)"; cg1=$(cg_ns)
  read -r count t_end < "$LOGS/$key.wait" || true
  count=${count:-0}; t_end=${t_end:-$(date +%s.%N)}
  case $rc in 0) ;; 2) log "$key: driver failed: $(tail -2 "$out" | tr '\n' ' ')";; *) log "$key: gave up waiting (sink count $count of $target)";; esac
  # the sink may count the last message before the driver has read its 250 and printed its figures
  for i in $(seq 1 100); do [ -e "$end" ] && break; sleep 0.1; done
  if [ ! -e "$end" ]; then log "$key: driver still running; stopping it"; [ -s "$LOGS/driver.pid" ] && kill "$(cat "$LOGS/driver.pid")" 2>/dev/null; fi
  local drc=0; wait "$DRV_PID" || drc=$?; DRV_PID=""
  [ $drc = 0 ] || log "$key: driver rc=$drc: $(tail -3 "$out" | tr '\n' ' ')"
  if [ "$t0_from_drv" = 1 ]; then
    local t; t=$(sed -n 's/.*t_first_connect=\([^ ]*\).*/\1/p' "$out")
    [ -n "$t" ] && t0=$t
  fi
  local delivered=$(( count - (target - n) ))
  M_DEL[$key]=$delivered
  M_OK[$key]=$([ "$delivered" -ge "$n" ] && [ $drc = 0 ] && echo 1 || echo 0)
  M_SEC[$key]=$(awk -v a="$t0" -v b="$t_end" 'BEGIN{printf "%.2f", b-a}')
  M_MPS[$key]=$(awk -v n="$delivered" -v s="${M_SEC[$key]}" 'BEGIN{printf "%.1f", (s>0 ? n/s : 0)}')
  M_CPU[$key]=$(awk -v d=$((tk1 - tk0)) -v hz="$CLK_TCK" -v n="$delivered" 'BEGIN{printf "%.3f", (n>0 ? 1000*d/hz/n : 0)}')
  M_HOSTBUSY[$key]=$(awk -v b=$((hb1 - hb0)) -v t=$((ht1 - ht0)) 'BEGIN{printf "%.0f", (t>0 ? 100*b/t : 0)}')
  M_LOADCPU[$key]=$(awk -v x=$((cg1 - cg0)) 'BEGIN{printf "%.2f", x/1e9}')
  # host CPU not used by the server nor the load side (sink + driver): another job on a shared machine
  M_OTHER[$key]=$(awk -v b=$((hb1 - hb0)) -v hz="$CLK_TCK" -v s=$((tk1 - tk0)) -v l=$((cg1 - cg0)) -v cg="${CG:+1}" \
    'BEGIN{ if (!cg) { print "na"; exit } o = b/hz - s/hz - l/1e9; printf "%.2f", (o > 0 ? o : 0)}')
  # clean=1 (as in the anchor): that other CPU stayed under 0.3 s + 5% of the host CPU used
  M_CLEAN[$key]=$(awk -v o="${M_OTHER[$key]}" -v b=$((hb1 - hb0)) -v hz="$CLK_TCK" 'BEGIN{ if (o == "na") print "na"; else print (o <= 0.3 + 0.05 * b / hz ? 1 : 0) }')
  M_DRV[$key]=$(grep '^loadgen ' "$out" | head -1 || true)
  echo "ours[$key] n=$n conc=$C seconds=${M_SEC[$key]} msgs_per_s=${M_MPS[$key]} cpu_ms_per_msg=${M_CPU[$key]} server_cpu_s=$(awk -v d=$((tk1 - tk0)) -v hz="$CLK_TCK" 'BEGIN{printf "%.2f", d/hz}') delivered=$delivered ok=${M_OK[$key]} load_cpu_s=${M_LOADCPU[$key]} host_busy_pct=${M_HOSTBUSY[$key]} other_cpu_s=${M_OTHER[$key]} clean=${M_CLEAN[$key]} quiet_wait=${QUIET[$key]}"
  [ -n "${M_DRV[$key]}" ] && echo "  ${M_DRV[$key]}"
  return 0
}

SINK_BEFORE=0
if [ "$WARMUP" -gt 0 ]; then
  WARM=("${SRC[@]}"); WARM[4]=$WARMUP   # smtp-source -s C -m W ...
  measure warmup "$WARMUP" "$WARMUP" 0 "${WARM[@]}"
  [ "${M_OK[warmup]}" = 1 ] || die "warm-up did not deliver all $WARMUP messages"
  SINK_BEFORE=$WARMUP
fi
measure smtpsource "$N" $((SINK_BEFORE + N)) 0 "${SRC[@]}"
[ "${M_OK[smtpsource]}" = 1 ] || ALL_OK=0
RSS_A_KB=$(awk '/^VmHWM/{print $2}' /proc/$SRV_PID/status)
if [ "${M_DEL[smtpsource]}" -ge "$N" ]; then
  measure loadgen "$N" $((SINK_BEFORE + 2 * N)) 1 "${LOADGEN[@]}"
  [ "${M_OK[loadgen]}" = 1 ] || ALL_OK=0
else
  log "skipping the LoadGen phase: phase A did not deliver everything (its stragglers would be counted)"
  ALL_OK=0
fi
LG=${M_DRV[loadgen]:-}
lgv() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$LG"; }

# ---------------------------------------------------------------- --dkim: do the signatures verify?
DKIM_CHECK=""
if [ $DKIM = 1 ]; then
  # a few more messages to a dumping sink on the same port, checked with python3-dkim (key from s1.txt)
  stop_pid "$SINK_PID" 5; SINK_PID=""
  mkdir -p "$BASE/dump"; chown postfix "$BASE/dump"
  ( cg_join; exec smtp-sink -u postfix -d "$BASE/dump/%H%M%S." -h sink.example.net "127.0.0.1:$SINK_PORT" 64 ) > "$LOGS/sink-dump.out" 2>&1 &
  SINK_PID=$!
  for i in $(seq 1 100); do ss -Hltn "sport = :$SINK_PORT" | grep -q . && break; sleep 0.1; done
  V=("${LOADGEN[@]}"); V[9]=5; V[10]=1   # LoadGen HOST PORT N C: 5 messages, 1 connection
  "${V[@]}" > "$LOGS/dkim-check.loadgen.out" 2>&1 || log "DKIM check: LoadGen: $(cat "$LOGS/dkim-check.loadgen.out")"
  for i in $(seq 1 300); do [ "$(find "$BASE/dump" -type f | wc -l)" -ge 5 ] && break; sleep 0.1; done
  sleep 0.5   # let smtp-sink finish writing the last file
  if $PY -c 'import dkim' 2>/dev/null; then
    DKIM_CHECK=$($PY "$HERE/verify-dkim.py" "$SRV/conf/dkim/keys/s1.txt" $(find "$BASE/dump" -type f | sort) 2> "$LOGS/dkim-check.err") || {
      ALL_OK=0; log "DKIM check failed: $DKIM_CHECK $(head -3 "$LOGS/dkim-check.err")"; }
  else
    DKIM_CHECK="not checked (apt-get install python3-dkim)"
  fi
fi

# ---------------------------------------------------------------- after the load: queues, repositories, log
sleep 1
QUEUES=""
for q in spool outgoing; do
  s=$(curl -s -m 10 -H "Authorization: Bearer $(cat "$SRV/var/webadmin/token")" "http://127.0.0.1:$WEB_PORT/mailQueues/$q" | sed -n 's/.*"size":\([0-9]*\).*/\1/p' || true)
  QUEUES+="$q=${s:-?} "
done
REPOS=""
for r in error failed relay-denied loop; do
  REPOS+="$r=$(find "$SRV/var/mail/$r" -type f 2>/dev/null | wc -l) "
done
PEAK_RSS_KB=$(awk '/^VmHWM/{print $2}' /proc/$SRV_PID/status)
THREADS=$(awk '/^Threads/{print $2}' /proc/$SRV_PID/status)
LOG_LINES_RUN=$(wc -l < "$SRV_LOG")
WARN_RUN=$(grep -cE '^[0-9:.]+ (WARN|ERROR) ' "$SRV_LOG" || true)
SENT_OK=$(grep -c 'status=delivered' "$SRV_LOG" || true)
NOT_SIGNED=$(grep -c ' not signed: ' "$SRV_LOG" || true)
if [ $DKIM = 1 ]; then SIGN_DESC="signs with DKIM $ALG_DESC ($NOT_SIGNED messages logged 'not signed'; 5 extra messages checked: ${DKIM_CHECK:-none})"
elif [ $HAS_SIGNER = 1 ]; then SIGN_DESC="no DKIM: SignDkim in the pipeline with empty tables, $NOT_SIGNED messages logged 'not signed'"
else SIGN_DESC="no DKIM signing (no SignDkim in this distribution)"; fi
[ $DKIM = 1 ] && [ "$NOT_SIGNED" -gt 0 ] && { log "--dkim: $NOT_SIGNED messages were not signed"; ALL_OK=0; }
EXPECTED_SENT=$((WARMUP + N)); [ -n "${M_DEL[loadgen]:-}" ] && EXPECTED_SENT=$((WARMUP + 2 * N))
[ $DKIM = 1 ] && EXPECTED_SENT=$((EXPECTED_SENT + 5))

T_STOP=$(date +%s.%N)
stop_pid "$SRV_PID" 60; SRV_PID=""
SHUTDOWN_S=$(awk -v a="$T_STOP" -v b="$(date +%s.%N)" 'BEGIN{printf "%.2f", b-a}')
stop_pid "$SINK_PID" 5; SINK_PID=""
SHUTDOWN_LINES=$(tail -n +$((LOG_LINES_RUN + 1)) "$SRV_LOG" | grep -E '^[0-9:.]+ (WARN|ERROR) ' | head -3 | cut -c1-200 || true)
SHUTDOWN_ERRORS=$(tail -n +$((LOG_LINES_RUN + 1)) "$SRV_LOG" | grep -cE '^[0-9:.]+ (WARN|ERROR) ' || true)

if [ $SKIP_ANCHOR = 0 ]; then
  run_anchor dkim
  [ "${AN_OK[dkim]:-0}" = 1 ] || ALL_OK=0
fi

# ---------------------------------------------------------------- summary
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (a == "" || b == "" || b + 0 == 0) print "na"; else printf "%.2f", a / b }'; }
kb_mb() { awk -v k="$1" 'BEGIN{printf "%.0f", k/1024}'; }
conn_desc="persistent connections (smtp-source -d, anchor --reuse)"
[ "$PER_CONN" = 1 ] && conn_desc="one message per connection"
[ "$PER_CONN" -gt 1 ] && conn_desc="LoadGen $PER_CONN msgs/connection; smtp-source -d, anchor --reuse"
echo
echo "== james-sendonly bench $(date '+%F %T %Z') host=$(hostname) cores=$NCPU n=$N conc=$C size=$SIZE, $conn_desc"
echo "   distribution: $DIST (sendonly jars built $DIST_STAMP)"
echo "   server: delivery threads=$DELIVERY_THREADS spooler threads=$SPOOL_THREADS connectionCacheTime=$(sed -n "s#.*<connectionCacheTime>\([^<]*\)<.*#\1#p" "$SRV/conf/mailetcontainer.xml") firstAttempt=$(sed -n "s#.*<firstAttempt>\([^<]*\)<.*#\1#p" "$SRV/conf/mailetcontainer.xml") selfCheck=${SELF_CHECK:-always} transportSafe=$TRANSPORT_SAFE events=$EVENTS JAVA_OPTS='${JAVA_OPTS:-}'"
echo "   ours: $SIGN_DESC"
printf '%-50s %9s %12s %9s %11s %6s\n' "" "msgs/s" "cpu ms/msg" "seconds" "delivered" "clean"
PHASE_A="phase A, cold"; [ "$WARMUP" -gt 0 ] && PHASE_A="phase A, after $WARMUP warm-up"
OURS="ours"; [ $DKIM = 1 ] && OURS="ours+DKIM"
printf '%-50s %9s %12s %9s %11s %6s\n' "$OURS, smtp-source driver ($PHASE_A)" "${M_MPS[smtpsource]}" "${M_CPU[smtpsource]}" "${M_SEC[smtpsource]}" "${M_DEL[smtpsource]}/$N" "${M_CLEAN[smtpsource]}"
if [ -n "${M_MPS[loadgen]:-}" ]; then
  printf '%-50s %9s %12s %9s %11s %6s\n' "$OURS, LoadGen driver (phase B, warm)" "${M_MPS[loadgen]}" "${M_CPU[loadgen]}" "${M_SEC[loadgen]}" "${M_DEL[loadgen]}/$N" "${M_CLEAN[loadgen]}"
fi
if [ $SKIP_ANCHOR = 0 ]; then
  printf '%-50s %9s %12s %9s %11s %6s\n' "anchor: Postfix alone (no DKIM)" "${AN_MPS[nodkim]:-na}" "${AN_CPU[nodkim]:-na}" "${AN_SEC[nodkim]:-na}" "${AN_DEL[nodkim]:-0}/$N" "${AN_CLEAN[nodkim]:-na}"
  printf '%-50s %9s %12s %9s %11s %6s\n' "anchor: Postfix + OpenDKIM ($ALG_DESC)" "${AN_MPS[dkim]:-na}" "${AN_CPU[dkim]:-na}" "${AN_SEC[dkim]:-na}" "${AN_DEL[dkim]:-0}/$N" "${AN_CLEAN[dkim]:-na}"
fi
echo "(clean=1: CPU used by anything but the measured server and the load side stayed under 0.3 s + 5% of the host's)"
echo "ours: DATA-to-250 latency (LoadGen) p50=$(lgv lat_p50_ms) ms p90=$(lgv lat_p90_ms) ms p99=$(lgv lat_p99_ms) ms max=$(lgv lat_max_ms) ms; client-side accept rate $(lgv accept_per_s) msgs/s"
echo "ours: start-up ${STARTED_LOG_S} s to 'JAMES server started', ${STARTED_SMTP_S} s to SMTP 220 (fresh var/: includes keystore generation); healthcheck=${HEALTH:-none}"
echo "ours: RSS idle after start $(kb_mb "$RSS_IDLE_KB") MB; peak RSS (VmHWM) $(kb_mb "$RSS_A_KB") MB after phase A, $(kb_mb "$PEAK_RSS_KB") MB at the end; threads=$THREADS; shutdown ${SHUTDOWN_S} s"
echo "ours: after the load: queues ${QUEUES}repositories ${REPOS}'status=delivered' log lines=$SENT_OK (expected $EXPECTED_SENT); WARN/ERROR lines: $WARN_RUN up to the stop, $SHUTDOWN_ERRORS during shutdown"
echo "machine while ours ran: host busy ${M_HOSTBUSY[smtpsource]}%/${M_HOSTBUSY[loadgen]:-na}% (A/B), CPU charged to neither server nor load side (kernel threads e.g. fsync/jbd2, softirq, other jobs) ${M_OTHER[smtpsource]}/${M_OTHER[loadgen]:-na} s, load side (sink+driver) ${M_LOADCPU[smtpsource]}/${M_LOADCPU[loadgen]:-na} s; clean=${M_CLEAN[smtpsource]}/${M_CLEAN[loadgen]:-na}"
if [ $SKIP_ANCHOR = 0 ]; then
  echo "ratios ours(phase A)/anchor, same driver and flags:"
  R_NODKIM="msgs/s x$(ratio "${M_MPS[smtpsource]}" "${AN_MPS[nodkim]:-}")  cpu ms/msg x$(ratio "${M_CPU[smtpsource]}" "${AN_CPU[nodkim]:-}")"
  R_DKIM="msgs/s x$(ratio "${M_MPS[smtpsource]}" "${AN_MPS[dkim]:-}")  cpu ms/msg x$(ratio "${M_CPU[smtpsource]}" "${AN_CPU[dkim]:-}")"
  if [ $DKIM = 1 ]; then
    echo "  vs Postfix+OpenDKIM (fair pair, both sign $ALG_DESC): $R_DKIM"
    echo "  vs Postfix alone    (ours signs, Postfix does not):  $R_NODKIM"
  else
    echo "  vs Postfix alone   (fair pair, neither signs):    $R_NODKIM"
    echo "  vs Postfix+OpenDKIM (ours does NOT sign this run): $R_DKIM"
  fi
  echo "  (msgs/s: >1 = ours faster; cpu ms/msg: >1 = ours costs more CPU per message)"
  echo "anchor lines:"
  echo "  ${AN_LINE[nodkim]:-none}"
  echo "  ${AN_LINE[dkim]:-none}"
fi
echo "RESULT ours_dkim=$DKIM alg=$ALG conc=$C per_conn=$PER_CONN n=$N ours_msgs_per_s=${M_MPS[smtpsource]} ours_cpu_ms_per_msg=${M_CPU[smtpsource]} ours_lg_msgs_per_s=${M_MPS[loadgen]:-na} ours_lg_cpu_ms_per_msg=${M_CPU[loadgen]:-na} p50_ms=$(lgv lat_p50_ms) p99_ms=$(lgv lat_p99_ms) peak_rss_mb=$(kb_mb "$PEAK_RSS_KB") startup_s=$STARTED_LOG_S smtp_ready_s=$STARTED_SMTP_S anchor_nodkim_msgs_per_s=${AN_MPS[nodkim]:-na} anchor_nodkim_cpu_ms_per_msg=${AN_CPU[nodkim]:-na} anchor_dkim_msgs_per_s=${AN_MPS[dkim]:-na} anchor_dkim_cpu_ms_per_msg=${AN_CPU[dkim]:-na} ok=$ALL_OK"
if [ "$WARN_RUN" -gt 0 ] || [ "$SHUTDOWN_ERRORS" -gt 0 ]; then
  echo "server log WARN/ERROR lines (distinct, first 8):"
  grep -E '^[0-9:.]+ (WARN|ERROR) ' "$SRV_LOG" | cut -d' ' -f2- | sed 's/[0-9]\{3,\}/N/g' | sort | uniq -c | sort -rn | head -8 | cut -c1-220
fi
[ -n "$SHUTDOWN_LINES" ] && { echo "server log WARN/ERROR during shutdown:"; sed 's/^/  /' <<<"$SHUTDOWN_LINES"; }
if [ $KEEP = 1 ]; then echo "logs and server copy kept in $BASE"; fi
[ $ALL_OK = 1 ]
