// swift-tools-version: 6.1
//
// Fuzz targets for the parsers of swift-fcn's file formats (libFuzzer). A separate package on
// purpose: the root package never builds it, CI never sees it. See README.md for the commands.
//
// Each target's main.swift hands its parse function to `runFuzzer` (FuzzHarness), which calls
// `LLVMFuzzerRunDriver` (declared in CLibFuzzer). That way SwiftPM's usual executable `main` stays, and libFuzzer's own `main`
// is not needed.
import PackageDescription

let package = Package(
    name: "swift-fcn-fuzz",
    dependencies: [.package(name: "swift-fcn", path: "..")],
    targets: [
        .target(name: "CLibFuzzer", path: "Sources/CLibFuzzer"),
        .target(name: "FuzzHarness", dependencies: ["CLibFuzzer"], path: "Sources/FuzzHarness"),
    ]
        + ["FuzzSafetensors", "FuzzNPY", "FuzzCaffeModel", "FuzzImage"].map { name in
            .executableTarget(
                name: name,
                dependencies: ["FuzzHarness", .product(name: "FCN", package: "swift-fcn")],
                path: "Sources/\(name)"
            )
        }
        + [
            // Checkpoints live in FCNTraining (which links Cairo; nothing here draws).
            .executableTarget(
                name: "FuzzCheckpoint",
                dependencies: ["FuzzHarness", .product(name: "FCN", package: "swift-fcn"),
                               .product(name: "FCNTraining", package: "swift-fcn")],
                path: "Sources/FuzzCheckpoint"
            ),
        ]
)
