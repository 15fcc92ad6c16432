// BLAS.swift — finding, configuring and verifying OpenBLAS at run time.
//
// Not part of the paper: the engineering under every fast layer (see `GEMM.swift`). FCN-8s
// spends ~363 GFLOP per 500×500 image, nearly all of it in sgemm, so the speed of this one
// routine decides whether inference takes seconds or minutes.
//
// Why load at run time. OpenBLAS ships one kernel set per CPU family ("core types":
// Prescott, Haswell, SkylakeX, Cooperlake, …) and picks one in its library constructor, once,
// from `cpuid` — or from the environment variable OPENBLAS_CORETYPE if it is set. Debian's
// 0.3.21 does not know recent processors (Sapphire/Emerald Rapids, AMD Zen 4) and falls back
// to Prescott (SSE3, ~60 GFLOP/s) or Haswell (AVX2), leaving most of the machine idle; told
// "SkylakeX" or "Cooperlake" it runs its AVX-512 kernels, 4–7× faster, with correct results.
// Because the variable is read while the library loads, linking OpenBLAS normally would be
// too late (it loads before `main`). So the package does not link it. Instead, on first use:
//
//   1. read the CPU's flags (`CPUFeatures`) and choose a core type — unless the user already
//      set OPENBLAS_CORETYPE, which we respect;
//   2. `setenv("OPENBLAS_CORETYPE", …)`, then `dlopen("libopenblas.so.0")`;
//   3. look up `cblas_sgemm` and friends with `dlsym`, set the thread count;
//   4. verify: run small products in all four transpose combinations against
//      `GEMM.multiply(.reference, …)`. Only a library that passes is used.
//
// Any failure (no library, missing symbol, wrong answers) leaves `BLAS.loaded` nil, records
// why in `BLAS.diagnostics`, and `GEMM` falls back to its reference loop. Nothing here traps.

import FCNCore
import COpenBLAS
import Foundation

