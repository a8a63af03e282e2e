/// A failed exchange with a registry host: what was asked (method, URL), what
/// came back (HTTP status, the registry's own error entries) or why nothing did.
public struct RegistryError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Codable {
        /// Connection refused, reset, timed out, name not resolved.
        case transport = "registry.transport"
        /// The TLS handshake failed (certificate not trusted, wrong name, client certificate refused).
        case tls = "registry.tls"
        /// The server answered the TLS handshake in plain HTTP (Go: "server gave HTTP response to HTTPS client").
        case httpResponseToHTTPS = "registry.http-response-to-https"
        /// A CA, certificate or key file from the configuration could not be used.
        case tlsConfiguration = "registry.tls-config"
        case unauthorized = "registry.unauthorized"
        case forbidden = "registry.forbidden"
        case notFound = "registry.not-found"
        /// Any other status above 399 (or an unexpected one).
        case httpStatus = "registry.http-status"
        /// The token service failed, or the registry asked for a scheme we cannot answer.
        case authentication = "registry.authentication"
        case tooManyRedirects = "registry.redirects"
        /// A response that breaks the protocol (no Location on an upload, bad JSON).
        case invalidResponse = "registry.invalid-response"
        /// The bytes served are not the ones asked for.
        case content = "registry.content"
    }

    public let code: Code
    public let method: String?
    public let url: String?
    public let status: Int?
    /// The registry's `errors[]` entries, when the body had them.
    public let registryErrors: [DistributionErrorBody.Entry]
    /// What happened, in words.
    public let reason: String

    public init(
        _ code: Code, method: String? = nil, url: String? = nil, status: Int? = nil,
        registryErrors: [DistributionErrorBody.Entry] = [], reason: String
    ) {
        self.code = code
        self.method = method
        self.url = url
        self.status = status
        self.registryErrors = registryErrors
        self.reason = reason
    }

    public var description: String {
        var text = ""
        if let method, let url { text += "\(method) \(url): " } else if let url { text += "\(url): " }
        if let status { text += "HTTP \(status)" + (reason.isEmpty ? "" : ", ") }
        text += reason
        if !registryErrors.isEmpty {
            text += " (registry says: " + registryErrors.map(\.description).joined(separator: "; ") + ")"
        }
        return text + " [\(code.rawValue)]"
    }

    /// Maps a status above 399 to its code.
    static func code(forStatus status: Int) -> Code {
        switch status {
        case 401: .unauthorized
        case 403: .forbidden
        case 404: .notFound
        default: .httpStatus
        }
    }
}
