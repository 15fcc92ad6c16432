// FuzzSafetensors — libFuzzer target: the safetensors reader, header and every tensor.
// Every input must either parse or throw a `SafetensorsError`; a trap, another error, a sanitizer
// report, a leak or a hang is a bug. Commands: Fuzz/README.md.
import FuzzHarness
@_spi(Fuzzing) import FCN

/// One fuzzer input, parsed from memory. Also exported as `LLVMFuzzerTestOneInput` because
/// libFuzzer's archive refers to that name; the `main` that runs is ours (below).
@_cdecl("LLVMFuzzerTestOneInput")
func parse(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    fuzzOne(data, size, refusing: SafetensorsError.self) { bytes in
        let file = try SafetensorsFile(bytes: bytes, name: "fuzz.safetensors")
        for name in file.tensorNames {
            // One tensor may be refused (dtype, NaN); go on with the others.
            do { _ = try file.tensor(named: name, expectedShape: file.shape(of: name)!) } catch is SafetensorsError {}
        }
    }
}

runFuzzer(parse)