/// OpenBLAS, loaded with `dlopen` after choosing the right kernels for this CPU.
///
/// Use it through ``GEMM/multiply(transposeA:transposeB:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:)``;
/// this type exists to load the library, to report what happened, and to set the thread count.
///
/// ```swift
/// print(BLAS.diagnostics)          // CPU, chosen core type, OpenBLAS's own view, threads…
/// BLAS.setThreadCount(1)           // e.g. when the caller parallelises itself
/// BLAS.measureGFLOPS()             // ≈ 270–450 on a Sapphire Rapids core pair with SkylakeX
/// ```
///
/// ### See Also
/// - ``GEMM``, the entry point; ``BLASDiagnostics``; ``CPUFeatures``.
package final class BLAS: Sendable {
    /// The loaded and verified library, or nil when OpenBLAS is unavailable or failed its check.
    package static var loaded: BLAS? { outcome.library }

    /// What happened when this process loaded OpenBLAS (computed once, on first use; thread-safe
    /// because Swift initialises static stored properties exactly once).
    package static let outcome: LoadOutcome = load(candidates: defaultCandidates)

    /// Where to look, first match wins: the soname (found through the dynamic linker's usual
    /// search path, which on Debian resolves the `update-alternatives` link), then the usual
    /// absolute paths for systems whose linker cache does not list it.
    package static let defaultCandidates = [
        "libopenblas.so.0",
        "/usr/lib/x86_64-linux-gnu/libopenblas.so.0",
        "/usr/lib/aarch64-linux-gnu/libopenblas.so.0",
        "/usr/lib64/libopenblas.so.0",
        "/usr/local/lib/libopenblas.so.0",
        "libopenblas.so",
        "/opt/homebrew/opt/openblas/lib/libopenblas.dylib",
        "/usr/local/opt/openblas/lib/libopenblas.dylib",
    ]

    /// The file the library was loaded from, symlinks resolved.
    package let path: String
    /// `openblas_get_corename()`: the kernels OpenBLAS actually runs.
    package let coreName: String
    /// `openblas_get_config()`: version and build options.
    package let config: String
    // C function pointers looked up with dlsym. They point into a library we never unload.
    private let sgemmFunction: fcn_cblas_sgemm_fn
    private let setThreadsFunction: fcn_openblas_set_num_threads_fn
    private let getThreadsFunction: fcn_openblas_get_num_threads_fn

    private init(path: String,
                 sgemm: fcn_cblas_sgemm_fn, setThreads: fcn_openblas_set_num_threads_fn,
                 getThreads: fcn_openblas_get_num_threads_fn, coreName: fcn_openblas_get_corename_fn,
                 config: fcn_openblas_get_config_fn) {
        self.path = path
        self.sgemmFunction = sgemm
        self.setThreadsFunction = setThreads
        self.getThreadsFunction = getThreads
        self.coreName = coreName().map { String(cString: $0) } ?? "unknown"
        self.config = config().map { String(cString: $0) } ?? "unknown"
    }

    /// The number of threads OpenBLAS uses for one product.
    package var threadCount: Int { Int(getThreadsFunction()) }

    /// Sets the number of threads OpenBLAS uses (at least 1). Does nothing without OpenBLAS.
    ///
    /// OpenBLAS resizes its thread pool here, which is unsafe while a product runs on another
    /// thread (it can corrupt that product). So the change waits for running products to finish
    /// and holds new ones back until it is done (a readers–writer lock: products are readers).
    /// Callers pass an ``EngineConfiguration`` to the engine instead of calling this.
    package static func setThreadCount(_ count: Int) {
        guard let blas = loaded else { return }
        threadPoolLock.withWriteLock { blas.setThreadsFunction(Int32(clamping: max(1, count))) }
    }

    /// Makes OpenBLAS use `count` threads, or its load-time count for `nil`, resizing its pool
    /// only when that differs from the present size.
    package static func useThreadCount(_ count: Int?) {
        guard let blas = loaded else { return }
        let wanted = max(1, count ?? outcome.loadTimeThreads)
        if blas.threadCount != wanted { setThreadCount(wanted) }
    }

    /// Products take it for reading (many at once), thread-count changes for writing.
    package static let threadPoolLock = ReadWriteLock()

    /// What was detected, chosen and measured while loading; see ``BLASDiagnostics``.
    package static var diagnostics: BLASDiagnostics {
        let o = outcome, cpu = CPUFeatures.current
        return BLASDiagnostics(
            cpuModel: cpu.modelName, cpuFeatures: cpu.vectorFlags,
            coreType: o.coreChoice.coreType, coreTypeReason: o.coreChoice.reason,
            openBLASCoreName: o.library?.coreName, openBLASConfig: o.library?.config,
            threads: o.library?.threadCount, threadsReason: o.threadsReason,
            libraryPath: o.library?.path, verified: o.library != nil, failureReason: o.failureReason)
    }

    /// Measures sgemm speed on `size`×`size` matrices: the best of `repetitions` timed runs after
    /// one warm-up, in GFLOP/s (2·size³ floating-point operations per product). Returns nil
    /// without OpenBLAS (the reference loop is not worth timing). Takes ~0.1 s at 1024.
    package static func measureGFLOPS(size: Int = 1024, repetitions: Int = 3) -> Double? {
        guard let blas = loaded, size >= 1 else { return nil }
        var rng = SeededRandom(seed: 7)
        let a = (0..<size * size).map { _ in rng.nextFloat() }
        let b = (0..<size * size).map { _ in rng.nextFloat() }
        var c = [Float](repeating: 0, count: size * size)
        let clock = ContinuousClock()
        var best = Double.infinity
        for run in 0...max(1, repetitions) {
            let elapsed = clock.measure {
                blas.sgemm(transposeA: false, transposeB: false, m: size, n: size, k: size, alpha: 1,
                           a: a, lda: size, b: b, ldb: size, beta: 0, c: &c, ldc: size)
            }
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            if run > 0 { best = min(best, seconds) }     // run 0 warms caches and starts threads
        }
        return 2 * Double(size) * Double(size) * Double(size) / best / 1e9
    }

    /// `C ← α·op(A)·op(B) + β·C`, row-major, through `cblas_sgemm`. Same contract as `GEMM.multiply`.
    package func sgemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
               a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
               beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        if m == 0 || n == 0 { return }
        if k == 0 {
            // An empty sum: C ← β·C. Done here because OpenBLAS rejects lda/ldb of 0, which
            // callers may legitimately pass for empty matrices.
            for i in 0..<m { for j in 0..<n { c[i * ldc + j] = beta == 0 ? 0 : beta * c[i * ldc + j] } }
            return
        }
        // cblas checks these too, but answers a violation by printing a message and returning
        // without computing anything; a precondition names the mistake instead.
        precondition(lda >= (transposeA ? m : k) && ldb >= (transposeB ? k : n) && ldc >= n,
                     "BLAS.sgemm: leading dimensions lda \(lda), ldb \(ldb), ldc \(ldc) too small for m \(m), n \(n), k \(k)")
        precondition(max(m, n, k, lda, ldb, ldc) <= Int(Int32.max), "BLAS.sgemm: sizes exceed 32-bit BLAS indices")
        BLAS.threadPoolLock.withReadLock {
            sgemmFunction(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                          Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
        }
    }
}

