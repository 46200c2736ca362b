#!/usr/bin/env bash
# Backs up ModelBridge's database to FILE (docs/backup-and-restore.md).
#   With DATABASE_URL (Postgres): pg_dump's custom format, taken while the servers run
#   (a consistent snapshot; no downtime).
#   Without (the embedded database): an archive of DATA_DIR (default .data), which holds
#   the database and the generated secrets. The server must be stopped: this refuses while
#   a live process holds the data directory's lock.
# Usage: scripts/ops/backup.sh FILE
set -euo pipefail
file="${1:?usage: backup.sh FILE}"
if [ -n "${DATABASE_URL:-}" ]; then
  pg_dump --format=custom --no-owner --no-privileges --file="$file" "$DATABASE_URL"
  echo "backed up Postgres to $file"
  exit 0
fi
dir="${DATA_DIR:-.data}"
[ -d "$dir" ] || { echo "no data directory at $dir" >&2; exit 1; }
lock="$dir/modelbridge.lock"
if [ -f "$lock" ] && kill -0 "$(cat "$lock" 2>/dev/null || echo 0)" 2>/dev/null; then
  echo "ModelBridge (pid $(cat "$lock")) is using $dir: stop it first, then back up." >&2
  exit 1
fi
tar -C "$dir" --exclude=./modelbridge.lock -czf "$file" .
echo "backed up $dir to $file"
