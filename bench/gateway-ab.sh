#!/usr/bin/env bash
# gateway-ab: two gateway builds (A = baseline "gateway", B = candidate "gwB") and nginx, interleaved in one
# run on the same core, to judge one hot-path change at a time (see bench/README.md). Same setup as
# gateway-vs-nginx.sh; the backend directly only when DIRECT="64 ..." is set.
#
#   JAR_A=old.jar JAR_B=new.jar [JAVA_OPTS_B=...] CONNS=64 bench/gateway-ab.sh [rounds] [seconds] [warmup-seconds]
set -euo pipefail

ROUNDS=${1:-3}
SECONDS_PER_RUN=${2:-10}
WARMUP=${3:-40}
LOAD_CPU=${LOAD_CPU:-0}
PROXY_CPU=${PROXY_CPU:-1}
CONNS=(${CONNS:-64 256})
JAVA_OPTS=${JAVA_OPTS:--Xms512m -Xmx512m -XX:+UseParallelGC -XX:+AlwaysPreTouch}

ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR=${JAR_A:?set JAR_A (baseline gateway jar)}; JAR_B=${JAR_B:?set JAR_B (candidate gateway jar)}; JAVA_OPTS_B=${JAVA_OPTS_B:-$JAVA_OPTS}
for j in "$JAR" "$JAR_B"; do [ -f "$j" ] || { echo "no $j" >&2; exit 1; }; done

if ! command -v wrk >/dev/null || ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing wrk and nginx from Debian..." >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk nginx-light >/dev/null \
      || DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk nginx >/dev/null
  else
    echo "need wrk and nginx: apt-get install wrk nginx-light" >&2; exit 1
  fi
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
CONSUL=$("$ROOT/scripts/install-consul")

WORK=$(mktemp -d /tmp/baton-bench.XXXXXX)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done; kill -9 "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_http() { # url, what
  for _ in $(seq 300); do curl -fs -o /dev/null "$1" && return 0; sleep 0.1; done
  echo "timed out waiting for $2 at $1" >&2; exit 1
}

BACKEND=$(free_port); NGX=$(free_port); GW=$(free_port); GW_ADMIN=$(free_port); GWB=$(free_port); GWB_ADMIN=$(free_port)
C_HTTP=$(free_port); C_DNS=$(free_port); C_SERF=$(free_port); C_WAN=$(free_port); C_SERVER=$(free_port)
BODY=$(printf 'x%.0s' $(seq 100))

