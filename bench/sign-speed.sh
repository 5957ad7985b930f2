#!/usr/bin/env bash
# Signatures per second per core, rsa-2048 and ed25519: raw JDK Signature vs our DKIM signer, same run.
# Usage: bench/sign-speed.sh [seconds per measurement, default 5]. Needs `mvn -B -q package -DskipTests` first.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=$(ls dkim/target/sendonly-dkim-*.jar | grep -v tests | head -1)
lib=server/target/james-sendonly-dist/james-sendonly/lib
exec java -cp "$jar:$(ls $lib/slf4j-api-*.jar | head -1):$(ls $lib/conscrypt-openjdk-uber-*.jar | head -1):$(ls $lib/bcprov-*.jar | head -1)" bench/DkimSignBench.java "${1:-5}"