// MARK: - Loading

extension BLAS {
    /// The result of one attempt to load OpenBLAS.
    package struct LoadOutcome: Sendable {
        /// The verified library, or nil.
        package var library: BLAS?
        package var coreChoice: CoreTypeChoice
        /// Why `library` is nil (or a warning when it is not), for the diagnostics.
        package var failureReason: String?
        package var threadsReason: String
        /// The thread count OpenBLAS had once loaded (its environment variables, or every core).
        package var loadTimeThreads: Int = 1
    }

    /// The OPENBLAS_CORETYPE value in force and how it was decided.
    package struct CoreTypeChoice: Sendable, Equatable {
        /// The core type, or nil to let OpenBLAS detect the CPU itself.
        package var coreType: String?
        package var reason: String
        /// True when the user set OPENBLAS_CORETYPE and we left it alone.
        package var fromEnvironment: Bool
    }

    /// Chooses OpenBLAS's core type for a CPU with these flags, the newest kernel set first:
    ///
    ///   avx512f + avx512bw + avx512vl + avx512_bf16  →  Cooperlake  (Cooper Lake, Sapphire and
    ///                                                   Emerald Rapids, AMD Zen 4)
    ///   avx512f + avx512bw + avx512vl                →  SkylakeX    (Skylake-SP, Ice Lake)
    ///   avx2 + fma                                   →  Haswell     (Haswell…, AMD Zen 1–3)
    ///   otherwise                                    →  OpenBLAS's own detection
    ///
    /// For sgemm, Cooperlake and SkylakeX run the same AVX-512 kernels; Cooperlake adds bf16
    /// ones. An OPENBLAS_CORETYPE already in the environment (`environment`) wins.
    package static func chooseCoreType(for cpu: CPUFeatures, environment: String?) -> CoreTypeChoice {
        if let environment, !environment.isEmpty {
            return CoreTypeChoice(coreType: environment,
                                  reason: "OPENBLAS_CORETYPE=\(environment) was already set in the environment; respected",
                                  fromEnvironment: true)
        }
        let avx512 = ["avx512f", "avx512bw", "avx512vl"].allSatisfy(cpu.has)
        let (core, reason): (String?, String) =
            if avx512 && cpu.has("avx512_bf16") { ("Cooperlake", "CPU has avx512f, avx512bw, avx512vl and avx512_bf16") }
            else if avx512 { ("SkylakeX", "CPU has avx512f, avx512bw and avx512vl") }
            else if cpu.has("avx2") && cpu.has("fma") { ("Haswell", "CPU has avx2 and fma") }
            else { (nil, "no AVX2/AVX-512 flags found; OpenBLAS detects the CPU itself") }
        return CoreTypeChoice(coreType: core, reason: reason, fromEnvironment: false)
    }

    private static let loadLock = NSLock()

