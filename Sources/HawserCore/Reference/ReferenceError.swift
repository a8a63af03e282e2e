/// Why an image reference, digest or platform string was refused.
public struct ReferenceError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable, Codable {
        case empty = "reference.empty"
        case invalidDigest = "reference.digest"
        case invalidTag = "reference.tag"
        case invalidRepository = "reference.repository"
        case invalidRegistry = "reference.registry"
        case uppercaseRepository = "reference.uppercase"
        case nameTooLong = "reference.too-long"
        case invalidPlatform = "reference.platform"
    }

    public let code: Code
    /// The text that was refused, as given.
    public let input: String
    /// What is wrong, in words a user can act on.
    public let reason: String

    public init(_ code: Code, input: String, reason: String) {
        self.code = code
        self.input = input
        self.reason = reason
    }

    public var description: String { "invalid reference '\(input)': \(reason) [\(code.rawValue)]" }
}
