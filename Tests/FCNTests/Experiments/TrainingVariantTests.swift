// TrainingVariantTests.swift — each control of the paper changes exactly what it says: the
// fusion layers, the skip scales, which upsampling learns, the labels the loss sees, the weights.
import FCNTraining
import Testing
@testable import FCN
@testable import FCNTraining

@Suite struct TrainingVariantTests {
    let mini = VGGMini.tiny

    func kinds(_ d: NetworkDescription, _ prefix: String) -> [LayerKind] { d.layers.filter { $0.name.hasPrefix(prefix) }.map(\.kind) }

    @Test func paperVariantChangesNothing() throws {
        for stage in TrainingStage.segmentationStages {
            let d = try stage.description(mini)
            #expect(TrainingVariant.paper.apply(to: d) == d)
        }
    }

    @Test func fusionKinds() throws {
        let d8 = try TrainingStage.fcn8s.description(mini)
        #expect(kinds(TrainingVariant(fusion: .max).apply(to: d8), "fuse_") == [.max, .max])
        // "pool4 only" on FCN-16s: the stride-32 stream is weighted 0, the skip 1.
        let d16 = try TrainingStage.fcn16s.description(mini)
        #expect(kinds(TrainingVariant(fusion: .finestOnly).apply(to: d16), "fuse_") == [.sum(coefficients: [0, 1])])
        #expect(d16.layers.first { $0.name == "fuse_pool4" }!.bottoms == ["upscore2", "score_pool4c"])
    }

    @Test func atOnceScalesAndLearnedUpsampling() throws {
        let d = try TrainingStage.fcn8sAtOnce.description(mini)
        #expect(kinds(d, "scale_") == [.sum(coefficients: [0.01]), .sum(coefficients: [0.0001])])
        #expect(kinds(TrainingVariant(atOnceScales: [1, 0.5]).apply(to: d), "scale_") == [.sum(coefficients: [1]), .sum(coefficients: [0.5])])
        let learned = try TrainingVariant(learnedUpsampling: true).apply(to: TrainingStage.fcn8s.description(mini))
        let shapes = try learned.parameterShapes(inputShape: [1, 3, 32, 32])
        #expect(shapes.first { $0.name == "upscore2.weight" }!.learnable)
        #expect(shapes.first { $0.name == "upscore_pool4.weight" }!.learnable)
        #expect(!shapes.first { $0.name == "upscore8.weight" }!.learnable)       // the final one stays fixed (§4.3)
    }

    /// Mirroring and shifting move the image and its labels together; shifted-in pixels are void.
    @Test func augmentationKeepsImageAndLabelsAligned() {
        let h = 6, w = 5
        var x = Tensor(zeros: [1, 3, h, w]), t = Tensor(zeros: [1, 1, h, w])
        for i in 0..<(h * w) { t.scalars[i] = Float(i % 7); for c in 0..<3 { x.scalars[c * h * w + i] = Float(i % 7) * 10 + Float(c) } }
        var rng = SeededRandom(seed: 5)
        var sawShift = false
        for _ in 0..<20 {
            let (y, u) = VariantData.augment(x, t, jitter: 2, using: &rng)
            for i in 0..<(h * w) {
                if u.scalars[i] == Float(ShapeClass.void) { #expect(y.scalars[i] == 0); sawShift = true; continue }
                for c in 0..<3 { #expect(y.scalars[c * h * w + i] == u.scalars[i] * 10 + Float(c)) }
            }
        }
        #expect(sawShift)
    }

    /// Sampling keeps whole 32×32 cells or voids them, at about the rate p.
    @Test func samplingKeepsWholeCells() {
        let t = Tensor(zeros: [1, 1, 320, 320])
        var rng = SeededRandom(seed: 9)
        let u = VariantData.sampleCells(t, keep: 0.25, using: &rng)
        var kept = 0
        for cy in 0..<10 {
            for cx in 0..<10 {
                let cell = (0..<32).flatMap { r in (0..<32).map { c in u.scalars[(cy * 32 + r) * 320 + cx * 32 + c] } }
                #expect(Set(cell).count == 1)
                if cell[0] == 0 { kept += 1 }
            }
        }
        #expect(kept > 10 && kept < 45)                      // 100 cells at p = 0.25: 25 ± 4.3
        #expect(VariantData.sampleCells(t, keep: 1, using: &rng).scalars == t.scalars)
    }

    /// Balancing gives every present class the same total weight, void none, and averages 1.
    @Test func balancingWeights() {
        let labels: [Float] = [0, 0, 0, 0, 0, 0, 1, 1, 255, 2]
        let w = VariantData.balancingWeights(Tensor(shape: [1, 1, 1, 10], scalars: labels), classes: 3)
        func total(_ c: Float) -> Float { zip(labels, w).filter { $0.0 == c }.map(\.1).reduce(0, +) }
        #expect(abs(total(0) - total(1)) < 1e-5 && abs(total(1) - total(2)) < 1e-5)
        #expect(w[8] == 0)
        #expect(abs(w.reduce(0, +) / 9 - 1) < 1e-5)
    }

    /// A random score init replaces the zeros of the new score layer only.
    @Test func randomScoreInitTouchesOnlyNewScoreLayers() throws {
        var parent = try StageTrainer(stage: .fcn32s, model: mini, seed: 1, sceneSize: 16, steps: 1,
                                      hyperparameters: .defaults(for: .fcn32s, sceneSize: 16), datasetSize: 2, parent: nil)
        _ = try parent.advance()
        let p = parent.network.parameters
        let zero = try StageTrainer(stage: .fcn16s, model: mini, seed: 1, sceneSize: 16, steps: 1,
                                    hyperparameters: .defaults(for: .fcn16s, sceneSize: 16), datasetSize: 2, parent: p)
        let random = try StageTrainer(stage: .fcn16s, model: mini, seed: 1, sceneSize: 16, steps: 1,
                                      hyperparameters: .defaults(for: .fcn16s, sceneSize: 16), datasetSize: 2, parent: p,
                                      variant: TrainingVariant(randomScoreInit: true))
        #expect(zero.network.parameters["score_pool4.weight"]!.scalars.allSatisfy { $0 == 0 })
        #expect(random.network.parameters["score_pool4.weight"]!.scalars.contains { $0 != 0 })
        #expect(random.network.parameters["score_fr.weight"] == p["score_fr.weight"])
    }
}
