// EngineConfiguration+InForce.swift — what "the default configuration" of an engine call means.
//
// Every entry point of the engine (`Network.forward`, `trainingForward`, `backward`,
// `Segmentation.segment` and `run`) takes an `EngineConfiguration` and puts it in force for the
// call (`FCNKernels/EngineConfiguration+Apply.swift`). Their default is the configuration already
// in force, not `.automatic`: a call made from inside another — a training step under
// `fcn train --threads 1`, a chapter run with `--threads 1`, a figure drawn by `fcn figures` —
// keeps the outer call's threads and kernels instead of resetting them to every core and the
// fastest kernels. Outside any call the configuration in force is `.automatic`.

import FCNCore
import FCNKernels

extension EngineConfiguration {
    /// The configuration in force for the current call: the one the innermost enclosing engine
    /// call put in force, or `EngineConfiguration.automatic` outside any. The engine's entry
    /// points default to it.
    ///
    /// ```swift
    /// let scores = try network.forward(image)   // the caller's configuration, or .automatic
    /// ```
    public static var inForce: EngineConfiguration { current }
}
