// TrainKernels.swift — `train-step`'s kernel table: for each convolution of the training step,
// the forward and backward passes by each kernel that can compute them, on the same input and
// the same dL/dy (fastest of five runs, ms). It is the measurement behind the training rules of
// `Convolution.kernel(for:purpose:precision:)` and `Convolution.backwardKernel(for:)`.
import FCN
import FCNCore

/// One line of the kernel table.
struct TrainKernelTimes {
    var forwardIm2col = 0.0, forwardDirect: Double?, forwardWinograd: Double?
    var backwardIm2col = 0.0                            // dL/dx and dL/dw by im2col/col2im + GEMM
    var weightDirect: Double?, inputDirect: Double?

    static func measure(_ conv: Convolution, input x: Tensor, using rng: inout SeededRandom) -> TrainKernelTimes {
        let clock = ContinuousClock()
        func fastest(_ body: () -> Void) -> Double { (0..<5).map { _ in FCN_seconds(clock.measure(body)) }.min()! }
        let y = conv.forward(x, fusingReLU: false, using: .im2col)
        let dy = Tensor(randomNormal: y.shape, using: &rng)
        var t = TrainKernelTimes()
        t.forwardIm2col = fastest { _ = conv.forward(x, fusingReLU: false, using: .im2col) }
        if conv.supports(.direct) { t.forwardDirect = fastest { _ = conv.forward(x, fusingReLU: false, using: .direct) } }
        if conv.supports(.winogradFused) { t.forwardWinograd = fastest { _ = conv.forward(x, fusingReLU: false, using: .winogradFused) } }
        t.backwardIm2col = fastest { _ = conv.backward(input: x, outputGradient: dy) }
        if DirectConvolution.isAvailable && DirectConvolution.isApplicable(to: conv) {
            let direct = DirectConvolution(conv)
            t.weightDirect = fastest { _ = direct.weightGradient(input: x, outputGradient: dy) }
            if DirectConvolution.canComputeInputGradient(of: conv) { t.inputDirect = fastest { _ = direct.inputGradient(dy) } }
        }
        return t
    }
}

/// The table for the convolutions of `description` on the inputs in `trace`.
func trainKernelTable(_ description: NetworkDescription, parameters: [String: Tensor], trace: ForwardTrace) -> [String] {
    var rng = SeededRandom(seed: 12)
    func f(_ s: Double?) -> String { s.map { String(format: "%8.2f", $0 * 1000) } ?? "       –" }
    var lines = ["layer           shape (C→O, H×W)        fwd im2col  direct  winograd   bwd im2col  dW direct  dX direct"]
    for l in description.layers {
        guard case .convolution(let p) = l.kind, p.groups == 1, let x = trace[l.bottoms[0]],
              let weight = parameters["\(l.name).weight"] else { continue }
        let conv = Convolution(weight: weight, bias: parameters["\(l.name).bias"], stride: p.stride, padding: p.padding,
                               dilation: p.dilation, groups: p.groups)
        let t = TrainKernelTimes.measure(conv, input: x, using: &rng)
        let shape = "\(conv.inputChannels)→\(conv.outputChannels), \(x.shape[2])×\(x.shape[3]), \(p.kernel.height)×\(p.kernel.width)"
        lines.append(pad(l.name, 14) + "  " + pad(shape, 22) + "  " + f(t.forwardIm2col) + "  " + f(t.forwardDirect) + "  "
                     + f(t.forwardWinograd) + "     " + f(t.backwardIm2col) + "   " + f(t.weightDirect) + "   " + f(t.inputDirect))
    }
    return lines
}
