// FuzzCaffeModel — libFuzzer target: the .caffemodel reader (protobuf decoding + blob checks).
// Every input must either parse or throw a `CaffeModelError`; a trap, another error, a sanitizer
// report, a leak or a hang is a bug. Commands: Fuzz/README.md.
import FuzzHarness
@_spi(Fuzzing) import FCN

/// One fuzzer input, parsed from memory. Also exported as `LLVMFuzzerTestOneInput` because
/// libFuzzer's archive refers to that name; the `main` that runs is ours (below).
@_cdecl("LLVMFuzzerTestOneInput")
func parse(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    fuzzOne(data, size, refusing: CaffeModelError.self) { bytes in
        _ = try CaffeModel(bytes: bytes, name: "fuzz.caffemodel")
    }
}

runFuzzer(parse)
