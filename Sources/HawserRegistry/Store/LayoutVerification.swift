/// What `hawser layout verify` found: every blob hashed, every index.json entry
/// followed to the blobs it needs, and the leftovers of killed processes.
public struct LayoutVerification: Sendable {
    public struct Problem: Sendable, Hashable {
        public enum Kind: String, Sendable, Codable {
            /// A blob whose bytes do not hash to its name.
            case corruptBlob = "corrupt-blob"
            /// A symlink, folder or device where a blob should be.
            case notARegularFile = "not-a-regular-file"
            /// A file under blobs/ whose name is not a digest.
            case strayFile = "stray-file"
            /// An index.json entry needs a blob that is missing (or was removed as corrupt).
            case missingBlob = "missing-blob"
            /// A blob whose size differs from what its descriptor states.
            case wrongSize = "wrong-size"
            /// A manifest or index that does not decode.
            case unreadableManifest = "unreadable-manifest"
            /// A partial download or index temporary of a process that is gone.
            case leftover
        }

        public let kind: Kind
        public let path: String
        public let detail: String
        /// Removed by `--repair`.
        public var repaired = false
    }

    public var blobsChecked = 0
    public var bytesHashed: Int64 = 0
    public var entriesChecked = 0
    public var problems: [Problem] = []

    /// Nothing wrong is left (problems found were all repaired).
    public var isClean: Bool { problems.allSatisfy(\.repaired) }
}
