// StopRequest.swift — stopping a long training run cleanly on Ctrl-C or SIGTERM (a practical
// matter of the paper's multi-day training runs, §4.3, and of ours of minutes).
//
// A signal handler may do almost nothing safely: no allocation, no locks, no I/O. Ours only
// sets an atomic flag. The training loop reads the flag between steps; when it is set, the loop
// finishes nothing more, writes a checkpoint and returns, and `fcn train --resume` continues.
// A second Ctrl-C while the checkpoint is being written is ignored by the flag (already set);
// SIGKILL cannot be caught — the atomic checkpoint writes then leave the previous checkpoint.

import FCN
import FCNCore
import Glibc
import Synchronization

/// Set by SIGINT/SIGTERM once ``StopRequest/installSignalHandlers()`` has run.
private let stopRequested = Atomic<Bool>(false)

/// A polite request to stop, from a signal or from code.
///
/// ```swift
/// StopRequest.installSignalHandlers()
/// while !StopRequest.isRequested { try trainer.advance() }
/// ```
public enum StopRequest {
    /// Routes SIGINT (Ctrl-C) and SIGTERM to the flag instead of ending the process.
    public static func installSignalHandlers() {
        // The handler is a C function pointer; it captures nothing and only stores to an atomic,
        // which is async-signal-safe (lock-free).
        signal(SIGINT) { _ in stopRequested.store(true, ordering: .relaxed) }
        signal(SIGTERM) { _ in stopRequested.store(true, ordering: .relaxed) }
    }

    /// Whether a stop was requested.
    public static var isRequested: Bool { stopRequested.load(ordering: .relaxed) }

    /// Requests a stop (what the signal handler does); for tests and embedding programs.
    public static func request() { stopRequested.store(true, ordering: .relaxed) }

    /// Clears the flag.
    public static func reset() { stopRequested.store(false, ordering: .relaxed) }
}
