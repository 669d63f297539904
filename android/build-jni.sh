#!/usr/bin/env bash
# Builds what the Android library module needs from the Rust core:
#   equally-core/src/main/jniLibs/<abi>/libequally_ffi.so  (cargo-ndk, release, stripped)
#   equally-core/build/generated/uniffi/kotlin/...           (uniffi-bindgen, android = true)
# Gradle runs it before every build (equally-core/build.gradle.kts); it can
# also be run by hand from anywhere: android/build-jni.sh
#
# Needs the Android NDK (ANDROID_NDK_HOME, or an SDK whose ndk/ folder
# cargo-ndk finds), rustup and a network for `cargo install` on first use.
# It cannot run on the project's CI machines, which have no Android SDK; the
# Kotlin half of the module is compiled and tested there by
# scripts/test-bindings.sh instead.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

TARGET="${CARGO_TARGET_DIR:-$PWD/target}"
MODULE=android/equally-core
# The module's minSdk: the NDK links against this API level's libc.
ANDROID_API=26

command -v cargo-ndk >/dev/null || cargo install --locked cargo-ndk
rustup target add aarch64-linux-android armv7-linux-androideabi x86_64-linux-android

# The release profile keeps panic = "unwind" (uniffi turns a panic into an
# exception) and strips symbols: this is what ships in the APK. SQLCipher
# with OpenSSL built from source, for EquallyCore.openEncrypted.
# Relocations packed in Android's compact format (API 23+, so fine for
# minSdk 26): a smaller .so in the APK and less work for the loader.
for triple in AARCH64_LINUX_ANDROID ARMV7_LINUX_ANDROIDEABI X86_64_LINUX_ANDROID; do
    export "CARGO_TARGET_${triple}_RUSTFLAGS=-C link-arg=-Wl,--pack-dyn-relocs=android"
done
cargo ndk -t arm64-v8a -t armeabi-v7a -t x86_64 --platform "$ANDROID_API" \
    -o "$MODULE/src/main/jniLibs" \
    build --locked --release -p equally-ffi --features encryption-vendored

# uniffi-bindgen reads the interface from metadata symbols that stripping
# removes, so it reads an unstripped host build. The interface is the same on
# every platform.
cargo build --locked -p equally-ffi
cargo build --locked -p uniffi-bindgen
case "$(uname -s)" in
    Darwin) host_lib="$TARGET/debug/libequally_ffi.dylib" ;;
    *) host_lib="$TARGET/debug/libequally_ffi.so" ;;
esac
out="$MODULE/build/generated/uniffi/kotlin"
rm -rf "$out"
"$TARGET/debug/uniffi-bindgen" generate --no-format --config android/uniffi-android.toml \
    --language kotlin --out-dir "$out" "$host_lib"
echo "jniLibs in $MODULE/src/main/jniLibs, Kotlin in $out" >&2
