import HawserCore

public struct PullOptions: Sendable {
    /// The platform chosen from an index (default: this machine's).
    public var platform: Platform
    /// Blobs downloaded at once. Eight: with many small layers a pull is bound by
    /// the registry's per-request latency, which more requests in flight hide
    /// (docs/benchmarks.md); big layers gain nothing past the CPU count.
    public var concurrency: Int
    /// The name recorded in index.json (`org.opencontainers.image.ref.name`);
    /// default: the reference's tag (none for a digest-only reference).
    public var referenceName: String?
    /// Re-hash blobs the layout already holds with the right size, and replace
    /// those whose bytes are wrong (normally only the size is checked).
    public var verifyExisting: Bool
    /// A blob download that brings fewer than `StallWatchdog.minimumBytes` in
    /// this long fails (nil: only the client's read timeout applies).
    public var stallTimeout: Duration?

    public static let defaultStallTimeout: Duration = .seconds(30)

    public init(platform: Platform = .current, concurrency: Int = Self.defaultConcurrency, referenceName: String? = nil,
                verifyExisting: Bool = false, stallTimeout: Duration? = Self.defaultStallTimeout) {
        self.stallTimeout = stallTimeout
        self.platform = platform
        self.concurrency = max(1, concurrency)
        self.referenceName = referenceName
        self.verifyExisting = verifyExisting
    }

    public static let defaultConcurrency = 8
}
