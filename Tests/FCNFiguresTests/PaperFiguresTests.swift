// PaperFiguresTests.swift — the numbers the paper figures are given: shift-and-stitch equality,
// crop offsets, the skip DAG's strides and predictions, receptive fields, bilinear kernels.
//
// Expected values are the paper's and Berkeley's (voc-fcn*/net.py crop offsets 19, 5, 27, 5,
// 9, 31; VGG16 fields 404 at stride 32), not values computed by the code under test.
import FCN
import Testing
@testable import FCNFigures

@Suite struct PaperFiguresTests {
    @Test(arguments: [(UInt64(7), 16), (UInt64(11), 9), (UInt64(3), 12)])
    func shiftAndStitchEqualsDilatedFilter(seed: UInt64, size: Int) {
        let d = ShiftAndStitchData.compute(seed: seed, inputSize: size)
        let oh = d.dilated.shape[2], ow = d.dilated.shape[3]
        #expect(d.stitched.shape == d.dilated.shape)
        #expect(oh == size - 2 - 1 - 4)                      // conv 3, pool 2 stride 1, conv 3 dilated 2 (extent 5)
        #expect(d.source.allSatisfy { $0 >= 0 }, "every stitched pixel filled by exactly one shift")
        // Shift (dy, dx) fills the pixels with row parity dy and column parity dx.
        for i in 0..<oh { for j in 0..<ow { #expect(d.source[i * ow + j] == 2 * (i % 2) + j % 2) } }
        print("shift-and-stitch seed \(seed), \(size)×\(size): max |stitched − dilated| = \(d.maxDifference)")
        #expect(d.maxDifference <= 1e-5)
        #expect(d.dilated.scalars.allSatisfy(\.isFinite) && d.dilated.maxAbsolute() > 0.1)
    }

    @Test func withoutDilationTheDenseNetDiffers() {
        // The same dense pooling with conv2 *not* dilated is not the stitched result: the
        // equality above depends on the rarefied filter.
        let d = ShiftAndStitchData.compute(seed: 7, inputSize: 16)
        var rng = SeededRandom(seed: 7)
        let x = Tensor(randomNormal: [1, 3, 16, 16], mean: 0, standardDeviation: 1, using: &rng)
        let w1 = Tensor(randomNormal: [4, 3, 3, 3], mean: 0, standardDeviation: 0.4, using: &rng)
        let w2 = Tensor(randomNormal: [1, 4, 3, 3], mean: 0, standardDeviation: 0.4, using: &rng)
        #expect(x == d.input)
        let pooled = MaxPooling(kernel: 2, stride: 1, rounding: .floor).referenceForward(Convolution(weight: w1).referenceForward(x)).output
        let plain = Convolution(weight: w2).referenceForward(pooled)                   // [1, 1, 11, 11]
        let shared = (0..<d.stitched.shape[2]).flatMap { i in (0..<d.stitched.shape[3]).map { j in abs(plain[0, 0, i, j] - d.stitched[0, 0, i, j]) } }
        #expect(shared.max()! > 1e-2)
    }

    @Test func cropOffsetsAreBerkeleys() throws {
        let crops = Catalog.cropAlignments()
        #expect(crops.map(\.layer) == ["score", "score_pool4c", "score", "score_pool4c", "score_pool3c", "score"])
        #expect(crops.map(\.offset) == [19, 5, 27, 5, 9, 31])
        for c in crops {
            #expect(c.fromMap.scale == c.toMap.scale, "\(c.network) \(c.layer): both grids need one stride")
            #expect(c.offsetFromMaps == Rational(c.offset), "\(c.network) \(c.layer): drawn maps give \(c.offsetFromMaps)")
        }
        #expect(crops[4].fromMap == AxisMap(scale: 8, shift: Rational(-191, 2)))     // score_pool3: x = 8y − 95.5
        #expect(affineText(crops[4].fromMap) == "8·y − 95.5")
    }

    @Test func skipArchitectureWalksTheDescription() {
        let a = Catalog.skipArchitecture(inputSize: 64)
        #expect(a.trunk.map(\.name) == ["data", "pool1", "pool2", "pool3", "pool4", "pool5", "fc7"])
        #expect(a.trunk.map(\.stride) == [1, 2, 4, 8, 16, 32, 32])
        #expect(a.head.filter(\.isSkipBranch).map(\.name) == ["score_pool4", "score_pool4c", "score_pool3", "score_pool3c"])
        #expect(a.head.first { $0.name == "fuse_pool4" }?.stride == 16)
        #expect(a.head.first { $0.name == "fuse_pool3" }?.inputs == ["upscore_pool4", "score_pool3c"])
        #expect(a.predictions.map(\.variant) == ["FCN-32s", "FCN-16s", "FCN-8s"])
        #expect(a.predictions.map(\.node) == ["score_fr", "fuse_pool4", "fuse_pool3"])
        #expect(a.predictions.map(\.factor) == [32, 16, 8])
    }

    @Test func receptiveFieldsOfVGG16() throws {
        let fields = try LayerField.fields(of: try FCN.description(.fcn32s), layers: ["pool1", "pool3", "pool5", "fc6", "fc7"])
        #expect(fields.map(\.size) == [6, 44, 212, 404, 404])
        #expect(fields.map(\.jump) == [2, 8, 32, 32, 32])
        let f = fields[3]
        #expect(abs(f.center(f.cell(nearest: 250)) - 250) <= 16)
    }

    @Test func bilinearKernelKeepsConstantsAndTheBoxKernelDoesNot() {
        let d = BilinearUpsamplingData.compute()
        #expect(d.upsampled.map { $0.output.shape } == [[1, 1, 8, 8], [1, 1, 16, 16]])
        let good = d.goodOnConstant, n = good.shape[2]
        for i in 1..<(n - 1) { for j in 1..<(n - 1) { #expect(abs(good[0, 0, i, j] - 1) < 1e-6) } }
        #expect(Set(d.badOnConstant.scalars) == [1, 2, 4])
        #expect(d.badOnConstant[0, 0, 2, 2] == 4 && d.badOnConstant[0, 0, 1, 1] == 1 && d.badOnConstant[0, 0, 2, 1] == 2)
    }

    @Test func tableOneRows() throws {
        let a = try ArchitectureAnalysis(try FCN.alexNet(), inputShape: [1, 3, 500, 500])
        let row = ArchitectureRow(name: "FCN-AlexNet", analysis: a, paper: (355, 32, 57, 8))
        #expect(row.receptiveField == 355 && row.outputStride == 32 && row.convolutionLayers == 8)
        #expect((Double(row.parameters) / 1e6).rounded() == 57)
    }
}
