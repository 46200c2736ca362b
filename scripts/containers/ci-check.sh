#!/usr/bin/env bash
# The container stage of .ci/run: builds the Dockerfile with podman, starts compose.yaml
# (ModelBridge × 2, Postgres, Redis, nginx) with podman-compose, and runs the compose specs
# (e2e/containers) through the proxy. Base images come from prepare-host.sh (local
# stand-ins on machines without a registry; reused when present). Layers are cached by
# podman between runs (dependencies while package-lock.json is unchanged).
# Usage: ci-check.sh [report-dir]. Prints "[time]" lines per step.
set -uo pipefail
cd "$(dirname "$0")/../.."
report_dir="${1:-}"
project="mbci$$"
t0=$(date +%s)
stamp() { echo "[time] $(( $(date +%s) - t0 ))s: $*"; }
fail() { echo "container stage failed: $*" >&2; exit 1; }

bash scripts/containers/prepare-host.sh || fail "preparing podman and base images"
stamp "podman and base images ready"

nice -n 5 podman build --layers --format docker -t localhost/modelbridge:latest . ||
  fail "podman build"
stamp "image built"

export AUTH_SECRET="$(head -c 32 /dev/urandom | base64)"
export ENCRYPTION_KEY="$(head -c 32 /dev/urandom | base64)"
export POSTGRES_PASSWORD="$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export MODELBRIDGE_PORT="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
compose() { podman-compose -p "$project" -f compose.yaml "$@"; }
cleanup() {
  compose down -v >/dev/null 2>&1 || true
}
trap cleanup EXIT
show_containers() {
  podman ps -a --filter "name=$project" >&2
  for c in $(podman ps -a --format '{{.Names}}' --filter "name=$project"); do
    echo "--- $c" >&2; podman logs --tail 30 "$c" >&2
  done
}
compose up -d >/tmp/"$project"-up.log 2>&1 || { cat /tmp/"$project"-up.log; fail "compose up"; }
url="http://127.0.0.1:$MODELBRIDGE_PORT"
# Ready when /readyz answers 200 five times in a row (both containers up, and nginx no
# longer holding the early refusals against either).
ok=0
for _ in $(seq 1 180); do
  if curl -fsS -m 2 "$url/readyz" >/dev/null 2>&1; then ok=$((ok + 1)); else ok=0; fi
  [ $ok -ge 5 ] && break
  sleep 1
done
[ $ok -ge 5 ] || { show_containers; fail "the proxy did not answer /readyz"; }
stamp "compose up: the proxy answers /readyz"
# podman runs HEALTHCHECKs from systemd timers, which these machines lack: run it here, until
# each container is healthy itself. The proxy answering /readyz is not enough: nginx sends
# every request to the container that is up while the other is still starting.
for c in "${project}_modelbridge-1_1" "${project}_modelbridge-2_1"; do
  healthy=0
  for _ in $(seq 1 90); do
    if podman healthcheck run "$c" >/dev/null 2>&1; then healthy=1; break; fi
    sleep 1
  done
  [ $healthy = 1 ] || { show_containers; fail "$c: HEALTHCHECK (/readyz) never healthy"; }
  echo "$c: HEALTHCHECK (/readyz) healthy"
done
stamp "both containers healthy"

status=0
MB_BASE_URL="$url" MB_STOP_CONTAINER="${project}_modelbridge-1_1" MB_REPORT_DIR="$report_dir" \
  npx playwright test --config playwright.containers.config.ts || status=1
stamp "compose specs done"
exit $status
