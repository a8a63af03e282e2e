/// A local failure of the OCI layout: a file that cannot be written or read,
/// a layout that is not one, a name that is not in it.
public struct StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Codable {
        case io = "store.io"
        case notALayout = "store.not-a-layout"
        case referenceNotFound = "store.reference-not-found"
        case ambiguousReference = "store.reference-ambiguous"
        case blobMissing = "store.blob-missing"
        case invalidIndex = "store.index-invalid"
        /// `--output` (or a layout path) names a file, or lies under one.
        case notADirectory = "store.not-a-directory"
        /// Another process held the layout's lock past the timeout.
        case locked = "store.locked"
        /// A blob that is not a regular file (a symlink, a folder…).
        case notARegularFile = "store.not-a-regular-file"
    }

    public let code: Code
    public let path: String
    public let reason: String

    public init(_ code: Code, path: String, reason: String) {
        self.code = code
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(reason) [\(code.rawValue)]" }
}
