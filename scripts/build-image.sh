#!/usr/bin/env bash
# Builds the aiot-edge container image, one per architecture, without a container daemon or registry
# (docs/deploy.md, "The image"):
#   base layer  Debian bookworm's headless JRE (openjdk-17-jre-headless) and dash, unpacked for the
#               target architecture by mmdebstrap (--variant=extract: no maintainer script runs, so no
#               emulator is needed for arm64); cached as an OCI layout per architecture and package list
#   app layer   /opt/aiot-edge/aiot-edge.jar, the launcher /opt/aiot-edge/bin/aiot-edge
#               (scripts/aiot-edge) and its flags /etc/aiot-edge/jvm.env (deploy/jvm.env)
#   config      entrypoint = the launcher, user 10001:10001, volume /var/lib/aiot-edge (also the
#               working directory), ports 8080 8443 1883 8883, tag = the project version
# umoci assembles the OCI image, skopeo writes it as a docker-archive tar named aiot-edge:VERSION,
# which k3s imports from /var/lib/rancher/k3s/agent/images/ (and `docker load`/`podman load` read).
#
#   scripts/build-image.sh [--arch amd64|arm64|all] [--jar FILE] [--out DIR] [--version V] [--if-tools]
#
# --if-tools: exit 0 with a note when mmdebstrap, umoci or skopeo are missing (the Maven-bound call in
# `mvn verify`, so a machine without them still builds; .ci/run installs them).
# Environment: AIOT_IMAGE_CACHE (default ~/.cache/aiot-edge/image), AIOT_DEBIAN_MIRROR.
set -euo pipefail
cd "$(dirname "$0")/.."

arches="amd64"
jar=target/aiot-edge.jar
out=target/image
version=""
if_tools=0
while [ $# -gt 0 ]; do
  case "$1" in
    --arch) arches="$2"; shift 2 ;;
    --jar) jar="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --version) version="$2"; shift 2 ;;
    --if-tools) if_tools=1; shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "build-image: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
[ "$arches" = all ] && arches="amd64 arm64"

missing=""
for t in mmdebstrap umoci skopeo tar sha256sum; do
  command -v "$t" >/dev/null 2>&1 || missing="$missing $t"
done
if [ -n "$missing" ]; then
  if [ "$if_tools" = 1 ]; then
    echo "build-image: skipped, not installed:$missing (apt-get install mmdebstrap umoci skopeo)"
    exit 0
  fi
  echo "build-image: not installed:$missing (apt-get install mmdebstrap umoci skopeo)" >&2
  exit 2
fi
[ -r "$jar" ] || { echo "build-image: no JAR at $jar (mvn -B package -DskipTests first)" >&2; exit 2; }
if [ -z "$version" ]; then
  version=$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' pom.xml | head -n 1)
fi

SUITE=bookworm
MIRROR="${AIOT_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
PACKAGES="dash,openjdk-17-jre-headless"
UID_GID=10001
# one timestamp for every file and the image's created date: the same inputs give the same layers
EPOCH=$(git log -1 --format=%ct 2>/dev/null || echo 0)
cache="${AIOT_IMAGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/aiot-edge/image}"
mkdir -p "$cache" "$out"
work=$(mktemp -d "${TMPDIR:-/tmp}/aiot-image.XXXXXX")
trap 'rm -rf "$work"' EXIT

layer_tar() { # DIR TAR: a reproducible layer (sorted, numeric owners kept, fixed times)
  tar --sort=name --numeric-owner --mtime="@$EPOCH" -C "$1" -cf "$2" .
}

