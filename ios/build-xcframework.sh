#!/usr/bin/env bash
# Builds ios/EquallyFFI.xcframework (the Rust core as static libraries, with
# the generated C header and its module map) and copies the generated Swift
# into Sources/Equally/Generated, so Package.swift builds on Apple platforms.
#   ios/build-xcframework.sh
#
# Runs on a Mac with Xcode's command-line tools (xcodebuild, lipo) and
# rustup. It cannot run on the project's Linux machines; there the same Swift
# package is tested against the host-built library by scripts/test-bindings.sh.
#
# Slices: iPhone (aarch64-apple-ios) and the simulator, whose arm64
# (aarch64-apple-ios-sim) and Intel (x86_64-apple-ios) builds are merged
# into one fat archive with lipo, as an XCFramework allows one library per
# platform variant.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

TARGET="${CARGO_TARGET_DIR:-$PWD/target}"
WORK="$TARGET/xcframework"
FRAMEWORK=ios/EquallyFFI.xcframework
# Matches `platforms: [.iOS(.v15)]` in Package.swift.
export IPHONEOS_DEPLOYMENT_TARGET=15.0

rustup target add aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios

# The release profile: small, and panic = "unwind" so uniffi turns a panic
# into a thrown error. `encryption` is SQLCipher for
# EquallyCore.openEncrypted; built on a Mac for an Apple target with no
# OpenSSL named, libsqlite3-sys uses Apple's CommonCrypto (the Security
# framework, linked by Package.swift), so no OpenSSL is shipped. Static
# archives keep the symbols the app's linker needs.
unset OPENSSL_DIR OPENSSL_LIB_DIR OPENSSL_INCLUDE_DIR
for target in aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios; do
    cargo build --locked --release -p equally-ffi --features encryption --target "$target"
done

# The Swift and the header come from an unstripped host build: uniffi-bindgen
# reads metadata symbols, and the interface is the same on every platform.
cargo build --locked -p equally-ffi
cargo build --locked -p uniffi-bindgen
rm -rf "$WORK"
mkdir -p "$WORK/swift" "$WORK/headers/EquallyFFI" "$WORK/simulator"
"$TARGET/debug/uniffi-bindgen" generate --no-format --language swift \
    --out-dir "$WORK/swift" "$TARGET/debug/libequally_ffi.dylib"

# The module map goes in a folder named after the module, not at the root
# of Headers: Xcode copies every XCFramework's headers into one include
# folder, where two root-level module.modulemap files would collide.
cp "$WORK/swift/EquallyFFI.h" "$WORK/headers/EquallyFFI/"
cp "$WORK/swift/EquallyFFI.modulemap" "$WORK/headers/EquallyFFI/module.modulemap"

lipo -create \
    "$TARGET/aarch64-apple-ios-sim/release/libequally_ffi.a" \
    "$TARGET/x86_64-apple-ios/release/libequally_ffi.a" \
    -output "$WORK/simulator/libequally_ffi.a"

rm -rf "$FRAMEWORK"
xcodebuild -create-xcframework \
    -library "$TARGET/aarch64-apple-ios/release/libequally_ffi.a" -headers "$WORK/headers" \
    -library "$WORK/simulator/libequally_ffi.a" -headers "$WORK/headers" \
    -output "$FRAMEWORK"

mkdir -p ios/Sources/Equally/Generated
cp "$WORK/swift/Equally.swift" ios/Sources/Equally/Generated/
echo "built $FRAMEWORK; open ios/Package.swift in Xcode or add it as a local package" >&2
