// ThreadOptions.swift — `--threads`, declared once: how many threads OpenBLAS and the engine's
// own loops use, as the `EngineConfiguration` every command passes to the engine (never a
// process-wide setting), so the commands agree on what it means.
import ArgumentParser
import FCN
import Foundation

struct ThreadOptions: ParsableArguments {
    @Option(help: "Threads for OpenBLAS and our own loops (default: all cores; at most 1024).")
    var threads: Int?

    func validate() throws {
        if let threads, threads < 1 || threads > EngineConfiguration.maximumThreads {
            throw ValidationError("--threads must be at least 1 and at most \(EngineConfiguration.maximumThreads) (got \(threads))")
        }
    }

    /// The thread count in effect: `--threads`, else every core.
    var count: Int { threads ?? ProcessInfo.processInfo.activeProcessorCount }

    /// The engine configuration of `--threads` (without it: every core, the engine's defaults,
    /// so that training and evaluation keep their results).
    var configuration: EngineConfiguration { EngineConfiguration(threads: threads) }
}
