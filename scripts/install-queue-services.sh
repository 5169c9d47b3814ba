#!/usr/bin/env bash
# Installs the services n8n's queue mode needs, for the queue-mode suite and the status-storm bench:
#   queue-services/root/usr/lib/postgresql/15/bin  -> PostgreSQL 15 (Debian package postgresql-15)
#   queue-services/root/usr/bin/redis-server       -> Redis 7 (Debian package redis-server)
# Nothing is installed machine-wide: the Debian packages are fetched with `apt-get download`
# and unpacked with `dpkg -x` into the project folder; the binaries run with LD_LIBRARY_PATH
# pointing at the unpacked libraries (test/harness/queueServices.js).
#
# Idempotent: writes queue-services/.installed and skips everything when it is present and the
# binaries are there.
#
# Usage: scripts/install-queue-services.sh [--check]
#   --check  exit 0 if the services are installed, 1 otherwise (prints nothing, changes nothing)
set -euo pipefail

RECIPE_VERSION=1 # bump when the package list below changes
PACKAGES=(postgresql-15 libpq5 redis-server redis-tools liblzf1 libjemalloc2)

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="$ROOT/queue-services"
UNPACKED="$DIR/root"
STAMP="$DIR/.installed"
POSTGRES_BIN="$UNPACKED/usr/lib/postgresql/15/bin/postgres"
REDIS_BIN="$UNPACKED/usr/bin/redis-server"

installed() {
  [[ -f "$STAMP" && "$(cat "$STAMP")" == "recipe=$RECIPE_VERSION" && -x "$POSTGRES_BIN" && -x "$REDIS_BIN" ]]
}

case "${1:-}" in
  --check) installed; exit $? ;;
  "") ;;
  -h | --help) sed -n '2,14p' "$0"; exit 0 ;;
  *) echo "install-queue-services: unknown argument: $1" >&2; exit 2 ;;
esac

if installed; then
  echo "install-queue-services: PostgreSQL and Redis already in queue-services/"
  exit 0
fi

for tool in apt-get dpkg; do
  command -v "$tool" >/dev/null || { echo "install-queue-services: needs $tool (a Debian-based machine)" >&2; exit 1; }
done

DEBS="$DIR/debs"
rm -rf "$DEBS" "$UNPACKED" "$STAMP"
mkdir -p "$DEBS" "$UNPACKED"
# A fresh CI machine has no package lists yet; `apt-get update` only refreshes them (root only).
if ! apt-get download --print-uris "${PACKAGES[0]}" >/dev/null 2>&1; then
  if [[ "$(id -u)" == 0 ]]; then apt-get update -qq; else echo "install-queue-services: run apt-get update first" >&2; exit 1; fi
fi
# apt's sandbox user cannot write into the project folder; the download itself is the same.
(cd "$DEBS" && apt-get download -o APT::Sandbox::User=root "${PACKAGES[@]}")
for deb in "$DEBS"/*.deb; do dpkg -x "$deb" "$UNPACKED"; done
rm -rf "$DEBS"

for bin in "$POSTGRES_BIN" "$REDIS_BIN"; do
  missing="$(LD_LIBRARY_PATH="$UNPACKED/usr/lib/x86_64-linux-gnu" ldd "$bin" | grep 'not found' || true)"
  if [[ -n "$missing" ]]; then echo "install-queue-services: $bin lacks libraries:" >&2; echo "$missing" >&2; exit 1; fi
done
echo "recipe=$RECIPE_VERSION" > "$STAMP"
echo "install-queue-services: $("$POSTGRES_BIN" --version), $(LD_LIBRARY_PATH="$UNPACKED/usr/lib/x86_64-linux-gnu" "$REDIS_BIN" --version | cut -d' ' -f1-3) in queue-services/"
