// FuzzImage — libFuzzer target: PNG/JPEG decoding (libpng, libjpeg through CImageCodecs).
// Every input must either parse or throw a `ImageError`; a trap, another error, a sanitizer
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
        _ = try RGBImage.decode(bytes: bytes, name: "fuzz.img")
    } catch is ImageError {
        // Refused with an explanation: the expected outcome for most inputs.
    } catch {
        fatalError("untyped error \(type(of: error)): \(error)")
    }
    return 0
}

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv, parse))
