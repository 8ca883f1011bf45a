#!/usr/bin/env bash
# Runs steward's whole test suite on a fresh machine: installs what the tests need
# (PostgreSQL server and pgbench, contrib, hypopg, openssl for TLS tests, Python and Node for
# the MCP clients) when it is missing, then runs every test.
# Tests that need PostgreSQL start their own throwaway clusters from the system binaries.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
for pkg in postgresql postgresql-contrib postgresql-15-hypopg openssl python3-venv; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
# Node and npm for the MCP Inspector (any installation on PATH will do).
command -v npm >/dev/null 2>&1 || need+=(nodejs npm)
if [ "${#need[@]}" -gt 0 ]; then
    echo "installing: ${need[*]}"
    sudo_cmd=""
    [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need[@]}" >/dev/null
fi

# Real MCP clients for `steward mcp`'s end-to-end tests, under target/ (nothing global): the
# official Python SDK in a venv and the MCP Inspector in an npm prefix.
clients=target/mcp-clients
if ! "$clients/venv/bin/python" -c 'import mcp' >/dev/null 2>&1; then
    echo "installing the MCP Python SDK into $clients/venv"
    python3 -m venv "$clients/venv"
    "$clients/venv/bin/pip" install -q "mcp==2.3.0"
fi
if [ ! -x "$clients/node/node_modules/.bin/mcp-inspector" ]; then
    echo "installing the MCP Inspector into $clients/node"
    npm install --prefix "$clients/node" --no-audit --no-fund --cache "$clients/npm-cache" \
        @modelcontextprotocol/inspector@0.15.0 >/dev/null
fi

# A test that needs PostgreSQL fails (never skips) when it cannot start one.
export CI="${CI:-true}"
# A one-off build gains nothing from incremental artefacts, which double the disk it needs.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
# Library, binary and integration tests plus doc tests; examples and benches are compiled by
# `cargo clippy --all-targets`, not linked here (each link is hundreds of MB of disk).
cargo test --workspace --locked --lib --bins --tests "$@"
cargo test --workspace --locked --doc "$@"
