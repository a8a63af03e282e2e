/// One challenge of a `WWW-Authenticate` header: `Bearer realm="…",service="…"`.
public struct AuthChallenge: Sendable, Hashable {
    public enum Scheme: Sendable, Hashable {
        case basic
        case bearer
        case other(String)
    }

    public let scheme: Scheme
    /// Parameter names lower-cased.
    public let parameters: [String: String]

    public init(scheme: Scheme, parameters: [String: String]) {
        self.scheme = scheme
        self.parameters = parameters
    }

    public var realm: String? { parameters["realm"] }
    public var service: String? { parameters["service"] }
    /// Scopes the registry named in the challenge (space separated in the header).
    public var scopes: [String] { parameters["scope"].map { $0.split(separator: " ").map(String.init) } ?? [] }

    /// Parses every challenge of every `WWW-Authenticate` header value (RFC 7235:
    /// `scheme param=value, param="quoted, value", Other-Scheme …`).
    public static func parse(_ headerValues: [String]) -> [AuthChallenge] {
        headerValues.flatMap(parse(_:))
    }

    public static func parse(_ header: String) -> [AuthChallenge] {
        var scanner = Scanner(Array(header.utf8))
        var challenges: [AuthChallenge] = []
        var scheme: String?
        var parameters: [String: String] = [:]

        func finish() {
            if let scheme { challenges.append(AuthChallenge(scheme: Self.scheme(named: scheme), parameters: parameters)) }
            scheme = nil
            parameters = [:]
        }

        while true {
            scanner.skip { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\t") }
            guard let token = scanner.token() else { break }
            scanner.skip { $0 == UInt8(ascii: " ") }
            if scanner.peek == UInt8(ascii: "="), scheme != nil {
                scanner.advance()
                scanner.skip { $0 == UInt8(ascii: " ") }
                let value = scanner.peek == UInt8(ascii: "\"") ? scanner.quoted() : (scanner.token() ?? "")
                parameters[token.lowercased()] = value
            } else if scanner.peek == UInt8(ascii: "=") {
                // token68 without a scheme: malformed, skip it.
                scanner.skip { $0 != UInt8(ascii: ",") }
            } else {
                finish()
                scheme = token
            }
        }
        finish()
        return challenges
    }

    static func scheme(named name: String) -> Scheme {
        switch name.lowercased() {
        case "basic": .basic
        case "bearer": .bearer
        default: .other(name)
        }
    }

    /// A byte scanner for the header grammar; no Foundation needed.
    private struct Scanner {
        let bytes: [UInt8]
        var index = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var peek: UInt8? { index < bytes.count ? bytes[index] : nil }
        mutating func advance() { index += 1 }

        mutating func skip(while predicate: (UInt8) -> Bool) {
            while let byte = peek, predicate(byte) { index += 1 }
        }

        mutating func token() -> String? {
            let start = index
            skip { byte in
                byte != UInt8(ascii: " ") && byte != UInt8(ascii: ",") && byte != UInt8(ascii: "=")
                    && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\t")
            }
            return index > start ? String(decoding: bytes[start..<index], as: UTF8.self) : nil
        }

        mutating func quoted() -> String {
            advance()
            var value: [UInt8] = []
            while let byte = peek {
                advance()
                if byte == UInt8(ascii: "\\"), let next = peek {
                    value.append(next)
                    advance()
                } else if byte == UInt8(ascii: "\"") {
                    break
                } else {
                    value.append(byte)
                }
            }
            return String(decoding: value, as: UTF8.self)
        }
    }
}
