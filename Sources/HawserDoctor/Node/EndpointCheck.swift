import HawserCore

/// The live verdict on one endpoint of the node's configuration: every step
/// the doctor checks short of an image (name, TCP, TLS, protocol, `/v2/`,
/// authentication), and the root cause when it fails.
public struct EndpointCheck: Sendable, Codable {
    /// The registry whose hosts.toml names it ("docker.io", "harbor.example.com:80").
    public let registry: String
    public let endpoint: String
    public let transport: String
    /// "mirror" or "server".
    public let role: String
    public let credentialsKey: String?
    public let healthy: Bool
    public let checks: [Check]
    /// Why it fails (nil when healthy), with the doctor's codes (docs/codes.md).
    public let rootCause: DoctorDocument.RootCauseDocument?
    public let fix: Fix?
}
