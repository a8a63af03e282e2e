import HawserCore
import HawserRegistry

/// What became of one image of a sync.
public struct SyncOutcome: Sendable {
    public enum Status: Sendable {
        case copied(CopyResult)
        /// The destination already held this digest under the name.
        case skipped(Digest)
        case failed(any Error)
    }

    public let mapping: SyncMapping
    public let status: Status

    public init(mapping: SyncMapping, status: Status) {
        self.mapping = mapping
        self.status = status
    }

    public var failed: Bool {
        if case .failed = status { return true }
        return false
    }
}
