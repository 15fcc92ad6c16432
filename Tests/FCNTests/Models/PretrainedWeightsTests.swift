// PretrainedWeightsTests.swift — loading trained weights: the golden FCN-8s output of an
// independent numpy implementation (scripts/golden-fcn8s.py), fully connected vs convolution
// forms of fc6/fc7, Caffe's .caffemodel (encoded by protoc), and every refusal.
import Foundation
import Testing
@testable import FCN

@Suite struct PretrainedWeightsTests {
    let weights = modelFixture("tiny_fcn8s.safetensors")
    let caffeModel = modelFixture("tiny_fcn8s_atonce.caffemodel")

    /// `PretrainedWeights.convert` on the tiny nets (recognised from their tensors as narrow
    /// VGG-minis), returning the head it found or was given.
    @discardableResult
    func convert(_ input: URL, to output: URL, architecture: FCNArchitecture? = nil, form: FullyConnectedForm = .convolution) throws -> FCNArchitecture {
        let spec = try PretrainedWeights.convert(input, to: output, overriding: .init(head: architecture?.spec.head), form: form)
        return FCNArchitecture.allCases.first { $0.spec.head == spec.head && $0 != .fcnAlexNet }!
    }

    func scores(_ arch: FCNArchitecture, _ url: URL) throws -> Tensor {
        let description = try tinyDescription(arch, classes: PretrainedWeights.classCount(in: url))
        let net = try Network(description, parameters: PretrainedWeights.load(url, for: description))
        return try net.forward(NPY.read(contentsOf: modelFixture("tiny_fcn8s_input.npy")))
    }

    @Test func goldenFCN8sMatchesIndependentNumpy() throws {
        #expect(try PretrainedWeights.classCount(in: weights) == 5)
        let ours = try scores(.fcn8s, weights)
        let expected = try NPY.read(contentsOf: modelFixture("tiny_fcn8s_logits.npy"))   // [1, 5, 37, 29]
        #expect(ours.shape == [1, 5, 37, 29])
        let difference = ours.relativeDifference(to: expected)
        print("golden FCN-8s: max relative difference \(difference) (max |y| \(expected.maxAbsolute()))")
        #expect(difference <= 1e-4)
    }

    @Test func fullyConnectedAndConvolutionFormsGiveIdenticalScores() throws {
        let scratch = ScratchFolder(); defer { scratch.cleanUp() }
        let fc = scratch.file("fc.safetensors"), back = scratch.file("conv.safetensors")
        #expect(try convert(weights, to: fc, form: .fullyConnected) == .fcn8s)
        let file = try SafetensorsFile(contentsOf: fc)
        #expect(file.shape(of: "fc6.weight") == [8, 8 * 7 * 7])
        #expect(file.shape(of: "fc7.weight") == [8, 8])
        let a = try scores(.fcn8s, weights), b = try scores(.fcn8s, fc)
        #expect(a.maxAbsoluteDifference(b) == 0)
        // And back: the round trip restores every tensor exactly.
        try convert(fc, to: back, architecture: .fcn8s, form: .convolution)
        let original = try PretrainedWeights.readTensors(weights), restored = try PretrainedWeights.readTensors(back)
        #expect(original == restored)
    }

    @Test func caffeModelLoadsLikeSafetensors() throws {
        let tensors = try PretrainedWeights.readTensors(caffeModel)
        #expect(try ModelSpec.recognize(shapes: tensors.mapValues(\.shape), file: caffeModel.path).head == .fcn8sAtOnce)
        #expect(tensors["scale_pool4.weight"]?.shape == [6])
        let fromCaffe = try scores(.fcn8sAtOnce, caffeModel)
        let fromSafetensors = try scores(.fcn8sAtOnce, weights)
        #expect(fromCaffe.shape == [1, 5, 37, 29])
        #expect(fromCaffe.maxAbsoluteDifference(fromSafetensors) == 0)
        // The at-once scaling matters: FCN-8s on the same weights differs.
        #expect(fromCaffe.maxAbsoluteDifference(try scores(.fcn8s, weights)) > 1e-3)
    }

