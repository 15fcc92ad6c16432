// AllocatorTuning.swift — keeping freed activation memory for the next layer (inference engineering,
// no paper section; it serves the §4 dense forward pass).
//
// The executor allocates each activation when its layer runs and frees it when its last reader
// is done. FCN's activations are large (conv1_2's output is 125 MB for a 500×500 image), and
// glibc serves every block over 32 MB — and by default many over 128 kB — with a fresh `mmap`,
// returning it with `munmap` on free. Every forward pass then page-faults and the kernel
// zero-fills about a gigabyte of new pages: measured on a 2-core box, 1–2 s of system time per
// FCN-8s 500×500 forward pass (forward ≈ 4.9 s → 3.1 s with the tuning below).
//
// `keepFreedMemoryForReuse()` tells glibc to serve large blocks from its heap and not to give
// freed memory back, so the next layer (and the next image) reuses pages already mapped. The
// peak resident size is unchanged — the pages were needed at the peak anyway — but the process
// keeps them until it exits, which is right for an inference process and wrong for a
// long-lived host that runs one network once; hence opt-in, for command-line tools and
// benchmarks.

#if canImport(Glibc)
import Glibc
#endif

/// Process-wide memory-allocator settings for inference.
package enum AllocatorTuning {
    /// Makes glibc reuse freed large blocks instead of unmapping and remapping them (see the
    /// file comment). Call once, early, before large allocations. Does nothing off glibc.
    ///
    /// - Returns: whether the settings were applied.
    ///
    /// ```swift
    /// AllocatorTuning.keepFreedMemoryForReuse()   // in a CLI's main, before loading the network
    /// ```
    @discardableResult
    package static func keepFreedMemoryForReuse() -> Bool {
        #if canImport(Glibc)
        // `mallopt` is declared in <malloc.h>, which the Glibc module does not export: look it
        // up by name (RTLD_DEFAULT, i.e. a nil handle) and use <malloc.h>'s parameter numbers.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(nil, "mallopt") else { return false }
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        let trimThreshold: Int32 = -1, mmapMax: Int32 = -4       // M_TRIM_THRESHOLD, M_MMAP_MAX
        // M_MMAP_MAX 0: no block is served by mmap (glibc then grows the heap instead);
        // M_TRIM_THRESHOLD: never shrink the heap when its top is freed (the largest Int32).
        return mallopt(mmapMax, 0) == 1 && mallopt(trimThreshold, Int32.max) == 1
        #else
        return false
        #endif
    }
}
