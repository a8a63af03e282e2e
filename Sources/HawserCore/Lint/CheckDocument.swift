import Foundation

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

    /// `fatal`: what stopped the reading (no findings then); `errors`: values K3s would
    /// refuse, all of them, beside the findings of the rest of the file.
    public init(file: String, findings: [Finding], fatal: ConfigError? = nil, errors refused: [ConfigError] = []) {
        self.file = file
        var items = findings.map {
            Item(code: $0.code.rawValue, slug: $0.code.slug, severity: $0.severity.rawValue, file: $0.location?.file,
                 line: $0.location?.line, column: $0.location?.column, message: $0.message, consequence: $0.consequence, fix: $0.fix)
        }
        for error in refused {
            items.append(Item(code: error.code.rawValue, slug: error.code.rawValue, severity: "error", file: error.location?.file ?? file,
                              line: error.location?.line, column: error.location?.column, message: error.message,
                              consequence: Self.consequence(of: error, file: file), fix: error.fix))
        }
        if let fatal {
            items.append(Item(code: fatal.code.rawValue, slug: fatal.code.rawValue, severity: "error", file: fatal.location?.file ?? file,
                              line: fatal.location?.line, column: fatal.location?.column, message: fatal.message,
                              consequence: Self.consequence(of: fatal, file: file), fix: fatal.fix))
        }
        self.findings = items
        errors = items.filter { $0.severity == "error" }.count
        warnings = items.filter { $0.severity == "warning" }.count
        exitStatus = errors > 0 ? 2 : warnings > 0 ? 1 : 0
    }

    /// What the problem means on the node: a file that is not there is no error
    /// to K3s (it runs with containerd's defaults); one it cannot parse stops it.
    static func consequence(of fatal: ConfigError, file: String) -> String {
        if fatal.code == .unreadable && !FileManager.default.fileExists(atPath: file) {
            return "if this is the path K3s reads, K3s starts without a registries.yaml: no mirrors, no credentials, containerd's defaults for every registry"
        }
        if fatal.code == .unreadable {
            return "K3s cannot read it either and would not start"
        }
        return "K3s would refuse to start with this file"
    }
}
