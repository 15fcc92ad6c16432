// FuzzHarness.swift — what every fuzz target shares: the verdict on one input, and handing the
// target to libFuzzer. Each target keeps only its parse call and the `LLVMFuzzerTestOneInput`
// export (the symbol libFuzzer's archive refers to must live in the executable).
import CLibFuzzer
import Glibc

/// Runs `parse` on one fuzzer input. Throwing a `Refusal` (the reader's own error type, with
/// its explanation) is the expected outcome for most inputs; any other error traps on purpose,
/// so libFuzzer reports the input. A trap, a sanitizer report, a leak or a hang inside `parse`
/// is a bug too.
public func fuzzOne<Refusal: Error>(_ data: UnsafePointer<UInt8>?, _ size: Int, refusing _: Refusal.Type,
                                    _ parse: (UnsafeRawBufferPointer) throws -> Void) -> Int32 {
    let bytes = UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size)
    do {
        try parse(bytes)
    } catch is Refusal {
        // Refused with an explanation.
    } catch {
        fatalError("untyped error \(type(of: error)): \(error)")
    }
    return 0
}

/// Runs libFuzzer with this process's command line, calling `target` on every input, and exits
/// with libFuzzer's status. (SwiftPM's executable `main` stays ours; libFuzzer's is not linked.)
public func runFuzzer(_ target: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Never {
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, target))
}