    @Test func convertsCaffeModelToSafetensors() throws {
        let scratch = ScratchFolder(); defer { scratch.cleanUp() }
        let out = scratch.file("atonce.safetensors")
        #expect(try convert(caffeModel, to: out) == .fcn8sAtOnce)
        #expect(try SafetensorsFile(contentsOf: out).shape(of: "scale_pool4.weight") == nil)   // a constant, not a weight
        #expect(try scores(.fcn8sAtOnce, out) == scores(.fcn8sAtOnce, caffeModel))
    }

    @Test func refusesAScaleOtherThanTheArchitecturesConstant() throws {
        var tensors = try PretrainedWeights.readTensors(caffeModel)
        tensors["scale_pool4.weight"] = Tensor(repeating: 0.02, shape: [6])
        let description = try tinyDescription(.fcn8sAtOnce, classes: 5)
        let message = errorMessage { _ = try PretrainedWeights.parameters(tensors, for: description, file: "w.caffemodel") }
        #expect(message?.contains("w.caffemodel") == true && message?.contains("scale_pool4") == true)
        #expect(message?.contains("0.02") == true && message?.contains("0.01") == true)
    }

    @Test func namesTheFileTensorAndShapesOfEveryMismatch() throws {
        let good = try PretrainedWeights.readTensors(weights)
        let description = try tinyDescription(.fcn8s, classes: 5)
        func failure(_ edit: (inout [String: Tensor]) -> Void) -> String {
            var tensors = good
            edit(&tensors)
            return errorMessage { _ = try PretrainedWeights.parameters(tensors, for: description, file: "w.safetensors") } ?? "no error"
        }
        let missing = failure { $0["score_pool3.bias"] = nil }
        #expect(missing.contains("w.safetensors") && missing.contains("score_pool3.bias") && missing.contains("missing") && missing.contains("[5]"))
        let misshaped = failure { $0["conv2_1.weight"] = Tensor(zeros: [4, 4, 1, 9]) }
        #expect(misshaped.contains("conv2_1.weight") && misshaped.contains("[4, 4, 1, 9]") && misshaped.contains("[4, 4, 3, 3]"))
        let fcWrong = failure { $0["fc6.weight"] = Tensor(zeros: [8, 100]) }
        #expect(fcWrong.contains("fc6.weight") && fcWrong.contains("[8, 100]") && fcWrong.contains("[8, 8, 7, 7]"))
        let extra = failure { $0["fc8.weight"] = Tensor(zeros: [3, 8]) }
        #expect(extra.contains("fc8.weight") && extra.contains("[3, 8]"))
        // Fixed bilinear kernels are filled in when absent, equal to what the fixture stores.
        var noKernels = good
        noKernels["upscore8.weight"] = nil
        let filled = try PretrainedWeights.parameters(noKernels, for: description, file: "w.safetensors")
        #expect(filled["upscore8.weight"] == good["upscore8.weight"])
    }

    @Test func classCountComesFromTheWeightsAndMustAgreeWithTheRequest() throws {
        #expect(try PretrainedWeights.classCount(in: weights, requested: nil) == 5)
        #expect(try PretrainedWeights.classCount(in: caffeModel, requested: 5) == 5)
        let message = errorMessage { _ = try PretrainedWeights.classCount(in: weights, requested: 21) }
        #expect(message?.contains(weights.path) == true && message?.contains("5") == true && message?.contains("21") == true)
    }

    @Test func refusesUnknownExtensionsAndNonFiniteValues() throws {
        let scratch = ScratchFolder(); defer { scratch.cleanUp() }
        let bin = scratch.write([0, 1, 2], to: "w.bin")
        #expect(errorMessage { _ = try PretrainedWeights.readTensors(bin) }?.contains("w.bin: unknown weights format") == true)
        var tensors = try PretrainedWeights.readTensors(weights)
        tensors["fc7.bias"]!.scalars[3] = .nan
        let nan = scratch.file("nan.safetensors")
        try Safetensors.write(tensors, to: nan)
        let message = errorMessage { _ = try PretrainedWeights.load(nan, for: tinyDescription(.fcn8s, classes: 5)) }
        #expect(message?.contains("nan.safetensors") == true && message?.contains("fc7.bias") == true)
        #expect(errorMessage { try PretrainedWeights.convert(weights, to: scratch.file("out.npy")) }?.contains("out.npy") == true)
    }
}
