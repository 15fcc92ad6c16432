// FuzzSafetensors — libFuzzer target: the safetensors reader, header and every tensor.
// Every input must either parse or throw a `SafetensorsError`; a trap, another error, a sanitizer
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
        let file = try SafetensorsFile(bytes: bytes, name: "fuzz.safetensors")
        for name in file.tensorNames {
            // One tensor may be refused (dtype, NaN); go on with the others.
            do { _ = try file.tensor(named: name, expectedShape: file.shape(of: name)!) } catch is SafetensorsError {}
        }
    } catch is SafetensorsError {
        // Refused with an explanation: the expected outcome for most inputs.
    } catch {
        fatalError("untyped error \(type(of: error)): \(error)")
    }
    return 0
}

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv, parse))
