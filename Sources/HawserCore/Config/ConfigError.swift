/// A registries.yaml or hosts.toml that cannot be used, with where and what to do.
public struct ConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Codable {
        case unreadable = "config.unreadable"
        case syntax = "config.syntax"
        case wrongType = "config.type"
        case unquotedWildcard = "config.unquoted-wildcard"
        case tooLarge = "config.too-large"
        case tooDeep = "config.too-deep"
        case invalidHostsToml = "hosts.syntax"
        case hostsWrongType = "hosts.type"
        case hostsTooLarge = "hosts.too-large"
        case invalidArgument = "config.argument"
        case outputNotCertsDirectory = "render.not-certs-d"
        /// An image list for `hawser sync` with a line that is not an image (or a bad option).
        case invalidImageList = "sync.image-list"
    }

    public let code: Code
    public let location: SourceLocation?
    /// What is wrong.
    public let message: String
    /// What to do about it.
    public let fix: String?

    public init(_ code: Code, at location: SourceLocation?, _ message: String, fix: String? = nil) {
        self.code = code
        self.location = location
        self.message = message
        self.fix = fix
    }

    public var description: String {
        var text = location.map { "\($0): " } ?? ""
        text += "error: \(message) [\(code.rawValue)]"
        if let fix { text += "\n  fix: \(fix)" }
        return text
    }
}
