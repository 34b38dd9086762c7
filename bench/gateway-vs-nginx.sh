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
CONNS=(${CONNS:-64 256})

ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/bench/lib.sh"
bench_start "$GATEWAY_JAR"

echo "warm-up: ${WARMUP}s through the gateway (JIT), 5s through nginx" >&2
warm_up "$WARMUP" "http://127.0.0.1:$GW/"
warm_up 5 "http://127.0.0.1:$NGX/"
rounds "gateway=$GW=$GW_PID" "nginx=$NGX=$NGX_WORKER"
for c in "${CONNS[@]}"; do run direct "http://127.0.0.1:$BACKEND/" "$c" "$BACKEND_WORKER"; done

python3 "$ROOT/bench/medians.py" "$RESULTS" direct gateway nginx
echo "raw results and logs: $WORK" >&2
