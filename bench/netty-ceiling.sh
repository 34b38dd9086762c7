#!/usr/bin/env bash
# netty-ceiling: how close to nginx can a JVM reverse proxy on Netty get on this machine? Runs the gateway,
# bench/netty-ceiling/NettyCeiling.java (the smallest keep-alive proxy on Netty's HTTP codec, no Vert.x, no
# gateway features) and nginx, interleaved, same setup and pinning as gateway-vs-proxies.sh. The difference
# between the gateway and the ceiling is the cost of Vert.x's HTTP server and client plus the gateway's
# features; the ceiling against nginx is what a rewrite of the data path below Vert.x could reach at best.
#
#   bench/netty-ceiling.sh [rounds] [seconds] [warmup-seconds]     defaults: 3 8 40; 64 connections (CONNS)
set -euo pipefail

ROUNDS=${1:-3}
SECONDS_PER_RUN=${2:-8}
WARMUP=${3:-40}
CONNS=(${CONNS:-64})

ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/bench/lib.sh"
bench_start "$GATEWAY_JAR"
NETTY=$(free_port)
# the gateway's jar carries Netty (io_uring included); Java runs the single source file directly
taskset -c "$PROXY_CPU" java $JAVA_OPTS -Dio.netty.leakDetection.level=disabled -cp "$GATEWAY_JAR" \
  "$ROOT/bench/netty-ceiling/NettyCeiling.java" "$NETTY" "$BACKEND" > "$WORK/netty.log" 2>&1 & NETTY_PID=$!; PIDS+=($NETTY_PID)
wait_http "http://127.0.0.1:$NETTY/" "netty-ceiling"

echo "warm-up: ${WARMUP}s through the gateway and through netty-ceiling (JIT), 5s through nginx" >&2
warm_up "$WARMUP" "http://127.0.0.1:$GW/" "http://127.0.0.1:$NETTY/"
warm_up 5 "http://127.0.0.1:$NGX/"
rounds "gateway=$GW=$GW_PID" "netty=$NETTY=$NETTY_PID" "nginx=$NGX=$NGX_WORKER"

python3 "$ROOT/bench/medians.py" "$RESULTS" gateway netty nginx
echo "raw results and logs: $WORK" >&2
