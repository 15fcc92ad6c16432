// TrainingReport+Reading.swift — reading back what a training run wrote: the miniature
// Table 2 (`table2.json`) and a stage's loss curve (`<stage>.history.csv`).
//
// Paper §4 ("Metrics", Table 2) and §4.3 (training). `TrainingReport.write(to:)` and
// `TrainingPipeline` write these files; the figures (Table 2, loss curves) read them. Both
// readers take a URL, so a run folder, the bundle (`EmbeddedModels+Report.swift`) or a test's
// fixture are read the same way, and every problem is reported with the file and the line.
// The CSV record files (this history, and `ValidationRecord`'s `<stage>.validation.csv`) share
// one reader, `TrainingFileError.records(in:header:fields:_:)`, at the end of this file.

import FCN
import FCNCore
import Foundation

/// A training record file that is missing or cannot be read.
public enum TrainingFileError: Error, CustomStringConvertible, Equatable {
    /// The file does not exist (or, for the bundle, was not shipped).
    case missing(path: String, hint: String)
    /// The file exists but is not what the writer writes; `line` is 1-based (0: the whole file).
    case malformed(path: String, line: Int, reason: String)

    public var description: String {
        switch self {
        case .missing(let path, let hint):
            return "\(path): no such file" + (hint.isEmpty ? "" : "; \(hint)")
        case .malformed(let path, let line, let reason):
            return line > 0 ? "\(path), line \(line): \(reason)" : "\(path): \(reason)"
        }
    }
}

extension TrainingReport {
    /// Reads a `table2.json` written by ``TrainingReport/write(to:)``.
    ///
    /// - Parameter url: the JSON file.
    /// - Throws: ``TrainingFileError`` naming the file: missing, or not a report.
    ///
    /// ```swift
    /// let table = try TrainingReport.read(from: URL(filePath: "runs/seed1/table2.json"))
    /// print(table.text)
    /// ```
    public static func read(from url: URL) throws -> TrainingReport {
        let data = try TrainingFileError.contents(of: url)
        do {
            return try JSONDecoder().decode(TrainingReport.self, from: data)
        } catch let error as DecodingError {
            throw TrainingFileError.malformed(path: url.path, line: 0, reason: "not a training report: \(Self.explain(error))")
        }
    }

    /// A one-line account of a decoding error (the field path and what was wrong).
    static func explain(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.isEmpty ? "the top level" : keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing field '\(key.stringValue)' in \(path(context.codingPath))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "wrong type at \(path(context.codingPath)): \(context.debugDescription)"
        case .dataCorrupted(let context): return "invalid JSON at \(path(context.codingPath)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}

extension TrainingRecord {
    /// The header line `TrainingPipeline` writes above a stage's history.
    public static let historyHeader = "step,loss,pixel_accuracy"

    /// Reads a `<stage>.history.csv`: the header ``historyHeader``, then one `step,loss,accuracy`
    /// line per training step (step an integer, the two others decimals). Blank lines are skipped.
    ///
    /// - Parameter url: the CSV file.
    /// - Throws: ``TrainingFileError`` naming the file and line: missing, wrong header, wrong
    ///   field count, a field that is not a number, or no records at all.
    ///
    /// ```swift
    /// let curve = try TrainingRecord.readHistory(from: URL(filePath: "runs/seed1/fcn8s.history.csv"))
    /// curve.last?.loss
    /// ```
    public static func readHistory(from url: URL) throws -> [TrainingRecord] {
        let records = try TrainingFileError.records(in: url, header: historyHeader, fields: "step, loss, pixel_accuracy") { line in
            let step = try line.step()
            guard let loss = Double(line.fields[1]) else { throw line.error("loss '\(line.fields[1])' is not a number") }
            guard let accuracy = Double(line.fields[2]) else { throw line.error("pixel_accuracy '\(line.fields[2])' is not a number") }
            return TrainingRecord(step: step, loss: loss, pixelAccuracy: accuracy)
        }
        guard !records.isEmpty else { throw TrainingFileError.malformed(path: url.path, line: 0, reason: "no records after the header") }
        return records
    }
}

extension TrainingFileError {
    /// The bytes of `url`, or ``missing(path:hint:)`` if there is no such file.
    static func contents(of url: URL, hint: String = "") throws -> Data {
        guard FileManager.default.fileExists(atPath: url.path) else { throw TrainingFileError.missing(path: url.path, hint: hint) }
        do {
            return try Data(contentsOf: url)
        } catch {
            throw TrainingFileError.malformed(path: url.path, line: 0, reason: "cannot be read: \(error.localizedDescription)")
        }
    }

    /// One line of records in a CSV file the pipeline writes, split into its fields.
    struct CSVLine {
        /// The file, for messages.
        var path: String
        /// The 1-based line number.
        var number: Int
        /// The comma-separated fields, white space trimmed; as many as the header has.
        var fields: [String]

        /// ``TrainingFileError/malformed(path:line:reason:)`` naming this line.
        func error(_ reason: String) -> TrainingFileError { .malformed(path: path, line: number, reason: reason) }

        /// The first field, the step (an integer in every record file).
        func step() throws -> Int {
            guard let step = Int(fields[0]) else { throw error("step '\(fields[0])' is not an integer") }
            return step
        }
    }

    /// Reads a record CSV (`<stage>.history.csv`, `<stage>.validation.csv`): the line `header`,
    /// then one record per line, `record` making it from the line's fields, in order. Any line
    /// end reads (Windows' too) and blank lines are skipped.
    ///
    /// - Parameters:
    ///   - url: the CSV file.
    ///   - header: the exact first line; its comma-separated names say how many fields a line has.
    ///   - fields: how a wrong field count's message names the fields.
    ///   - record: a record from one line; throws ``CSVLine/error(_:)`` for a field it cannot read.
    /// - Throws: ``TrainingFileError`` naming the file and line: missing, wrong header, wrong
    ///   field count, or what `record` throws.
    static func records<Record>(in url: URL, header: String, fields: String, _ record: (CSVLine) throws -> Record) throws -> [Record] {
        let text = String(decoding: try contents(of: url), as: UTF8.self)
        // Split on any line end: in Swift "\r\n" is one Character (a newline), so Windows files read too.
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        guard let first = lines.first, first.trimmingCharacters(in: .whitespaces) == header else {
            throw malformed(path: url.path, line: 1, reason: "expected the header '\(header)', found '\(lines.first ?? "")'")
        }
        let fieldCount = header.split(separator: ",").count
        var records: [Record] = []
        for (i, line) in lines.enumerated().dropFirst() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let values = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            let csvLine = CSVLine(path: url.path, number: i + 1, fields: values)
            guard values.count == fieldCount else { throw csvLine.error("expected \(fieldCount) fields (\(fields)), found \(values.count)") }
            records.append(try record(csvLine))
        }
        return records
    }
}
