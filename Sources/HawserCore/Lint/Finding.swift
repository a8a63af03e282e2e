/// Something `hawser check` (or the loader) has to say about a configuration:
/// a stable code, where, what K3s/containerd will really do, and the fix.
public struct Finding: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable, Codable, Comparable {
        case info
        case warning
        case error

        private var rank: Int { self == .info ? 0 : self == .warning ? 1 : 2 }
        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
    }

    public let code: FindingCode
    public let severity: Severity
    public let location: SourceLocation?
    /// The mistake, in one sentence.
    public let message: String
    /// What K3s/containerd will actually do because of it.
    public let consequence: String?
    /// The edit that fixes it.
    public let fix: String?

    public init(_ code: FindingCode, _ severity: Severity? = nil, at location: SourceLocation?, _ message: String,
                consequence: String? = nil, fix: String? = nil) {
        self.code = code
        self.severity = severity ?? code.defaultSeverity
        self.location = location
        self.message = message
        self.consequence = consequence
        self.fix = fix
    }

    public var description: String {
        var text = location.map { "\($0): " } ?? ""
        text += "\(severity.rawValue): \(message) [\(code.rawValue)]"
        if let consequence { text += "\n  what happens: \(consequence)" }
        if let fix { text += "\n  fix: \(fix)" }
        return text
    }
}
