/// One step of probing an attempt, in the order they run.
public struct Check: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case nameResolution = "dns"
        case tcpConnect = "tcp"
        case tlsHandshake = "tls"
        case protocolMatch = "protocol"
        case ping
        case authentication = "auth"
        case manifest
    }

    public enum Status: String, Sendable, Hashable, Codable {
        case passed
        case failed
        case warning
        case skipped
    }

    public let kind: Kind
    public let status: Status
    /// One line for people.
    public let summary: String
    /// What was seen (addresses, certificate names, status lines, challenge).
    public let evidence: [String]

    public init(_ kind: Kind, _ status: Status, _ summary: String, evidence: [String] = []) {
        self.kind = kind
        self.status = status
        self.summary = summary
        self.evidence = evidence
    }
}
