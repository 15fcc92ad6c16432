// Canvas+Image.swift — drawing a pixel image scaled into a rectangle, pixels kept sharp.
//
// No paper section: drawing infrastructure. Feature maps are small (a 16×16 score map is
// common), so figures enlarge them many times; nearest-neighbour sampling keeps every pixel
// a visible square instead of a blur. In PDF Cairo writes the image with /Interpolate false;
// in SVG `SVGPostprocessing.swift` adds the `image-rendering` hint Cairo 1.16 leaves out.
import CCairo
import FCN

extension Canvas {
    /// Draws `pixels` stretched to fill `rect`.
    ///
    /// - Parameters:
    ///   - pixels: the image.
    ///   - rect: where to draw it, in points.
    ///   - smooth: `false` (default) keeps pixels as sharp squares (nearest neighbour);
    ///     `true` interpolates (PNG and PDF only: SVG images are always drawn sharp).
    public func image(_ pixels: RGBImage, in rect: Rect, smooth: Bool = false) {
        let w = pixels.width, h = pixels.height
        let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(w), Int32(h))!
        defer { cairo_surface_destroy(surface) }
        // RGB24 stores each pixel as a native-endian 32-bit word 0x00RRGGBB, rows `stride` bytes apart.
        let stride = Int(cairo_image_surface_get_stride(surface))
        cairo_surface_flush(surface)
        let data = cairo_image_surface_get_data(surface)!
        pixels.pixels.withUnsafeBufferPointer { src in
            for y in 0..<h {
                let row = UnsafeMutableRawPointer(data + y * stride).assumingMemoryBound(to: UInt32.self)
                for x in 0..<w {
                    let o = (y * w + x) * 3
                    row[x] = UInt32(src[o]) << 16 | UInt32(src[o + 1]) << 8 | UInt32(src[o + 2])
                }
            }
        }
        cairo_surface_mark_dirty(surface)
        withSavedState {
            cairo_translate(context, rect.x, rect.y)
            cairo_scale(context, rect.width / Double(w), rect.height / Double(h))
            cairo_set_source_surface(context, surface, 0, 0)
            cairo_pattern_set_filter(cairo_get_source(context), smooth ? CAIRO_FILTER_GOOD : CAIRO_FILTER_NEAREST)
            cairo_rectangle(context, 0, 0, Double(w), Double(h))
            cairo_fill(context)
        }
    }
}
