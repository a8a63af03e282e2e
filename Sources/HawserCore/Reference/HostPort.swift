/// Splits `host[:port]`, `[v6]:port` or `[v6]` without interpreting either part.
public struct HostPort: Sendable, Hashable {
    /// Host without brackets (`::1` for `[::1]:5000`).
    public let host: String
    /// Port as written, nil when none was given.
    public let port: String?
    public let isBracketedIPv6: Bool

    public init(_ text: String) {
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            port = rest.hasPrefix(":") ? String(rest.dropFirst()) : nil
            isBracketedIPv6 = true
        } else if let colon = text.lastIndex(of: ":"), !text[..<colon].contains(":") {
            host = String(text[..<colon])
            port = String(text[text.index(after: colon)...])
            isBracketedIPv6 = false
        } else {
            host = text
            port = nil
            isBracketedIPv6 = false
        }
    }

    /// containerd's `docker.IsLocalhost`: "localhost" or a loopback IP, with or without port.
    public var isLocalhost: Bool {
        if host == "localhost" { return true }
        if host == "::1" || host == "0:0:0:0:0:0:0:1" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        if octets.count == 4, octets.allSatisfy({ UInt8($0) != nil }), octets.first == "127" { return true }
        return false
    }
}
