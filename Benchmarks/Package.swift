// swift-tools-version: 6.1
//
// swift-fcn benchmarks — a separate package so that the library never depends on the
// benchmark framework. Run from this folder:
//
//   swift package benchmark                      # every benchmark (ordo-one/benchmark)
//
// The quick per-layer profiler `fcn-profile` (Benchmarks/Sources/fcn-profile) is built by the root
// package, because it times the engine's kernels one by one through package-level APIs:
//   swift build -c release --product fcn-profile   # from the repository root
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
    ]
)
