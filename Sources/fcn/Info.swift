// Info.swift — `fcn info`: facts about the machine and, later, about architectures.
import FCNKernels
import ArgumentParser
import FCN
import Foundation

struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show facts about this machine's compute engine, or about an architecture.",
        discussion: """
        Example:
          fcn info --system
          fcn info --arch fcn8s --input-size 333 517
          fcn info --arch vgg16 --json
        """
    )

    @Flag(help: "Show the CPU, the BLAS core chosen for it, and measured sgemm speed.")
    var system = false

    @Option(help: "Show an architecture's layers and Table 1 numbers: \(ArchitectureChoice.allCases.map(\.rawValue).joined(separator: ", ")).")
    var arch: ArchitectureChoice?

    @Option(parsing: .upToNextOption, help: "Input height and width for --arch (default 500 500; 224/227 for classifiers).")
    var inputSize: [Int] = []

    @Option(help: "Class count for --arch (default 21 for FCNs, 1000 for classifiers).")
    var classes: Int?

    @Flag(help: "With --arch, print JSON.")
    var json = false

    func run() throws {
        if let arch {
            try printArchitectureInfo(arch: arch, inputSize: inputSize.isEmpty ? nil : inputSize, classes: classes, json: json)
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
