/// One image of a sync list, with its options.
public struct SyncEntry: Sendable, Hashable {
    public let image: ImageReference
    /// Platforms to keep from an index (empty: all of them).
    public let platforms: [Platform]
    /// The name at the destination (`repository[:tag]`, under `--to`'s prefix)
    /// instead of the source's repository and tag.
    public let target: String?
    /// 1-based line of the list where the image is written.
    public let line: Int

    public init(image: ImageReference, platforms: [Platform], target: String?, line: Int) {
        self.image = image
        self.platforms = platforms
        self.target = target
        self.line = line
    }
}
