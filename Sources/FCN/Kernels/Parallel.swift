// Parallel.swift — spreading independent work over the CPU's cores.
import Dispatch

/// Runs `body(i)` for every `i` in `0..<count`, spread over the available cores.
///
/// Iterations must be independent: each writes its own part of the output. That promise is
/// what makes the cast below sound — Swift cannot see that the closure's captured pointers are
/// only ever written at disjoint places, so we tell it the closure is `@Sendable`. With `count`
/// of 1 the body runs on the calling thread.
public func parallelFor(_ count: Int, _ body: (Int) -> Void) {
    if count <= 1 {
        if count == 1 { body(0) }
        return
    }
    withoutActuallyEscaping(body) { body in
        let shared = unsafeBitCast(body, to: (@Sendable (Int) -> Void).self)
        DispatchQueue.concurrentPerform(iterations: count, execute: shared)
    }
}
