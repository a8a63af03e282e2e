/// A content digest such as `sha256:3f0a…`, validated at construction.
///
/// Only the algorithms the OCI image spec registers are accepted (sha256, sha512),
/// with their exact lower-case hex lengths, so a `Digest` can be used as a file name
/// in a blob store without further checks.
public struct Digest: Sendable, Hashable, Codable, CustomStringConvertible, Comparable {
    public enum Algorithm: String, Sendable, Hashable, Codable, CaseIterable {
        case sha256
        case sha512

        /// Number of hex characters of an encoded digest of this algorithm.
        public var hexLength: Int {
            switch self {
            case .sha256: 64
            case .sha512: 128
            }
        }
    }

    public let algorithm: Algorithm
    /// Lower-case hex encoding of the digest bytes.
    public let encoded: String

    public init(algorithm: Algorithm, encoded: String) throws(ReferenceError) {
        guard encoded.utf8.count == algorithm.hexLength else {
            throw ReferenceError(
                .invalidDigest, input: "\(algorithm.rawValue):\(encoded)",
                reason: "a \(algorithm.rawValue) digest has \(algorithm.hexLength) hex characters, this one has \(encoded.utf8.count)")
        }
        if let offset = encoded.utf8.firstIndex(where: { !Self.isLowerHex($0) }) {
            let position = encoded.utf8.distance(from: encoded.utf8.startIndex, to: offset)
            throw ReferenceError(
                .invalidDigest, input: "\(algorithm.rawValue):\(encoded)",
                reason: "character \(position + algorithm.rawValue.count + 2) is not a lower-case hex digit")
        }
        self.algorithm = algorithm
        self.encoded = encoded
    }

    /// Parses `algorithm:hex`.
    public init(parsing string: String) throws(ReferenceError) {
        guard let colon = string.firstIndex(of: ":") else {
            throw ReferenceError(.invalidDigest, input: string, reason: "a digest is written algorithm:hex, e.g. sha256:<64 hex characters>")
        }
        let name = String(string[..<colon])
        guard let algorithm = Algorithm(rawValue: name) else {
            throw ReferenceError(.invalidDigest, input: string, reason: "unsupported digest algorithm '\(name)' (sha256 and sha512 are supported)")
        }
        try self.init(algorithm: algorithm, encoded: String(string[string.index(after: colon)...]))
    }

    public var description: String { "\(algorithm.rawValue):\(encoded)" }

    public static func < (lhs: Digest, rhs: Digest) -> Bool { lhs.description < rhs.description }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let string = try container.decode(String.self)
        do {
            try self.init(parsing: string)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    private static func isLowerHex(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x66)
    }
}
