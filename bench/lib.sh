# bench/lib.sh: the setup and measuring shared by the bench scripts; sourced, not run.
# Expects ROOT and SECONDS_PER_RUN (and ROUNDS, CONNS for rounds()) to be set by the caller. Everything
# listens on 127.0.0.1; every process started here is recorded in PIDS and stopped by pid on exit.

# Pinning (shared/BENCHMARKING.md): load generator on LOAD_CPU, proxies and backend on PROXY_CPU.
LOAD_CPU=${LOAD_CPU:-0}
PROXY_CPU=${PROXY_CPU:-1}
# The gateway runs with the JVM options it ships with (gateway/jvm.options), as a user's would.
JAVA_OPTS=${JAVA_OPTS:-@$ROOT/gateway/jvm.options}
GATEWAY_JAR="$ROOT/gateway/target/baton-gateway.jar"

# wrk and nginx from Debian when missing (as root), Consul through the project's install script.
bench_tools() {
  ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" # 1024 client connections, each proxied
  if ! command -v wrk >/dev/null || ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "installing wrk and nginx from Debian..." >&2
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk nginx-light >/dev/null \
        || DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk nginx >/dev/null
    else
      echo "need wrk and nginx: apt-get install wrk nginx-light" >&2; exit 1
    fi
  fi
  if [ -n "${REFERENCES:-}" ] && { ! command -v haproxy >/dev/null && [ ! -x /usr/sbin/haproxy ] || ! command -v caddy >/dev/null; }; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "installing haproxy and caddy from Debian (their services are not started)..." >&2
      printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q haproxy caddy >/dev/null; rm -f /usr/sbin/policy-rc.d
    else
      echo "need haproxy and caddy: apt-get install haproxy caddy" >&2; exit 1
    fi
  fi
  NGINX=$(command -v nginx || echo /usr/sbin/nginx)
  HAPROXY=$(command -v haproxy || echo /usr/sbin/haproxy)
  CADDY=$(command -v caddy || echo /usr/bin/caddy)
  CONSUL=$("$ROOT/scripts/install-consul")
}

WORK=$(mktemp -d /tmp/baton-bench.XXXXXX)
RESULTS="$WORK/results.tsv"
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

