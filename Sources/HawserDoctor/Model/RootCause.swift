/// The one-sentence diagnosis, with a stable code (documented in docs/codes.md).
public struct RootCause: Sendable, Hashable, Codable {
    public enum Code: String, Sendable, Hashable, Codable, CaseIterable {
        case pullable = "RC000"
        case nameNotResolved = "RC001"
        case connectionRefused = "RC002"
        case connectionTimeout = "RC003"
        case plainHTTPRegistryAsHTTPS = "RC101"
        case tlsRegistryAsHTTP = "RC102"
        case untrustedCertificate = "RC103"
        case certificateNameMismatch = "RC104"
        case certificateExpired = "RC105"
        case clientCertificateRequired = "RC106"
        case tlsSettingsUnderWrongKey = "RC107"
        case tlsHandshakeFailed = "RC108"
        case tlsFilesUnusable = "RC109"
        case noCredentials = "RC201"
        case wrongCredentials = "RC202"
        case credentialsUnderWrongKey = "RC203"
        case accessDenied = "RC204"
        case imageNotOnMirror = "RC301"
        case rewriteToMissingRepository = "RC302"
        case imageNotFound = "RC303"
        case mirrorNotApplied = "RC304"
        case noEndpoint = "RC305"
        case hostsFileIgnored = "RC306"
        case registryError = "RC401"
        case unexpected = "RC499"

        public var slug: String {
            switch self {
            case .pullable: "pullable"
            case .nameNotResolved: "name-not-resolved"
            case .connectionRefused: "connection-refused"
            case .connectionTimeout: "connection-timeout"
            case .plainHTTPRegistryAsHTTPS: "plain-http-registry-as-https"
            case .tlsRegistryAsHTTP: "tls-registry-as-http"
            case .untrustedCertificate: "untrusted-certificate"
            case .certificateNameMismatch: "certificate-name-mismatch"
            case .certificateExpired: "certificate-expired"
            case .clientCertificateRequired: "client-certificate-required"
            case .tlsSettingsUnderWrongKey: "tls-settings-under-wrong-key"
            case .tlsHandshakeFailed: "tls-handshake-failed"
            case .tlsFilesUnusable: "tls-files-unusable"
            case .noCredentials: "no-credentials"
            case .wrongCredentials: "wrong-credentials"
            case .credentialsUnderWrongKey: "credentials-under-wrong-key"
            case .accessDenied: "access-denied"
            case .imageNotOnMirror: "image-not-on-mirror"
            case .rewriteToMissingRepository: "rewrite-to-missing-repository"
            case .imageNotFound: "image-not-found"
            case .mirrorNotApplied: "mirror-not-applied"
            case .noEndpoint: "no-endpoint"
            case .hostsFileIgnored: "hosts-file-ignored"
            case .registryError: "registry-error"
            case .unexpected: "unexpected"
            }
        }
    }

    public let code: Code
    /// The cause in one sentence.
    public let summary: String
    /// The facts it rests on.
    public let evidence: [String]
    /// Which attempt it concerns (1-based), if one.
    public let attempt: Int?

    public init(_ code: Code, _ summary: String, evidence: [String] = [], attempt: Int? = nil) {
        self.code = code
        self.summary = summary
        self.evidence = evidence
        self.attempt = attempt
    }
}
