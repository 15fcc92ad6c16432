// swift-tools-version: 6.1
//
// swift-fcn — Fully Convolutional Networks for Semantic Segmentation (Long, Shelhamer,
// Darrell, CVPR 2015), reproduced stage by stage as a Swift library, a course and a figure
// factory.
//
// Modules, from the bottom up; an arrow may only point down, and Swift rejects an import that
// is not declared here (README "Architecture"):
// - `CCairo`, `COpenBLAS`, `CImageCodecs`, `CFCNKernels`: C shims and AVX-512 loops.
// - `FCNCore`: the tensor, window geometry, seeded randomness. No C, no Foundation-heavy code.
// - `FCNKernels`: OpenBLAS loading and core choice, GEMM, im2col/col2im, Winograd transforms,
//   threading. Its pointer APIs are `package`: the library uses them, users never see them.
//   OpenBLAS is *not* linked: `FCNKernels/BLAS.swift` loads it at run time after choosing the
//   right CPU core type.
// - `FCN`: the inference library — layers (one folder per kind, reference loops beside fast
//   paths), networks as descriptions (analysis, executor), models and net surgery, weight formats,
//   metrics, segmentation, the shipped models. It does not link Cairo and knows no training.
// - `FCNTraining`: SGD, the staged training of Table 2, checkpoints, the synthetic scene
//   generator (Cairo), VOC export.
// - `FCNFigures` (Cairo, PNG/PDF/SVG), `FCNCourse` (what the chapters share), `fcn` (the CLI,
//   thin), and one executable per chapter.
import PackageDescription

/// The course: one executable per chapter, `swift run ChapterNN`.
let chapters: [(name: String, folder: String)] = [
    ("Chapter00", "00-TheTaskAndTheData"),
    ("Chapter01", "01-WhyPatchesAreSlow"),
    ("Chapter02", "02-FullyConnectedAreConvolutions"),
    ("Chapter03", "03-ReceptiveFields"),
    ("Chapter04", "04-TransposedConvolution"),
    ("Chapter05", "05-ShiftAndStitch"),
    ("Chapter06", "06-DenseTraining"),
    ("Chapter07", "07-SkipFusion"),
    ("Chapter08", "08-FullInference"),
    ("Chapter09", "09-LimitsAndWhatCameNext"),
    ("Chapter10", "10-ThePapersResults"),
]

let package = Package(
    name: "swift-fcn",
    products: [
        .library(name: "FCN", targets: ["FCN"]),
        .library(name: "FCNTraining", targets: ["FCNTraining"]),
        .library(name: "FCNFigures", targets: ["FCNFigures"]),
        .executable(name: "fcn", targets: ["fcn"]),
        .executable(name: "fcn-profile", targets: ["fcn-profile"]),
    ] + chapters.map { .executable(name: $0.name, targets: [$0.name]) },
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.28.0"),
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),  // `swift package generate-documentation`
    ],
    targets: [
        .systemLibrary(
            name: "CCairo",
            path: "Sources/CCairo",
            pkgConfig: "cairo",
            providers: [.apt(["libcairo2-dev"])]
        ),
        // Headers only (cblas.h). No `link` line and no pkgConfig on purpose: linking would
        // load OpenBLAS before `main`, too early to choose its core type.
        .systemLibrary(
            name: "COpenBLAS",
            path: "Sources/COpenBLAS",
            providers: [.apt(["libopenblas-dev"])]
        ),
        // libpng + libjpeg behind a small C API; setjmp/longjmp stay inside the C code.
        .target(
            name: "CImageCodecs",
            path: "Sources/CImageCodecs",
            linkerSettings: [.linkedLibrary("png16"), .linkedLibrary("jpeg")]
        ),
        // AVX-512 inner loops (Winograd block, direct convolution); called only when the CPU has AVX-512.
        .target(
            name: "CFCNKernels",
            path: "Sources/CFCNKernels"
        ),
        // Tensor and geometry: what every other module speaks.
        .target(
            name: "FCNCore",
            path: "Sources/FCNCore"
        ),
        // BLAS loading, GEMM, im2col, Winograd transforms, threads (pointer APIs are `package`).
        .target(
            name: "FCNKernels",
            dependencies: ["FCNCore", "COpenBLAS", "CFCNKernels"],
            path: "Sources/FCNKernels"
        ),
        // The inference library: no Cairo, no training.
        .target(
            name: "FCN",
            dependencies: [
                "FCNCore", "FCNKernels", "CImageCodecs",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            path: "Sources/FCN",
            exclude: ["Formats/Caffe/caffe_subset.proto", "Formats/ONNX/onnx_subset.proto"],  // the schemas; their generated .pb.swift are compiled
            resources: [.copy("Resources/Models")]  // trained VGG-mini weights (EmbeddedModels)
        ),
        // Training: SGD, the stages of Table 2, checkpoints, synthetic scenes (Cairo), VOC export.
        .target(
            name: "FCNTraining",
            dependencies: ["FCN", "FCNCore", "CCairo"],
            path: "Sources/FCNTraining"
        ),
        // Figures drawn with Cairo from numbers the library computed (PNG, PDF, SVG).
        .target(
            name: "FCNFigures",
            dependencies: ["FCN", "FCNCore", "FCNTraining", "CCairo"],
            path: "Sources/FCNFigures"
        ),
        // What every chapter of the course shares (printing, figure output, options).
        .target(
            name: "FCNCourse",
            dependencies: ["FCN", "FCNCore", "FCNTraining", "FCNFigures",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],  // ChapterOptions
            path: "Sources/FCNCourse"
        ),
        .executableTarget(
            name: "fcn",
            dependencies: [
                "FCN", "FCNCore", "FCNKernels", "FCNTraining",
                "FCNFigures",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/fcn"
        ),
        // The per-layer profiler (Benchmarks/README.md); in this package so that it can time the
        // kernels through their package-level APIs.
        .executableTarget(
            name: "fcn-profile",
            dependencies: ["FCN", "FCNKernels", "FCNTraining"],
            path: "Benchmarks/Sources/fcn-profile"
        ),
        .testTarget(
            name: "FCNTests",
            dependencies: ["FCN", "FCNCore", "FCNKernels", "FCNTraining"],
            path: "Tests/FCNTests",
            exclude: ["Formats/Fixtures", "Formats/Malformed", "Models/Fixtures"]  // read by path (#filePath), not bundled
        ),
        .testTarget(
            name: "TutorialTests",
            dependencies: chapters.map { .target(name: $0.name) } + ["FCNCourse", "FCN", "FCNCore", "FCNTraining"],
            path: "Tests/TutorialTests"
        ),
        .testTarget(
            name: "FCNFiguresTests",
            dependencies: ["FCNFigures", "FCN", "FCNCore", "FCNTraining", "CCairo"],
            path: "Tests/FCNFiguresTests"
        ),
    ] + chapters.map { chapter in
        .executableTarget(
            name: chapter.name,
            dependencies: ["FCN", "FCNCore", "FCNTraining", "FCNFigures", "FCNCourse",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],  // each chapter is a ParsableCommand
            path: "Tutorials/\(chapter.folder)"
        )
    }
)
