// RunFolderOptions.swift — `--out`, the folder of a training run, declared once: `fcn train`
// writes each stage's weights, checkpoint and curve there; `fcn evaluate --stage` reads them.
import ArgumentParser
import Foundation

struct RunFolderOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The folder of a training run: weights, checkpoints and loss curves per stage (fcn train: default runs/seed<S>; fcn evaluate --stage: default the models shipped with swift-fcn).",
                               valueName: "folder"))
    var out: String?

    func validate() throws {
        if let out, out.isEmpty { throw ValidationError("--out needs a folder name") }
    }
}
