// ReceptiveFieldFigure.swift — how much of the image one output cell of each layer sees, at
// scale, and how far apart neighbouring cells are.
//
// Paper §3 ("locations in higher layers correspond to the locations in the image they are
// path-connected to, which are called their receptive fields"), §3.1 and Table 1 (VGG16: 404
// pixels, stride 32). For each chosen layer the cell nearest the image centre is picked; its
// field (size r, centre start + jump·i, from `receptiveFields()`) is drawn as a square on the
// image, at the image's own scale. The coarsest layer's cell centres are dotted over the image
// to show the effective stride.
import FCN

/// One layer's receptive field along an axis (the nets drawn are square).
public struct LayerField: Hashable, Sendable {
    /// The layer's name.
    public var layer: String
    /// The receptive field's size, in image pixels.
    public var size: Int
    /// The distance between neighbouring cells (the stride), in image pixels.
    public var jump: Int
    /// Image coordinate (pixel centres at integers) of cell 0's centre.
    public var start: Double
    /// One layer's field.
    public init(layer: String, size: Int, jump: Int, start: Double) {
        self.layer = layer; self.size = size; self.jump = jump; self.start = start
    }
    /// The index of the cell whose centre is nearest to image coordinate `x`.
    public func cell(nearest x: Double) -> Int { Int(((x - start) / Double(jump)).rounded()) }
    /// The centre of cell `i`.
    public func center(_ i: Int) -> Double { start + Double(jump * i) }

    /// The fields of `layers` in `description` (vertical axis).
    public static func fields(of description: NetworkDescription, layers: [String]) throws -> [LayerField] {
        let all = try description.receptiveFields()
        return layers.compactMap { name in
            guard let f = all[name] ?? nil, let size = f.vertical.size.integerValue, let jump = f.vertical.jump.integerValue
            else { return nil }
            return LayerField(layer: name, size: size, jump: jump, start: f.vertical.start.doubleValue)
        }
    }
}

/// The receptive-field figure: nested squares on `image` and a table of size and stride.
///
/// - Parameters:
///   - image: the input, drawn at `pointsPerPixel`.
///   - fields: the layers, fine to coarse.
///   - network: named in the title.
///   - pointsPerPixel: the drawing scale of the image.
public func receptiveFieldFigure(image: RGBImage, fields: [LayerField], network: String, pointsPerPixel: Double = 0.8) -> Figure {
    let margin = 20.0, top = margin + 56
    let side = Double(max(image.width, image.height)) * pointsPerPixel
    let largest = Double(fields.map(\.size).max() ?? 0) * pointsPerPixel
    let pad = max(0, (largest - side) / 2) + 10                 // room for fields reaching past the image
    let imageRect = Rect(x: margin + pad, y: top + pad, width: Double(image.width) * pointsPerPixel,
                         height: Double(image.height) * pointsPerPixel)
    let tableX = imageRect.maxX + pad + 40
    let width = tableX + 330, height = max(imageRect.maxY + pad + 50, top + 60 + Double(fields.count) * 22 + 160)
    let colors = fields.indices.map { i in Colormap.viridis.color(at: 0.1 + 0.8 * Double(i) / Double(max(1, fields.count - 1))) }
    let centre = (Double(image.width) - 1) / 2
    return Figure(width: width, height: height) { canvas in
        canvas.text("Receptive fields of \(network), at scale", at: Point(margin, margin + 12), font: .bold(14))
        canvas.text("One cell of each layer, the one nearest the image centre; its square is every input pixel it depends on.",
                    at: Point(margin, margin + 30), font: .regular(10), color: .grey)
        canvas.image(image, in: imageRect, smooth: true)
        canvas.stroke(imageRect, .grey, lineWidth: 0.5)
        canvas.text("input \(image.width)×\(image.height) px (1 px = \(formatNumber(pointsPerPixel)) pt)",
                    at: Point(imageRect.minX, imageRect.maxY + pad + 16), font: .regular(10))
        func canvasX(_ x: Double) -> Double { imageRect.minX + (x + 0.5) * pointsPerPixel }   // pixel x spans [x, x+1)
        func canvasY(_ y: Double) -> Double { imageRect.minY + (y + 0.5) * pointsPerPixel }
        // The coarsest layer's cell centres over the image: the effective stride.
        if let coarse = fields.last {
            for i in coarse.cell(nearest: 0)...coarse.cell(nearest: Double(image.width - 1)) {
                for j in coarse.cell(nearest: 0)...coarse.cell(nearest: Double(image.height - 1)) {
                    let p = Point(canvasX(coarse.center(i)), canvasY(coarse.center(j)))
                    guard imageRect.inset(by: -1).contains(p) else { continue }
                    canvas.fillCircle(center: p, radius: 1.6, .white)
                }
            }
        }
        for (k, f) in fields.enumerated().reversed() {
            let i = f.cell(nearest: centre)
            let c = f.center(i)
            let half = Double(f.size) / 2
            let r = Rect(x: canvasX(c - half), y: canvasY(c - half), width: Double(f.size) * pointsPerPixel,
                         height: Double(f.size) * pointsPerPixel)
            canvas.stroke(r, colors[k], lineWidth: 2.2)
            canvas.stroke(r.inset(by: -1.6), .white, lineWidth: 0.8)
        }
        // The table.
        canvas.text("layer", at: Point(tableX, top + 10), font: .bold(10))
        canvas.text("field (px)", at: Point(tableX + 150, top + 10), font: .bold(10), align: .right)
        canvas.text("stride (px)", at: Point(tableX + 230, top + 10), font: .bold(10), align: .right)
        canvas.text("cell", at: Point(tableX + 300, top + 10), font: .bold(10), align: .right)
        canvas.line(from: Point(tableX - 4, top + 16), to: Point(tableX + 310, top + 16), lineWidth: 0.7)
        for (k, f) in fields.enumerated() {
            let y = top + 34 + Double(k) * 22
            canvas.fill(Rect(x: tableX, y: y - 10, width: 12, height: 12), colors[k])
            canvas.text(f.layer, at: Point(tableX + 18, y), font: .regular(10))
            canvas.text("\(f.size)", at: Point(tableX + 150, y), font: .mono(10), align: .right)
            canvas.text("\(f.jump)", at: Point(tableX + 230, y), font: .mono(10), align: .right)
            let i = f.cell(nearest: centre)
            canvas.text("(\(i), \(i))", at: Point(tableX + 300, y), font: .mono(10), align: .right)
        }
        let notesY = top + 40 + Double(fields.count) * 22 + 10
        canvas.text("White dots: centres of the \(fields.last?.layer ?? "") cells,", at: Point(tableX, notesY), font: .regular(10))
        canvas.text("one every \(fields.last?.jump ?? 0) px (the output stride).", at: Point(tableX, notesY + 14), font: .regular(10))
        canvas.text("Fields may reach past the image: those pixels are", at: Point(tableX, notesY + 34), font: .regular(10))
        canvas.text("padding (conv1_1 pads by 100).", at: Point(tableX, notesY + 48), font: .regular(10))
        canvas.text("Computed by receptiveFields() from the description.", at: Point(tableX, notesY + 68), font: .regular(9), color: .grey)
    }
}

extension Rect {
    /// Whether `p` lies inside (edges included).
    func contains(_ p: Point) -> Bool { p.x >= minX && p.x <= maxX && p.y >= minY && p.y <= maxY }
}
