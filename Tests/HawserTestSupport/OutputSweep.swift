/// What must never reach a person (issue 12): a library's error dump, a Swift
/// type name, an error domain, a path into the build. Every `hawser` run of the
/// suites passes its output through `findings`, so any error path a test
/// reaches is swept.
public enum OutputSweep {
    /// Each marker: a text that only a dump contains, and what it betrays.
    static let markers: [(text: String, what: String)] = [
        // Not "/.build/" alone: the suites' fixtures live there, and their paths are fine to print.
        ("/checkouts/", "a path into a dependency's sources"),
        ("NIOSSL", "a swift-nio-ssl type"),
        ("BoringSSL", "a BoringSSL error stack"),
        ("OPENSSL_internal", "a BoringSSL error stack"),
        ("NIOConnectionError", "a NIO type"),
        ("SocketAddressError", "a NIO type"),
        ("ChannelError", "a NIO type"),
        ("IOError", "a NIO type"),
        ("HTTPClientError", "an AsyncHTTPClient type"),
        ("(error set)", "a NIO error dump"),
        ("(errno:", "a NIO error dump"),
        ("NSCocoaErrorDomain", "a Foundation error domain"),
        ("Error Domain=", "a Foundation error dump"),
        ("The operation could not be completed", "Foundation's text for an error it cannot describe"),
        ("DecodingError", "a Swift type"),
        ("CodingKeys", "a Swift type"),
        ("Swift.", "a Swift type"),
        ("Optional(", "a Swift optional printed"),
        ("Error: error:", "an error prefixed twice"),
        ("an unexpected internal error occurred", "an error Hawser could not put in words"),
    ]

    /// `handshake.cc:320` or `File.swift:12`: where in a program's source an error arose.
    static func sourceLocation(in line: Substring) -> String? {
        for suffix in [".swift:", ".cc:", ".c:", ".h:"] {
            var search = line.startIndex..<line.endIndex
            while let range = line.range(of: suffix, range: search) {
                if let next = line[range.upperBound...].first, next.isNumber {
                    let start = line[..<range.lowerBound].lastIndex { $0 == " " || $0 == "/" || $0 == "(" }.map { line.index(after: $0) } ?? line.startIndex
                    return String(line[start..<range.upperBound]) + String(line[range.upperBound...].prefix { $0.isNumber })
                }
                search = range.upperBound..<line.endIndex
            }
        }
        return nil
    }

    /// The markers found in `output`, each with its line.
    public static func findings(in output: String) -> [String] {
        var found: [String] = []
        for line in output.split(separator: "\n", omittingEmptySubsequences: true) {
            for marker in markers where line.contains(marker.text) {
                found.append("\(marker.what) (\"\(marker.text)\"): \(line)")
            }
            if let source = sourceLocation(in: line) {
                found.append("a source file and line (\"\(source)\"): \(line)")
            }
        }
        return found
    }
}
