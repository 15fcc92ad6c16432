// Segment.swift — `fcn segment`: real FCN inference on one image (paper §3 dense prediction,
// §4.2). Argument parsing, timing and messages only; the work is `FCN.Segmentation`.
import FCNKernels
import ArgumentParser
import FCN
import Foundation

struct Segment: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Segment an image with a trained FCN: scores, labels and an overlay.",
        discussion: """
        The input is a PNG/JPEG (preprocessed as Caffe does: BGR, mean pixel subtracted) or an .npy float32 array [1,3,H,W] or [3,H,W] that is already preprocessed. Outputs have the input's size; each is written atomically, and nothing is computed if one cannot be.

        Without --weights, the VGG-mini FCN shipped with the package segments the synthetic shapes world (background, disc, ring, square, triangle, star, cross); --arch picks its head. With --weights, any FCN: a run of `fcn train`, Berkeley's VOC models (.caffemodel, 21 classes) or pytorch-fcn's safetensors. Which network a file holds is read from its metadata, else from its tensors; --arch, --backbone and --classes correct what a file cannot tell (pytorch-fcn's FCN-8s at once looks like FCN-8s).

        Examples:
          fcn segment --input scene.png --labels scene-labels.png
          fcn segment --weights runs/seed1/fcn8s.safetensors \\
              --input scene.png --labels labels.png
          fcn segment --weights fcn8s.safetensors --input cat.jpg \\
              --labels cat-labels.png --overlay cat-overlay.png
          fcn segment --weights fcn8s-atonce.caffemodel \\
              --input cat.jpg --logits cat-scores.npy
          fcn segment --weights fcn8s-atonce.safetensors --arch fcn8s-atonce \\
              --input cat.jpg --labels cat-labels.png
          fcn segment --weights w.safetensors --input x.npy \\
              --logits y.npy --threads 2 --repeat 5 --timing-json
        """
    )

    @OptionGroup(title: "Model")
    var model: ModelOptions

    @Option(help: "Input image (.png, .jpg) or preprocessed array (.npy).")
    var input: String

    @Option(help: "Write the score blob as float32 .npy [1,K,H,W].")
    var logits: String?

    @Option(help: "Write the per-pixel classes as a palette PNG (VOC colours).")
    var labels: String?

    @Option(help: "Write the classes blended over the image as a PNG.")
    var overlay: String?

    @OptionGroup var threads: ThreadOptions

    @Option(name: .customLong("repeat"), help: "Time N forward passes after one warm-up.")
    var repeats: Int = 0

    @Flag(help: "Print a final JSON line {\"forwardSeconds\": [...], \"peakRSSMiB\": ...} on stdout.")
    var timingJson = false

    func validate() throws {
        if repeats < 0 { throw ValidationError("--repeat must be 0 or more (got \(repeats))") }
    }

    func run() throws {
        let threadCount = threads.count
        let configuration = EngineConfiguration(threads: threadCount)
        // Keep freed activations mapped for reuse: without it glibc returns every large block
        // to the kernel and faults it back in on the next layer (1–2 s per 500×500 pass).
        AllocatorTuning.keepFreedMemoryForReuse()
        let outputs = SegmentationOutputs(logits: logits.map { URL(filePath: $0) }, labels: labels.map { URL(filePath: $0) },
                                          overlay: overlay.map { URL(filePath: $0) })
        do {
            try Segmentation.checkWritable(outputs)                  // before the (slow) weight loading
            try OutputFiles.check([logits, labels, overlay].compactMap { $0.map { URL(filePath: $0) } },
                                  inputs: [input, model.weights].compactMap { $0.map { URL(filePath: $0) } })
            let loadStart = Date()
            let loaded = try model.loadWeights() ?? shippedModel(model.overrides.overrides)
            try requireSegmentation(loaded)
            let network = loaded.network
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
