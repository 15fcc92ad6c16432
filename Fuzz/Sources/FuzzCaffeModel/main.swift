// FuzzCaffeModel — libFuzzer target: the .caffemodel reader (protobuf decoding + blob checks).
// Every input must either parse or throw a `CaffeModelError`; a trap, another error, a sanitizer
// report, a leak or a hang is a bug. Commands: Fuzz/README.md.
import CLibFuzzer
import Glibc
@_spi(Fuzzing) import FCN

/// One fuzzer input, parsed from memory. Also exported as `LLVMFuzzerTestOneInput` because
/// libFuzzer's archive refers to that name; the `main` that runs is ours (below).
@_cdecl("LLVMFuzzerTestOneInput")
func parse(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size)
    do {
        _ = try CaffeModel(bytes: bytes, name: "fuzz.caffemodel")
    } catch is CaffeModelError {
        // Refused with an explanation: the expected outcome for most inputs.
    } catch {
        fatalError("untyped error \(type(of: error)): \(error)")
    }
    return 0
}

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv, parse))
