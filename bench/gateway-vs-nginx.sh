#!/usr/bin/env bash
# gateway-vs-nginx: the same wrk load against the backend directly, through the baton gateway and through
# nginx as a reverse proxy, interleaved in one run (see BENCHMARKING notes in bench/README.md).
# Run by hand, not in CI. Everything listens on 127.0.0.1 and is stopped by pid on exit.
#
#   bench/gateway-vs-nginx.sh [rounds] [seconds] [warmup-seconds]     defaults: 3 10 40
#
# Needs: a built gateway (./mvnw -pl gateway package -DskipTests), wrk and nginx (installed from Debian
# with apt-get when missing and running as root), Consul (scripts/install-consul), python3 (free ports).
# Pinning: wrk on CPU 0; the proxies and the backend on CPU ${PROXY_CPU:-1}.
set -euo pipefail

ROUNDS=${1:-3}
SECONDS_PER_RUN=${2:-10}
WARMUP=${3:-40}
LOAD_CPU=${LOAD_CPU:-0}
PROXY_CPU=${PROXY_CPU:-1}
CONNS=(${CONNS:-64 256})
JAVA_OPTS=${JAVA_OPTS:--Xms512m -Xmx512m -XX:+UseParallelGC -XX:+AlwaysPreTouch}

ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR="$ROOT/gateway/target/baton-gateway.jar"
[ -f "$JAR" ] || { echo "no $JAR: run ./mvnw -q -pl gateway package -DskipTests first" >&2; exit 1; }

. "$ROOT/bench/lib.sh"
bench_tools
bench_setup
start_gateway gateway "$JAR" "$JAVA_OPTS"; GW=$GATEWAY_PORT; GW_PID=$GATEWAY_PID

echo "warm-up: ${WARMUP}s through the gateway (JIT), 5s through nginx" >&2
taskset -c "$LOAD_CPU" wrk -t1 -c64 -d"${WARMUP}s" "http://127.0.0.1:$GW/" >/dev/null
taskset -c "$LOAD_CPU" wrk -t1 -c64 -d5s "http://127.0.0.1:$NGX/" >/dev/null
echo -e "target\tconns\treq/s\tp50ms\tp99ms\tcpu-us/req\terrors" >&2
for r in $(seq "$ROUNDS"); do
  for c in "${CONNS[@]}"; do
    run gateway "http://127.0.0.1:$GW/" "$c" "$GW_PID"
    run nginx "http://127.0.0.1:$NGX/" "$c" "$NGX_WORKER"
  done
done
for c in "${CONNS[@]}"; do run direct "http://127.0.0.1:$BACKEND/" "$c" "$(pgrep -P "$BACKEND_MASTER" | head -1)"; done

python3 - "$RESULTS" <<'PY'
import sys, statistics as st
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
def med(name, c, i):
    v = [float(r[i]) for r in rows if r[0] == name and r[1] == c]
    return st.median(v) if v else float("nan")
conns = sorted({r[1] for r in rows}, key=int)
print("\nmedians (%s rounds)" % max(1, len([r for r in rows if r[0] == "gateway"]) // max(1, len(conns))))
print("%-8s %6s %10s %8s %8s %11s" % ("target", "conns", "req/s", "p50ms", "p99ms", "cpu-us/req"))
for name in ("direct", "gateway", "nginx"):
    for c in conns:
        print("%-8s %6s %10.0f %8.2f %8.2f %11.1f" % (name, c, med(name, c, 2), med(name, c, 3), med(name, c, 4), med(name, c, 5)))
print()
for c in conns:
    print("gateway/nginx at %4s connections: req/s %.2fx   p99 %.2fx   cpu-us/req %.2fx" % (c,
          med("gateway", c, 2) / med("nginx", c, 2), med("gateway", c, 4) / med("nginx", c, 4),
          med("gateway", c, 5) / med("nginx", c, 5)))
PY
echo "raw results and logs: $WORK" >&2
