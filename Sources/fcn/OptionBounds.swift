// OptionBounds.swift — the one-line bound check every option group's `validate()` uses, so that
// a typo is a message naming the option, not a trap or a run that silently does something else.
import ArgumentParser

extension ValidationError {
    /// Throws `ValidationError(message)` unless `condition` holds.
    ///
    /// ```swift
    /// try ValidationError.require(n >= 1, "--checkpoint-every must be at least 1 (got \(n))")
    /// ```
    static func require(_ condition: Bool, _ message: @autoclosure () -> String) throws {
        if !condition { throw ValidationError(message()) }
    }
}
