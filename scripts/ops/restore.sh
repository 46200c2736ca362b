#!/usr/bin/env bash
# Restores a backup made by backup.sh (docs/backup-and-restore.md). Stop every ModelBridge
# process first; start them after (migrations newer than the backup run at start).
#   With DATABASE_URL: into that database, which must exist and be empty (create a new one,
#   or drop and re-create it: `dropdb` / `createdb`).
#   Without: into DATA_DIR (default .data), which must not exist or be empty.
# Usage: scripts/ops/restore.sh FILE
set -euo pipefail
file="${1:?usage: restore.sh FILE}"
[ -f "$file" ] || { echo "no backup file at $file" >&2; exit 1; }
if [ -n "${DATABASE_URL:-}" ]; then
  pg_restore --no-owner --no-privileges --exit-on-error --dbname="$DATABASE_URL" "$file"
  echo "restored $file into Postgres"
  exit 0
fi
dir="${DATA_DIR:-.data}"
if [ -d "$dir" ] && [ -n "$(ls -A "$dir")" ]; then
  echo "$dir is not empty: move it away first (restore never overwrites data)." >&2
  exit 1
fi
mkdir -p "$dir"
tar -C "$dir" -xzf "$file"
echo "restored $file into $dir"
