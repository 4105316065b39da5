#!/usr/bin/env bash
# Load benchmark of examples/http (issue 16), NOT part of CI's pass/fail:
# wrk (Debian's) against
#   - zerosock:  examples/http, cargo --release
#   - twin:      benches/http/twin.c, the same design in C, cc -O2
#   - nginx:     Debian's nginx-light, one worker, sendfile on, same files
# for a small file (512 B) and a 1 MiB file, with 1, 64 and 1024
# connections, in ROUNDS interleaved rounds (the order of the servers
# rotates each round). Prints requests/s and latency percentiles, and the
# ratios zerosock/twin and zerosock/nginx with their spread over rounds.
#
#   bash ci/http-bench.sh                 # ROUNDS=5 SECONDS_EACH=3
#   ROUNDS=7 SECONDS_EACH=5 bash ci/http-bench.sh
#
# Installs wrk and nginx-light with apt-get when missing (as root); without
# them it says SKIPPED and exits 0. Raw results: target/http-bench/.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-5}
SECS=${SECONDS_EACH:-3}
OUT=target/http-bench
mkdir -p "$OUT"

have() { command -v "$1" >/dev/null 2>&1; }
need=()
have wrk || need+=(wrk)
[ -x /usr/sbin/nginx ] || need+=(nginx-light)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null 2>&1 ||
      { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null 2>&1; } || true
  fi
fi
if ! have wrk || [ ! -x /usr/sbin/nginx ] || ! have cc || ! have python3; then
  echo "SKIPPED: http-bench needs wrk, nginx-light, cc and python3"
  exit 0
fi
# Debian starts nginx's own service on install; we run our own instance.
systemctl stop nginx >/dev/null 2>&1 || true

cargo build --release --quiet --example http
cc -O2 -o "$OUT/twin" benches/http/twin.c

SITE=$(mktemp -d /tmp/zs-http-bench.XXXXXX)
NGINX_DIR=$(mktemp -d /tmp/zs-nginx.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$SITE" "$NGINX_DIR"
}
trap cleanup EXIT
head -c 512 /dev/zero | tr '\0' 'a' > "$SITE/small.html"
head -c $((1 << 20)) /dev/urandom > "$SITE/big.bin"

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
P_ZS=$(port); P_TWIN=$(port); P_NGINX=$(port)

target/release/examples/http "127.0.0.1:$P_ZS" "$SITE" --capacity 2048 --timeout-ms 60000 >/dev/null 2>"$OUT/zerosock.log" &
pids+=($!)
"$OUT/twin" "127.0.0.1:$P_TWIN" "$SITE" --capacity 2048 --timeout-ms 60000 >/dev/null 2>"$OUT/twin.log" &
pids+=($!)
cat > "$NGINX_DIR/nginx.conf" <<CONF
worker_processes 1;
daemon off;
master_process off;
pid $NGINX_DIR/nginx.pid;
error_log $NGINX_DIR/error.log;
events { worker_connections 4096; use epoll; }
http {
  include /etc/nginx/mime.types;
  access_log off;
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  keepalive_timeout 60s;
  keepalive_requests 100000000;
  client_body_temp_path $NGINX_DIR/body;
  proxy_temp_path $NGINX_DIR/proxy;
  fastcgi_temp_path $NGINX_DIR/fastcgi;
  uwsgi_temp_path $NGINX_DIR/uwsgi;
  scgi_temp_path $NGINX_DIR/scgi;
  server { listen 127.0.0.1:$P_NGINX; root $SITE; }
}
CONF
/usr/sbin/nginx -c "$NGINX_DIR/nginx.conf" -p "$NGINX_DIR" &
pids+=($!)
sleep 1
for p in $P_ZS $P_TWIN $P_NGINX; do
  curl -sf -o /dev/null "http://127.0.0.1:$p/small.html" 2>/dev/null ||
    python3 -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:$p/small.html').read()"
done

RAW="$OUT/raw.tsv"
echo -e "round\tserver\tfile\tconns\treq_per_s\tp50_us\tp90_us\tp99_us" > "$RAW"
servers=(zerosock twin nginx)
ports=($P_ZS $P_TWIN $P_NGINX)
for round in $(seq 1 "$ROUNDS"); do
  for file in small.html big.bin; do
    for conns in 1 64 1024; do
      threads=2; [ "$conns" = 1 ] && threads=1
      for k in 0 1 2; do
        i=$(( (k + round) % 3 ))
        wrk -t"$threads" -c"$conns" -d"${SECS}s" --latency "http://127.0.0.1:${ports[$i]}/$file" > "$OUT/wrk.txt" 2>&1 || true
        python3 - "$round" "${servers[$i]}" "$file" "$conns" "$OUT/wrk.txt" >> "$RAW" <<'PY'
import re, sys
rnd, server, file, conns, path = sys.argv[1:]
text = open(path).read()
def us(v):
    m = re.match(r"([\d.]+)(us|ms|s)", v)
    n, u = float(m.group(1)), m.group(2)
    return n * {"us": 1, "ms": 1e3, "s": 1e6}[u]
rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
pct = dict(re.findall(r"^\s+(50|90|99)%\s+(\S+)", text, re.M))
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
if not rps or errors:
    print(f"{rnd}\t{server}\t{file}\t{conns}\tnan\tnan\tnan\tnan", flush=True)
    sys.stderr.write(text)
else:
    print("\t".join([rnd, server, file, conns, rps.group(1)] + [f"{us(pct[p]):.0f}" for p in ("50", "90", "99")]))
PY
      done
    done
  done
  echo "round $round of $ROUNDS done" >&2
done

python3 - "$RAW" <<'PY' | tee "$OUT/summary.md"
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
data = {}
for r in rows:
    data.setdefault((r["file"], r["conns"], r["server"]), {})[r["round"]] = r
print("Requests/s: median over rounds (min-max); ratios per round, median (min-max).")
print("Latency: median over rounds of wrk's p50/p99, microseconds.\n")
print("| file | conns | zerosock req/s | twin req/s | nginx req/s | zerosock/twin | zerosock/nginx | p50 zs/twin/nginx | p99 zs/twin/nginx |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for file in ("small.html", "big.bin"):
    for conns in ("1", "64", "1024"):
        def vals(server, col):
            d = data.get((file, conns, server), {})
            return {k: float(v[col]) for k, v in d.items() if v[col] != "nan"}
        rps = {s: vals(s, "req_per_s") for s in ("zerosock", "twin", "nginx")}
        def fmt(v):
            if not v: return "n/a"
            xs = list(v.values())
            return f"{statistics.median(xs):,.0f} ({min(xs):,.0f}-{max(xs):,.0f})"
        def ratio(a, b):
            rs = [rps[a][k] / rps[b][k] for k in rps[a] if k in rps[b] and rps[b][k] > 0]
            if not rs: return "n/a"
            return f"{statistics.median(rs):.2f} ({min(rs):.2f}-{max(rs):.2f})"
        def lat(col):
            out = []
            for s in ("zerosock", "twin", "nginx"):
                v = vals(s, col)
                out.append(f"{statistics.median(v.values()):.0f}" if v else "n/a")
            return "/".join(out)
        print(f"| {file} | {conns} | {fmt(rps['zerosock'])} | {fmt(rps['twin'])} | {fmt(rps['nginx'])} | {ratio('zerosock','twin')} | {ratio('zerosock','nginx')} | {lat('p50_us')} | {lat('p99_us')} |")
PY
echo "(figures of this machine: $(nproc) cores, $(uname -r); wrk on the same cores as the servers)"
