/// The edit that fixes the root cause, as an edit to the user's registries.yaml.
public struct Fix: Sendable, Hashable, Codable {
    /// What to do, in one sentence.
    public let summary: String
    /// The key to change or add, as a path (`configs."harbor.example.com:80".tls.ca_file`).
    public let key: String?
    /// Where it is now (or where the section it belongs in starts), when known.
    public let file: String?
    public let line: Int?
    /// YAML to write.
    public let write: String?

    public init(_ summary: String, key: String? = nil, file: String? = nil, line: Int? = nil, write: String? = nil) {
        self.summary = summary
        self.key = key
        self.file = file
        self.line = line
        self.write = write
    }
}
