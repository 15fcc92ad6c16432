// MathText.swift — a chapter's formula, written once as plain text, set as MathML on the page.
//
// A chapter states a formula the way it reads on a terminal — `out = s·(n − 1) + k`,
// `ℓ(x; θ) = Σ_ij ℓ'(x_ij; θ)` — and `Lesson.formula` keeps that text for the terminal and the
// DocC article. The notebook page shows the same text as MathML, which every current browser
// draws without scripts or fonts fetched: letters become identifiers (one letter in italic, a
// word such as `IU` upright), digits numbers, anything else an operator, `_` the subscript and
// `^` the superscript of what precedes, taking the letters and digits that follow; two spaces
// set formulas on one line apart, one space keeps two words apart. That little
// grammar is all the course's formulas need; it is not TeX.
import Foundation

public enum MathText {
    /// The MathML `<math display="block">` element of the plain-text formula `text`.
    ///
    /// ```swift
    /// MathText.mathML("x_ij^2")   // <math display="block"><mrow><msup><msub><mi>x</mi><mi>ij</mi></msub><mn>2</mn></msup></mrow></math>
    /// ```
    public static func mathML(_ text: String) -> String {
        var items: [String] = []
        let chars = Array(text)
        var i = 0
        /// The run of letters and digits from `i` (the argument of `_` or `^`).
        func word() -> String {
            var w = ""
            while i < chars.count, chars[i].isLetter || chars[i].isNumber { w.append(chars[i]); i += 1 }
            return w
        }
        func atom(_ w: String) -> String {
            w.allSatisfy { $0.isNumber || $0 == "." } ? "<mn>\(escape(w))</mn>" : "<mi>\(escape(w))</mi>"
        }
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace {
                // Spacing is the one thing MathML does not take from the text: a run of two or
                // more spaces separates formulas on one line; one space between two words
                // ("pixel acc.") keeps them apart; any other space is the operators' own.
                var run = 0
                while i < chars.count, chars[i].isWhitespace { run += 1; i += 1 }
                let wordBefore = items.last.map { $0.hasPrefix("<mi>") && $0.count - "<mi></mi>".count >= 2 } ?? false   // a word, not a letter
                if run >= 2, !items.isEmpty { items.append("<mspace width=\"2em\"/>") }
                else if wordBefore, i < chars.count, chars[i].isLetter { items.append("<mspace width=\"0.3em\"/>") }
                continue
            }
            if (c == "_" || c == "^"), let base = items.popLast() {
                i += 1
                let argument = word()
                if argument.isEmpty { items.append(base); items.append("<mo>\(c)</mo>"); continue }
                items.append(c == "_" ? "<msub>\(base)\(atom(argument))</msub>" : "<msup>\(base)\(atom(argument))</msup>")
            } else if "Σ∑Π∏".contains(c) {
                i += 1
                items.append("<mo>\(c)</mo>")                     // a sum or product sign, not the letter
            } else if c.isNumber {
                var n = ""
                while i < chars.count, chars[i].isNumber || (chars[i] == "." && i + 1 < chars.count && chars[i + 1].isNumber) { n.append(chars[i]); i += 1 }
                items.append("<mn>\(n)</mn>")
            } else if c.isLetter {
                var w = ""
                while i < chars.count, chars[i].isLetter, !"Σ∑Π∏".contains(chars[i]) { w.append(chars[i]); i += 1 }
                items.append("<mi>\(escape(w))</mi>")
            } else if c == "'" {
                i += 1
                items.append(items.popLast().map { "<msup>\($0)<mo>′</mo></msup>" } ?? "<mo>′</mo>")
            } else {
                i += 1
                items.append("<mo>\(escape(String(c)))</mo>")
            }
        }
        return "<math display=\"block\"><mrow>" + items.joined() + "</mrow></math>"
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
