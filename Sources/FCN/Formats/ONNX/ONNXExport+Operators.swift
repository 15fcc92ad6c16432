// ONNXExport+Operators.swift — each layer kind as ONNX operators (opset 13). The table, with
// the ONNX operator spec (onnx/onnx, docs/Operators.md) the mapping relies on:
//
//   Convolution            → Conv          pads = [top, left, bottom, right] (x1_begin, x2_begin,
//                                           x1_end, x2_end); output ⌊(H + pads − extent)/s⌋ + 1,
//                                           Caffe's rounding for convolutions.
//   Deconvolution (§3.3)   → ConvTranspose weight [C, O/G, KH, KW] as Caffe's; output
//                                           s·(H − 1) + extent − pads, the padding cropping the
//                                           border exactly as Caffe's does.
//   Pooling MAX            → MaxPool       `ceil_mode = 1` for Caffe's rounding up (opset ≥ 10).
//                                           Caffe also drops a last window that would start in
//                                           the padding; ONNX has no such rule, so a padded
//                                           ceil-rounded pooling is refused (FCNs pad none).
//   ReLU                   → Relu
//   Dropout                → nothing       identity at inference; the blob is an alias.
//   LRN (AlexNet)          → LRN           y = x / (bias + α/size · Σ x²)^β, the same window
//                                           ⌊(size−1)/2⌋ before, ⌈(size−1)/2⌉ after, as Caffe.
//   Crop (CVPR §4.1)       → Shape, Slice, Add, Slice   start = the offset from the coordinate
//                                           maps, end = start + the reference blob's H, W read
//                                           at run time — so H and W stay dynamic.
//   Eltwise SUM / Scale    → Mul (by a scalar initializer, when a coefficient ≠ 1) and Add
//   InnerProduct           → Flatten(axis 1), Gemm(transB = 1)
//   SoftmaxWithLoss        → refused: a loss has no place in an inference graph.

import FCNCore
import Foundation

/// Builds the node list of one graph while walking the layers in order. Internal to the
/// exporter; each `add` appends the nodes of one layer.
struct _ONNXGraphBuilder {
    let file: String
    let parameters: [String: Tensor]
    let cropOffsets: [String: Size2]
    private(set) var nodes: [Onnx_NodeProto] = []
    private(set) var initializers: [Onnx_TensorProto] = []
    /// The input's channel count, read from the first layer's weight (for the declared input shape).
    private(set) var inputChannels: Int?
    /// Blob name → the ONNX value currently holding it.
    private var current: [String: String]
    /// Every value name written so far (graph input, initializers, node outputs).
    private var taken: Set<String>
    private let input: String

    init(file: String, parameters: [String: Tensor], cropOffsets: [String: Size2], input: String) {
        self.file = file; self.parameters = parameters; self.cropOffsets = cropOffsets; self.input = input
        current = [input: input]
        taken = [input]
    }

