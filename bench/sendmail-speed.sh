#!/usr/bin/env bash
# Median wall time of one bin/sendmail invocation submitting a small message to the running distribution, without
# and with the class-data-sharing archive, same run. Usage: bench/sendmail-speed.sh [runs, default 21].
# Needs `mvn -B -q package -DskipTests` first. Loopback only; everything started here is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-21}
dist=server/target/james-sendonly-dist/james-sendonly
work=$(mktemp -d)
server=
trap '[[ -n $server ]] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
cp -r "$dist" "$work/s"
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
web=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
sed -i "s#<bind>.*</bind>#<bind>127.0.0.1:$port</bind>#" "$work/s/conf/smtpserver.xml"
sed -i "s/^port=.*/port=$web/" "$work/s/conf/webadmin.properties"
# Deliveries go nowhere (a closed loopback port): the figure is the submission alone.
echo 'default [127.0.0.1]:9' >> "$work/s/conf/routes"
"$work/s/bin/james-sendonly" > "$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 120); do grep -q "JAMES server started" "$work/server.log" && break; sleep 0.5; done
export SENDONLY_SMTP_PORT=$port
median() {

    for _ in $(seq 1 "$runs"); do
        start=$(date +%s%N)
        printf 'Subject: speed\n\nbody\n' | "$work/s/bin/sendmail" -f app@example.com user@example.net
        echo $(( ($(date +%s%N) - start) / 1000000 ))
    done | sort -n | sed -n "$(( (runs + 1) / 2 ))p"
}
without=$(SENDONLY_CDS=off median)
printf 'Subject: warm\n\nbody\n' | "$work/s/bin/sendmail" -f app@example.com user@example.net   # makes the archive
with=$(median)
echo "sendmail median ms per invocation: without CDS archive $without, with $with (runs=$runs)"