base_image() { # ARCH -> the cached OCI layout holding the base layer (tag "base"), made once
  local arch="$1" key layout root
  key=$(printf '%s %s %s' "$SUITE" "$PACKAGES" "$MIRROR" | sha256sum | cut -c1-12)
  layout="$cache/base-$SUITE-$arch-$key"
  if [ ! -f "$layout/index.json" ]; then
    root="$work/rootfs-$arch"
    echo "build-image: base for $arch: mmdebstrap $SUITE $PACKAGES" >&2
    mmdebstrap --quiet --variant=extract --arch="$arch" --include="$PACKAGES" "$SUITE" "$root" "$MIRROR" >&2
    # what maintainer scripts would have made: /bin/sh, the java link, the JRE's CA store
    ln -sf dash "$root/bin/sh"
    ln -sf "../lib/jvm/java-17-openjdk-$arch/bin/java" "$root/usr/bin/java"
    if [ -r /etc/ssl/certs/java/cacerts ]; then
      mkdir -p "$root/etc/ssl/certs/java" && cp /etc/ssl/certs/java/cacerts "$root/etc/ssl/certs/java/cacerts"
    fi
    printf 'root:x:0:0:root:/root:/usr/sbin/nologin\naiot:x:%s:%s:aiot-edge:/var/lib/aiot-edge:/usr/sbin/nologin\n' \
      "$UID_GID" "$UID_GID" > "$root/etc/passwd"
    printf 'root:x:0:\naiot:x:%s:\n' "$UID_GID" > "$root/etc/group"
    # documentation, manuals and translations are not needed at run time (copyright files stay)
    find "$root/usr/share/doc" -type f ! -name copyright -delete 2>/dev/null || true
    rm -rf "$root/usr/share/man" "$root/usr/share/locale" "$root/usr/share/info" "$root/usr/share/lintian" \
      "$root/usr/lib/jvm/java-17-openjdk-$arch/lib/ct.sym" "$root/usr/lib/jvm/java-17-openjdk-$arch/man" \
      "$root/var/cache/apt" "$root/var/lib/apt/lists" "$root/var/log"/*
    mkdir -p "$root/tmp" "$root/var/lib/aiot-edge" && chmod 1777 "$root/tmp"
    chown "$UID_GID:$UID_GID" "$root/var/lib/aiot-edge" && chmod 0700 "$root/var/lib/aiot-edge"
    layer_tar "$root" "$work/base-$arch.tar"
    rm -rf "$root" "$layout.tmp"
    {
      umoci init --layout "$layout.tmp"
      umoci new --image "$layout.tmp:base"
      umoci raw add-layer --image "$layout.tmp:base" --history.created "$created" \
        --history.created_by "Debian $SUITE: $PACKAGES (mmdebstrap --variant=extract)" "$work/base-$arch.tar"
    } >&2
    rm -f "$work/base-$arch.tar"
    mv "$layout.tmp" "$layout"
  fi
  echo "$layout"
}

app_layer() { # TAR
  local app="$work/app"
  rm -rf "$app"
  mkdir -p "$app/opt/aiot-edge/bin" "$app/etc/aiot-edge"
  cp "$jar" "$app/opt/aiot-edge/aiot-edge.jar" && chmod 0644 "$app/opt/aiot-edge/aiot-edge.jar"
  cp scripts/aiot-edge "$app/opt/aiot-edge/bin/aiot-edge" && chmod 0755 "$app/opt/aiot-edge/bin/aiot-edge"
  cp deploy/jvm.env "$app/etc/aiot-edge/jvm.env" && chmod 0644 "$app/etc/aiot-edge/jvm.env"
  chown -R 0:0 "$app"
  layer_tar "$app" "$1"
}

created=$(date -u -d "@$EPOCH" +%Y-%m-%dT%H:%M:%SZ)
app_layer "$work/app.tar"
for arch in $arches; do
  oci="$work/oci-$arch"
  cp -a "$(base_image "$arch")" "$oci"
  umoci raw add-layer --image "$oci:base" --tag "$version" --history.created "$created" \
    --history.created_by "aiot-edge.jar, scripts/aiot-edge, deploy/jvm.env" "$work/app.tar"
  umoci config --image "$oci:$version" --no-history --os linux --architecture "$arch" --created "$created" \
    --author "aiot-edge" --config.user "$UID_GID:$UID_GID" --config.workingdir /var/lib/aiot-edge \
    --config.entrypoint /opt/aiot-edge/bin/aiot-edge --config.cmd demo \
    --config.env "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    --config.env "JAVA_HOME=/usr/lib/jvm/java-17-openjdk-$arch" \
    --config.env "AIOT_JVM_ENV=/etc/aiot-edge/jvm.env" \
    --config.env "AIOT_JAR=/opt/aiot-edge/aiot-edge.jar" \
    --config.volume /var/lib/aiot-edge \
    --config.exposedports 8080/tcp --config.exposedports 8443/tcp \
    --config.exposedports 1883/tcp --config.exposedports 8883/tcp \
    --config.label "org.opencontainers.image.title=aiot-edge" \
    --config.label "org.opencontainers.image.version=$version" \
    --config.label "io.aiotedge.health.live=/health/live" \
    --config.label "io.aiotedge.health.ready=/health/ready"
  umoci rm --image "$oci:base"
  umoci gc --layout "$oci"
  target="$out/aiot-edge-$version-linux-$arch.tar"
  rm -f "$target"
  skopeo copy --quiet "oci:$oci:$version" "docker-archive:$target:aiot-edge:$version"
  compressed=$(find "$oci/blobs" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
  printf 'build-image: %s (linux/%s): %s MiB as a tar, %s MiB compressed\n' "$target" "$arch" \
    "$(( $(stat -c %s "$target") / 1048576 ))" "$(( compressed / 1048576 ))"
done
