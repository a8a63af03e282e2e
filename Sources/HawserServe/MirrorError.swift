import Foundation

/// A refusal the mirror sends to its client: an HTTP status and a body in the
/// distribution spec's error format (`{"errors":[{"code":…,"message":…}]}`), so
/// containerd, skopeo and hawser show the message instead of a bare status.
public struct MirrorError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The spec's error codes this mirror uses (distribution spec, "Error Codes").
    public enum Code: String, Sendable, Codable {
        case nameInvalid = "NAME_INVALID"
        case nameUnknown = "NAME_UNKNOWN"
        case manifestUnknown = "MANIFEST_UNKNOWN"
        case manifestInvalid = "MANIFEST_INVALID"
        case blobUnknown = "BLOB_UNKNOWN"
        case digestInvalid = "DIGEST_INVALID"
        case unauthorized = "UNAUTHORIZED"
        case denied = "DENIED"
        case unsupported = "UNSUPPORTED"
        case sizeInvalid = "SIZE_INVALID"
        case rangeInvalid = "RANGE_INVALID"
        case unknown = "UNKNOWN"
    }

    public let status: Int
    public let code: Code
    public let message: String

    public init(status: Int, _ code: Code, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    public var description: String { "\(status) \(code.rawValue): \(message)" }

    /// The response body.
    public var body: [UInt8] {
        struct Body: Encodable {
            struct Entry: Encodable { let code: String; let message: String }
            let errors: [Entry]
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(Body(errors: [.init(code: code.rawValue, message: message)]))) ?? Data(#"{"errors":[]}"#.utf8)
        return [UInt8](data)
    }
}
