/// One side of a transfer, as messages name it: which side, what kind of place,
/// and where ("destination registry 127.0.0.1:5000 (repository team/app)").
public struct TransferPlace: Sendable, Hashable, CustomStringConvertible {
    public enum Side: String, Sendable, Hashable, Codable {
        case source
        case destination
    }

    public enum Kind: String, Sendable, Hashable, Codable {
        case registry
        case layout
        case store
    }

    public let side: Side
    public let kind: Kind
    /// The host (`host[:port]`) of a registry, the folder of a layout or store.
    public let location: String
    /// The repository, for a registry.
    public let repository: String?

    public init(side: Side, kind: Kind, location: String, repository: String? = nil) {
        self.side = side
        self.kind = kind
        self.location = location
        self.repository = repository
    }

    public var description: String {
        let what = kind == .registry ? "registry" : (kind == .layout ? "OCI layout" : "mirror store")
        return "\(side.rawValue) \(what) \(location)" + (repository.map { " (repository \($0))" } ?? "")
    }
}
