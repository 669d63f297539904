#!/usr/bin/env bash
# Runs every test of the project, installing what the suites need: style and
# lints, then the Rust suites (unit, property, cross-crate), and the suites
# added by later parts (server on PostgreSQL, Kotlin and Swift bindings).
# `.ci/run` calls exactly this.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=lib/common.sh source-path=SCRIPTDIR
source scripts/lib/common.sh

started=$SECONDS
# A whole-suite run is built once: incremental caches would double target/.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
log "disk free before building: $(df -h --output=avail . | tail -1 | tr -d ' ')"
log "cargo fmt --check"
cargo fmt --all --check

log "cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

if ! cargo nextest --version >/dev/null 2>&1; then
    log "installing cargo-nextest"
    cargo install --locked cargo-nextest
fi
log "PostgreSQL on loopback, for the server's and end-to-end suites"
eval "$(scripts/install-postgres.sh)"
export EQUALLY_TEST_DATABASE_URL

log "Rust suites (the server's on SQLite and PostgreSQL)"
cargo nextest run --workspace --locked --no-fail-fast

log "the device database encrypted with SQLCipher"
cargo nextest run -p equally-core --features encryption --locked -E 'test(encrypt)'

log "Kotlin and Swift suites on the real library"
scripts/test-bindings.sh

log "all suites passed in $((SECONDS - started)) s; target/ holds $(du -sh "${CARGO_TARGET_DIR:-target}" | cut -f1)"
