import HawserCore

/// Content that is not what it claims to be: wrong digest or size, an
/// undecodable or unsupported manifest, no manifest for the platform.
public struct ContentError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Codable {
        case digestMismatch = "content.digest-mismatch"
        case sizeMismatch = "content.size-mismatch"
        case invalidManifest = "content.manifest-invalid"
        case unsupportedMediaType = "content.media-type"
        case platformNotFound = "content.platform-not-found"
        case unsupportedDigest = "content.digest-algorithm"
        /// A descriptor size below zero, or sizes whose sum passes Int64.max.
        case invalidSize = "content.size-invalid"
        /// An index whose entry for the platform is itself an index.
        case nestedIndex = "content.nested-index"
    }

    public let code: Code
    /// The digest the content was expected to have, when known.
    public let digest: Digest?
    public let reason: String

    public init(_ code: Code, digest: Digest?, reason: String) {
        self.code = code
        self.digest = digest
        self.reason = reason
    }

    public var description: String { "\(reason) [\(code.rawValue)]" }
}
