// FuzzCheckpoint — libFuzzer target: reading a training checkpoint (`fcn train --resume`).
// Every input must either parse or throw a `CheckpointError` or `SafetensorsError`; a trap,
// another error, a sanitizer report, a leak or a hang is a bug. Commands: Fuzz/README.md.
//
// Mutated bytes almost never keep a valid CRC-32, so the checksum is computed but not enforced
// here (`requiringChecksum: false`): otherwise every mutant would stop at the checksum and the
// step, history, momentum and parameter checks behind it would never be reached. A checkpoint
// of the tiny model is then validated against its stage's net, as `TrainingPipeline` does once
// the run has matched the model (it never describes a net from a checkpoint's own sizes).
import FuzzHarness
@_spi(Fuzzing) import FCN
@_spi(Fuzzing) import FCNTraining

/// One fuzzer input, parsed from memory. Also exported as `LLVMFuzzerTestOneInput` because
/// libFuzzer's archive refers to that name; the `main` that runs is ours (below).
@_cdecl("LLVMFuzzerTestOneInput")
func parse(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    fuzzOne(data, size, refusing: CheckpointError.self) { bytes in
        do {
            let checkpoint = try Checkpoint(bytes: bytes, name: "fuzz.checkpoint.safetensors", requiringChecksum: false)
            if checkpoint.model == .tiny { try checkpoint.validate(sceneSize: 16, file: "fuzz.checkpoint.safetensors") }
        } catch is SafetensorsError {
            // Refused by the safetensors reader, with its explanation.
        }
    }
}

runFuzzer(parse)
