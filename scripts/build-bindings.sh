#!/usr/bin/env bash
# Builds libequally_ffi for this machine and generates its Kotlin and Swift
# bindings (uniffi library mode) into $TARGET/bindings, then copies the Swift
# side into ios/ where the Swift package expects it (ignored by git).
#   scripts/build-bindings.sh            debug library, for the test suites
#   scripts/build-bindings.sh --release  the shipped build: size is printed
#
# Output ($TARGET is $CARGO_TARGET_DIR or ./target):
#   $TARGET/bindings/kotlin/org/equally/core/equally_ffi.kt
#   $TARGET/bindings/swift/{Equally.swift,EquallyFFI.h,EquallyFFI.modulemap}
#   $TARGET/bindings/lib/libequally_ffi.so   the library the suites load
#
# uniffi-bindgen reads the interface from metadata symbols in the library, and
# `strip` removes them: bindings are always generated from an unstripped
# build (debug, or the `release-unstripped` profile), and for --release a
# stripped copy is what lands in lib/ and ships.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=lib/common.sh source-path=SCRIPTDIR
source scripts/lib/common.sh

profile=dev
case "${1:-}" in
    "") ;;
    --release) profile=release-unstripped ;;
    *) die "usage: ${0##*/} [--release]" ;;
esac

TARGET="${CARGO_TARGET_DIR:-$PWD/target}"
OUT="$TARGET/bindings"
case "$profile" in
    dev) built="$TARGET/debug/libequally_ffi.so" ;;
    *) built="$TARGET/$profile/libequally_ffi.so" ;;
esac

log "cargo build -p equally-ffi (profile $profile)"
if [ "$profile" = dev ]; then
    cargo build --locked -p equally-ffi
else
    # Relative relocations packed (DT_RELR, glibc 2.36+): the table of
    # addresses the loader fixes up shrinks from ~480 KB to a few KB. Only
    # the library's own link gets the flag; android/build-jni.sh does the
    # same with the NDK's packing.
    cargo rustc --locked -p equally-ffi --lib --profile "$profile" \
        -- -C link-arg=-Wl,-z,pack-relative-relocs
fi
log "cargo build -p uniffi-bindgen"
cargo build --locked -p uniffi-bindgen

rm -rf "$OUT"
mkdir -p "$OUT/kotlin" "$OUT/swift" "$OUT/lib"
log "generating Kotlin and Swift from $built"
# --no-format: ktlint and swift-format are not installed here, and the
# generated code is compiled, never read or committed.
"$TARGET/debug/uniffi-bindgen" generate --no-format \
    --language kotlin --out-dir "$OUT/kotlin" "$built" >&2
"$TARGET/debug/uniffi-bindgen" generate --no-format \
    --language swift --out-dir "$OUT/swift" "$built" >&2

if [ "$profile" = dev ]; then
    cp "$built" "$OUT/lib/"
else
    strip --strip-all -o "$OUT/lib/libequally_ffi.so" "$built"
    size=$(stat -c %s "$OUT/lib/libequally_ffi.so")
    log "stripped release library: $size bytes ($((size / 1024)) KiB)"
fi

# The Swift package compiles the generated Swift inside its `Equally` target
# and finds the C header beside its own module.modulemap.
mkdir -p ios/Sources/Equally/Generated
cp "$OUT/swift/Equally.swift" ios/Sources/Equally/Generated/
cp "$OUT/swift/EquallyFFI.h" ios/Sources/EquallyFFI/

log "bindings in $OUT"
