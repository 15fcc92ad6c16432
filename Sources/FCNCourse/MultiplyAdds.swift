// MultiplyAdds.swift — printing the arithmetic a network does (paper §3.1, §3.2).
//
// The counting itself is the library's: `NetworkDescription.multiplyAdds(inputShape:)` in FCN,
// where each layer kind counts its own. The chapters print the counts with `showCount`.
import FCN

/// "15.47 G", "3.2 M": a count with an SI prefix, for printing.
public func showCount(_ n: Int) -> String {
    let x = Double(n)
    for (limit, suffix) in [(1e12, " T"), (1e9, " G"), (1e6, " M"), (1e3, " k")] where x >= limit {
        return show(x / limit) + suffix
    }
    return "\(n)"
}
