#!/usr/bin/env bash
# Installs aiot-edge as a systemd service. Idempotent: existing config and env files are kept.
#   sudo scripts/install.sh [--jar PATH] [--root DIR] [--no-start]
# --root DIR installs into DIR (for packaging and tests) and skips user creation and systemctl.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
JAR="$HERE/../target/aiot-edge.jar"
ROOT=""
START=1
while [ $# -gt 0 ]; do
  case "$1" in
    --jar) JAR="$2"; shift 2 ;;
    --root) ROOT="$2"; shift 2 ;;
    --no-start) START=0; shift ;;
    -h|--help) sed -n '2,4p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
[ -f "$JAR" ] || { echo "no JAR at $JAR: build it with 'mvn -B package -DskipTests'" >&2; exit 2; }

install -d -m 0755 "$ROOT/opt/aiot-edge" "$ROOT/etc/aiot-edge" "$ROOT/etc/systemd/system"
install -m 0644 "$JAR" "$ROOT/opt/aiot-edge/aiot-edge.jar"
install -m 0644 "$HERE/aiot-edge.service" "$ROOT/etc/systemd/system/aiot-edge.service"
[ -f "$ROOT/etc/aiot-edge/aiot-edge.env" ] || install -m 0640 "$HERE/aiot-edge.env" "$ROOT/etc/aiot-edge/aiot-edge.env"
[ -f "$ROOT/etc/aiot-edge/aiot-edge.yaml" ] || install -m 0640 "$HERE/../config/aiot-edge.yaml" "$ROOT/etc/aiot-edge/aiot-edge.yaml"

if [ -n "$ROOT" ]; then
  echo "installed into $ROOT (no user, no systemctl)"
  exit 0
fi
id aiot-edge >/dev/null 2>&1 || useradd --system --home-dir /var/lib/aiot-edge --shell /usr/sbin/nologin aiot-edge
chgrp aiot-edge /etc/aiot-edge/aiot-edge.env /etc/aiot-edge/aiot-edge.yaml
# check the config with the service's environment, so ${ENV:...} secrets resolve as they will at runtime
(set -a; . /etc/aiot-edge/aiot-edge.env; set +a
 java -jar /opt/aiot-edge/aiot-edge.jar config check --config /etc/aiot-edge/aiot-edge.yaml >/dev/null)
systemctl daemon-reload
systemctl enable aiot-edge.service
if [ "$START" = 1 ]; then
  systemctl restart aiot-edge.service
  echo "aiot-edge started: systemctl status aiot-edge; journalctl -u aiot-edge -f"
fi
