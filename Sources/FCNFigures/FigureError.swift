// FigureError.swift — what can go wrong when a figure is written to a file.
//
// No paper section: drawing infrastructure. Every case names the file it was writing, or the
// figure that could not be drawn.

/// An error from writing a figure; each message names the file and the problem.
public enum FigureError: Error, CustomStringConvertible, Equatable {
    /// The file name ends in something other than `.png`, `.pdf` or `.svg`.
    case unknownFormat(path: String, extension: String)
    /// The folder that should hold the file does not exist.
    case missingFolder(path: String)
    /// Cairo reported an error while drawing or finishing the surface.
    case cairo(path: String, stage: String, status: String)
    /// The SVG Cairo wrote could not be read back or rewritten (see `SVGPostprocessing.swift`).
    case svgPostprocessing(path: String, reason: String)
    /// The finished figure could not be written into place (`AtomicFile` failed: no temporary
    /// file could be created, or writing, syncing or renaming it failed).
    case fileWrite(path: String, reason: String)
    /// A figure drawn from the trained VGG-mini models could not get them (not shipped in the
    /// bundle, or a file that does not load); `reason` is the underlying error's message.
    case needsTrainedModel(figure: String, reason: String)

    /// A sentence naming the file and the problem.
    public var description: String {
        switch self {
        case .unknownFormat(let path, let ext):
            return "\(path): unknown figure format '.\(ext)' (use .png, .pdf or .svg)"
        case .missingFolder(let path):
            return "\(path): the folder to write into does not exist"
        case .cairo(let path, let stage, let status):
            return "\(path): Cairo failed while \(stage): \(status)"
        case .svgPostprocessing(let path, let reason):
            return "\(path): could not post-process the SVG Cairo wrote: \(reason)"
        case .fileWrite(let path, let reason):
            return "\(path): could not write the finished figure: \(reason)"
        case .needsTrainedModel(let figure, let reason):
            return "figure '\(figure)' needs the trained VGG-mini models: \(reason)"
        }
    }
}
