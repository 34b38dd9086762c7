#!/usr/bin/env bash
# gateway-steps: several gateway builds, each a step after the one before (e.g. one jar per commit of a series),
# and nginx, interleaved in one run on the same core, so that each change's effect is read as a ratio to the
# build before it (see bench/README.md, "What each change gave"). Same setup as gateway-ab.sh.
#
#   STEPS="base=a.jar pool=b.jar idle=c.jar" CONNS="64 256 1024" bench/gateway-steps.sh [rounds] [seconds] [warmup]
#
# A step may run with JVM options of its own, JAVA_OPTS_<name> (else JAVA_OPTS), e.g. the shipped options file:
#   STEPS="parallel=g.jar serial=g.jar" JAVA_OPTS_serial=@gateway/jvm.options bench/gateway-steps.sh
set -euo pipefail

ROUNDS=${1:-3}
SECONDS_PER_RUN=${2:-8}
WARMUP=${3:-30}
CONNS=(${CONNS:-64 256 1024})

ROOT=$(cd "$(dirname "$0")/.." && pwd)
STEPS=(${STEPS:?set STEPS=\"name=jar name=jar ...\", oldest first})

. "$ROOT/bench/lib.sh"
for s in "${STEPS[@]}"; do need_jar "${s#*=}"; done
bench_tools
bench_setup
TARGETS=(); NAMES=(); URLS=()
for s in "${STEPS[@]}"; do
  name=${s%%=*}
  opts_var="JAVA_OPTS_$name"
  start_gateway "$name" "${s#*=}" "${!opts_var:-$JAVA_OPTS}"
  TARGETS+=("$name=$GATEWAY_PORT=$GATEWAY_PID"); NAMES+=("$name"); URLS+=("http://127.0.0.1:$GATEWAY_PORT/")
done

echo "warm-up: ${WARMUP}s through each gateway (JIT), 5s through nginx" >&2
warm_up "$WARMUP" "${URLS[@]}"
warm_up 5 "http://127.0.0.1:$NGX/"
rounds "${TARGETS[@]}" "nginx=$NGX=$NGX_WORKER"

python3 "$ROOT/bench/medians.py" "$RESULTS" "${NAMES[@]}" nginx --steps
echo "raw results and logs: $WORK" >&2
