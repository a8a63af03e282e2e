import HawserCore

/// Why an attempt failed, classified, with the words containerd would use.
public struct Failure: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case nameResolution = "name-resolution"
        case connectionRefused = "connection-refused"
        case connectionTimeout = "connection-timeout"
        /// TLS spoken to a port that answers plain HTTP.
        case tlsToPlainHTTP = "tls-to-plain-http"
        /// Plain HTTP sent to a port that speaks TLS.
        case plainHTTPToTLS = "plain-http-to-tls"
        case untrustedCertificate = "untrusted-certificate"
        case hostnameMismatch = "hostname-mismatch"
        case expiredCertificate = "expired-certificate"
        case clientCertificateRequired = "client-certificate-required"
        case tlsOther = "tls"
        case unauthorized
        case tokenRefused = "token-refused"
        case forbidden
        case notFound = "not-found"
        case httpStatus = "http-status"
        case transport
        case tlsConfiguration = "tls-configuration"
    }

    public let kind: Kind
    /// In Hawser's words.
    public let message: String
    /// What containerd's resolver returns for this attempt, before it is worded.
    public let resolverError: ResolverError
    /// That error in the words of the containerd being modelled (Go's error text).
    public let containerdMessage: String
    public let status: Int?
    /// Whether credentials were sent (for 401s).
    public let credentialsSent: Bool
    /// The certificate the server presented, when TLS is involved.
    public let certificate: CertificateFacts?

    public init(_ kind: Kind, message: String, resolverError: ResolverError, containerd: Containerd, status: Int? = nil,
                credentialsSent: Bool = false, certificate: CertificateFacts? = nil) {
        self.kind = kind
        self.message = message
        self.resolverError = resolverError
        self.containerdMessage = resolverError.text(for: containerd)
        self.status = status
        self.credentialsSent = credentialsSent
        self.certificate = certificate
    }

    /// A failure whose containerd text is the same in every version.
    public init(_ kind: Kind, message: String, containerdMessage: String, status: Int? = nil, credentialsSent: Bool = false,
                certificate: CertificateFacts? = nil) {
        self.init(kind, message: message, resolverError: .literal(containerdMessage),
                  containerd: .default, status: status, credentialsSent: credentialsSent, certificate: certificate)
    }
}
