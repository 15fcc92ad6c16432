// NPY+Header.swift — parse the Python dict literal at the start of an `.npy` file, e.g.
//
//     {'descr': '<f4', 'fortran_order': False, 'shape': (1, 21, 500, 500), }
//
// A tiny recursive-descent parser for exactly the Python literals numpy writes there: strings
// ('…' or "…"), True/False, non-negative integers and tuples of them, inside one dict. Anything
// else is an error — the header is untrusted input and is never evaluated.

/// The three fields of an `.npy` header.
struct NPYHeader: Equatable {
    var descr: String
    var fortranOrder: Bool
    var shape: [Int]

    struct ParseError: Error { let problem: String }

    private enum Value { case string(String), bool(Bool), integer(Int), tuple([Int]) }

    init(parsing text: String) throws(ParseError) {
        var parser = Parser(characters: Array(text.unicodeScalars))
        let dict = try parser.parseDict()
        guard case .string(let descr)? = dict["descr"] else { throw ParseError(problem: "missing 'descr' string") }
        guard case .bool(let fortranOrder)? = dict["fortran_order"] else { throw ParseError(problem: "missing 'fortran_order' boolean") }
        guard case .tuple(let shape)? = dict["shape"] else { throw ParseError(problem: "missing 'shape' tuple") }
        self.descr = descr
        self.fortranOrder = fortranOrder
        self.shape = shape
    }

    private struct Parser {
        let characters: [Unicode.Scalar]
        var index = 0

        mutating func skipSpace() {
            while index < characters.count && characters[index].properties.isWhitespace { index += 1 }
        }

        mutating func expect(_ c: Unicode.Scalar) throws(ParseError) {
            skipSpace()
            guard index < characters.count, characters[index] == c else {
                throw ParseError(problem: "expected '\(c)' at character \(index)")
            }
            index += 1
        }

        /// True (and consumes it) when the next non-space character is `c`.
        mutating func accept(_ c: Unicode.Scalar) -> Bool {
            skipSpace()
            if index < characters.count && characters[index] == c { index += 1; return true }
            return false
        }

        mutating func parseDict() throws(ParseError) -> [String: Value] {
            try expect("{")
            var result: [String: Value] = [:]
            while !accept("}") {
                let key = try parseString()
                try expect(":")
                guard result.updateValue(try parseValue(), forKey: key) == nil else {
                    throw ParseError(problem: "duplicate key '\(key)'")
                }
                if !accept(",") { try expect("}"); break }
            }
            skipSpace()
            guard index == characters.count else { throw ParseError(problem: "unexpected text after the dict") }
            return result
        }

        mutating func parseString() throws(ParseError) -> String {
            skipSpace()
            guard index < characters.count, characters[index] == "'" || characters[index] == "\"" else {
                throw ParseError(problem: "expected a string at character \(index)")
            }
            let quote = characters[index]
            index += 1
            var text = String.UnicodeScalarView()
            while index < characters.count && characters[index] != quote {
                text.append(characters[index])
                index += 1
            }
            guard index < characters.count else { throw ParseError(problem: "unterminated string") }
            index += 1
            return String(text)
        }

        mutating func parseInteger() throws(ParseError) -> Int {
            skipSpace()
            var value = 0
            let start = index
            while index < characters.count, ("0"..."9").contains(characters[index]) {
                let digit = Int(characters[index].value) - 48  // "0" is 48 in ASCII
                let (times10, o1) = value.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times10.addingReportingOverflow(digit)
                guard !o1 && !o2 else { throw ParseError(problem: "integer too large") }
                value = sum
                index += 1
            }
            guard index > start else { throw ParseError(problem: "expected an integer at character \(index)") }
            // Python 2 era files may write long integers as "3L".
            if index < characters.count && characters[index] == "L" { index += 1 }
            return value
        }

        mutating func parseValue() throws(ParseError) -> Value {
            skipSpace()
            guard index < characters.count else { throw ParseError(problem: "unexpected end of header") }
            let c = characters[index]
            if c == "'" || c == "\"" { return .string(try parseString()) }
            if c == "(" {
                index += 1
                var items: [Int] = []
                while !accept(")") {
                    items.append(try parseInteger())
                    if !accept(",") { try expect(")"); break }
                }
                return .tuple(items)
            }
            for (word, value) in [("True", true), ("False", false)] where characters[index...].starts(with: word.unicodeScalars) {
                index += word.unicodeScalars.count
                return .bool(value)
            }
            return .integer(try parseInteger())
        }
    }
}
