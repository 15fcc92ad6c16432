// ResourceBundle.swift — finding the folder of files shipped with the library (the trained
// VGG-mini models, their Table 2 and training curves) without ever stopping the process.
//
// SwiftPM's generated `Bundle.module` looks in two places — beside the executable, and the
// absolute build folder it was compiled in — and calls `fatalError` when both are missing, so a
// copied `fcn` died by a signal ("could not load resource bundle"). Here the same bundle is
// looked up in an order that also covers an installed binary, and a miss is `nil`, which the
// callers turn into an error naming the places searched (`EmbeddedModelError.noBundle`):
//   1. `$FCN_RESOURCES`, if set (a bundle moved somewhere else) — then the only place looked in,
//      so that an explicit choice is never silently replaced by another bundle;
//   2. beside the executable (`swift build`'s layout, and Bundle.module's first place);
//   3. `<executable>/../share/swift-fcn/` (what `scripts/install PREFIX` writes: PREFIX/bin/fcn,
//      PREFIX/share/swift-fcn/swift-fcn_FCN.resources);
//   4. the build folders of this checkout (Bundle.module's second place, found from this file's
//      path at compile time), debug and release.
import Foundation

enum ResourceBundle {
    /// The bundle's folder name, SwiftPM's `<package>_<target>.resources`.
    static let name = "swift-fcn_FCN.resources"

    /// The folders tried, in order.
    static var candidates: [String] {
        if let override = ProcessInfo.processInfo.environment["FCN_RESOURCES"], !override.isEmpty { return [override] }
        var paths: [String] = []
        // The executable's folder with symbolic links resolved (/proc/self/exe on Linux).
        let executable = Bundle.main.executableURL?.resolvingSymlinksInPath().deletingLastPathComponent() ?? Bundle.main.bundleURL
        paths.append(executable.appending(path: name).path)
        paths.append(executable.deletingLastPathComponent().appending(path: "share/swift-fcn/\(name)").path)
        let packageRoot = URL(filePath: #filePath).deletingLastPathComponent()       // …/Sources/FCN/Models
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for configuration in ["debug", "release"] {
            paths.append(packageRoot.appending(path: ".build/\(configuration)/\(name)").path)
        }
        return paths
    }

    /// The bundle, or `nil` when none of ``candidates`` holds it.
    static let fcn: Bundle? = {
        for path in candidates {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue, let bundle = Bundle(path: path) {
                return bundle
            }
        }
        return nil
    }()
}
