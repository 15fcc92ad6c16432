// Exports.swift — `import FCN` is enough to use the library: the tensor and geometry types of
// `FCNCore` come with it. (The kernels of `FCNKernels` do not: they are the engine's business.)

@_exported import FCNCore