nginx_conf() { # dir, server-block
  mkdir -p "$1/logs" "$1/tmp"
  cat > "$1/nginx.conf" <<CONF
worker_processes 1;
pid $1/nginx.pid;
error_log $1/logs/error.log warn;
daemon off;
events { worker_connections 8192; }
http {
  access_log off;
  client_body_temp_path $1/tmp/body; proxy_temp_path $1/tmp/proxy; fastcgi_temp_path $1/tmp/fcgi;
  uwsgi_temp_path $1/tmp/uwsgi; scgi_temp_path $1/tmp/scgi;
  keepalive_requests 1000000;
  $2
}
CONF
}
nginx_conf "$WORK/backend" "server { listen 127.0.0.1:$BACKEND; location / { default_type text/plain; return 200 '$BODY'; } }"
nginx_conf "$WORK/proxy" "upstream backend { server 127.0.0.1:$BACKEND; keepalive 64; }
  server { listen 127.0.0.1:$NGX; location / { proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection \"\"; } }"

touch "$WORK/gateway.log"
taskset -c "$PROXY_CPU" "$NGINX" -p "$WORK/backend" -c "$WORK/backend/nginx.conf" & PIDS+=($!)
taskset -c "$PROXY_CPU" "$NGINX" -p "$WORK/proxy" -c "$WORK/proxy/nginx.conf" & NGX_MASTER=$!; PIDS+=($NGX_MASTER)
taskset -c "$LOAD_CPU" "$CONSUL" agent -dev -bind 127.0.0.1 -client 127.0.0.1 -http-port "$C_HTTP" -dns-port "$C_DNS" \
  -serf-lan-port "$C_SERF" -serf-wan-port "$C_WAN" -server-port "$C_SERVER" -grpc-port -1 > "$WORK/consul.log" 2>&1 & PIDS+=($!)
wait_http "http://127.0.0.1:$BACKEND/" "backend nginx"
wait_http "http://127.0.0.1:$C_HTTP/v1/status/leader" "consul"
for _ in $(seq 100); do [ "$(curl -s "http://127.0.0.1:$C_HTTP/v1/status/leader")" != '""' ] && break; sleep 0.1; done
curl -fs -X PUT "http://127.0.0.1:$C_HTTP/v1/agent/service/register" -d "{\"Name\":\"bench\",\"ID\":\"bench-1.0.0-local-$BACKEND\",
  \"Address\":\"127.0.0.1\",\"Port\":$BACKEND,\"Tags\":[\"baton\",\"version=1.0.0\"],\"Meta\":{\"version\":\"1.0.0\"},
  \"Check\":{\"HTTP\":\"http://127.0.0.1:$BACKEND/\",\"Interval\":\"1s\",\"Timeout\":\"1s\",\"DeregisterCriticalServiceAfter\":\"1m\"}}"

BATON_HTTP_PORT=$GW BATON_ADMIN_PORT=$GW_ADMIN BATON_CONSUL_PORT=$C_HTTP BATON_ID=gw-bench \
BATON_CLUSTER_NAME="bench-$$" BATON_CLUSTER_PORT=$(free_port) \
  taskset -c "$PROXY_CPU" java $JAVA_OPTS -jar "$JAR" > "$WORK/gateway.log" 2>&1 & GW_PID=$!; PIDS+=($GW_PID)
for _ in $(seq 600); do grep -q "gateway listening" "$WORK/gateway.log" && break; kill -0 $GW_PID || { cat "$WORK/gateway.log"; exit 1; }; sleep 0.1; done
BATON_HTTP_PORT=$GWB BATON_ADMIN_PORT=$GWB_ADMIN BATON_CONSUL_PORT=$C_HTTP BATON_ID=gw-bench-b \
BATON_CLUSTER_NAME="benchb-$$" BATON_CLUSTER_PORT=$(free_port) \
  taskset -c "$PROXY_CPU" java $JAVA_OPTS_B -jar "$JAR_B" > "$WORK/gatewayb.log" 2>&1 & GWB_PID=$!; PIDS+=($GWB_PID)
for _ in $(seq 600); do grep -q "gateway listening" "$WORK/gatewayb.log" && break; kill -0 $GWB_PID || { cat "$WORK/gatewayb.log"; exit 1; }; sleep 0.1; done
for _ in $(seq 100); do [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$GWB/")" = 200 ] && break; sleep 0.1; done
for _ in $(seq 100); do [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$GW/")" = 200 ] && break; sleep 0.1; done
wait_http "http://127.0.0.1:$NGX/" "nginx proxy"
NGX_WORKER=$(pgrep -P "$NGX_MASTER" | head -1)
BACKEND_MASTER=${PIDS[0]}

ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
HZ=$(getconf CLK_TCK)
to_ms() { # wrk latency like 1.23ms / 456.00us / 1.02s
  awk -v v="$1" 'BEGIN{ if (v ~ /us$/) {sub(/us$/,"",v); print v/1000} else if (v ~ /ms$/) {sub(/ms$/,"",v); print v+0} else if (v ~ /s$/) {sub(/s$/,"",v); print v*1000} else print v }'
}
RESULTS="$WORK/results.tsv"
run() { # name url conns pid-for-cpu
  local name=$1 url=$2 c=$3 pid=$4 out before after
  before=$(ticks "$pid")
  out=$(taskset -c "$LOAD_CPU" wrk -t1 -c"$c" -d"${SECONDS_PER_RUN}s" --latency "$url")
  after=$(ticks "$pid")
  local rps p50 p99 reqs errs cpu
  rps=$(awk '/^Requests\/sec/{print $2}' <<<"$out")
  reqs=$(awk '/requests in/{print $1}' <<<"$out")
  p50=$(to_ms "$(awk '$1=="50%"{print $2}' <<<"$out")")
  p99=$(to_ms "$(awk '$1=="99%"{print $2}' <<<"$out")")
  errs=$(awk '/Non-2xx|Socket errors/{print}' <<<"$out" | tr '\n' ' ')
  cpu=$(awk -v d=$((after - before)) -v hz="$HZ" -v n="$reqs" 'BEGIN{printf "%.1f", d*1000000/hz/n}')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$c" "$rps" "$p50" "$p99" "$cpu" "$errs" | tee -a "$RESULTS" >&2
}

echo "warm-up: ${WARMUP}s through the gateway (JIT), 5s through nginx" >&2
taskset -c "$LOAD_CPU" wrk -t1 -c64 -d"${WARMUP}s" "http://127.0.0.1:$GW/" >/dev/null
taskset -c "$LOAD_CPU" wrk -t1 -c64 -d"${WARMUP}s" "http://127.0.0.1:$GWB/" >/dev/null
taskset -c "$LOAD_CPU" wrk -t1 -c64 -d5s "http://127.0.0.1:$NGX/" >/dev/null
echo -e "target\tconns\treq/s\tp50ms\tp99ms\tcpu-us/req\terrors" >&2
for r in $(seq "$ROUNDS"); do
  for c in "${CONNS[@]}"; do
    run gateway "http://127.0.0.1:$GW/" "$c" "$GW_PID"
    run gwB "http://127.0.0.1:$GWB/" "$c" "$GWB_PID"
    run nginx "http://127.0.0.1:$NGX/" "$c" "$NGX_WORKER"
  done
done
for c in ${DIRECT:-}; do run direct "http://127.0.0.1:$BACKEND/" "$c" "$(pgrep -P "$BACKEND_MASTER" | head -1)"; done

python3 - "$RESULTS" <<'PY'
import sys, statistics as st
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
def med(name, c, i):
    v = [float(r[i]) for r in rows if r[0] == name and r[1] == c]
    return st.median(v) if v else float("nan")
conns = sorted({r[1] for r in rows}, key=int)
print("\nmedians (%s rounds)" % max(1, len([r for r in rows if r[0] == "gateway"]) // max(1, len(conns))))
print("%-8s %6s %10s %8s %8s %11s" % ("target", "conns", "req/s", "p50ms", "p99ms", "cpu-us/req"))
for name in ("gateway", "gwB", "nginx"):
    for c in conns:
        print("%-8s %6s %10.0f %8.2f %8.2f %11.1f" % (name, c, med(name, c, 2), med(name, c, 3), med(name, c, 4), med(name, c, 5)))
print()
for c in conns:
    print("B/A at %4s: req/s %.2fx  cpu %.2fx   B/nginx req/s %.2fx cpu %.2fx" % (c, med("gwB",c,2)/med("gateway",c,2), med("gwB",c,5)/med("gateway",c,5), med("gwB",c,2)/med("nginx",c,2), med("gwB",c,5)/med("nginx",c,5)))
    print("gateway/nginx at %4s connections: req/s %.2fx   p99 %.2fx   cpu-us/req %.2fx" % (c,
          med("gateway", c, 2) / med("nginx", c, 2), med("gateway", c, 4) / med("nginx", c, 4),
          med("gateway", c, 5) / med("nginx", c, 5)))
PY
echo "raw results and logs: $WORK" >&2
