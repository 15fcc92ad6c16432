// ExperimentResult.swift — an experiment's numbers: each arm's scores for every seed, their
// mean and spread, printed beside what the paper says; written as JSON for the README script.

import FCN
import FCNCore
import Foundation

/// The scores of an experiment's arms, seed by seed.
public struct ExperimentResult: Sendable, Codable {
    /// One point of a curve: the loss per pixel on held-out scenes after `step` steps and
    /// `seconds` of training.
    public struct CurvePoint: Sendable, Codable, Equatable {
        /// Steps done.
        public var step: Int
        /// Training wall time so far, in seconds.
        public var seconds: Double
        /// Mean per-pixel loss on the curve's held-out scenes.
        public var loss: Double
    }

    /// One arm trained with one seed.
    public struct Outcome: Sendable, Codable {
        /// The seed.
        public var seed: UInt64
        /// Steps trained (all the arm's stages).
        public var steps: Int
        /// Wall time of those steps, in seconds.
        public var seconds: Double
        /// The four metrics on the validation scenes (fractions).
        public var pixelAccuracy: Double, meanAccuracy: Double, meanIU: Double, frequencyWeightedIU: Double
        /// Mean IU on the held-out grid (``IndependentScenes``), `nil` when not scored.
        public var heldOutMeanIU: Double?
        /// The loss curve (empty unless the experiment keeps curves).
        public var curve: [CurvePoint]

        static func read(_ url: URL) throws -> Outcome {
            do { return try JSONDecoder().decode(Outcome.self, from: Data(contentsOf: url)) } catch {
                throw TrainingFileError.malformed(path: url.path, line: 0, reason: "not an experiment result (\(error)); delete it to train the arm again")
            }
        }

        func write(to url: URL) throws {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try AtomicFile.write(try encoder.encode(self), to: url)
        }
    }

    /// One arm over all seeds.
    public struct Row: Sendable, Codable {
        /// The arm's key and name.
        public var key: String, name: String
        /// One outcome per seed.
        public var outcomes: [Outcome]
        /// Mean IU averaged over the seeds.
        public var meanIU: Double { outcomes.map(\.meanIU).reduce(0, +) / Double(max(1, outcomes.count)) }
        /// Largest minus smallest mean IU over the seeds.
        public var spread: Double { (outcomes.map(\.meanIU).max() ?? 0) - (outcomes.map(\.meanIU).min() ?? 0) }
        /// Held-out mean IU averaged over the seeds that have one (`nil`: none).
        public var heldOutMeanIU: Double? {
            let v = outcomes.compactMap(\.heldOutMeanIU)
            return v.isEmpty ? nil : v.reduce(0, +) / Double(v.count)
        }
        /// Mean training seconds over the seeds.
        public var seconds: Double { outcomes.map(\.seconds).reduce(0, +) / Double(max(1, outcomes.count)) }
    }

    /// The experiment's name, title and the paper's finding.
    public var name: String, title: String, paper: String
    /// The seeds.
    public var seeds: [UInt64]
    /// The scenes' side and how many validation scenes were scored.
    public var sceneSize: Int, validationCount: Int
    /// One row per arm, in the experiment's order.
    public var rows: [Row]

    init(experiment: Experiment, seeds: [UInt64], sceneSize: Int, validationCount: Int, rows: [Row]) {
        name = experiment.name; title = experiment.title; paper = experiment.paper
        self.seeds = seeds; self.sceneSize = sceneSize; self.validationCount = validationCount; self.rows = rows
    }

    /// Whether two arms differ by more than the larger of their seed spreads.
    public func differs(_ a: String, _ b: String) -> Bool? {
        guard let x = rows.first(where: { $0.key == a }), let y = rows.first(where: { $0.key == b }) else { return nil }
        return abs(x.meanIU - y.meanIU) > max(x.spread, y.spread)
    }

    /// The table: each arm's mean IU per seed, mean, spread and training time.
    public var table: String {
        func pct(_ x: Double) -> String { String(format: "%5.1f", 100 * x) }
        let width = max(24, (rows.map(\.name.count).max() ?? 0) + 2)
        var lines = ["\(title)", "paper: \(paper)", "",
                     "arm".padding(toLength: width, withPad: " ", startingAt: 0)
                     + seeds.map { "seed \($0)".leftPadded(9) }.joined() + "mean IU".leftPadded(9) + "spread".leftPadded(8) + "held out".leftPadded(10) + "train s".leftPadded(9)]
        for r in rows {
            let bySeed = seeds.map { s in r.outcomes.first { $0.seed == s }.map { pct($0.meanIU) } ?? "—" }
            lines.append(r.name.padding(toLength: width, withPad: " ", startingAt: 0) + bySeed.map { $0.leftPadded(9) }.joined()
                         + pct(r.meanIU).leftPadded(9) + pct(r.spread).leftPadded(8) + (r.heldOutMeanIU.map(pct) ?? "—").leftPadded(10)
                         + String(format: "%.0f", r.seconds).leftPadded(9))
        }
        lines.append("")
        lines.append("(mean IU in %, the paper's metric (§5), on \(validationCount) validation scenes of \(sceneSize)²; spread = largest − smallest over the seeds: a difference smaller than it is noise; held out = mean IU on the independently drawn grid, averaged over the seeds)")
        return lines.joined(separator: "\n")
    }

    /// The result as pretty-printed JSON.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }
}
