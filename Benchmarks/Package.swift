// swift-tools-version: 6.1
//
// swift-fcn benchmarks — a separate package so that the library never depends on the
// benchmark framework. Run from this folder:
//
//   swift package benchmark                      # every benchmark (ordo-one/benchmark)
//   swift run -c release fcn-profile --help      # the quick per-layer profiler
//
// See README.md for what each benchmark measures.
import PackageDescription

let package = Package(
    name: "swift-fcn-benchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "swift-fcn", path: ".."),   // the library, whatever its folder is called
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.4.0", traits: ["MallocInterposer"]),
    ],
    targets: [
        // ordo-one/benchmark suites: sgemm, single FCN-8s layers (im2col vs Winograd), whole net.
        .executableTarget(
            name: "FCNBenchmarks",
            dependencies: [
                .product(name: "FCN", package: "swift-fcn"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/FCNBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // A quick profiler: times Network.forward layer by layer on weights from a safetensors file.
        .executableTarget(
            name: "fcn-profile",
            dependencies: [.product(name: "FCN", package: "swift-fcn")],
            path: "Sources/fcn-profile"
        ),
    ]
)
