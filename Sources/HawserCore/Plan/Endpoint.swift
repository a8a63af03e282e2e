/// One registry host as containerd addresses it: scheme, `host[:port]`, and the
/// API path prefix (normally `/v2`, or an `override_path`).
public struct Endpoint: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Scheme: String, Sendable, Hashable, Codable {
        case http
        case https
    }

    public let scheme: Scheme
    /// `host[:port]` as written.
    public let host: String
    /// Path prefix before the repository, e.g. `/v2` or `/proxy-cache`.
    public let path: String

    public init(scheme: Scheme, host: String, path: String) {
        self.scheme = scheme
        self.host = host
        self.path = path
    }

    /// `scheme://host/path`.
    public var description: String { "\(scheme.rawValue)://\(host)\(path)" }

    public var hostPort: HostPort { HostPort(host) }

    /// The port actually dialled.
    public var effectivePort: Int {
        if let port = hostPort.port, let value = Int(port) { return value }
        return scheme == .https ? 443 : 80
    }

    /// The same host with another scheme (used for the HTTP fallback).
    public func with(scheme: Scheme) -> Endpoint { Endpoint(scheme: scheme, host: host, path: path) }

    /// The URL of an API call under this endpoint: path prefix, repository, then the
    /// given components, joined as containerd's `path.Join` does.
    public func url(repository: String, _ components: String..., namespace: String? = nil) -> String {
        url(repository: repository, components: components, namespace: namespace)
    }

    public func url(repository: String, components: [String], namespace: String? = nil) -> String {
        var segments: [Substring] = []
        for part in [path, repository] + components {
            segments.append(contentsOf: part.split(separator: "/", omittingEmptySubsequences: true))
        }
        var text = "\(scheme.rawValue)://\(host)/" + segments.joined(separator: "/")
        if let last = components.last, last.hasSuffix("/") { text += "/" }
        if let namespace {
            text += (text.contains("?") ? "&" : "?") + "ns=" + Self.queryEscape(namespace)
        }
        return text
    }

    /// Go's `url.QueryEscape` for the characters a registry name can hold.
    static func queryEscape(_ value: String) -> String {
        var result = ""
        for byte in value.utf8 {
            if byte.isASCIIAlphanumeric || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "~") {
                result.append(Character(Unicode.Scalar(byte)))
            } else {
                result += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return result
    }
}

extension String {
    func leftPadded(to length: Int, with pad: Character = "0") -> String {
        count >= length ? self : String(repeating: pad, count: length - count) + self
    }
}
