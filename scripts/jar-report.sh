#!/usr/bin/env bash
# What each dependency costs in the fat JAR: compressed bytes of the entries it contributes.
#   scripts/jar-report.sh [JAR]        (default target/aiot-edge.jar; run after 'mvn -B package')
# An entry two dependencies both carry is counted for the first on the classpath, as the shade plugin keeps it.
set -euo pipefail
cd "$(dirname "$0")/.."
JAR="${1:-target/aiot-edge.jar}"
[ -f "$JAR" ] || { echo "no $JAR: build it with 'mvn -B package -DskipTests'" >&2; exit 2; }
CP="$(mktemp)"; trap 'rm -f "$CP"' EXIT
mvn -B -q -o dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$CP" >/dev/null
python3 - "$JAR" "$CP" target/classes <<'PY'
import sys, zipfile, os
jar, cpfile, classes = sys.argv[1], sys.argv[2], sys.argv[3]
fat = {i.filename: i.compress_size for i in zipfile.ZipFile(jar).infolist() if not i.is_dir()}
owner, cost = {}, {}
def claim(name, entries):
    for e in entries:
        if e in fat and e not in owner:
            owner[e] = name
            cost[name] = cost.get(name, 0) + fat[e]
claim("aiot-edge (our classes and resources)",
      [os.path.relpath(os.path.join(d, f), classes) for d, _, fs in os.walk(classes) for f in fs])
for path in open(cpfile).read().strip().split(os.pathsep):
    if path.endswith(".jar"):
        name = os.path.basename(path)[:-4]
        claim(name, [i.filename for i in zipfile.ZipFile(path).infolist() if not i.is_dir()])
rest = sum(v for k, v in fat.items() if k not in owner)
total = os.path.getsize(jar)
print(f"{'MiB':>6}  {'share':>5}  dependency")
for name, size in sorted(cost.items(), key=lambda kv: -kv[1]):
    if size >= 256 * 1024:
        print(f"{size / 1048576:6.2f}  {100 * size / total:4.1f}%  {name}")
small = sum(v for v in cost.values() if v < 256 * 1024)
print(f"{small / 1048576:6.2f}  {100 * small / total:4.1f}%  {sum(1 for v in cost.values() if v < 256 * 1024)} smaller dependencies")
print(f"{rest / 1048576:6.2f}  {100 * rest / total:4.1f}%  merged or generated entries (services, manifests)")
print(f"{total / 1048576:6.2f}  100.0%  {jar} ({total} bytes; zip headers included)")
PY
