// SegmentBatch.swift — `fcn segment --input DIR_OR_FILE … --out-dir OUT`: many images through
// one loaded model (paper §3 dense prediction, applied image after image).
//
// The order of the work is what makes a long run safe to start:
//   1. list the inputs (a folder: its PNG/JPEG files, sorted by name, one level deep; other
//      files are skipped with a line saying so) and refuse two inputs with the same stem, since
//      both would write OUT/<stem>.labels.png — before any model is loaded;
//   2. load the model once (the slow part for a real VGG16: 500 MB of weights);
//   3. segment image after image; one that fails (unreadable, too large for memory) is
//      reported and the rest go on; the exit status says whether any failed.
// Each output is written atomically by the library (`Segmentation.run`), so an interrupted run
// leaves whole files only. Progress: a bar with ETA on a terminal, a plain line per image
// otherwise (a log file should read as a list, not as carriage returns).
import ArgumentParser
import FCNKernels
import FCN
import FCNTraining
import Foundation

/// The outputs `--write` can choose for each image.
enum BatchOutputKind: String, CaseIterable {
    case labels, overlay, logits

    /// The file name ending of this output (`<stem>.labels.png`).
    var suffix: String {
        switch self {
        case .labels: ".labels.png"
        case .overlay: ".overlay.png"
        case .logits: ".logits.npy"
        }
    }

    /// `labels,overlay`: the kinds of a comma-separated list, each known, at least one.
    static func parse(_ list: String) throws -> Set<BatchOutputKind> {
        let words = list.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        var kinds: Set<BatchOutputKind> = []
        for word in words {
            guard let kind = BatchOutputKind(rawValue: word) else {
                throw ValidationError("--write: unknown output '\(word)'; choose among \(allCases.map(\.rawValue).joined(separator: ", "))")
            }
            kinds.insert(kind)
        }
        return kinds
    }
}

/// Two inputs that would write the same output files.
struct DuplicateStemError: Error, CustomStringConvertible {
    var stem: String, first: String, second: String
    var description: String {
        "\(first) and \(second) both have the stem '\(stem)', so both would write \(stem).labels.png; rename one or segment them into different --out-dir folders"
    }
}

/// The many-image form of `fcn segment`.
struct SegmentBatch {
    var inputs: [String]
    var outDir: String
    var kinds: Set<BatchOutputKind>
    var model: ModelOptions
    var threads: ThreadOptions
    var precision: PrecisionOptions
    var overlayStyle: OverlayOptions

    /// The image extensions a folder contributes (`.npy` only as a single input).
    static let imageExtensions: Set<String> = ["png", "jpg", "jpeg"]

    /// The images of `inputs`, in order (folders sorted by file name), and the lines about
    /// the files skipped.
    static func images(of inputs: [String]) throws -> (images: [URL], skipped: [String]) {
        let manager = FileManager.default
        var images: [URL] = [], skipped: [String] = []
        for input in inputs {
            var isFolder: ObjCBool = false
            guard manager.fileExists(atPath: input, isDirectory: &isFolder) else {
                throw ValidationError("--input \(input): no such file or folder")
            }
            let candidates: [URL]
            if isFolder.boolValue {
                let names: [String]
                do { names = try manager.contentsOfDirectory(atPath: input) } catch {
                    throw ValidationError("--input \(input): the folder cannot be read (\(error.localizedDescription))")
                }
                candidates = names.sorted().map { URL(filePath: input).appending(path: $0) }
            } else {
                candidates = [URL(filePath: input)]
            }
            for url in candidates {
                var isSubfolder: ObjCBool = false
                _ = manager.fileExists(atPath: url.path, isDirectory: &isSubfolder)
                if isSubfolder.boolValue {
                    skipped.append("skipping \(url.path): a folder (folders are read one level deep)")
                } else if imageExtensions.contains(url.pathExtension.lowercased()) {
                    images.append(url)
                } else {
                    skipped.append("skipping \(url.path): not a PNG or JPEG")
                }
            }
        }
        var seen: [String: URL] = [:]
        for url in images {
            let stem = url.deletingPathExtension().lastPathComponent
            if let first = seen[stem] { throw DuplicateStemError(stem: stem, first: first.path, second: url.path) }
            seen[stem] = url
        }
        return (images, skipped)
    }

    /// The files written for `image` in `folder`.
    func outputs(for image: URL, in folder: URL) -> SegmentationOutputs {
        let stem = image.deletingPathExtension().lastPathComponent
        func url(_ kind: BatchOutputKind) -> URL? { kinds.contains(kind) ? folder.appending(path: stem + kind.suffix) : nil }
        return SegmentationOutputs(logits: url(.logits), labels: url(.labels), overlay: url(.overlay))
    }

    /// Segments every image; returns how many failed. Errors before the first image (no
    /// image at all, a duplicate stem, the model) exit with status 2.
    func run() throws -> Int {
        let (images, skipped): ([URL], [String])
        do { (images, skipped) = try Self.images(of: inputs) } catch let error as DuplicateStemError {
            printError("fcn segment: \(error)")
            throw ExitCode(2)
        }
        for line in skipped { printError(line) }
        guard !images.isEmpty else {
            printError("fcn segment: no PNG or JPEG image in \(inputs.joined(separator: ", "))")
            throw ExitCode(2)
        }
        let folder = URL(filePath: outDir)
        let loaded: LoadedModel
        do {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: outDir, isDirectory: &isFolder), !isFolder.boolValue {
                throw ValidationError("--out-dir \(outDir) is a file, not a folder")
            }
            loaded = try model.loadWeights() ?? shippedModel(model.overrides.overrides)
            try requireSegmentation(loaded)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            printError("fcn segment: \(error)")
            throw ExitCode(2)
        }
        AllocatorTuning.keepFreedMemoryForReuse()
        let configuration = threads.configuration(precision: precision)
        let onTerminal = isatty(STDERR_FILENO) != 0
        var bar = ProgressBar(total: images.count, label: "segment")
        var failed = 0
        for (i, image) in images.enumerated() {
            let outputs = outputs(for: image, in: folder)
            do {
                try Segmentation.checkWritable(outputs)
                let run = try Segmentation.run(loaded.network, input: image, outputs: overlayStyle.styled(outputs),
                                               configuration: configuration)
                try overlayStyle.writeLegendOverlay(run, to: outputs.overlay, spec: loaded.spec)
                if !onTerminal { printError("[\(i + 1)/\(images.count)] \(image.path) → \(outputs.all.map(\.path).joined(separator: ", "))") }
            } catch {
                failed += 1
                if onTerminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
                let message = "\(error)"
                printError("fcn segment: " + (message.contains(image.path) ? message : "\(image.path): \(message)"))
            }
            if onTerminal { bar.update(step: i + 1) }
        }
        if onTerminal { bar.finish() }
        printError("\(images.count - failed) of \(images.count) image(s) segmented by \(loaded.network.description.name) into \(outDir)"
                   + (failed > 0 ? "; \(failed) failed" : ""))
        return failed
    }
}
