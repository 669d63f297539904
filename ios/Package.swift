// swift-tools-version:5.9
// Equally for iOS: the generated bindings and a thin Swift layer over the
// Rust core. On Apple platforms the core comes as an XCFramework
// (build-xcframework.sh); on Linux, where the test suite runs, from the
// host-built libequally_ffi.so (scripts/test-bindings.sh).
import PackageDescription

#if os(Linux)
// The C header is copied in by scripts/build-bindings.sh; the library is
// found through -Xlinker -L/-rpath given to `swift test`.
let ffi: Target = .systemLibrary(name: "EquallyFFI", path: "Sources/EquallyFFI")
#else
let ffi: Target = .binaryTarget(name: "EquallyFFI", path: "EquallyFFI.xcframework")
#endif

let package = Package(
    name: "Equally",
    platforms: [.iOS(.v15)],
    products: [
        .library(name: "Equally", targets: ["Equally"]),
    ],
    targets: [
        ffi,
        // Generated/Equally.swift (copied in at build time, never committed)
        // plus the hand-written layer beside it.
        .target(
            name: "Equally",
            dependencies: ["EquallyFFI"],
            path: "Sources/Equally",
            // SQLCipher in the XCFramework uses CommonCrypto from Security.
            linkerSettings: [.linkedFramework("Security", .when(platforms: [.iOS]))]
        ),
        .testTarget(name: "EquallyTests", dependencies: ["Equally"], path: "Tests/EquallyTests"),
    ],
    // Swift 5 mode: Swift 6.0.3 crashes compiling uniffi's async
    // foreign-trait helpers in Swift 6 mode.
    swiftLanguageVersions: [.v5]
)