# The backend (nginx returning 100 bytes), nginx as the reference reverse proxy, and a Consul dev agent with the
# backend registered as app "bench" 1.0.0. Sets BACKEND, NGX, C_HTTP, BACKEND_MASTER, NGX_MASTER and NGX_WORKER.
# nginx as its users configure a reverse proxy (nginx.org, "ngx_http_upstream_module", keepalive; "Module
# ngx_http_proxy_module"): one worker on its core, an upstream keepalive pool of NGINX_KEEPALIVE idle connections
# (default 1024: at least the largest client connection count, or nginx opens and closes upstream connections on
# most requests), HTTP/1.1 upstream with the Connection header cleared, and the X-Forwarded-* headers every
# reverse proxy here adds (the gateway and Caddy add them by default, HAProxy with option forwardfor).
bench_setup() {
  BACKEND=$(free_port); NGX=$(free_port)
  C_HTTP=$(free_port)
  local body; body=$(printf 'x%.0s' $(seq 100))
  nginx_conf "$WORK/backend" "server { listen 127.0.0.1:$BACKEND; location / { default_type text/plain; return 200 '$body'; } }"
  nginx_conf "$WORK/proxy" "upstream backend { server 127.0.0.1:$BACKEND; keepalive ${NGINX_KEEPALIVE:-1024}; }
  server { listen 127.0.0.1:$NGX; location / { proxy_pass http://backend; proxy_http_version 1.1;
    proxy_set_header Connection \"\"; proxy_set_header Host \$host;
    proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for; proxy_set_header X-Forwarded-Proto \$scheme;
    proxy_set_header X-Forwarded-Host \$host; } }"
  taskset -c "$PROXY_CPU" "$NGINX" -p "$WORK/backend" -c "$WORK/backend/nginx.conf" & BACKEND_MASTER=$!; PIDS+=($BACKEND_MASTER)
  taskset -c "$PROXY_CPU" "$NGINX" -p "$WORK/proxy" -c "$WORK/proxy/nginx.conf" & NGX_MASTER=$!; PIDS+=($NGX_MASTER)
  taskset -c "$LOAD_CPU" "$CONSUL" agent -dev -bind 127.0.0.1 -client 127.0.0.1 -http-port "$C_HTTP" \
    -dns-port "$(free_port)" -serf-lan-port "$(free_port)" -serf-wan-port "$(free_port)" -server-port "$(free_port)" \
    -grpc-port -1 > "$WORK/consul.log" 2>&1 & PIDS+=($!)
  wait_http "http://127.0.0.1:$BACKEND/" "backend nginx"
  wait_http "http://127.0.0.1:$C_HTTP/v1/status/leader" "consul"
  for _ in $(seq 100); do [ "$(curl -s "http://127.0.0.1:$C_HTTP/v1/status/leader")" != '""' ] && break; sleep 0.1; done
  curl -fs -X PUT "http://127.0.0.1:$C_HTTP/v1/agent/service/register" -d "{\"Name\":\"bench\",\"ID\":\"bench-1.0.0-local-$BACKEND\",
    \"Address\":\"127.0.0.1\",\"Port\":$BACKEND,\"Tags\":[\"baton\",\"version=1.0.0\"],\"Meta\":{\"version\":\"1.0.0\"},
    \"Check\":{\"HTTP\":\"http://127.0.0.1:$BACKEND/\",\"Interval\":\"1s\",\"Timeout\":\"1s\",\"DeregisterCriticalServiceAfter\":\"1m\"}}"
  wait_http "http://127.0.0.1:$NGX/" "nginx proxy"
  NGX_WORKER=$(pgrep -P "$NGX_MASTER" | head -1)
  BACKEND_WORKER=$(pgrep -P "$BACKEND_MASTER" | head -1)
}

# bench_start <jar>: the tools, the backend, nginx and Consul, and the gateway from <jar> (GW, GW_PID).
bench_start() {
  need_jar "$1"
  bench_tools
  bench_setup
  start_gateway gateway "$1" "$JAVA_OPTS"; GW=$GATEWAY_PORT; GW_PID=$GATEWAY_PID
}

# start_gateway <name> <jar> <java-opts>: a gateway pinned to PROXY_CPU against the bench Consul, routing
# the backend. Sets GATEWAY_PORT and GATEWAY_PID. Its one-member cluster is on loopback without TLS
# (BATON_CLUSTER_INSECURE, the development mode): the bench measures the traffic path, which the bus is not on.
start_gateway() {
  local name=$1 jar=$2 opts=$3 log="$WORK/$1.log"
  GATEWAY_PORT=$(free_port)
  BATON_HTTP_PORT=$GATEWAY_PORT BATON_ADMIN_PORT=$(free_port) BATON_CONSUL_PORT=$C_HTTP BATON_ID="$name-bench" \
  BATON_CLUSTER_NAME="$name-$$" BATON_CLUSTER_PORT=$(free_port) \
  BATON_CLUSTER_INSECURE=true BATON_CLUSTER_HOST=127.0.0.1 \
    taskset -c "$PROXY_CPU" java $opts -jar "$jar" > "$log" 2>&1 & GATEWAY_PID=$!; PIDS+=($GATEWAY_PID)
  for _ in $(seq 600); do grep -qs "gateway listening" "$log" && break; kill -0 $GATEWAY_PID || { cat "$log"; exit 1; }; sleep 0.1; done
  for _ in $(seq 100); do [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$GATEWAY_PORT/")" = 200 ] && break; sleep 0.1; done
}

# start_haproxy: HAProxy (Debian) as its documentation configures an HTTP reverse proxy (haproxy.org, "HAProxy
# Configuration Manual", 2.6: mode http, keep-alive on both sides (the default http-keep-alive mode), idle server
# connections shared between clients (http-reuse safe, the default), option forwardfor), one thread on the proxies'
# core, no logging. Sets HAP and HAP_PID.
start_haproxy() {
  HAP=$(free_port)
  cat > "$WORK/haproxy.cfg" <<CONF
global
  nbthread 1
  maxconn 8000
  pidfile $WORK/haproxy.pid
defaults
  mode http
  option http-keep-alive
  option forwardfor
  http-reuse safe
  timeout connect 5s
  timeout client 60s
  timeout server 60s
  timeout http-keep-alive 60s
frontend bench
  bind 127.0.0.1:$HAP
  default_backend backend
backend backend
  server b1 127.0.0.1:$BACKEND
CONF
  taskset -c "$PROXY_CPU" "$HAPROXY" -db -f "$WORK/haproxy.cfg" > "$WORK/haproxy.log" 2>&1 & HAP_PID=$!; PIDS+=($HAP_PID)
  wait_http "http://127.0.0.1:$HAP/" "haproxy"
}

# start_caddy: Caddy 2 (Debian; it stands for the Go proxies such as Traefik) as its documentation configures
# reverse_proxy (caddyserver.com/docs/caddyfile/directives/reverse_proxy): plain HTTP, no admin endpoint, no access
# log (off unless asked), the HTTP transport keeping up to 1024 idle upstream connections (its default per host is
# 32, which would make it open and close connections at 256 clients as nginx's small pool did), GOMAXPROCS 1 for
# its one core. It adds X-Forwarded-For/Proto/Host by default. Sets CADDY_PORT and CADDY_PID.
start_caddy() {
  CADDY_PORT=$(free_port)
  cat > "$WORK/Caddyfile" <<CONF
{
  admin off
  auto_https off
}
http://127.0.0.1:$CADDY_PORT {
  reverse_proxy 127.0.0.1:$BACKEND {
    transport http {
      keepalive 60s
      keepalive_idle_conns 1024
      keepalive_idle_conns_per_host 1024
    }
  }
}
CONF
  GOMAXPROCS=1 taskset -c "$PROXY_CPU" "$CADDY" run --adapter caddyfile --config "$WORK/Caddyfile" \
    > "$WORK/caddy.log" 2>&1 & CADDY_PID=$!; PIDS+=($CADDY_PID)
  wait_http "http://127.0.0.1:$CADDY_PORT/" "caddy"
}

ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
HZ=$(getconf CLK_TCK)
to_ms() { # wrk latency like 1.23ms / 456.00us / 1.02s
  awk -v v="$1" 'BEGIN{ if (v ~ /us$/) {sub(/us$/,"",v); print v/1000} else if (v ~ /ms$/) {sub(/ms$/,"",v); print v+0} else if (v ~ /s$/) {sub(/s$/,"",v); print v*1000} else print v }'
}

