// Segment.swift — `fcn segment`: real FCN inference on one image, or on many with --out-dir
// (paper §3 dense prediction, §4.2). Argument parsing, timing and messages only; the work is
// `FCN.Segmentation`; the many-image loop is `SegmentBatch.swift`.
import FCNKernels
import ArgumentParser
import FCN
import Foundation

struct Segment: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Segment an image with a trained FCN: scores, labels and an overlay.",
        discussion: """
        One image: --input FILE and the outputs --labels, --overlay, --logits. Many images: --input FOLDER_OR_FILE (repeatable) and --out-dir OUT, which receives OUT/<stem>.labels.png and, with --write labels,overlay,logits, OUT/<stem>.overlay.png and OUT/<stem>.logits.npy; the model is loaded once, files other than PNG/JPEG are skipped (with a line saying so), a failed image is reported and the rest go on (exit status 1 if any failed).

        The input is a PNG/JPEG (preprocessed as Caffe does: BGR, mean pixel subtracted) or an .npy float32 array [1,3,H,W] or [3,H,W] that is already preprocessed. Outputs have the input's size; each is written atomically, and nothing is computed if one cannot be.

        Without --weights, the VGG-mini FCN shipped with the package segments the synthetic shapes world (background, disc, ring, square, triangle, star, cross); --arch picks its head. With --weights, any FCN: a run of `fcn train`, Berkeley's VOC models (.caffemodel, 21 classes) or pytorch-fcn's safetensors. Which network a file holds is read from its metadata, else from its tensors; --arch, --backbone and --classes correct what a file cannot tell (pytorch-fcn's FCN-8s at once looks like FCN-8s).

        Examples:
          fcn segment --input scene.png --labels scene-labels.png
          fcn segment --weights runs/seed1/fcn8s.safetensors \\
              --input scene.png --labels labels.png
          fcn segment --weights fcn8s.safetensors --input cat.jpg \\
              --labels cat-labels.png --overlay cat-overlay.png
          fcn segment --input scene.png --overlay scene-overlay.png \\
              --alpha 0.7 --legend
          fcn segment --weights fcn8s-atonce.caffemodel \\
              --input cat.jpg --logits cat-scores.npy
          fcn segment --weights fcn8s-atonce.safetensors --arch fcn8s-atonce \\
              --input cat.jpg --labels cat-labels.png
          fcn segment --weights w.safetensors --input x.npy \\
              --logits y.npy --threads 2 --repeat 5 --timing-json
          fcn segment --input VOCdevkit/VOC2012/PNGImages --out-dir segmented
          fcn segment --input scene.png --input cat.jpg \\
              --out-dir shown --write labels,overlay,logits
        """
    )

    @OptionGroup(title: "Model")
    var model: ModelOptions

    @Option(help: ArgumentHelp("Input image (.png, .jpg) or preprocessed array (.npy); with --out-dir, folders or images, repeatable.",
                               valueName: "file-or-folder"))
    var input: [String]

    @Option(help: ArgumentHelp("Segment every PNG/JPEG of the inputs into this folder (created if missing).", valueName: "folder"))
    var outDir: String?

    @Option(help: ArgumentHelp("With --out-dir: the outputs per image, among labels, overlay, logits.", valueName: "list"))
    var write = "labels"

    @Option(help: "Write the score blob as float32 .npy [1,K,H,W].")
    var logits: String?

    @Option(help: "Write the per-pixel classes as a palette PNG (VOC colours).")
    var labels: String?

    @Option(help: "Write the classes blended over the image as a PNG.")
    var overlay: String?

    @OptionGroup(title: "Overlay")
    var overlayStyle: OverlayOptions

    @OptionGroup var threads: ThreadOptions

    @OptionGroup var precision: PrecisionOptions

    @Option(name: .customLong("repeat"), help: "Time N forward passes after one warm-up.")
    var repeats: Int = 0

    @Flag(help: "Print a final JSON line {\"forwardSeconds\": [...], \"peakRSSMiB\": ...} on stdout.")
    var timingJson = false

    func validate() throws {
        if repeats < 0 { throw ValidationError("--repeat must be 0 or more (got \(repeats))") }
        if repeats > Self.maximumRepeats { throw ValidationError("--repeat must be at most \(Self.maximumRepeats) (got \(repeats))") }
        if input.contains(where: \.isEmpty) { throw ValidationError("--input: an empty path") }
        if let outDir {
            if outDir.isEmpty { throw ValidationError("--out-dir: an empty path") }
            let single = [("--labels", labels), ("--overlay", overlay), ("--logits", logits)].filter { $0.1 != nil }.map(\.0)
            if !single.isEmpty { throw ValidationError("\(single.joined(separator: ", ")) name one image's outputs; with --out-dir choose them with --write") }
            if repeats > 0 || timingJson { throw ValidationError("--repeat and --timing-json time one image; leave out --out-dir") }
            _ = try BatchOutputKind.parse(write)
        } else {
            if input.count > 1 { throw ValidationError("--input is given \(input.count) times; several inputs need --out-dir") }
            if write != "labels" { throw ValidationError("--write chooses the outputs of --out-dir; for one image use --labels, --overlay, --logits") }
        }
        for (name, path) in [("--labels", labels), ("--overlay", overlay), ("--logits", logits)] where path?.isEmpty == true {
            throw ValidationError("\(name): an empty path")
        }
    }

    /// More timed passes than anyone waits for is a typo.
    static let maximumRepeats = 10_000

    func run() throws {
        if let outDir {
            let failed = try SegmentBatch(inputs: input, outDir: outDir, kinds: try BatchOutputKind.parse(write),
                                          model: model, threads: threads, precision: precision, overlayStyle: overlayStyle).run()
            if failed > 0 { throw ExitCode(1) }
            return
        }
        let threadCount = threads.count
        var configuration = EngineConfiguration(threads: threadCount)
        configuration.precision = precision.value
        // Keep freed activations mapped for reuse: without it glibc returns every large block
        // to the kernel and faults it back in on the next layer (1–2 s per 500×500 pass).
        AllocatorTuning.keepFreedMemoryForReuse()
        let outputs = SegmentationOutputs(logits: logits.map { URL(filePath: $0) }, labels: labels.map { URL(filePath: $0) },
                                          overlay: overlay.map { URL(filePath: $0) })
        do {
            try Segmentation.checkWritable(outputs)                  // before the (slow) weight loading
            try OutputFiles.check([logits, labels, overlay].compactMap { $0.map { URL(filePath: $0) } },
                                  inputs: [input[0], model.weights].compactMap { $0.map { URL(filePath: $0) } })
            let loadStart = Date()
            let loaded = try model.loadWeights() ?? shippedModel(model.overrides.overrides)
            try requireSegmentation(loaded)
            let network = loaded.network
            let loadSeconds = Date().timeIntervalSince(loadStart)
            let result = try Segmentation.run(network, input: URL(filePath: input[0]), outputs: overlayStyle.styled(outputs),
                                              repeats: repeats, configuration: configuration)
            try overlayStyle.writeLegendOverlay(result, to: outputs.overlay, spec: loaded.spec)
            let ms = { (s: Double) in String(format: "%.1f ms", s * 1000) }
            let sorted = result.forwardSeconds.sorted()
            printError("loaded \(network.description.name) in \(ms(loadSeconds)); forward \(result.scores.shape) "
                       + "median \(ms(sorted[sorted.count / 2])) over \(sorted.count) pass(es), \(threadCount) thread(s), \(precision.precision)")
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
