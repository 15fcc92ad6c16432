// Parallel.swift — spreading independent work over the CPU's cores.
import Dispatch

/// Runs `body(i)` for every `i` in `0..<count`, spread over the available cores.
///
/// Iterations must be independent (each writes its own part of the output). With `count`
/// of 1 the body runs on the calling thread.
public func parallelFor(_ count: Int, _ body: (Int) -> Void) {
    if count <= 1 {
        if count == 1 { body(0) }
        return
    }
    DispatchQueue.concurrentPerform(iterations: count, execute: body)
}