# need_jar <jar>...: stops with a hint when a jar is missing.
need_jar() {
  for j in "$@"; do [ -f "$j" ] || { echo "no $j: run ./mvnw -q -pl gateway package -DskipTests first" >&2; exit 1; }; done
}

# warm_up <seconds> <url>...: wrk through each url in turn (a JVM proxy needs JIT warm-up), in WARM_CYCLES cycles of
# 64 connections for <seconds>/WARM_CYCLES, then each other count of CONNS for WARM_OTHER_S/WARM_CYCLES: the
# paths of 256 and 1024 connections (pool waits, larger batches) are compiled too, and the connections close and
# open a dozen times, as in a gateway that has served clients for a while.
# - Other counts: after 20 s at 64 connections, six 10-s runs at 1024 gave the gateway's C2 threads 13, 9, 3, 4, 2,
#   4 % of its CPU and p99 187, 80, 59, 65, 48, 62 ms (per-thread /proc ticks, 2026-12-01 06:20).
# - Cycles: a JVM whose connections never closed meets the first measured run's new ones with code compiled
#   without those paths; the first run's start then deoptimises the completion loop, the pipeline and the
#   promises (-XX:+LogCompilation: unstable_if and class_check traps at every run's start) and recompiles them on
#   the proxies' core. After one 40-s warm-up run, the first 10-s run at 64 connections had a p99 of 8.83 ms; after
#   eight 5-s runs, 4.54 ms; the rounds after that converged (2026-12-01 08:27; bench/README.md, "where the tail at
#   64 connections comes from").
WARM_OTHER_S=${WARM_OTHER_S:-30}
WARM_CYCLES=${WARM_CYCLES:-4}
warm_up() {
  local s=$1 c i cycles=1 others=(); shift
  if [ "$s" -ge 10 ]; then
    cycles=$WARM_CYCLES
    for c in "${CONNS[@]:-}"; do
      if [ -n "$c" ] && [ "$c" != 64 ]; then others+=("$c"); fi
    done
  fi
  for u in "$@"; do
    for i in $(seq "$cycles"); do
      taskset -c "$LOAD_CPU" wrk -t1 -c64 -d"$(( s / cycles ))s" "$u" >/dev/null
      for c in "${others[@]}"; do
        taskset -c "$LOAD_CPU" wrk -t1 -c"$c" -d"$(( WARM_OTHER_S / cycles ))s" "$u" >/dev/null
      done
    done
  done
}

