#!/usr/bin/env bash
# cost-per-request: where a proxied request's CPU goes, gateway against nginx, in one run. For each proxy
# and round: user and kernel µs per request of the proxy (/proc/<pid>/stat), and with perf (Debian
# linux-perf) system calls and context switches per request of the proxy and of the backend. Same setup
# and pinning as gateway-vs-proxies.sh (see bench/README.md); 64 connections.
#
#   bench/cost-per-request.sh [rounds] [seconds] [warmup-seconds]      (JAR=..., JAVA_OPTS=... to override)
set -euo pipefail

ROUNDS=${1:-2}
SECONDS_PER_RUN=${2:-8}
WARMUP=${3:-30}
ROOT=$(cd "$(dirname "$0")/.." && pwd)

. "$ROOT/bench/lib.sh"
bench_start "${JAR:-$GATEWAY_JAR}"
grep -h "network transport" "$WORK/gateway.log" >&2 || true
EVENTS="raw_syscalls:sys_enter,context-switches"
PERF=$(command -v perf && perf stat -e "$EVENTS" true >/dev/null 2>&1 && echo yes || true)
[ -n "$PERF" ] || echo "perf unavailable: only user/kernel time is shown" >&2

echo "warm-up: ${WARMUP}s through the gateway" >&2
warm_up "$WARMUP" "http://127.0.0.1:$GATEWAY_PORT/"
utime() { awk '{print $14, $15}' "/proc/$1/stat"; }
per() { # perf-csv event requests: the event's count per request, or - without perf
  [ -f "$1" ] && awk -F, -v e="$2" -v n="$3" '$3 == e {printf "%.3f", $1/n}' "$1" || echo -
}
printf '%-8s %6s %9s %8s %8s %10s %8s %10s %8s\n' proxy round req/s user-us kern-us syscalls ctxsw b-syscalls b-ctxsw
for r in $(seq "$ROUNDS"); do
  for t in gateway nginx; do
    if [ "$t" = gateway ]; then pid=$GATEWAY_PID; port=$GATEWAY_PORT; else pid=$NGX_WORKER; port=$NGX; fi
    if [ -n "$PERF" ]; then
      perf stat -x, -e "$EVENTS" -p "$pid" -o "$WORK/perf-$t-$r.csv" & P1=$!
      perf stat -x, -e "$EVENTS" -p "$BACKEND_WORKER" -o "$WORK/perfb-$t-$r.csv" & P2=$!
      sleep 0.3
    fi
    before=$(utime "$pid")
    out=$(taskset -c "$LOAD_CPU" wrk -t1 -c64 -d"${SECONDS_PER_RUN}s" "http://127.0.0.1:$port/")
    after=$(utime "$pid")
    if [ -n "$PERF" ]; then kill -INT $P1 $P2; wait $P1 $P2 2>/dev/null || true; fi
    n=$(awk '/requests in/{print $1}' <<<"$out"); rps=$(awk '/^Requests\/sec/{printf "%.0f", $2}' <<<"$out")
    awk -v a="$before" -v b="$after" -v hz="$HZ" -v n="$n" -v t="$t" -v r="$r" -v rps="$rps" \
      -v s="$(per "$WORK/perf-$t-$r.csv" raw_syscalls:sys_enter "$n")" -v c="$(per "$WORK/perf-$t-$r.csv" context-switches "$n")" \
      -v bs="$(per "$WORK/perfb-$t-$r.csv" raw_syscalls:sys_enter "$n")" -v bc="$(per "$WORK/perfb-$t-$r.csv" context-switches "$n")" \
      'BEGIN{split(a,x," "); split(b,y," "); printf "%-8s %6s %9s %8.2f %8.2f %10s %8s %10s %8s\n", t, r, rps,
        (y[1]-x[1])*1e6/hz/n, (y[2]-x[2])*1e6/hz/n, s, c, bs, bc}'
  done
done
echo "raw perf output and logs: $WORK" >&2
