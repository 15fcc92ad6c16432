// Info.swift — `fcn info`: facts about the machine and, later, about architectures.
import ArgumentParser
import FCN
import Foundation

struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show facts about this machine's compute engine.",
        discussion: """
        Example:
          fcn info --system
        """
    )

    @Flag(help: "Show the CPU, the BLAS core chosen for it, and measured sgemm speed.")
    var system = false

    func run() throws {
        if system {
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
