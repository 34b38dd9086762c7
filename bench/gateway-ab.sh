#!/usr/bin/env bash
# gateway-ab: two gateway builds (A = baseline "gateway", B = candidate "gwB") and nginx, interleaved in one
# run on the same core, to judge one hot-path change at a time (see bench/README.md). Same setup as
# gateway-vs-proxies.sh; the backend directly only when DIRECT="64 ..." is set.
#
#   JAR_A=old.jar JAR_B=new.jar [JAVA_OPTS_B=...] CONNS=64 bench/gateway-ab.sh [rounds] [seconds] [warmup-seconds]
set -euo pipefail

ROUNDS=${1:-3}
SECONDS_PER_RUN=${2:-10}
WARMUP=${3:-40}
CONNS=(${CONNS:-64 256})

ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR_A=${JAR_A:?set JAR_A (baseline gateway jar)}; JAR_B=${JAR_B:?set JAR_B (candidate gateway jar)}

. "$ROOT/bench/lib.sh"
JAVA_OPTS_B=${JAVA_OPTS_B:-$JAVA_OPTS}
need_jar "$JAR_B"
bench_start "$JAR_A"
start_gateway gwB "$JAR_B" "$JAVA_OPTS_B"; GWB=$GATEWAY_PORT; GWB_PID=$GATEWAY_PID

echo "warm-up: ${WARMUP}s through the gateway (JIT), 5s through nginx" >&2
warm_up "$WARMUP" "http://127.0.0.1:$GW/" "http://127.0.0.1:$GWB/"
warm_up 5 "http://127.0.0.1:$NGX/"
rounds "gateway=$GW=$GW_PID" "gwB=$GWB=$GWB_PID" "nginx=$NGX=$NGX_WORKER"
for c in ${DIRECT:-}; do run direct "http://127.0.0.1:$BACKEND/" "$c" "$BACKEND_WORKER"; done

python3 "$ROOT/bench/medians.py" "$RESULTS" gateway gwB nginx --ab
echo "raw results and logs: $WORK" >&2