# rounds <name>=<port>=<pid>...: ROUNDS rounds; in each, for each of CONNS, one run per target in the order
# given (interleaved, as shared/BENCHMARKING.md asks).
rounds() {
  echo -e "target\tconns\treq/s\tp50ms\tp99ms\tcpu-us/req\tbackend-us/req\terrors" >&2
  local r c t name port pid
  for r in $(seq "$ROUNDS"); do
    for c in "${CONNS[@]}"; do
      for t in "$@"; do
        IFS='=' read -r name port pid <<<"$t"
        run "$name" "http://127.0.0.1:$port/" "$c" "$pid"
      done
    done
  done
}

# run <name> <url> <conns> <pid-for-cpu>: one wrk run; appends name, conns, req/s, p50, p99, CPU µs per
# request of the pid, CPU µs per request of the backend (which shares the proxy's core), errors to RESULTS.
run() {
  local name=$1 url=$2 c=$3 pid=$4 out before after b_before b_after
  before=$(ticks "$pid"); b_before=$(ticks "$BACKEND_WORKER")
  out=$(taskset -c "$LOAD_CPU" wrk -t1 -c"$c" -d"${SECONDS_PER_RUN}s" --latency "$url")
  after=$(ticks "$pid"); b_after=$(ticks "$BACKEND_WORKER")
  local rps p50 p99 reqs errs cpu bcpu
  rps=$(awk '/^Requests\/sec/{print $2}' <<<"$out")
  reqs=$(awk '/requests in/{print $1}' <<<"$out")
  p50=$(to_ms "$(awk '$1=="50%"{print $2}' <<<"$out")")
  p99=$(to_ms "$(awk '$1=="99%"{print $2}' <<<"$out")")
  errs=$(awk '/Non-2xx|Socket errors/{print}' <<<"$out" | tr '\n' ' ')
  cpu=$(awk -v d=$((after - before)) -v hz="$HZ" -v n="$reqs" 'BEGIN{printf "%.1f", d*1000000/hz/n}')
  bcpu=$(awk -v d=$((b_after - b_before)) -v hz="$HZ" -v n="$reqs" 'BEGIN{printf "%.1f", d*1000000/hz/n}')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$c" "$rps" "$p50" "$p99" "$cpu" "$bcpu" "$errs" | tee -a "$RESULTS" >&2
}
