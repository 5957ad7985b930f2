#!/usr/bin/env bash
# build-base-image.sh: builds the image's base locally, with no registry: a minimal Debian 12 (bookworm) with a
# headless Java 17 runtime, made by mmdebstrap and imported into podman. For machines without Docker Hub.
#
#   docker/build-base-image.sh [IMAGE]        default IMAGE: localhost/james-sendonly-base:bookworm
#
# Run as root, with mmdebstrap and podman installed. Packages come from the host's Debian mirror
# (/etc/apt/sources.list.d/debian.sources when the host runs bookworm), else deb.debian.org; set
# SENDONLY_BASE_SOURCES to a sources file or a mirror URL to choose. Then build the image on it (docs/docker.md):
#   podman build --format docker --target prebuilt --build-arg RUNTIME_IMAGE=localhost/james-sendonly-base:bookworm \
#     -f docker/Dockerfile -t james-sendonly .
set -euo pipefail

IMAGE=${1:-localhost/james-sendonly-base:bookworm}
HOST_SOURCES=/etc/apt/sources.list.d/debian.sources
SOURCES=${SENDONLY_BASE_SOURCES:-}
if [[ -z $SOURCES && -f $HOST_SOURCES ]] && grep -q '^VERSION_CODENAME=bookworm$' /etc/os-release; then
  SOURCES=$HOST_SOURCES
fi

# essential: dpkg's Essential set, no apt (nothing installs packages in the running image). passwd: useradd, for the
# Dockerfile's service user. The JRE's ca-certificates-java gives Java the CA bundle for smart hosts' TLS.
# Documentation, manual pages and translations are left out (man1 stays: the JRE's update-alternatives links into
# it); mmdebstrap cleans apt's lists and caches. The tarball is complete before podman sees it: a failed
# mmdebstrap imports nothing.
TARBALL=$(mktemp --suffix=.tar)
trap 'rm -f "$TARBALL"' EXIT
mmdebstrap --variant=essential --quiet \
  --include=openjdk-17-jre-headless,passwd \
  --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  --dpkgopt='path-exclude=/usr/share/info/*' \
  --essential-hook='mkdir -p "$1/usr/share/man/man1"' \
  bookworm "$TARBALL" ${SOURCES:+"$SOURCES"}
podman import --quiet \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV LANG=C.UTF-8' \
  --change 'CMD ["/bin/bash"]' \
  "$TARBALL" "$IMAGE" >/dev/null
echo "build-base-image: $IMAGE"
