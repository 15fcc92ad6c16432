// Info.swift — `fcn info`: facts about the machine and, later, about architectures.
import FCNKernels
import ArgumentParser
import FCN
import Foundation

struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show facts about this machine's compute engine, or about an architecture.",
        discussion: """
        Which network: --arch and --backbone (default VGG16, Berkeley's nets), or --weights, whose network is read from the file (its metadata, else its tensors) and printed first.

        Examples:
          fcn info --system
          fcn info --arch fcn8s --input-size 333 517
          fcn info --arch vgg16 --json
          fcn info --arch fcn8s --backbone vgg-mini --input-size 128 128
          fcn info --weights runs/seed1/fcn8s.safetensors
        """
    )

    @Flag(help: "Show the CPU, the BLAS core chosen for it, and measured sgemm speed.")
    var system = false

    @OptionGroup(title: "Model (shows its layers and Table 1 numbers)")
    var model: ModelOptions

    @Option(parsing: .upToNextOption, help: "Input height and width (default 500 500; a classifier's training size for classifiers).")
    var inputSize: [Int] = []

    @Flag(help: "With a model, print JSON.")
    var json = false

    /// An input side beyond any photograph (VOC's are at most 500) is a typo.
    static let maximumInputSide = 16_384

    func validate() throws {
        if !inputSize.isEmpty {
            if inputSize.count != 2 { throw ValidationError("--input-size takes two numbers, height and width (got \(inputSize.count))") }
            for side in inputSize where side < 1 || side > Self.maximumInputSide {
                throw ValidationError("--input-size: each side must be at least 1 and at most \(Self.maximumInputSide) (got \(side))")
            }
        }
    }

    func run() throws {
        let o = model.overrides
        if model.weights != nil || o.arch != nil || o.backbone != nil || o.classes != nil {
            let spec: ModelSpec
            do {
                if let loaded = try model.loadWeights() {
                    spec = loaded.spec
                    if !json { print("\(loaded.file.path): \(spec.name), \(spec.classes) classes (from its \(loaded.provenance.rawValue))") }
                } else {
                    spec = try o.overrides.spec()
                }
            } catch {
                printError("fcn info: \(error)")
                throw ExitCode(1)
            }
            try printArchitectureInfo(spec: spec, inputSize: inputSize.isEmpty ? nil : inputSize, json: json)
        } else if system {
            print("swift-fcn engine — matrix products (sgemm)")
            print(BLAS.diagnostics)
            if let gflops = BLAS.measureGFLOPS() {
                print("sgemm speed     \(String(format: "%.0f", gflops)) GFLOP/s (1024×1024×1024, best of 3)")
            }
        } else {
            throw CleanExit.helpRequest(self)
        }
    }
}
