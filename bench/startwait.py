#!/usr/bin/python3
"""startwait.py LOG PORT T_LAUNCH PID TIMEOUT_S [WEBADMIN_PORT]

Measures the start-up of the server launched at epoch T_LAUNCH (process PID): polls every 20 ms,
without forking, until all of
  * LOG contains "JAMES server started",
  * 127.0.0.1:PORT accepts a connection and sends a "220" SMTP greeting, and
  * with WEBADMIN_PORT: GET http://127.0.0.1:WEBADMIN_PORT/healthcheck answers 200.
Prints "started_log_s=<s> smtp_banner_s=<s>" and, with WEBADMIN_PORT, " healthcheck_s=<s>" (seconds
after T_LAUNCH; the log time is the poll that first saw the line). Exit 0 when all happened, 1 on
timeout, 3 when PID died first."""
import http.client
import os
import socket
import sys
import time

log, port, t_launch, pid, timeout = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
webadmin_port = int(sys.argv[6]) if len(sys.argv) > 6 else None
deadline = time.monotonic() + timeout
t_log = t_banner = t_health = None
pos = 0
tail = b""


def alive():
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().split(") ")[-1][0] != "Z"
    except OSError:
        return False


def out(rc):
    fmt = lambda t: "%.3f" % (t - t_launch) if t is not None else "na"
    health = " healthcheck_s=%s" % fmt(t_health) if webadmin_port is not None else ""
    print("started_log_s=%s smtp_banner_s=%s%s" % (fmt(t_log), fmt(t_banner), health))
    sys.exit(rc)


while True:
    if t_log is None:
        try:
            with open(log, "rb") as f:
                f.seek(pos)
                chunk = f.read()
                pos += len(chunk)
            buf = tail + chunk
            if b"JAMES server started" in buf:
                t_log = time.time()
            tail = buf[-64:]
        except FileNotFoundError:
            pass
    if t_banner is None:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
                s.settimeout(5)
                data = s.recv(512)
                if data.startswith(b"220"):
                    t_banner = time.time()
                    try:
                        s.sendall(b"QUIT\r\n")
                        s.recv(512)
                    except OSError:
                        pass
        except OSError:
            pass
    if webadmin_port is not None and t_health is None:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", webadmin_port, timeout=2)
            conn.request("GET", "/healthcheck")
            if conn.getresponse().status == 200:
                t_health = time.time()
            conn.close()
        except OSError:
            pass
    if t_log is not None and t_banner is not None and (webadmin_port is None or t_health is not None):
        out(0)
    if not alive():
        out(3)
    if time.monotonic() > deadline:
        out(1)
    time.sleep(0.02)
