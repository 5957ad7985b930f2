#!/usr/bin/env bash
# bench/matrix.sh - bench/run.sh --dkim over the variants: signing algorithm (rsa-2048, ed25519) x
# concurrent connections (1, 5, 20, 100) x connection pattern (many messages per connection, one per
# connection). Each cell is one run.sh: ours and the anchor on the same load, one after the other.
# Prints one table row per cell (phase A, smtp-source driver, the same flags for both) and the ratio.
#
# Usage: bench/matrix.sh [-n N] [--warmup W] [--algs "rsa ed25519"] [--conns "1 5 20 100"]
#                        [--per-conn "0 1"] [--out DIR] [--dist DIR]
#   -n N        messages per measurement (default 3000)
#   --warmup W  unmeasured messages before phase A (default 2000: the figures are for a warm server)
#   --out DIR   keep every run.sh output there (default: a temporary dir, removed)
#   --dist DIR  distribution folder, passed to run.sh (default: run.sh's)
# Needs what run.sh needs (root, postfix, opendkim, opendkim-tools, python3-dkim, a built distribution).
# Exit code 0 when every cell delivered everything (and every signature checked verified).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
N=3000; WARMUP=2000; ALGS="rsa ed25519"; CONNS="1 5 20 100"; PER_CONNS="0 1"; OUT=""; DIST_ARGS=()

die() { echo "matrix: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    -n) N=$2; shift 2;;
    --warmup) WARMUP=$2; shift 2;;
    --algs) ALGS=$2; shift 2;;
    --conns) CONNS=$2; shift 2;;
    --per-conn) PER_CONNS=$2; shift 2;;
    --out) OUT=$2; shift 2;;
    --dist) DIST_ARGS=(--dist "$2"); shift 2;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0;;
    *) die "unknown option $1 (see --help)";;
  esac
done
KEEP_OUT=1
if [ -z "$OUT" ]; then OUT=$(mktemp -d); KEEP_OUT=0; fi
mkdir -p "$OUT"
trap '[ $KEEP_OUT = 1 ] || rm -rf "$OUT"' EXIT

val() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (a == "" || a == "na" || b == "" || b == "na" || b + 0 == 0) print "na"; else printf "%.2f", a / b }'; }

ROWS=(); ALL_OK=1
for alg in $ALGS; do
  for pc in $PER_CONNS; do
    for c in $CONNS; do
      f=$OUT/run-$alg-c$c-pc$pc.log
      echo "matrix: [$(date +%T)] --alg $alg -c $c --per-conn $pc -n $N --warmup $WARMUP" >&2
      rc=0; bash "$HERE/run.sh" --alg "$alg" -c "$c" --per-conn "$pc" -n "$N" --warmup "$WARMUP" "${DIST_ARGS[@]}" > "$f" 2>&1 || rc=$?
      r=$(grep '^RESULT ' "$f" | tail -1 || true)
      [ $rc = 0 ] && [ "$(val ok "$r")" = 1 ] || { ALL_OK=0; echo "matrix: that run failed (rc=$rc), see $f" >&2; KEEP_OUT=1; }
      ours=$(val ours_msgs_per_s "$r"); ocpu=$(val ours_cpu_ms_per_msg "$r")
      an=$(val anchor_dkim_msgs_per_s "$r"); acpu=$(val anchor_dkim_cpu_ms_per_msg "$r")
      conn="many/conn"; [ "$pc" = 1 ] && conn="1/conn"
      ROWS+=("$(printf '%-8s %5s %-10s %9s %9s %9s %9s %8s %8s %8s %4s' "$alg" "$c" "$conn" "${ours:-na}" "${ocpu:-na}" \
        "${an:-na}" "${acpu:-na}" "x$(ratio "$ours" "$an")" "x$(ratio "$ocpu" "$acpu")" "$(val p99_ms "$r")" "$(val ok "$r")")")
    done
  done
done

echo
echo "== james-sendonly bench matrix $(date '+%F %T %Z') host=$(hostname) cores=$(nproc) n=$N warm-up=$WARMUP, size 2048"
echo "   ours+DKIM (phase A, smtp-source) vs Postfix + OpenDKIM with the same key type, driver and flags; p99: DATA-to-250, LoadGen phase"
printf '%-8s %5s %-10s %9s %9s %9s %9s %8s %8s %8s %4s\n' alg conns pattern "ours/s" "ours ms" "anchor/s" "anch ms" "x msgs/s" "x cpu" "p99 ms" ok
printf '%s\n' "${ROWS[@]}"
[ $KEEP_OUT = 1 ] && echo "run.sh outputs in $OUT"
[ $ALL_OK = 1 ]
