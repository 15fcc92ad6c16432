// Figure.swift — a drawing of a fixed size, and how it is written to PNG, PDF or SVG.
//
// No paper section: drawing infrastructure. A `Figure` is just a size and a closure that
// draws on a `Canvas`; `write(to:scale:)` chooses the Cairo surface from the file extension,
// runs the closure once into memory, checks Cairo's status, and hands the bytes to the
// library's `AtomicFile` (temporary file in the same folder, fsync, rename).
//
// Determinism (same figure → same bytes, so regenerated figures do not churn in git):
// - Threads: one figure is rendered at a time (`cairoLock`); Cairo's shared glyph caches made
//   text pixels depend on what other threads drew meanwhile.
// - PNG: Cairo's rasteriser and libpng write no time stamps; identical drawing, identical bytes.
// - PDF: Cairo 1.16 stamps /CreationDate and /ModDate with the current time; we overwrite both
//   with `fixedDate` through `cairo_pdf_surface_set_metadata`. Nothing else varies.
// - SVG: Cairo writes no date, but names the page group and embedded images after
//   process-wide surface counters (surface328, image165); `SVGPostprocessing.swift` renumbers
//   them per document, so the same figure gives the same bytes whatever was drawn before.
import CCairo
import FCN
import Foundation

/// The three file formats a figure can be written in, named by their file extension.
public enum FigureFormat: String, CaseIterable, Sendable {
    /// PNG (raster, at the scale asked), PDF and SVG (vector).
    case png, pdf, svg
}

/// A figure: a size in points (1/72 inch) and a closure that draws it.
///
/// ```swift
/// let f = Figure(width: 120, height: 40) { canvas in
///     canvas.text("hello", at: Point(60, 20), align: .center, baseline: .middle)
/// }
/// try f.write(to: URL(fileURLWithPath: "hello.png"))            // 240×80 pixels
/// try f.write(to: URL(fileURLWithPath: "hello.pdf"))
/// ```
public struct Figure: Sendable {
    /// Width in points.
    public let width: Double
    /// Height in points.
    public let height: Double
    /// Draws the figure on a canvas of `width`×`height` points.
    public let draw: @Sendable (Canvas) -> Void

    /// The creation and modification date written into every PDF: the first day of CVPR 2015,
    /// where the FCN paper was presented. A fixed date keeps PDFs byte-identical across runs.
    public static let fixedDate = "2015-06-07T00:00:00Z"

    /// A figure of `width`×`height` points drawn by `draw`.
    public init(width: Double, height: Double, draw: @escaping @Sendable (Canvas) -> Void) {
        precondition(width > 0 && height > 0, "Figure: size must be positive, got \(width)×\(height)")
        self.width = width
        self.height = height
        self.draw = draw
    }

    /// The pixel size of the PNG written at `scale` pixels per point.
    public func pixelSize(scale: Double) -> (width: Int, height: Int) {
        (Int((width * scale).rounded(.up)), Int((height * scale).rounded(.up)))
    }

