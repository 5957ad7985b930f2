# bench/lib.sh - what run.sh and backlog.sh share; sourced, after they define log().

# free_ports N: N distinct free loopback ports in 20000-29999 (never 25, 2525, 8000), on one line
free_ports() {
  /usr/bin/python3 - "$1" <<'PYEOF'
import random, socket, sys
got = []
while len(got) < int(sys.argv[1]):
    p = random.randint(20000, 29999)
    if p in got:
        continue
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p)); got.append(p)
    except OSError:
        pass
    finally:
        s.close()
print(*got)
PYEOF
}

# stop_pid PID SECONDS: TERM, wait, then KILL
stop_pid() {
  local p=$1 i
  [ -n "$p" ] && kill -0 "$p" 2>/dev/null || return 0
  kill "$p" 2>/dev/null
  for i in $(seq 1 $(( $2 * 10 ))); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$p" 2>/dev/null; then log "pid $p did not stop in $2 s; SIGKILL"; kill -9 "$p" 2>/dev/null; fi
  wait "$p" 2>/dev/null || true
}

# proc_ticks PID: the CPU time (utime+stime) of PID so far, in CLK_TCK ticks; 0 once it is gone
proc_ticks() { awk '{sub(/^.*\) /, ""); print $12 + $13}' "/proc/$1/stat" 2>/dev/null || echo 0; } # utime+stime
CLK_TCK=$(getconf CLK_TCK)
