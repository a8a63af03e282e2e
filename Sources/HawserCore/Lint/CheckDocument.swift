/// The stable JSON form of `hawser check --json`, schema `hawser.check/v1`.
public struct CheckDocument: Codable, Sendable, Hashable {
    public struct Item: Codable, Sendable, Hashable {
        /// HW### for findings, config.* for errors that stop reading the file.
        public let code: String
        public let slug: String
        public let severity: String
        public let file: String?
        public let line: Int?
        public let column: Int?
        public let message: String
        public let consequence: String?
        public let fix: String?
    }

    public var schema = "hawser.check/v1"
    public let file: String
    public let findings: [Item]
    public let errors: Int
    public let warnings: Int
    /// 0 clean, 1 warnings only, 2 errors.
    public let exitStatus: Int32

    public init(file: String, findings: [Finding], fatal: ConfigError? = nil) {
        self.file = file
        var items = findings.map {
            Item(code: $0.code.rawValue, slug: $0.code.slug, severity: $0.severity.rawValue, file: $0.location?.file,
                 line: $0.location?.line, column: $0.location?.column, message: $0.message, consequence: $0.consequence, fix: $0.fix)
        }
        if let fatal {
            items.append(Item(code: fatal.code.rawValue, slug: fatal.code.rawValue, severity: "error", file: fatal.location?.file ?? file,
                              line: fatal.location?.line, column: fatal.location?.column, message: fatal.message,
                              consequence: "K3s would refuse to start with this file", fix: fatal.fix))
        }
        self.findings = items
        errors = items.filter { $0.severity == "error" }.count
        warnings = items.filter { $0.severity == "warning" }.count
        exitStatus = errors > 0 ? 2 : warnings > 0 ? 1 : 0
    }
}