    /// Draws the figure into `url`, in the format named by its extension (`png`, `pdf`, `svg`).
    ///
    /// - Parameters:
    ///   - url: the destination; its folder must exist. An existing file is replaced atomically.
    ///   - scale: pixels per point for PNG (2 gives sharp figures on high-density screens);
    ///     ignored by the vector formats.
    /// - Throws: `FigureError`, naming the file; on error no file is left behind.
    public func write(to url: URL, scale: Double = 2) throws {
        let ext = url.pathExtension.lowercased()
        guard let format = FigureFormat(rawValue: ext) else {
            throw FigureError.unknownFormat(path: url.path, extension: url.pathExtension)
        }
        var isFolder: ObjCBool = false
        let folder = url.deletingLastPathComponent()
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw FigureError.missingFolder(path: url.path)
        }
        let bytes = try render(format: format, naming: url, scale: scale)
        do {
            try AtomicFile.write(bytes, to: url)
        } catch {
            throw FigureError.fileWrite(path: url.path, reason: "\(error)")
        }
    }

    /// The figure's file contents in `format`, drawn in memory (a figure is at most a few MB).
    public func data(format: FigureFormat, scale: Double = 2) throws -> Data {
        try render(format: format, naming: URL(fileURLWithPath: "figure.\(format.rawValue)"), scale: scale)
    }

    /// Creates the surface on an in-memory stream, draws, checks status after drawing and after finishing.
    /// One figure is drawn at a time in a process. Cairo 1.16 renders text through FreeType
    /// faces and glyph caches that threads share; drawn from several threads at once (the test
    /// suite draws figures in parallel) glyphs came out with different anti-aliasing, so the
    /// same figure's PNG differed by a few percent of its pixel values from one run to the next.
    /// Recursive, because a figure's drawing may measure text (`TextMeasurer`) on the same thread.
    static let cairoLock = NSRecursiveLock()

    private func render(format: FigureFormat, naming url: URL, scale: Double) throws -> Data {
        Figure.cairoLock.lock()
        defer { Figure.cairoLock.unlock() }
        func failure(_ stage: String, _ status: cairo_status_t) -> FigureError {
            .cairo(path: url.path, stage: stage, status: String(cString: cairo_status_to_string(status)))
        }
        let sink = ByteSink()
        // Cairo calls `appendToSink` with each chunk it writes; the closure pointer is the sink,
        // kept alive by `withExtendedLifetime` until the surface is finished and destroyed.
        let closure = Unmanaged.passUnretained(sink).toOpaque()
        return try withExtendedLifetime(sink) {
            let surface: OpaquePointer
            switch format {
            case .png:
                let size = pixelSize(scale: scale)
                surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(size.width), Int32(size.height))
            case .pdf:
                surface = cairo_pdf_surface_create_for_stream(appendToSink, closure, width, height)
                cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, Figure.fixedDate)
                cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_MOD_DATE, Figure.fixedDate)
            case .svg:
                surface = cairo_svg_surface_create_for_stream(appendToSink, closure, width, height)
            }
            defer { cairo_surface_destroy(surface) }
            let created = cairo_surface_status(surface)
            guard created == CAIRO_STATUS_SUCCESS else { throw failure("creating the surface", created) }

            let context = cairo_create(surface)!
            if format == .png { cairo_scale(context, scale, scale) }
            // A white page: transparent PNGs look broken in dark viewers.
            cairo_set_source_rgb(context, 1, 1, 1)
            cairo_paint(context)
            draw(Canvas(context: context, width: width, height: height))
            let drawn = cairo_status(context)
            cairo_destroy(context)
            guard drawn == CAIRO_STATUS_SUCCESS else { throw failure("drawing", drawn) }

            if format == .png {
                let written = cairo_surface_write_to_png_stream(surface, appendToSink, closure)
                guard written == CAIRO_STATUS_SUCCESS else { throw failure("writing the PNG", written) }
            } else {
                cairo_surface_finish(surface)   // flushes the PDF or SVG into the sink
                let finished = cairo_surface_status(surface)
                guard finished == CAIRO_STATUS_SUCCESS else { throw failure("finishing the surface", finished) }
            }
            guard format == .svg else { return sink.data }
            guard let svg = String(data: sink.data, encoding: .utf8) else {
                throw FigureError.svgPostprocessing(path: url.path, reason: "Cairo's SVG is not UTF-8")
            }
            return Data(postprocessingCairoSVG(svg).utf8)
        }
    }
}

/// The bytes Cairo has written so far (a class so that a C callback can reach it by pointer).
final class ByteSink {
    var data = Data()
}

/// Cairo's write callback (`cairo_write_func_t`): appends `length` bytes to the `ByteSink`
/// passed as the closure pointer.
private let appendToSink: cairo_write_func_t = { closure, bytes, length in
    guard let closure, let bytes else { return CAIRO_STATUS_WRITE_ERROR }
    Unmanaged<ByteSink>.fromOpaque(closure).takeUnretainedValue().data.append(bytes, count: Int(length))
    return CAIRO_STATUS_SUCCESS
}
