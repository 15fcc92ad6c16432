// BufferBinding.swift — the fast paths' raw pointers, bound several at a time.
//
// A fast layer hands BLAS and the im2col loops raw pointers into its tensors. Swift gives one
// pointer per closure (`withUnsafeBufferPointer`), so a backward pass reading three tensors and
// writing two used to nest five closures deep. `withBuffers` binds them all at once: the
// pointers are valid only inside `body`, as with the closures it replaces.

/// Calls `body` with pointers to every array of `reading`, in order, and to `output`; nothing
/// is called when one of them is empty (it has no storage to point to).
///
/// ```swift
/// var y = [Float](repeating: 0, count: n * o)
/// withBuffers(reading: [x.scalars, weight.scalars], writing: &y) { read, ys in
///     // read[0]: x, read[1]: the weight; ys: y
/// }
/// ```
func withBuffers(reading: [[Float]], writing output: inout [Float],
                 _ body: (_ read: [UnsafePointer<Float>], _ output: UnsafeMutablePointer<Float>) -> Void) {
    output.withUnsafeMutableBufferPointer { buffer in
        guard let out = buffer.baseAddress else { return }
        withReadBuffers(reading) { body($0, out) }
    }
}

/// ``withBuffers(reading:writing:_:)`` with two arrays written (a backward pass: dL/dx and dL/dw).
func withBuffers(reading: [[Float]], writing first: inout [Float], _ second: inout [Float],
                 _ body: (_ read: [UnsafePointer<Float>], _ first: UnsafeMutablePointer<Float>, _ second: UnsafeMutablePointer<Float>) -> Void) {
    first.withUnsafeMutableBufferPointer { firstBuffer in
        second.withUnsafeMutableBufferPointer { secondBuffer in
            guard let a = firstBuffer.baseAddress, let b = secondBuffer.baseAddress else { return }
            withReadBuffers(reading) { body($0, a, b) }
        }
    }
}

/// Binds each array of `arrays` in turn, then calls `body` with all the pointers.
private func withReadBuffers(_ arrays: [[Float]], _ body: ([UnsafePointer<Float>]) -> Void) {
    var pointers: [UnsafePointer<Float>] = []
    func bind(_ i: Int) {
        if i == arrays.count { body(pointers); return }
        arrays[i].withUnsafeBufferPointer { buffer in
            guard let p = buffer.baseAddress else { return }
            pointers.append(p)
            bind(i + 1)
        }
    }
    bind(0)
}
