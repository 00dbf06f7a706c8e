#!/usr/bin/env bash
# Installs aiot-edge as a systemd service. Idempotent: existing config and env files are kept.
#   sudo scripts/install.sh [--jar PATH] [--root DIR] [--profile P] [--no-start]
# --root DIR installs into DIR (for packaging and tests) and skips user creation and systemctl.
# Installs the JAR, the launcher (/opt/aiot-edge/bin/aiot-edge), the per-profile JVM flags (/etc/aiot-edge/jvm.env,
# replaced on every install: tune with AIOT_JAVA_OPTS in aiot-edge.env), the unit, and a drop-in with the profile's
# MemoryMax (aiot-edge.service.d/50-memory.conf). The profile: --profile, else AIOT_PROFILE in aiot-edge.env, else
# the launcher's choice from AIOT_ROLES.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
JAR="$HERE/../target/aiot-edge.jar"
ROOT=""
PROFILE=""
START=1
while [ $# -gt 0 ]; do
  case "$1" in
    --jar) JAR="$2"; shift 2 ;;
    --root) ROOT="$2"; shift 2 ;;
    --profile) PROFILE="$2"; shift 2 ;;
    --no-start) START=0; shift ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
[ -f "$JAR" ] || { echo "no JAR at $JAR: build it with 'mvn -B package -DskipTests'" >&2; exit 2; }

DROPIN="$ROOT/etc/systemd/system/aiot-edge.service.d"
install -d -m 0755 "$ROOT/opt/aiot-edge/bin" "$ROOT/etc/aiot-edge" "$DROPIN"
install -m 0644 "$JAR" "$ROOT/opt/aiot-edge/aiot-edge.jar"
install -m 0755 "$HERE/aiot-edge" "$ROOT/opt/aiot-edge/bin/aiot-edge"
install -m 0644 "$HERE/../deploy/jvm.env" "$ROOT/etc/aiot-edge/jvm.env"
install -m 0644 "$HERE/aiot-edge.service" "$ROOT/etc/systemd/system/aiot-edge.service"
[ -f "$ROOT/etc/aiot-edge/aiot-edge.env" ] || install -m 0640 "$HERE/aiot-edge.env" "$ROOT/etc/aiot-edge/aiot-edge.env"
[ -f "$ROOT/etc/aiot-edge/aiot-edge.yaml" ] || install -m 0640 "$HERE/../config/aiot-edge.yaml" "$ROOT/etc/aiot-edge/aiot-edge.yaml"

# the profile's memory limit as the service's MemoryMax (systemd's M/G are powers of 1024, as Mi/Gi are)
ROLES=$(set +u; . "$ROOT/etc/aiot-edge/aiot-edge.env"; echo "${AIOT_ROLES:-platform}")
[ -n "$PROFILE" ] || PROFILE=$(set +u; . "$ROOT/etc/aiot-edge/aiot-edge.env"; echo "${AIOT_PROFILE:-}")
CHOICE=$(AIOT_DRY_RUN=1 AIOT_PROFILE="$PROFILE" AIOT_JVM_ENV="$ROOT/etc/aiot-edge/jvm.env" \
  sh "$ROOT/opt/aiot-edge/bin/aiot-edge" run --role "$ROLES")
PROFILE=$(echo "$CHOICE" | sed -n 's/^profile=//p')
LIMIT=$(echo "$CHOICE" | sed -n 's/^limit=//p')
printf '# written by install.sh: the memory budget of profile %s (deploy/jvm.env)\n[Service]\nMemoryMax=%s\n' \
  "$PROFILE" "${LIMIT%i}" > "$DROPIN/50-memory.conf"
chmod 0644 "$DROPIN/50-memory.conf"

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
