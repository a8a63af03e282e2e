/// Foundation's JSON decoder (swift-foundation's JSONScanner, Swift 6.3 on
/// Linux) traps, killing the process, when its nesting limit (512) is reached
/// exactly at the end of the input: building the error's source location
/// reads past the end. Hawser's fuzzer found it in a token response
/// (`{"token":` then 512 `[`, 521 bytes); a manifest, an error body or an
/// index.json shaped the same way crashes the same code. So every JSON that
/// comes from outside is checked here first: nesting is counted without
/// recursion, and more than `limit` levels (far below Foundation's) is refused.
enum JSONNesting {
    /// Deepest nesting accepted. Manifests, indexes, tokens and error bodies use 5.
    static let limit = 128

    /// True when `bytes` nest arrays and objects deeper than `limit`. Strings
    /// are skipped as JSON lexes them, so the count is never below the
    /// decoder's for text it would accept.
    static func exceedsLimit(_ bytes: [UInt8]) -> Bool {
        var depth = 0
        var inString = false
        var escaped = false
        for byte in bytes {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > limit { return true }
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                depth = max(0, depth - 1)
            default:
                break
            }
        }
        return false
    }
}
