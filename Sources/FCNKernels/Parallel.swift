// Parallel.swift — spreading independent work over the CPU's cores.
import Dispatch
import FCNCore

/// Runs `body(i)` for every `i` in `0..<count`, spread over the available cores.
///
/// Iterations must be independent: each writes its own part of the output. That promise is
/// what makes the cast below sound — Swift cannot see that the closure's captured pointers are
/// only ever written at disjoint places, so we tell it the closure is `@Sendable`. With `count`
/// of 1 the body runs on the calling thread. With a configuration of T threads
/// (``EngineConfiguration/current``) below `count`, T workers each take every T-th iteration;
/// without a thread count, Dispatch spreads the iterations over every core.
package func parallelFor(_ count: Int, _ body: (Int) -> Void) {
    let limit = EngineConfiguration.current.threads ?? 0
    if count <= 1 || limit == 1 {
        for i in 0..<max(count, 0) { body(i) }
        return
    }
    withoutActuallyEscaping(body) { body in
        let shared = unsafeBitCast(body, to: (@Sendable (Int) -> Void).self)
        if limit > 0 && limit < count {
            DispatchQueue.concurrentPerform(iterations: limit) { worker in
                for i in stride(from: worker, to: count, by: limit) { shared(i) }
            }
        } else {
            DispatchQueue.concurrentPerform(iterations: count, execute: shared)
        }
    }
}