    /// Appends the nodes of `layer`.
    mutating func add(_ layer: LayerDescription) throws(ONNXExportError) {
        switch layer.kind {
        case .convolution(let p):
            let bottom = try value(of: layer.bottoms[0], layer: layer.name)
            let w = try parameter(layer.name + ".weight")
            if bottom == input && inputChannels == nil, let t = parameters[layer.name + ".weight"], t.rank == 4 { inputChannels = t.shape[1] * p.groups }
            let inputs = [bottom, w] + (p.bias ? [try parameter(layer.name + ".bias")] : [])
            emit("Conv", layer: layer, inputs: inputs, attributes: windowAttributes(p, groups: p.groups))
        case .transposedConvolution(let p):
            let inputs = [try value(of: layer.bottoms[0], layer: layer.name), try parameter(layer.name + ".weight")] + (p.bias ? [try parameter(layer.name + ".bias")] : [])
            // ONNX's ConvTranspose `pads` crop the output, exactly Caffe's Deconvolution padding.
            emit("ConvTranspose", layer: layer, inputs: inputs, attributes: windowAttributes(p, groups: p.groups))
        case .maxPooling(let p):
            let padded = p.padding != Padding(0)
            if padded && p.rounding == .ceil {
                throw .unsupportedLayer(file: file, layer: layer.name, reason: "max pooling with padding \(p.padding) and Caffe's ceil rounding: ONNX's ceil_mode may count one more window than Caffe")
            }
            emit("MaxPool", layer: layer, inputs: [try value(of: layer.bottoms[0], layer: layer.name)], attributes: [
                .ints("kernel_shape", [p.kernel.height, p.kernel.width]),
                .ints("strides", [p.stride.height, p.stride.width]),
                .ints("pads", [p.padding.top, p.padding.left, p.padding.bottom, p.padding.right]),
                .int("ceil_mode", p.rounding == .ceil ? 1 : 0),
            ])
        case .relu:
            emit("Relu", layer: layer, inputs: [try value(of: layer.bottoms[0], layer: layer.name)])
        case .dropout:
            current[layer.top] = try value(of: layer.bottoms[0], layer: layer.name)                                    // identity at inference
        case .localResponseNormalization(let p):
            emit("LRN", layer: layer, inputs: [try value(of: layer.bottoms[0], layer: layer.name)], attributes: [
                .int("size", p.size), .float("alpha", p.alpha), .float("beta", p.beta), .float("bias", p.k),
            ])
        case .crop:
            try crop(layer)
        case .sum(let coefficients):
            try sum(layer, coefficients: coefficients)
        case .max:
            var inputs: [String] = []                                                   // ONNX Max is n-ary, element-wise
            for bottom in layer.bottoms { inputs.append(try value(of: bottom, layer: layer.name)) }
            emit("Max", layer: layer, inputs: inputs)
        case .linear(let p):
            let flat = fresh(layer.name + "/flatten")
            nodes.append(node("Flatten", name: flat, inputs: [try value(of: layer.bottoms[0], layer: layer.name)], outputs: [flat], attributes: [.int("axis", 1)]))
            let inputs = [flat, try parameter(layer.name + ".weight")] + (p.bias ? [try parameter(layer.name + ".bias")] : [])
            emit("Gemm", layer: layer, inputs: inputs, attributes: [.int("transB", 1)])
        case .softmaxCrossEntropy:
            throw .unsupportedLayer(file: file, layer: layer.name, reason: "a loss layer (SoftmaxWithLoss) has no place in an inference graph; export the network without it")
        }
    }

    /// Conv's and ConvTranspose's window attributes (the same names and layouts in ONNX).
    private func windowAttributes(_ p: some WindowedLayerParameters, groups: Int) -> [Attribute] {
        [.ints("kernel_shape", [p.kernel.height, p.kernel.width]),
         .ints("strides", [p.stride.height, p.stride.width]),
         .ints("pads", [p.padding.top, p.padding.left, p.padding.bottom, p.padding.right]),
         .ints("dilations", [p.dilation.height, p.dilation.width]),
         .int("group", groups)]
    }

    /// The output value; an Identity node when the output would otherwise be the graph input
    /// (a network of dropouts only), which ONNX does not allow as an output.
    mutating func finish(outputBlob: String) throws(ONNXExportError) -> String {
        let out = try value(of: outputBlob, layer: outputBlob)
        guard out == input else { return out }
        let name = fresh(outputBlob + "/identity")
        nodes.append(node("Identity", name: name, inputs: [out], outputs: [name]))
        return name
    }

    // MARK: Crop and sum, the two FCN-specific layers

    /// Caffe's Crop on axes 2–3: `x[:, :, oh : oh + H_ref, ow : ow + W_ref]`.
    private mutating func crop(_ layer: LayerDescription) throws(ONNXExportError) {
        guard let offset = cropOffsets[layer.name] else {
            throw .invalidNetwork(file: file, problem: "no crop offset for layer '\(layer.name)'")
        }
        let x = try value(of: layer.bottoms[0], layer: layer.name)
        let reference = try value(of: layer.bottoms[1], layer: layer.name)
        let starts = constant(layer.name + "/starts", int64: [offset.height, offset.width])
        let axes = constant(layer.name + "/axes", int64: [2, 3])
        let shape = fresh(layer.name + "/reference_shape")
        nodes.append(node("Shape", name: shape, inputs: [reference], outputs: [shape]))    // [N, C, H_ref, W_ref]
        let hw = fresh(layer.name + "/reference_hw")
        let two = constant(layer.name + "/hw_start", int64: [2]), four = constant(layer.name + "/hw_end", int64: [4])
        let zero = constant(layer.name + "/hw_axis", int64: [0])
        nodes.append(node("Slice", name: hw, inputs: [shape, two, four, zero], outputs: [hw]))  // [H_ref, W_ref]
        let ends = fresh(layer.name + "/ends")
        nodes.append(node("Add", name: ends, inputs: [hw, starts], outputs: [ends]))          // offset + size
        emit("Slice", layer: layer, inputs: [x, starts, ends, axes])
    }

