// AllocatorTuningTests.swift — the allocator settings for inference apply on glibc, and large
// blocks still allocate, free and reallocate with their contents intact afterwards.
import FCNKernels
import Testing
@testable import FCN
#if canImport(Glibc)
import Glibc
#endif

@Suite struct AllocatorTuningTests {
    @Test func settingsApplyAndLargeBlocksStillWork() {
        #if canImport(Glibc)
        // AddressSanitizer replaces malloc and refuses glibc's mallopt; then "not applied" is
        // the right answer (the documented ASan run of this suite must stay clean).
        let applied = AllocatorTuning.keepFreedMemoryForReuse()
        let underAddressSanitizer = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "__asan_init") != nil
        #expect(applied || underAddressSanitizer)
        #endif
        // 40 MB, above glibc's largest mmap threshold: now served from the heap.
        for round in 0..<2 {
            let count = 10 << 20
            let block = [Float](repeating: Float(round + 1), count: count)
            #expect(block[0] == Float(round + 1) && block[count - 1] == Float(round + 1))
        }
    }
}