    /// Chooses and sets the core type, then tries each candidate path until one opens, has every
    /// symbol and passes verification. Never traps; a nil `library` comes with a reason.
    package static func load(candidates: [String]) -> LoadOutcome {
        // One load at a time: setenv below must not race the getenv in another load's
        // OpenBLAS constructor (tests call `load` with other candidates concurrently).
        loadLock.lock()
        defer { loadLock.unlock() }
        let environment = ProcessInfo.processInfo.environment
        let choice = chooseCoreType(for: .current, environment: environment["OPENBLAS_CORETYPE"])
        if let core = choice.coreType, !choice.fromEnvironment, environment["OPENBLAS_CORETYPE"] != core {
            // setenv is not safe against a concurrent getenv on another thread; this runs once,
            // at the first matrix product, and only when the value actually changes.
            setenv("OPENBLAS_CORETYPE", core, 1)
        }
        // OpenBLAS itself honours these (OPENBLAS_NUM_THREADS first); otherwise use every core.
        let threadVariable = ["OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS"]
            .first { environment[$0].map { Int($0) != nil } ?? false }
        let threadsReason = threadVariable.map { "\($0)=\(environment[$0]!) in the environment" }
            ?? "one per available core (\(ProcessInfo.processInfo.activeProcessorCount))"

        var problems: [String] = []
        for candidate in candidates {
            // Already mapped into the process (say, linked by another library)? Then its
            // constructor ran before we set OPENBLAS_CORETYPE, and our choice cannot apply.
            let alreadyLoaded = dlopen(candidate, RTLD_NOW | RTLD_LOCAL | RTLD_NOLOAD) != nil
            guard let handle = dlopen(candidate, RTLD_NOW | RTLD_LOCAL) else {
                problems.append(dlerror().map { String(cString: $0) } ?? "\(candidate): cannot open")
                continue
            }
            func symbol<F>(_ name: String, as type: F.Type) -> F? {
                dlsym(handle, name).map { unsafeBitCast($0, to: type) }
            }
            guard let sgemm = symbol("cblas_sgemm", as: fcn_cblas_sgemm_fn.self),
                  let setThreads = symbol("openblas_set_num_threads", as: fcn_openblas_set_num_threads_fn.self),
                  let getThreads = symbol("openblas_get_num_threads", as: fcn_openblas_get_num_threads_fn.self),
                  let coreName = symbol("openblas_get_corename", as: fcn_openblas_get_corename_fn.self),
                  let config = symbol("openblas_get_config", as: fcn_openblas_get_config_fn.self)
            else {
                problems.append("\(candidate): opened, but it lacks cblas_sgemm or the openblas_* functions (not OpenBLAS?)")
                continue
            }
            let blas = BLAS(path: resolvedPath(of: handle, symbolName: "cblas_sgemm") ?? candidate,
                            sgemm: sgemm, setThreads: setThreads, getThreads: getThreads,
                            coreName: coreName, config: config)
            if threadVariable == nil { setThreads(Int32(clamping: ProcessInfo.processInfo.activeProcessorCount)) }
            if let failure = blas.verify() {
                problems.append("\(blas.path) (core \(blas.coreName)): verification failed — \(failure)")
                continue
            }
            var warning: String?
            if alreadyLoaded, let core = choice.coreType, !choice.fromEnvironment,
               blas.coreName.lowercased() != core.lowercased() {
                warning = "OpenBLAS was already loaded before FCN set OPENBLAS_CORETYPE=\(core); it runs \(blas.coreName)"
            }
            return LoadOutcome(library: blas, coreChoice: choice, failureReason: warning, threadsReason: threadsReason,
                               loadTimeThreads: blas.threadCount)
        }
        let reason = problems.isEmpty ? "no candidate paths given" : problems.joined(separator: "; ")
        return LoadOutcome(library: nil, coreChoice: choice,
                           failureReason: reason + " — using the reference GEMM loop", threadsReason: threadsReason)
    }

    /// The real file behind a loaded library: the mapping in /proc/self/maps that contains the
    /// symbol's address (the kernel lists files with symlinks resolved, so Debian's alternatives
    /// links show as the actual library). `dladdr` would say the same, but Glibc does not
    /// expose it to Swift without _GNU_SOURCE. Nil elsewhere (macOS has no /proc).
    private static func resolvedPath(of handle: UnsafeMutableRawPointer, symbolName: String) -> String? {
        guard let address = dlsym(handle, symbolName).map({ UInt(bitPattern: $0) }),
              let maps = try? String(contentsOfFile: "/proc/self/maps", encoding: .utf8) else { return nil }
        // Each line: "start-end perms offset dev inode path", addresses in hexadecimal.
        for line in maps.split(separator: "\n") {
            let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
            guard fields.count == 6, let dash = fields[0].firstIndex(of: "-"),
                  let low = UInt(fields[0][..<dash], radix: 16),
                  let high = UInt(fields[0][fields[0].index(after: dash)...], radix: 16) else { continue }
            if low <= address && address < high { return fields[5].trimmingCharacters(in: .whitespaces) }
        }
        return nil
    }

