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
    /// What containerd's resolver returns for this attempt (Go's error text), as
    /// the CRI (kubelet, K3s) gets it.
    public let containerdMessage: String
    /// The same through `ctr`, when it differs: ctr has no credentials function
    /// unless given --user, so a Basic 401 stays a status error there.
    public let ctrMessage: String?
    public let status: Int?
    /// Whether credentials were sent (for 401s).
    public let credentialsSent: Bool
    /// The certificate the server presented, when TLS is involved.
    public let certificate: CertificateFacts?

    public init(_ kind: Kind, message: String, containerdMessage: String, ctrMessage: String? = nil, status: Int? = nil,
                credentialsSent: Bool = false, certificate: CertificateFacts? = nil) {
        self.kind = kind
        self.message = message
        self.containerdMessage = containerdMessage
        self.ctrMessage = ctrMessage
        self.status = status
        self.credentialsSent = credentialsSent
        self.certificate = certificate
    }
}
