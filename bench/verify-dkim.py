#!/usr/bin/python3
"""verify-dkim.py KEY_TXT FILE...

Verifies the DKIM signatures of messages dumped by `smtp-sink -d` (smtp-sink's X-* records first,
LF line ends, one empty line appended) with Debian's python3-dkim, taking the public key from the
selector's .txt file (bin/genkey / opendkim-genkey output) instead of DNS: nothing is looked up.
Prints "dkim_verified=OK/TOTAL a=<algorithms> c=<canonicalizations>"; exit 0 when all verify."""
import re
import sys

import dkim

key_txt = open(sys.argv[1]).read()
record = "".join(re.findall(r'"([^"]*)"', key_txt)) or key_txt.split("TXT", 1)[-1].strip()
record = record.encode()


def dnsfunc(name, *args, **kwargs):
    return record


ok = 0
algs, canons = set(), set()
files = sys.argv[2:]
for path in files:
    raw = open(path, "rb").read()
    # drop smtp-sink's own records (X-Client-Addr ... X-Data-Args), then back to CRLF
    lines = raw.split(b"\n")
    while lines and re.match(rb"X-(Client-Addr|Client-Proto|Helo-Args|Mail-Args|Rcpt-Args|Data-Args|Rcpt-Addr):", lines[0]):
        lines.pop(0)
    msg = b"\r\n".join(lines)
    for m in re.finditer(rb"^DKIM-Signature:(.*(?:\r\n[ \t].*)*)", msg, re.M | re.I):
        sig = re.sub(rb"\s+", b"", m.group(1))
        a = re.search(rb"(?:^|;)a=([^;]*)", sig)
        c = re.search(rb"(?:^|;)c=([^;]*)", sig)
        algs.add(a.group(1).decode() if a else "?")
        canons.add(c.group(1).decode() if c else "simple/simple")
    try:
        if dkim.verify(msg, dnsfunc=dnsfunc):
            ok += 1
        else:
            sys.stderr.write("verify-dkim: %s does not verify\n" % path)
    except Exception as e:  # noqa: BLE001 - report and go on
        sys.stderr.write("verify-dkim: %s: %s\n" % (path, e))
print("dkim_verified=%d/%d a=%s c=%s" % (ok, len(files), ",".join(sorted(algs)) or "none", ",".join(sorted(canons)) or "none"))
sys.exit(0 if files and ok == len(files) else 1)
