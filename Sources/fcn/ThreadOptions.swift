// ThreadOptions.swift — `--threads`, declared once: how many threads OpenBLAS and the engine's
// own loops use. Setting it is done here only, so the commands agree on what it means.
import ArgumentParser
import FCNKernels
import Foundation

struct ThreadOptions: ParsableArguments {
    @Option(help: "Threads for OpenBLAS and our own loops (default: all cores).")
    var threads: Int?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1 (got \(threads))") }
    }

    /// The thread count in effect: `--threads`, else every core.
    var count: Int { threads ?? ProcessInfo.processInfo.activeProcessorCount }

    /// Sets the engine to ``count`` threads.
    func apply() {
        BLAS.setThreadCount(count)
        Parallelism.threadLimit = count
    }

    /// Sets the engine's threads only when `--threads` was given (training and evaluation keep
    /// the engine's defaults otherwise, and with them their results).
    func applyIfGiven() {
        if threads != nil { apply() }
    }
}
