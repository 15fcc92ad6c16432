// Segment.swift — `fcn segment`: real FCN inference on one image (paper §3 dense prediction,
// §4.2). Argument parsing, timing and messages only; the work is `FCN.Segmentation`.
import FCNKernels
import ArgumentParser
import FCN
import Foundation

extension FCNArchitecture: ExpressibleByArgument {}

struct Segment: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Segment an image with a trained FCN: scores, labels and an overlay.",
        discussion: """
        The input is a PNG/JPEG (preprocessed as Caffe does: BGR, mean pixel subtracted) or an .npy float32 array [1,3,H,W] or [3,H,W] that is already preprocessed. Outputs have the input's size; each is written atomically, and nothing is computed if one cannot be.

        Without --weights, the VGG-mini FCN shipped with the package segments the synthetic shapes world (background, disc, ring, square, triangle, star, cross); with --weights, any FCN of --arch (e.g. Berkeley's VOC models, 21 classes).

        Examples:
          fcn segment --input scene.png --labels scene-labels.png
          fcn segment --weights fcn8s.safetensors --input cat.jpg \\
              --labels cat-labels.png --overlay cat-overlay.png
          fcn segment --arch fcn32s --weights fcn32s.caffemodel \\
              --input cat.jpg --logits cat-scores.npy
          fcn segment --weights w.safetensors --input x.npy \\
              --logits y.npy --threads 2 --repeat 5 --timing-json
        """
    )

    @Option(help: "The architecture.")
    var arch: FCNArchitecture = .fcn8s

    @Option(help: "Weights (.safetensors or .caffemodel). Without it, the embedded VGG-mini model trained on synthetic shapes (7 classes).")
    var weights: String?

    @Option(help: "Number of classes (default: read from the weights' score_fr).")
    var classes: Int?

    @Option(help: "Input image (.png, .jpg) or preprocessed array (.npy).")
    var input: String

    @Option(help: "Write the score blob as float32 .npy [1,K,H,W].")
    var logits: String?

    @Option(help: "Write the per-pixel classes as a palette PNG (VOC colours).")
    var labels: String?

    @Option(help: "Write the classes blended over the image as a PNG.")
    var overlay: String?

    @Option(help: "Threads for OpenBLAS and our own loops (default: all cores).")
    var threads: Int?

    @Option(name: .customLong("repeat"), help: "Time N forward passes after one warm-up.")
    var repeats: Int = 0

    @Flag(help: "Print a final JSON line {\"forwardSeconds\": [...], \"peakRSSMiB\": ...} on stdout.")
    var timingJson = false

    func validate() throws {
        if let threads, threads < 1 || threads > EngineConfiguration.maximumThreads {
            throw ValidationError("--threads must be at least 1 and at most \(EngineConfiguration.maximumThreads) (got \(threads))")
        }
        if repeats < 0 { throw ValidationError("--repeat must be 0 or more (got \(repeats))") }
        if let classes, classes < 1 { throw ValidationError("--classes must be at least 1 (got \(classes))") }
    }

    func run() throws {
        let threadCount = threads ?? ProcessInfo.processInfo.activeProcessorCount
        let configuration = EngineConfiguration(threads: threadCount)
        // Keep freed activations mapped for reuse: without it glibc returns every large block
        // to the kernel and faults it back in on the next layer (1–2 s per 500×500 pass).
        AllocatorTuning.keepFreedMemoryForReuse()
        let outputs = SegmentationOutputs(logits: logits.map { URL(filePath: $0) }, labels: labels.map { URL(filePath: $0) },
                                          overlay: overlay.map { URL(filePath: $0) })
        do {
            try Segmentation.checkWritable(outputs)                  // before the (slow) weight loading
            try OutputFiles.check([logits, labels, overlay].compactMap { $0.map { URL(filePath: $0) } },
                                  inputs: [input, weights].compactMap { $0.map { URL(filePath: $0) } })
            let loadStart = Date()
            let network: Network
            if let weights {
                let url = URL(filePath: weights)
                let k = try PretrainedWeights.classCount(in: url, requested: classes)
                let description = try arch.description(classes: k)
                network = try Network(description, parameters: PretrainedWeights.load(url, for: description))
            } else {
                network = try embeddedNetwork(arch, classes: classes)
            }
            let loadSeconds = Date().timeIntervalSince(loadStart)
            let result = try Segmentation.run(network, input: URL(filePath: input), outputs: outputs, repeats: repeats,
                                            configuration: configuration)
            let ms = { (s: Double) in String(format: "%.1f ms", s * 1000) }
            let sorted = result.forwardSeconds.sorted()
            printError("loaded \(network.description.name) in \(ms(loadSeconds)); forward \(result.scores.shape) "
                       + "median \(ms(sorted[sorted.count / 2])) over \(sorted.count) pass(es), \(threadCount) thread(s)")
            if timingJson {
                let times = result.forwardSeconds.map { String(format: "%.6f", $0) }.joined(separator: ", ")
                print("{\"forwardSeconds\": [\(times)], \"peakRSSMiB\": \(String(format: "%.1f", peakRSSMiB()))}")
            }
        } catch let error as EmbeddedModelRequestError {
            printError("fcn segment: \(error)")
            throw ExitCode(2)
        } catch let error as EmbeddedModelError {
            printError("fcn segment: \(error)")
            throw ExitCode(2)
        } catch {
            printError("fcn segment: \(error)")
            throw ExitCode(1)
        }
    }
}

/// Why the embedded model cannot serve a request.
enum EmbeddedModelRequestError: Error, CustomStringConvertible {
    case noEmbedded(FCNArchitecture)
    case classCount(requested: Int)
    var description: String {
        switch self {
        case .noEmbedded(let arch):
            "there is no embedded \(arch.rawValue) (the shipped models are VGG-mini fcn32s, fcn16s, fcn8s and fcn8s-atonce); pass --weights"
        case .classCount(let k):
            "the embedded models have \(VGGMini.segmentationClasses) classes (background and six shapes), not \(k); pass --weights for other class counts"
        }
    }
}

/// The trained VGG-mini FCN shipped inside the package (`EmbeddedModels`), for `fcn segment`
/// without `--weights`: same architecture family, trained by `scripts/train-embedded-models` on
/// the synthetic shapes world, so it segments discs, rings, squares, triangles, stars and crosses.
func embeddedNetwork(_ arch: FCNArchitecture, classes: Int?) throws -> Network {
    if let classes, classes != VGGMini.segmentationClasses { throw EmbeddedModelRequestError.classCount(requested: classes) }
    guard let stage = EmbeddedModels.stage(for: arch) else { throw EmbeddedModelRequestError.noEmbedded(arch) }
    return try EmbeddedModels.network(stage)
}

/// The process's peak resident set so far, in MiB (`ru_maxrss` is in KiB on Linux).
func peakRSSMiB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

/// One line on standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
