// ExecutionPlan.swift — the order of computation and the lifetime of every intermediate.
//
// A description names *blobs*, and Caffe lets a layer write its top into the blob it reads
// (ReLU and Dropout work "in place": `relu1_1` reads and writes `conv1_1`). That is economical
// but ambiguous for backpropagation, which needs both the value before the ReLU and after. So the
// executor first gives every layer output its own number — a *value* — and resolves each bottom
// to the value its blob held at that point (compilers call this static single assignment).
//
// With values numbered, two facts fall out that make inference lean:
// - the last step that reads each value, so the executor can free it right after (the FCN-8s
//   activations of a 500×500 image would otherwise total several gigabytes);
// - which convolutions feed exactly one ReLU and nothing else, so the ReLU can be applied inside
//   the convolution's output loop ("fused") instead of in a second pass over memory.

/// A description compiled into numbered values and steps.
struct ExecutionPlan: Sendable {
    struct Step: Sendable {
        /// Position in the description's layer list.
        let index: Int
        let layer: LayerDescription
        /// What the layer's kind is and does (`Layers/<Kind>/`), looked up once.
        let definition: any LayerDefinition
        /// The values read, in bottom order.
        let inputs: [Int]
        /// The value written.
        let output: Int
    }

    let steps: [Step]
    /// The value of each network input blob.
    let inputValues: [String: Int]
    /// The value each blob name refers to once every layer has run.
    let finalValues: [String: Int]
    /// Total number of values.
    let valueCount: Int
    /// For each value, the index of the last step that reads it (`-1`: nobody reads it).
    let lastUse: [Int]
    /// For each value, how many step inputs read it.
    let readers: [Int]

    init(_ description: NetworkDescription) {
        var current: [String: Int] = [:]
        var inputValues: [String: Int] = [:]
        var next = 0
        for name in description.inputs {
            current[name] = next
            inputValues[name] = next
            next += 1
        }
        var steps: [Step] = []
        for (index, layer) in description.layers.enumerated() {
            let inputs = layer.bottoms.map { current[$0]! }       // validate() guarantees these exist
            let output = next
            next += 1
            current[layer.top] = output
            steps.append(Step(index: index, layer: layer, definition: layer.kind.definition, inputs: inputs, output: output))
        }
        var lastUse = [Int](repeating: -1, count: next)
        var readers = [Int](repeating: 0, count: next)
        for (position, step) in steps.enumerated() {
            for v in step.inputs {
                lastUse[v] = position
                readers[v] += 1
            }
        }
        (self.steps, self.inputValues, self.finalValues) = (steps, inputValues, current)
        (self.valueCount, self.lastUse, self.readers) = (next, lastUse, readers)
    }

    /// Whether step `position` can run a ReLU inside its output loop (a convolution) and its
    /// output is read only by the ReLU that immediately follows it, so that the two can run as
    /// one (inference only).
    func fusesReLU(at position: Int, keeping kept: Set<Int>) -> Bool {
        guard steps[position].definition.fusesFollowingReLU, position + 1 < steps.count else { return false }
        let out = steps[position].output
        let next = steps[position + 1]
        return next.layer.kind == .relu && next.inputs == [out] && readers[out] == 1 && !kept.contains(out)
    }
}
