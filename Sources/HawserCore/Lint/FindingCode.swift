/// Stable codes for every finding. Never renumber or rename: scripts match on them.
/// Documented in docs/codes.md.
public enum FindingCode: String, Sendable, Hashable, Codable, CaseIterable {
    // Loader: what K3s would silently ignore or refuse.
    case unknownKey = "HW001"
    case duplicateKey = "HW002"
    case emptyValue = "HW003"
    // Endpoints and mirrors.
    case invalidEndpoint = "HW101"
    case duplicateEndpoint = "HW102"
    case defaultEndpointNotLast = "HW103"
    case mirrorKeyPortMismatch = "HW104"
    case httpMirrorHiddenByHTTPSDefault = "HW105"
    case invalidMirrorKey = "HW106"
    case wildcardNoEndpoints = "HW107"
    // TLS.
    case skipVerifyOnHTTP = "HW201"
    case tlsFilesIncomplete = "HW202"
    case httpsFirstFallback = "HW203"
    case tlsOnPlainHTTPHost = "HW204"
    // configs and credentials.
    case configNeverContacted = "HW301"
    case credentialsOverHTTP = "HW302"
    case wildcardAuthUnused = "HW303"
    case wildcardConfigIgnored = "HW304"
    case authIncomplete = "HW305"
    case wildcardConfigBlocksDefault = "HW306"
    // Rewrites.
    case rewriteNotRE2 = "HW401"
    case rewriteBreaksToml = "HW402"
    case rewriteOnDefaultOnly = "HW403"

    public var defaultSeverity: Finding.Severity {
        switch self {
        case .invalidEndpoint, .invalidMirrorKey, .rewriteNotRE2, .rewriteBreaksToml, .tlsFilesIncomplete:
            return .error
        case .emptyValue, .wildcardNoEndpoints, .httpsFirstFallback:
            return .info
        default:
            return .warning
        }
    }

    /// Short slug, for people and JSON (`unknown-key`).
    public var slug: String {
        switch self {
        case .unknownKey: "unknown-key"
        case .duplicateKey: "duplicate-key"
        case .emptyValue: "empty-value"
        case .invalidEndpoint: "invalid-endpoint"
        case .duplicateEndpoint: "duplicate-endpoint"
        case .defaultEndpointNotLast: "default-endpoint-not-last"
        case .mirrorKeyPortMismatch: "mirror-key-port"
        case .httpMirrorHiddenByHTTPSDefault: "http-mirror-hidden-by-https-default"
        case .invalidMirrorKey: "invalid-mirror-key"
        case .wildcardNoEndpoints: "wildcard-no-endpoints"
        case .skipVerifyOnHTTP: "skip-verify-on-http"
        case .tlsFilesIncomplete: "tls-files-incomplete"
        case .httpsFirstFallback: "https-first-fallback"
        case .tlsOnPlainHTTPHost: "tls-on-plain-http"
        case .configNeverContacted: "config-never-contacted"
        case .credentialsOverHTTP: "credentials-over-http"
        case .wildcardAuthUnused: "wildcard-auth-unused"
        case .wildcardConfigIgnored: "wildcard-config-ignored"
        case .authIncomplete: "auth-incomplete"
        case .wildcardConfigBlocksDefault: "wildcard-config-no-server"
        case .rewriteNotRE2: "rewrite-not-re2"
        case .rewriteBreaksToml: "rewrite-breaks-toml"
        case .rewriteOnDefaultOnly: "rewrite-never-applied"
        }
    }
}
