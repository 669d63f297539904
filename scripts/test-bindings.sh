#!/usr/bin/env bash
# Builds the library, generates the bindings, and runs the Kotlin suite (JUnit
# 4 on the desktop JVM through JNA) and the Swift suite (`swift test` in the
# trixie chroot), installing both toolchains when missing. Prints each
# runner's closing lines and exits non-zero if either suite fails.
#   scripts/test-bindings.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=lib/common.sh source-path=SCRIPTDIR
source scripts/lib/common.sh

TARGET="${CARGO_TARGET_DIR:-$PWD/target}"
OUT="$TARGET/bindings"
started=$SECONDS

scripts/build-bindings.sh
# Both suites sync two devices through the real server on loopback.
log "cargo build -p equally-server"
cargo build -p equally-server
export EQUALLY_SERVER_BIN="$TARGET/debug/equally-server"

# --- Kotlin -----------------------------------------------------------------
eval "$(scripts/install-kotlin.sh)"
# The generated bindings, the plain-Kotlin layer the Android module ships
# (so it is compiled and tested here too), and the suite, in one kotlinc call.
kotlin_sources=("$OUT"/kotlin/org/equally/core/*.kt)
while IFS= read -r -d '' f; do kotlin_sources+=("$f"); done \
    < <(find android -path '*/src/main/kotlin/*' -name '*.kt' -print0 | sort -z)
kotlin_sources+=(bindings/tests/kotlin/*.kt)
jar="$OUT/kotlin-tests.jar"
log "kotlinc ${#kotlin_sources[@]} files"
"$KOTLINC" -jvm-target 17 -nowarn -cp "$KOTLIN_TEST_CLASSPATH" -d "$jar" "${kotlin_sources[@]}"

log "Kotlin suite"
kotlin_status=0
java -cp "$jar:$KOTLIN_TEST_CLASSPATH" -Djna.library.path="$OUT/lib" \
    org.equally.tests.RunSuiteKt || kotlin_status=$?

# --- Swift ------------------------------------------------------------------
log "Swift suite"
swift_status=0
# The repo and the target folder (which may lie outside it) are mounted at the
# same paths inside the chroot; -rpath lets the test binary find the library.
# The host-built server (bookworm's glibc) runs there too: trixie's is newer.
IN_SWIFT_CHROOT_ENV="EQUALLY_SERVER_BIN" scripts/in-swift-chroot.sh "$PWD" "$TARGET" -- \
    swift test --disable-swift-testing --package-path ios \
        -Xlinker -L"$OUT/lib" -Xlinker -rpath -Xlinker "$OUT/lib" || swift_status=$?

log "bindings suites done in $((SECONDS - started)) s (kotlin exit $kotlin_status, swift exit $swift_status)"
[ "$kotlin_status" -eq 0 ] && [ "$swift_status" -eq 0 ]
