#!/usr/bin/python3
"""Verifies every DKIM-Signature of a message with dkimpy (Debian python3-dkim).
Usage: dkimpy-verify.py MESSAGE KEYS DOMAIN; KEYS has one 'selector._domainkey.domain TXT-record' per line.
Prints one line per signature and exits 0 only if there is a signature with d=DOMAIN and all of those pass;
signatures of other domains (an upstream signer's) are reported, not judged. Exits 3 when dkimpy is not installed."""
import re
import sys

try:
    import dkim
except ImportError:
    print('dkimpy is not installed (Debian package python3-dkim)')
    sys.exit(3)

records = {}
with open(sys.argv[2]) as keys:
    for line in keys:
        name, record = line.rstrip('\n').split(' ', 1)
        records[name.encode()] = record.encode()

def dnsfunc(name, timeout=5):
    return records.get(name.rstrip(b'.'))

message = open(sys.argv[1], 'rb').read()
verifier = dkim.DKIM(message)
headers = re.split(rb'\r?\n\r?\n', message, 1)[0]
fields = re.split(rb'\r?\n(?![ \t])', headers)
signatures = [f for f in fields if f.lower().startswith(b'dkim-signature:')]
judged = 0
ok = True
for index, field in enumerate(signatures):
    domain = re.search(rb'\bd=\s*([^;\s]+)', field).group(1).decode()
    result = verifier.verify(idx=index, dnsfunc=dnsfunc)
    print('signature %d d=%s: %s' % (index, domain, 'pass' if result else 'fail'))
    if domain == sys.argv[3]:
        judged += 1
        ok = ok and result
sys.exit(0 if ok and judged > 0 else 1)
