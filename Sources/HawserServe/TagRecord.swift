import Foundation
import HawserCore

/// What a tag pointed to when it was last fetched from upstream. Tags move, so a
/// record is fresh only for the tag TTL; digests never move, so what a record
/// names stays valid and is served stale when upstream cannot be reached.
public struct TagRecord: Sendable, Hashable, Codable {
    public let image: String
    public let digest: Digest
    public let mediaType: String
    public let size: Int64
    /// Seconds since 1970 when upstream last answered for this tag.
    public let fetched: Double

    public init(image: String, digest: Digest, mediaType: String, size: Int64, fetched: Date) {
        self.image = image
        self.digest = digest
        self.mediaType = mediaType
        self.size = size
        self.fetched = fetched.timeIntervalSince1970
    }

    public func age(at now: Date) -> Duration {
        .milliseconds(Int64(max(0, now.timeIntervalSince1970 - fetched) * 1000))
    }
}
