// EngineConfiguration+Apply.swift — putting an `EngineConfiguration` in force for one call.
//
// The configuration travels as a task-local value: `Network.forward(…, configuration:)` binds it
// with `apply`, and the kernels it reaches (`parallelFor`, the AVX-512 workers, OpenBLAS) read
// `current`. Nothing is stored in a process global; two calls with different configurations on
// two threads each see their own (except OpenBLAS's pool size, which OpenBLAS keeps per process).

import FCNCore
import Foundation

extension EngineConfiguration {
    /// The threads our own loops run on.
    package var resolvedThreads: Int { threads ?? ProcessInfo.processInfo.activeProcessorCount }

    /// The column-matrix budget in force, in floats.
    package var resolvedColumnBudget: Int { columnBudget ?? ColumnGeometry.defaultBudget }

    /// The configuration in force for the engine code running now (set by `apply(_:)`).
    @TaskLocal package static var current = EngineConfiguration.automatic

    /// Runs `body` with this configuration in force for every kernel it reaches.
    ///
    /// OpenBLAS's pool is resized (between products, never during one) only when its thread
    /// count differs from what this configuration needs.
    package func apply<T>(_ body: () throws -> T) rethrows -> T {
        BLAS.useThreadCount(threads)
        return try EngineConfiguration.$current.withValue(self) { try body() }
    }
}
