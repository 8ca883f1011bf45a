#!/usr/bin/env bash
# Runs steward's whole test suite on a fresh machine: installs what the tests need
# (PostgreSQL server and pgbench, contrib, hypopg, openssl for TLS tests) when it is missing, then runs every test.
# Tests that need PostgreSQL start their own throwaway clusters from the system binaries.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
for pkg in postgresql postgresql-contrib postgresql-15-hypopg openssl; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ "${#need[@]}" -gt 0 ]; then
    echo "installing: ${need[*]}"
    sudo_cmd=""
    [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need[@]}" >/dev/null
fi

# A test that needs PostgreSQL fails (never skips) when it cannot start one.
export CI="${CI:-true}"
# A one-off build gains nothing from incremental artefacts, which double the disk it needs.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
# Library, binary and integration tests plus doc tests; examples and benches are compiled by
# `cargo clippy --all-targets`, not linked here (each link is hundreds of MB of disk).
cargo test --workspace --locked --lib --bins --tests "$@"
cargo test --workspace --locked --doc "$@"
