#!/usr/bin/env bash
# health-check-tail: the gateway's p99 at 64 connections with and without Consul's HTTP check of its admin /health
# (every second, a new connection each time: Consul's checks do not keep connections alive), nginx interleaved as
# the reference. Same setup and pinning as gateway-vs-proxies.sh (bench/README.md). The check is deregistered from
# the bench's Consul agent for the "off" runs and registered again, as the gateway registered it, for the "on" runs.
# Run by hand, not in CI.
#
#   bench/health-check-tail.sh [rounds] [seconds] [warmup-seconds]      defaults: 5 10 40
set -euo pipefail

ROUNDS=${1:-5}
SECONDS_PER_RUN=${2:-10}
WARMUP=${3:-40}
ROOT=$(cd "$(dirname "$0")/.." && pwd)

. "$ROOT/bench/lib.sh"
bench_start "$GATEWAY_JAR"
warm_up "$WARMUP" "http://127.0.0.1:$GW/"
warm_up 5 "http://127.0.0.1:$NGX/"

checks=$(curl -fs "http://127.0.0.1:$C_HTTP/v1/agent/checks")
services=$(curl -fs "http://127.0.0.1:$C_HTTP/v1/agent/services")
CHECK=$(python3 -c '
import json, sys
checks, services = json.loads(sys.argv[1]), json.loads(sys.argv[2])
c = next(v for v in checks.values() if services.get(v["ServiceID"], {}).get("Service") not in (None, "bench"))
admin = services[c["ServiceID"]]["Meta"]["admin"]
print(json.dumps({"ID": c["CheckID"], "Name": c["Name"], "ServiceID": c["ServiceID"],
                  "HTTP": "http://" + admin + "/health", "Interval": "1s"}))' "$checks" "$services")
CHECK_ID=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["ID"])' "$CHECK")
echo "gateway check: $CHECK" >&2

printf '%-6s %-8s %9s %7s %7s %7s\n' check target req/s p50ms p90ms p99ms
for r in $(seq "$ROUNDS"); do
  for mode in on off; do
    if [ "$mode" = off ]; then
      curl -fs -X PUT "http://127.0.0.1:$C_HTTP/v1/agent/check/deregister/$CHECK_ID"
    else
      curl -fs -X PUT "http://127.0.0.1:$C_HTTP/v1/agent/check/register" -d "$CHECK"
    fi
    for t in "gateway $GW" "nginx $NGX"; do
      set -- $t
      out=$(taskset -c "$LOAD_CPU" wrk -t1 -c64 -d"${SECONDS_PER_RUN}s" --latency "http://127.0.0.1:$2/")
      awk -v m="$mode" -v t="$1" '/^Requests\/sec/{rps=$2} / 50%/{p50=$2} / 90%/{p90=$2} / 99%/{p99=$2}
        END {printf "%-6s %-8s %9.0f %7s %7s %7s\n", m, t, rps, p50, p90, p99}' <<<"$out"
    done
  done
done
echo "logs: $WORK" >&2
