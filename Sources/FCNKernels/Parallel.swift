// Parallel.swift — spreading independent work over the CPU's cores.
import Dispatch
import Synchronization

/// The most threads ``parallelFor(_:_:)`` uses; 0 means "as many as Dispatch offers" (all cores).
private let parallelThreadLimit = Atomic<Int>(0)

/// The thread settings of our own parallel loops (OpenBLAS has its own: `BLAS.setThreadCount`).
///
/// ```swift
/// Parallelism.threadLimit = 2      // e.g. `fcn segment --threads 2`
/// ```
public enum Parallelism {
    /// The most threads a ``parallelFor(_:_:)`` runs on; 0 (the default) means all cores.
    public static var threadLimit: Int {
        get { parallelThreadLimit.load(ordering: .relaxed) }
        set { parallelThreadLimit.store(max(0, newValue), ordering: .relaxed) }
    }
}

/// Runs `body(i)` for every `i` in `0..<count`, spread over the available cores.
///
/// Iterations must be independent: each writes its own part of the output. That promise is
/// what makes the cast below sound — Swift cannot see that the closure's captured pointers are
/// only ever written at disjoint places, so we tell it the closure is `@Sendable`. With `count`
/// of 1 the body runs on the calling thread. With a ``Parallelism/threadLimit`` of T below
/// `count`, T workers each take every T-th iteration.
public func parallelFor(_ count: Int, _ body: (Int) -> Void) {
    let limit = Parallelism.threadLimit
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
