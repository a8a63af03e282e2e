/// An endpoint string from registries.yaml after K3s's `normalizeEndpointAddress`
/// (SPEC.md §2): a scheme always, `docker.io` spelled `registry-1.docker.io`, and
/// the path `/v2` unless a custom path was given (then `overridePath`).
public struct EndpointAddress: Sendable, Hashable {
    public let scheme: String
    /// `host[:port]` as dialled (`registry-1.docker.io` for docker.io).
    public let host: String
    public let path: String
    /// Raw query, if the string had one (kept as Go's url.URL keeps it).
    public let query: String?
    /// The registry name that `configs` are looked up under: the host as written,
    /// except that `registry-1.docker.io` is looked up as `docker.io`.
    public let registryName: String
    public let overridePath: Bool
    /// Whether the scheme was written, rather than chosen by the rules.
    public let schemeWasExplicit: Bool

    /// Go's `url.URL.String()` of the normalised address.
    public var url: String {
        "\(scheme)://\(host)\(path)" + (query.map { "?\($0)" } ?? "")
    }

    public var hostPort: HostPort { HostPort(host) }

    /// Normalises `text` as K3s does. `embeddedRegistry` is the embedded mirror's
    /// address, which gets https even on a loopback port.
    public init(parsing text: String, embeddedRegistry: String? = nil) throws(EndpointAddressError) {
        var remainder = Substring(text)
        var scheme = ""
        if let range = remainder.range(of: "://") {
            scheme = String(remainder[..<range.lowerBound])
            guard !scheme.isEmpty else { throw EndpointAddressError(text, "missing protocol scheme before ://") }
            guard scheme.first?.isLetter == true,
                  scheme.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.schemeCharacters.contains($0)) }) else {
                throw EndpointAddressError(text, "first path segment in URL cannot contain colon")
            }
            scheme = scheme.lowercased()
            remainder = remainder[range.upperBound...]
        }
        if let hash = remainder.firstIndex(of: "#") { remainder = remainder[..<hash] }
        var query: String?
        if let question = remainder.firstIndex(of: "?") {
            query = String(remainder[remainder.index(after: question)...])
            remainder = remainder[..<question]
        }
        let authorityEnd = remainder.firstIndex(of: "/") ?? remainder.endIndex
        var authority = remainder[..<authorityEnd]
        let path = String(remainder[authorityEnd...])
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        let host = String(authority)
        try Self.validate(host: host, original: text)

        let parts = HostPort(host)
        let explicit = !scheme.isEmpty
        if scheme.isEmpty {
            let port = parts.port ?? ""
            scheme = parts.isLocalhost && !port.isEmpty && port != "443" && host != embeddedRegistry ? "http" : "https"
        }
        var dialled = host
        var registryName = host
        if host == "docker.io" { dialled = "registry-1.docker.io" }
        if dialled == "registry-1.docker.io" { registryName = "docker.io" }

        self.scheme = scheme
        self.host = dialled
        self.query = query
        self.registryName = registryName
        self.schemeWasExplicit = explicit
        switch path {
        case "", "/", "/v2":
            self.path = "/v2"
            self.overridePath = false
        default:
            self.path = path
            self.overridePath = true
        }
    }

    /// Go's url.Parse refuses these; K3s then skips the endpoint with a warning.
    static func validate(host: String, original: String) throws(EndpointAddressError) {
        guard !host.isEmpty else { throw EndpointAddressError(original, "no host name") }
        let parts = HostPort(host)
        if let port = parts.port, !port.utf8.allSatisfy(\.isASCIIDigit) {
            throw EndpointAddressError(original, "invalid port \":\(port)\" after host")
        }
        if parts.isBracketedIPv6 { return }
        let allowed = CharacterSet.hostCharacters
        if let bad = parts.host.unicodeScalars.first(where: { !allowed.contains($0) }) {
            throw EndpointAddressError(original, "invalid character \"\(bad)\" in host name")
        }
        if parts.host.isEmpty { throw EndpointAddressError(original, "no host name") }
    }
}

/// Why an endpoint string was skipped (K3s: "Ignoring invalid endpoint URL").
public struct EndpointAddressError: Error, Sendable, Hashable, CustomStringConvertible {
    public let text: String
    public let reason: String

    init(_ text: String, _ reason: String) {
        self.text = text
        self.reason = reason
    }

    public var description: String { "invalid endpoint \"\(text)\": \(reason)" }
}

import Foundation

extension CharacterSet {
    static let schemeCharacters = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.")
    /// Go's `validOptionalPort`/`shouldEscape` host rules, simplified to what a registry host can be.
    static let hostCharacters = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=%")
}
