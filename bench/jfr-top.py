#!/usr/bin/python3
"""jfr-top.py RECORDING.jfr [N]: where the CPU samples of a JFR recording fall.

Reads `jfr print --json --events jdk.ExecutionSample` (64 frames deep) and prints the share of samples whose
stack passes through each area of the send-only data flow (inclusive time), the share by the innermost frame that
belongs to an area (which part was executing), and the N (default 25) hottest top frames (self time), so that a
profile answers "where does a message's CPU go"."""
import json
import subprocess
import sys
from collections import Counter

from jfr_areas import area_of, frame_names, innermost_area

path = sys.argv[1]
top_n = int(sys.argv[2]) if len(sys.argv) > 2 else 25
out = subprocess.run(["jfr", "print", "--stack-depth", "64", "--json", "--events", "jdk.ExecutionSample", path],
                     check=True, capture_output=True, text=True).stdout
events = json.loads(out)["recording"]["events"]

selfs = Counter()
areas = Counter()
innermost = Counter()
total = 0
for event in events:
    names = frame_names(event)
    total += 1
    if names:
        selfs[names[0]] += 1
    areas[area_of(names)] += 1
    innermost[innermost_area(names)] += 1

print(f"{total} CPU samples")
print("by area of the data flow (a sample counts for the first area its stack passes through):")
for area, count in areas.most_common():
    print(f"  {100.0 * count / total:5.1f}%  {area}")
print("by the area of the innermost frame that has one (which part was executing):")
for area, count in innermost.most_common():
    print(f"  {100.0 * count / total:5.1f}%  {area}")
print(f"hottest frames (self):")
for name, count in selfs.most_common(top_n):
    print(f"  {100.0 * count / total:5.1f}%  {name}")
