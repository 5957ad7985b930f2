#!/usr/bin/env bash
# train-cds-archive.sh DIST: makes DIST/lib/sendonly.jsa, the class-data archive bin/james-sendonly maps at start
# (AppCDS, a dynamic archive of the classes a start loads, parsed and verified once here instead of at every start).
#
# A training start: a copy of DIST on free loopback ports, a fresh var/, started through its own bin/james-sendonly
# with -XX:ArchiveClassesAtExit, asked for an SMTP greeting and /healthcheck, then stopped (SIGTERM): the JVM writes
# the archive at exit. The archive names the jars relative to the distribution folder (lib/NAME.jar, with their
# sizes and times), so it serves DIST and any copy of it run by this same JVM; the JVM ignores it otherwise.
# lib/sendonly.jsa.size holds its length: bin/james-sendonly maps no archive of another length (a truncated archive
# would crash the JVM rather than be ignored).
# Needs bash and the java that bin/james-sendonly runs. Exit 0 with the archive made, 1 otherwise.
set -euo pipefail

DIST=$(cd "$1" && pwd)
ARCHIVE=lib/sendonly.jsa
WORK=$(mktemp -d "${TMPDIR:-/tmp}/sendonly-cds.XXXXXX")
PID=
finish() {
  if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then kill -9 "$PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap finish EXIT
fail() { echo "train-cds-archive: $*" >&2; [ -f "$WORK/d/server.log" ] && tail -20 "$WORK/d/server.log" >&2; exit 1; }

# A loopback port nothing accepts on (connection refused).
free_port() {
  local port
  for _ in $(seq 1 100); do
    port=$((20000 + RANDOM % 10000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  return 1
}

cp -a "$DIST" "$WORK/d"
rm -rf "$WORK/d/var"/* "$WORK/d/$ARCHIVE" "$WORK/d/$ARCHIVE.size"
SMTP_PORT=$(free_port) && WEB_PORT=$(free_port) || fail "no free loopback port"
sed -i "s#<bind>[^<]*</bind>#<bind>127.0.0.1:$SMTP_PORT</bind>#" "$WORK/d/conf/smtpserver.xml"
sed -i "s/^port=.*/port=$WEB_PORT/" "$WORK/d/conf/webadmin.properties"

# The shipped JVM options (JAVA_OPTS unset): the archive must be made with the heap settings it is used with.
(cd "$WORK/d" && exec env -u JAVA_OPTS JAVA_TOOL_OPTIONS="-XX:ArchiveClassesAtExit=$ARCHIVE" bin/james-sendonly) \
  > "$WORK/d/server.log" 2>&1 &
PID=$!

# What a first start and its first clients load: start-up, an SMTP session, a webadmin request. 90 s at most.
greeted=0; healthy=0
for _ in $(seq 1 450); do
  kill -0 "$PID" 2>/dev/null || fail "the training start exited"
  if [ $greeted = 0 ] && (
      exec 3<>"/dev/tcp/127.0.0.1/$SMTP_PORT" && read -r -t 10 banner <&3 && [[ $banner == 220* ]] \
        && printf 'EHLO localhost\r\nQUIT\r\n' >&3 && while read -r -t 10 _ <&3; do :; done) 2>/dev/null; then
    greeted=1
  fi
  if [ $greeted = 1 ] && "$WORK/d/bin/healthcheck" 2>/dev/null && grep -q 'JAMES server started' "$WORK/d/server.log"; then
    healthy=1
    break
  fi
  sleep 0.2
done
[ $healthy = 1 ] || fail "the training start did not greet on SMTP and answer /healthcheck within 90 s"

kill -TERM "$PID"
for _ in $(seq 1 600); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
kill -0 "$PID" 2>/dev/null && fail "the training start did not stop within 60 s of SIGTERM"
wait "$PID" || true
PID=
[ -s "$WORK/d/$ARCHIVE" ] || fail "the JVM wrote no $ARCHIVE at exit"

install -m 0644 "$WORK/d/$ARCHIVE" "$DIST/$ARCHIVE"
wc -c < "$DIST/$ARCHIVE" | tr -d ' ' > "$DIST/$ARCHIVE.size"
echo "train-cds-archive: $DIST/$ARCHIVE ($(cat "$DIST/$ARCHIVE.size") bytes)"