    /// Compares this library with `GEMM.multiply(.reference, …)` on a 67×45×53 product in all four
    /// transpose combinations, with padded leading dimensions and α, β ∉ {0, 1}. Returns a
    /// description of the first disagreement, or nil when every result is within 1e-4 relative.
    package func verify() -> String? {
        let m = 67, n = 45, k = 53, pad = 3
        var rng = SeededRandom(seed: 2015)
        for (transposeA, transposeB) in [(false, false), (true, false), (false, true), (true, true)] {
            let (aRows, aCols) = transposeA ? (k, m) : (m, k)
            let (bRows, bCols) = transposeB ? (n, k) : (k, n)
            let lda = aCols + pad, ldb = bCols + pad, ldc = n + pad
            let a = (0..<aRows * lda).map { _ in rng.nextFloat() * 2 - 1 }
            let b = (0..<bRows * ldb).map { _ in rng.nextFloat() * 2 - 1 }
            let c0 = (0..<m * ldc).map { _ in rng.nextFloat() * 2 - 1 }
            var fast = c0, reference = c0
            sgemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: 1.5,
                  a: a, lda: lda, b: b, ldb: ldb, beta: 0.5, c: &fast, ldc: ldc)
            GEMM.multiply(.reference, transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: 1.5,
                          a: a, lda: lda, b: b, ldb: ldb, beta: 0.5, c: &reference, ldc: ldc)
            let scale = max(1, reference.reduce(0) { max($0, abs($1)) })
            // Compare every element, padding included: BLAS must not write outside the matrix.
            for i in fast.indices where !(abs(fast[i] - reference[i]) <= 1e-4 * scale) {
                return "op(A)\(transposeA ? "ᵀ" : "")·op(B)\(transposeB ? "ᵀ" : ""): element \(i) is \(fast[i]), reference \(reference[i])"
            }
        }
        return nil
    }
}

// MARK: - Diagnostics

/// What `BLAS` found and chose on this machine, for `fcn info --system` and bug reports.
///
/// ```swift
/// let d = BLAS.diagnostics
/// d.coreType           // "Cooperlake" — what we asked OpenBLAS for
/// d.openBLASCoreName   // "Cooperlake" — what OpenBLAS says it runs
/// d.verified           // true
/// ```
package struct BLASDiagnostics: Sendable, CustomStringConvertible {
    /// The processor's model name.
    package var cpuModel: String
    /// The vector-instruction flags detected (see ``CPUFeatures/vectorFlags``).
    package var cpuFeatures: [String]
    /// The OPENBLAS_CORETYPE in force at load time, or nil when OpenBLAS detected the CPU itself.
    package var coreType: String?
    /// Why that core type (detected flags, or the user's environment).
    package var coreTypeReason: String
    /// `openblas_get_corename()`, the kernels actually running; nil without OpenBLAS.
    package var openBLASCoreName: String?
    /// `openblas_get_config()`: version and build options; nil without OpenBLAS.
    package var openBLASConfig: String?
    /// OpenBLAS's current thread count; nil without OpenBLAS.
    package var threads: Int?
    /// Where the initial thread count came from.
    package var threadsReason: String
    /// The library file, symlinks resolved; nil without OpenBLAS.
    package var libraryPath: String?
    /// Whether a library was loaded and agreed with the reference GEMM.
    package var verified: Bool
    /// Why no library is used, or a warning about the one used; nil when all went well.
    package var failureReason: String?

    /// A few lines: the library, its core type, the thread count and why.
    package var description: String {
        var lines = [
            "CPU             \(cpuModel)",
            "vector flags    \(cpuFeatures.isEmpty ? "(none detected)" : cpuFeatures.joined(separator: " "))",
            "core type       \(coreType ?? "(OpenBLAS's own detection)") — \(coreTypeReason)",
        ]
        if verified {
            lines += [
                "OpenBLAS core   \(openBLASCoreName ?? "?")",
                "OpenBLAS build  \(openBLASConfig ?? "?")",
                "library         \(libraryPath ?? "?")",
                "threads         \(threads.map(String.init) ?? "?") — \(threadsReason)",
                "verification    passed (sgemm = reference GEMM, all transpose combinations)",
            ]
        } else {
            lines.append("OpenBLAS        not used: reference GEMM loop (slow)")
        }
        if let failureReason { lines.append("note            \(failureReason)") }
        return lines.joined(separator: "\n")
    }
}

/// A POSIX readers–writer lock: any number of readers at once, or one writer alone.
package final class ReadWriteLock: @unchecked Sendable {
    // Heap-allocated so its address never moves (pthread locks must not be copied).
    private let lock: UnsafeMutablePointer<pthread_rwlock_t>

    package init() {
        lock = .allocate(capacity: 1)
        pthread_rwlock_init(lock, nil)
    }

    deinit {
        pthread_rwlock_destroy(lock)
        lock.deallocate()
    }

    package func withReadLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_rwlock_rdlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        return try body()
    }

    package func withWriteLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_rwlock_wrlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        return try body()
    }
}
