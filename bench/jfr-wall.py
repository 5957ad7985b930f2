#!/usr/bin/python3
"""jfr-wall.py RECORDING.jfr [N]: where the wall-clock time of each thread pool goes.

For a recording made with bench/wall.jfc (samples plus every park, lock, fsync and socket wait, threshold 0), prints
per thread pool (thread name with its digits folded to N) and per area of the data flow (jfr_areas.AREAS) the
seconds spent running Java (ExecutionSample × period), in native code (NativeMethodSample × period), and in each
kind of wait, then the N (default 8) longest wait sites per pool: which frame parks, on which lock or file. A wait
whose stack shows a pool idling for work (a task queue, a selector) counts as `idle`, not as a message's wait, so
that the table answers "what does a message wait for" between DATA and 250, in the spooler and in delivery.
The run and native columns are lower bounds: the JVM samples a few threads per period (on JDK 17 at most 5 in Java
and 1 in native code), so take CPU time from run.sh; the wait columns are exact sums."""
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict

from jfr_areas import area_of, frame_names

SAMPLE_PERIOD_S = 0.010  # bench/wall.jfc: both samplers at 10 ms
STACK_DEPTH = 16  # `jfr print` keeps 5 frames by default: too few to see past a park to its site or its area

# event type -> column; samples carry no duration and count SAMPLE_PERIOD_S each
KINDS = {
    "jdk.ExecutionSample": "run",
    "jdk.NativeMethodSample": "native",
    "jdk.ThreadPark": "park",
    "jdk.JavaMonitorEnter": "lock",
    "jdk.JavaMonitorWait": "wait",
    "jdk.ThreadSleep": "sleep",
    "jdk.FileForce": "fsync",
    "jdk.FileWrite": "file",
    "jdk.FileRead": "file",
    "jdk.SocketRead": "sock",
    "jdk.SocketWrite": "sock",
}
COLUMNS = ["run", "native", "park", "lock", "wait", "sleep", "fsync", "file", "sock", "idle"]

# Frames that mean "this thread has nothing to do": its time is not a message's.
IDLE_FRAMES = (
    "java.util.concurrent.ThreadPoolExecutor.getTask",
    "java.util.concurrent.ForkJoinPool.awaitWork",
    "java.util.concurrent.ForkJoinPool.runWorker",
    "sun.nio.ch.EPoll.wait",
    "sun.nio.ch.SelectorImpl.select",
    "io.netty.channel.nio.NioEventLoop.select",
    "io.netty.util.concurrent.SingleThreadEventExecutor.takeTask",
    "java.lang.ref.Reference.waitForReferencePendingList",
    "java.lang.ref.ReferenceQueue.remove",
    "sun.nio.ch.Net.accept",
    "sun.nio.ch.ServerSocketChannelImpl.accept",
    "java.net.ServerSocket.accept",
)
# Frames that only implement a wait; the site is the first frame below them.
WAIT_PLUMBING = ("java.util.concurrent.locks.", "jdk.internal.misc.Unsafe.", "java.lang.Object.wait",
                 "java.lang.Thread.sleep", "java.util.concurrent.", "java.io.", "sun.nio.ch.", "java.nio.",
                 "jdk.internal.", "java.lang.Thread.", "java.net.")

DURATION = re.compile(r"^PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?$")


def seconds(value):
    if isinstance(value, (int, float)):
        return value / 1e9
    match = DURATION.match(value or "")
    if not match:
        raise ValueError(f"unexpected duration {value!r}")
    h, m, s = match.groups()
    return int(h or 0) * 3600 + int(m or 0) * 60 + float(s or 0)


def pool_of(event):
    values = event["values"]
    thread = values.get("eventThread") or values.get("sampledThread") or {}
    name = thread.get("javaName") or thread.get("osName") or "?"
    return re.sub(r"\d+", "N", name)


def site_of(names):
    for name in names:
        if not name.startswith(WAIT_PLUMBING):
            return name
    return names[-1] if names else "(no Java frame)"


def detail_of(values):
    for key in ("monitorClass", "parkedClass"):
        cls = values.get(key)
        if cls:
            return "on " + cls["name"].replace("/", ".")
    if values.get("path"):
        return values["path"]
    if values.get("host") is not None or values.get("port"):
        return f"{values.get('host') or values.get('address')}:{values.get('port')}"
    return ""


def chunks(path, scratch):
    """The recording split into its chunks: `jfr print --json` of a whole recording at this stack depth can take
    more memory than the machine has."""
    split = subprocess.run(["jfr", "disassemble", "--max-chunks", "1", "--output", scratch, path],
                           capture_output=True, text=True)
    if split.returncode != 0:
        if "doesn't exceed max chunks" in split.stdout + split.stderr:
            return [path]
        raise RuntimeError(f"jfr disassemble {path}: {split.stdout}{split.stderr}")
    return sorted(os.path.join(scratch, name) for name in os.listdir(scratch))


def read(chunk, event_type):
    out = subprocess.run(["jfr", "print", "--json", "--stack-depth", str(STACK_DEPTH), "--events", event_type, chunk],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)["recording"]["events"]


def table(title, rows):
    print(title)
    width = max([len(r) for r in rows] + [10])
    print(f"  {'':{width}}  " + " ".join(f"{c:>8}" for c in COLUMNS))
    for key, cols in sorted(rows.items(), key=lambda kv: -sum(v for c, v in kv[1].items() if c != "idle")):
        print(f"  {key:{width}}  " + " ".join(f"{cols.get(c, 0.0):8.2f}" for c in COLUMNS))


def main():
    path = sys.argv[1]
    top_n = int(sys.argv[2]) if len(sys.argv) > 2 else 8
    by_pool = defaultdict(Counter)
    by_area = defaultdict(Counter)
    sites = defaultdict(Counter)
    counts = defaultdict(Counter)
    threads = defaultdict(set)
    with tempfile.TemporaryDirectory() as scratch:
        parts = chunks(path, scratch)
        events = ((kind, event) for part in parts for event_type, kind in KINDS.items()
                  for event in read(part, event_type))
        for kind, event in events:
            values = event["values"]
            names = frame_names(event)
            pool = pool_of(event)
            thread = values.get("eventThread") or values.get("sampledThread") or {}
            threads[pool].add(thread.get("javaThreadId"))
            if "duration" in values and kind not in ("run", "native"):
                spent = seconds(values["duration"])
            else:
                spent = SAMPLE_PERIOD_S
            column = "idle" if any(n.startswith(IDLE_FRAMES) for n in names) else kind
            by_pool[pool][column] += spent
            if column != "idle":
                by_area[area_of(names)][column] += spent
                if kind not in ("run", "native"):
                    key = (kind, site_of(names), detail_of(values))
                    sites[pool][key] += spent
                    counts[pool][key] += 1
    print("seconds per thread pool (run/native: samples x 10 ms; the others: summed event durations;")
    print("idle: waiting for work, not for a message; pools sorted by non-idle seconds)")
    table("by thread pool:", by_pool)
    print()
    table("by area of the data flow (non-idle time; a stack counts for the first area it passes through):", by_area)
    print()
    print(f"longest wait sites per pool (top {top_n}; kind, total s, count, mean ms, site, what it waits on):")
    for pool, pool_sites in sorted(sites.items(), key=lambda kv: -sum(kv[1].values())):
        print(f"  {pool} ({len(threads[pool])} threads)")
        for key, spent in pool_sites.most_common(top_n):
            kind, site, detail = key
            n = counts[pool][key]
            print(f"    {kind:5} {spent:8.2f} s {n:8d} x {1000 * spent / n:8.3f} ms  {site}  {detail}")


main()
