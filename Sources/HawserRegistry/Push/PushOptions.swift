public struct PushOptions: Sendable {
    /// Blobs uploaded at once.
    public var concurrency: Int
    /// Upload in PATCH chunks of this size instead of one PUT (nil: monolithic).
    public var chunkSize: Int64?

    public init(concurrency: Int = 4, chunkSize: Int64? = nil) {
        self.concurrency = max(1, concurrency)
        self.chunkSize = chunkSize
    }
}
