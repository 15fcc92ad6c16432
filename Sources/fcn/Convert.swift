// Convert.swift — `fcn convert`: trained weights to safetensors, from a Caffe .caffemodel
// (Berkeley's releases, paper §4–5) or between the fully connected and convolution forms of
// fc6/fc7 (paper §3.1), or the whole network to ONNX for other runtimes. The output's
// extension picks the work: `.safetensors` is `PretrainedWeights.convert`, `.onnx` is
// `ONNXExport.convert`.
import ArgumentParser
import FCN
import Foundation

extension FullyConnectedForm: ExpressibleByArgument {}

struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Convert FCN weights to safetensors (from .caffemodel, or between fc6/fc7 forms), or export to ONNX.",
        discussion: """
        The weights are checked against their network (read from the file's metadata, else recognised from its tensors; --arch, --backbone, --classes correct it) and written atomically as float32, with the network's description in the metadata so that every command reads the result without options.

        An output ending in .onnx gets the whole network as an ONNX graph (opset 13; input "data" [N, 3, H, W] of any H and W, preprocessed as `fcn segment --input x.npy` takes it; output the scores [N, K, H, W]); --form does not apply.

        Examples:
          fcn convert fcn8s-heavy-pascal.caffemodel fcn8s.safetensors
          fcn convert fcn8s-atonce.caffemodel fcn8s-atonce.safetensors \\
              --arch fcn8s-atonce
          fcn convert fcn32s.safetensors fcn32s-fc.safetensors \\
              --form fully-connected
          fcn convert fcn8s.safetensors fcn8s.onnx
        """
    )

    @Argument(help: "Input weights (.caffemodel or .safetensors).")
    var input: String

    @Argument(help: "Output file (.safetensors, or .onnx for the network as an ONNX graph).")
    var output: String

    @OptionGroup(title: "Model")
    var model: ModelOverrideOptions

    @Option(help: "fc6/fc7 layout: convolution ([4096,512,7,7]) or fully-connected ([4096,25088]).")
    var form: FullyConnectedForm = .convolution

    func validate() throws {
        if input.isEmpty || output.isEmpty { throw ValidationError("convert takes an input and an output path, neither empty") }
        if input == output { throw ValidationError("the output \(output) is the input; give another name") }
    }

    func run() throws {
        do {
            if URL(filePath: output).pathExtension.lowercased() == "onnx" {
                let used = try ONNXExport.convert(URL(filePath: input), to: URL(filePath: output), overriding: model.overrides)
                printError("wrote \(output) (\(used.name), \(used.classes) classes, ONNX opset \(ONNXExport.opsetVersion))")
                return
            }
            let used = try PretrainedWeights.convert(URL(filePath: input), to: URL(filePath: output), overriding: model.overrides, form: form)
            printError("wrote \(output) (\(used.name), \(used.classes) classes, fc6/fc7 in \(form.rawValue) form)")
        } catch {
            printError("fcn convert: \(error)")
            throw ExitCode(1)
        }
    }
}
