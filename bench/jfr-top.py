#!/usr/bin/python3
"""jfr-top.py RECORDING.jfr [N]: where the CPU samples of a JFR recording fall.

Reads `jfr print --json --events jdk.ExecutionSample` and prints the N (default 25) hottest top frames
(self time), and the share of samples whose stack passes through each area of the send-only data flow
(inclusive time), so that a profile answers "where does a message's CPU go"."""
import json
import subprocess
import sys
from collections import Counter

path = sys.argv[1]
top_n = int(sys.argv[2]) if len(sys.argv) > 2 else 25
out = subprocess.run(["jfr", "print", "--json", "--events", "jdk.ExecutionSample", path],
                     check=True, capture_output=True, text=True).stdout
events = json.loads(out)["recording"]["events"]

# Areas, first match wins, tested against every frame of a stack (inclusive).
AREAS = [
    ("DKIM signing (RSA)", ("sun.security.rsa.", "java.math.", "sun.security.util.math")),
    ("DKIM canonicalize/hash", ("io.sendonly.dkim.", "sun.security.provider.SHA")),
    ("queue: ActiveMQ/KahaDB, James JMS queue", ("org.apache.activemq.", "org.apache.james.queue.")),
    ("SMTP out (RouteDelivery)", ("io.sendonly.deliver.",)),
    ("SMTP in (James/Netty)", ("org.apache.james.protocols.", "org.apache.james.smtpserver.", "io.netty.")),
    ("mailet pipeline (James)", ("org.apache.james.mailetcontainer.", "org.apache.mailet.", "io.sendonly.qualify.", "io.sendonly.sign.")),
    ("MIME parsing/copies", ("javax.mail.", "com.sun.mail.", "org.apache.james.server.core.MimeMessage", "org.apache.james.mime4j.")),
    ("logging", ("ch.qos.logback.", "org.slf4j.")),
    ("GC/JIT/VM (no Java frame)", ()),
]

selfs = Counter()
areas = Counter()
total = 0
for event in events:
    frames = event["values"]["stackTrace"]["frames"] if event["values"].get("stackTrace") else []
    names = [f["method"]["type"]["name"].replace("/", ".") + "." + f["method"]["name"] for f in frames]
    total += 1
    if names:
        selfs[names[0]] += 1
    for area, prefixes in AREAS:
        if not prefixes:
            if not names:
                areas[area] += 1
                break
            continue
        if any(name.startswith(prefixes) for name in names):
            areas[area] += 1
            break
    else:
        areas["other"] += 1

print(f"{total} CPU samples")
print("by area of the data flow (a sample counts for the first area its stack passes through):")
for area, count in areas.most_common():
    print(f"  {100.0 * count / total:5.1f}%  {area}")
print(f"hottest frames (self):")
for name, count in selfs.most_common(top_n):
    print(f"  {100.0 * count / total:5.1f}%  {name}")