    /// `Σ cᵢ · xᵢ`: a Mul for each coefficient other than 1, then Adds left to right.
    private mutating func sum(_ layer: LayerDescription, coefficients: [Float]) throws(ONNXExportError) {
        guard coefficients.count == layer.bottoms.count else {
            throw .invalidNetwork(file: file, problem: "layer '\(layer.name)' has \(coefficients.count) coefficients for \(layer.bottoms.count) bottoms")
        }
        var terms: [String] = []
        for (i, (bottom, c)) in zip(layer.bottoms, coefficients).enumerated() {
            let x = try value(of: bottom, layer: layer.name)
            if c == 1 { terms.append(x); continue }
            let factor = constant(layer.name + "/coefficient\(i)", float: c)
            let scaled = layer.bottoms.count == 1 ? nil : fresh(layer.name + "/scaled\(i)")
            if let scaled {
                nodes.append(node("Mul", name: scaled, inputs: [x, factor], outputs: [scaled]))
                terms.append(scaled)
            } else {
                emit("Mul", layer: layer, inputs: [x, factor]); return
            }
        }
        if terms.count == 1 { emit("Identity", layer: layer, inputs: terms); return }
        var total = terms[0]
        for (i, term) in terms.dropFirst().enumerated() {
            if i == terms.count - 2 { emit("Add", layer: layer, inputs: [total, term]); return }
            let partial = fresh(layer.name + "/partial\(i)")
            nodes.append(node("Add", name: partial, inputs: [total, term], outputs: [partial]))
            total = partial
        }
    }

    // MARK: Values, initializers, nodes

    /// The value holding `blob`.
    private func value(of blob: String, layer: String) throws(ONNXExportError) -> String {
        guard let v = current[blob] else { throw .invalidNetwork(file: file, problem: "layer '\(layer)' reads '\(blob)', which nothing wrote") }
        return v
    }

    /// A value name not used yet: `base`, else `base_2`, `base_3`, …
    private mutating func fresh(_ base: String) -> String {
        var name = base, n = 2
        while taken.contains(name) { name = "\(base)_\(n)"; n += 1 }
        taken.insert(name)
        return name
    }

    /// Appends the layer's final node, writing `layer.top` (under its own name if free, else
    /// under the layer's name: the in-place case).
    private mutating func emit(_ op: String, layer: LayerDescription, inputs: [String], attributes: [Attribute] = []) {
        let out = fresh(taken.contains(layer.top) ? layer.name : layer.top)
        nodes.append(node(op, name: layer.name, inputs: inputs, outputs: [out], attributes: attributes))
        current[layer.top] = out
    }

    /// The initializer of a named parameter, added once.
    private mutating func parameter(_ name: String) throws(ONNXExportError) -> String {
        guard let t = parameters[name] else { throw .missingParameter(file: file, name: name) }
        if !taken.contains(name) {
            taken.insert(name)
            var proto = Onnx_TensorProto()
            proto.name = name
            proto.dims = t.shape.map(Int64.init)
            proto.dataType = Int32(Onnx_TensorProto.DataType.float.rawValue)
            // raw_data is little-endian IEEE 754 (onnx.proto); Float is little-endian wherever Swift runs.
            proto.rawData = t.scalars.withUnsafeBytes { Data($0) }
            initializers.append(proto)
        }
        return name
    }

    private mutating func constant(_ base: String, int64 values: [Int]) -> String {
        let name = fresh(base)
        var proto = Onnx_TensorProto()
        proto.name = name
        proto.dims = [Int64(values.count)]
        proto.dataType = Int32(Onnx_TensorProto.DataType.int64.rawValue)
        proto.int64Data = values.map(Int64.init)
        initializers.append(proto)
        return name
    }

    private mutating func constant(_ base: String, float value: Float) -> String {
        let name = fresh(base)
        var proto = Onnx_TensorProto()
        proto.name = name
        proto.dataType = Int32(Onnx_TensorProto.DataType.float.rawValue)   // no dims: a scalar, broadcast by Mul
        proto.floatData = [value]
        initializers.append(proto)
        return name
    }

    /// A node attribute.
    enum Attribute {
        case int(String, Int), ints(String, [Int]), float(String, Float)
    }

    private func node(_ op: String, name: String, inputs: [String], outputs: [String], attributes: [Attribute] = []) -> Onnx_NodeProto {
        var n = Onnx_NodeProto()
        n.opType = op
        n.name = name
        n.input = inputs
        n.output = outputs
        n.attribute = attributes.map { a in
            var proto = Onnx_AttributeProto()
            switch a {
            case let .int(name, v): proto.name = name; proto.type = .int; proto.i = Int64(v)
            case let .ints(name, v): proto.name = name; proto.type = .ints; proto.ints = v.map(Int64.init)
            case let .float(name, v): proto.name = name; proto.type = .float; proto.f = v
            }
            return proto
        }
        return n
    }
}
