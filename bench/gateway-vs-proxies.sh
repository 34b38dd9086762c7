#!/usr/bin/env bash
# gateway-vs-proxies: the same wrk load through the baton gateway and through nginx, HAProxy and Caddy as reverse
# proxies, each configured as its own documentation recommends (bench/lib.sh says how, with the sources), at 64, 256
# and 1024 connections, interleaved round by round; then the backend directly. See bench/README.md.
# Run by hand, not in CI. Everything listens on 127.0.0.1 and is stopped by pid on exit.
#
#   bench/gateway-vs-proxies.sh [rounds] [seconds] [warmup-seconds]     defaults: 3 10 40
#   CONNS="64 256" bench/gateway-vs-proxies.sh                          other connection counts
#   TARGETS="gateway nginx" bench/gateway-vs-proxies.sh                 fewer references
#
# Needs: a built gateway (./mvnw -pl gateway package -DskipTests), wrk, nginx, haproxy and caddy (installed from
# Debian with apt-get when missing and running as root), Consul (scripts/install-consul), python3.
# Pinning: wrk on CPU 0; every proxy and the backend on CPU ${PROXY_CPU:-1}. About 3 + rounds × connection counts ×
# targets × (seconds + 1) s: 3 10 40 with four targets at three counts is about 7 minutes.
set -euo pipefail

ROUNDS=${1:-3}
SECONDS_PER_RUN=${2:-10}
WARMUP=${3:-40}
CONNS=(${CONNS:-64 256 1024})
TARGETS=(${TARGETS:-gateway nginx haproxy caddy})
REFERENCES=yes

ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/bench/lib.sh"
bench_start "$GATEWAY_JAR"
grep -h "network transport" "$WORK/gateway.log" >&2 || true

runs=()
for t in "${TARGETS[@]}"; do
  case $t in
    gateway) runs+=("gateway=$GW=$GW_PID") ;;
    nginx) runs+=("nginx=$NGX=$NGX_WORKER") ;;
    haproxy) start_haproxy; runs+=("haproxy=$HAP=$HAP_PID") ;;
    caddy) start_caddy; runs+=("caddy=$CADDY_PORT=$CADDY_PID") ;;
    *) echo "unknown target $t (gateway, nginx, haproxy, caddy)" >&2; exit 2 ;;
  esac
done

echo "warm-up: ${WARMUP}s through the gateway (JIT), 5s through each reference" >&2
warm_up "$WARMUP" "http://127.0.0.1:$GW/"
for r in "${runs[@]}"; do
  IFS='=' read -r name port _ <<<"$r"
  [ "$name" = gateway ] || warm_up 5 "http://127.0.0.1:$port/"
done
uptime >&2
rounds "${runs[@]}"
for c in "${CONNS[@]}"; do run direct "http://127.0.0.1:$BACKEND/" "$c" "$BACKEND_WORKER"; done
uptime >&2

python3 "$ROOT/bench/medians.py" "$RESULTS" direct "${TARGETS[@]}"
echo "raw results and logs: $WORK" >&2
