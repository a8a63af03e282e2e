import Foundation
/// A single `Range: bytes=…` of a blob (first…last, inclusive), as RFC 9110
/// reads it. Several ranges, or a header this does not understand, are ignored
/// (the whole blob is sent, which the RFC allows); a range past the end is
/// unsatisfiable (416).
struct ByteRange: Sendable, Hashable {
    let first: Int64
    let last: Int64

    var count: Int64 { last - first + 1 }

    enum Parsed: Sendable, Hashable {
        case whole
        case range(ByteRange)
        case unsatisfiable
    }

    static func parse(_ header: String?, size: Int64) -> Parsed {
        guard let header, header.hasPrefix("bytes="), !header.contains(",") else { return .whole }
        let spec = header.dropFirst("bytes=".count).trimmingCharacters(in: .whitespaces)
        let parts = spec.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return .whole }
        let start = parts[0].isEmpty ? nil : Int64(parts[0])
        let end = parts[1].isEmpty ? nil : Int64(parts[1])
        if !parts[0].isEmpty && start == nil { return .whole }
        if !parts[1].isEmpty && end == nil { return .whole }
        switch (start, end) {
        case (nil, nil):
            return .whole
        case (nil, let suffix?):
            // The last `suffix` bytes.
            guard suffix > 0, size > 0 else { return .unsatisfiable }
            return .range(ByteRange(first: max(0, size - suffix), last: size - 1))
        case (let first?, let last):
            guard first < size else { return .unsatisfiable }
            let end = min(last ?? (size - 1), size - 1)
            guard end >= first else { return .whole }
            return .range(ByteRange(first: first, last: end))
        }
    }
}
