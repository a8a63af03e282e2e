import HawserCore

/// A repository on an upstream registry, as a mirror request names it: the
/// registry from `?ns=` (what containerd adds to every mirror request), or from
/// the path's first element for clients that send no `ns`.
public struct MirrorRepository: Sendable, Hashable, CustomStringConvertible {
    public let registry: String
    public let repository: String

    public var description: String { "\(registry)/\(repository)" }

    /// A reference to `digest` in this repository (what plans are made for).
    public func reference(_ digest: Digest) -> ImageReference {
        ImageReference(registry: registry, repository: repository, tag: nil, digest: digest)
    }

    /// Validates `name` (the path between /v2/ and /manifests or /blobs) and the
    /// upstream it belongs to.
    static func select(name: String, namespace: String?) throws(MirrorError) -> MirrorRepository {
        guard !name.isEmpty else { throw MirrorError(status: 400, .nameInvalid, "the repository name is empty") }
        let registry: String
        let path: String
        if let namespace {
            guard Self.namesRegistry(namespace) else {
                throw MirrorError(status: 400, .nameInvalid,
                                  "ns=\(namespace.isEmpty ? "(empty)" : "'\(namespace)'") is not a registry host name (a registry has a dot or a port, or is localhost)")
            }
            registry = namespace
            path = name
        } else {
            let parts = name.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, Self.namesRegistry(String(parts[0])) else {
                throw MirrorError(status: 400, .nameInvalid,
                                  "no ns parameter, and the path does not start with a registry (send ?ns=docker.io, or ask for /v2/docker.io/\(name)/…)")
            }
            registry = String(parts[0])
            path = String(parts[1])
        }
        let image: ImageReference
        do {
            image = try ImageReference(parsing: "\(registry)/\(path)")
        } catch {
            throw MirrorError(status: 400, .nameInvalid, "'\(path)' on \(registry) is not a valid repository: \(error.reason)")
        }
        // The grammar normalises (docker.io/nginx is docker.io/library/nginx); it must not
        // have read the name differently (a tag or digest smuggled into the name).
        guard image.tag == ImageReference.defaultTag, image.digest == nil,
              image.repository == path || image.repository == "library/" + path else {
            throw MirrorError(status: 400, .nameInvalid, "'\(path)' is not a repository name")
        }
        return MirrorRepository(registry: image.registry, repository: image.repository)
    }

    /// docker's rule for a first path element that names a registry: it has a dot or a
    /// colon, or is localhost; and it is a valid host[:port] (checked by the parser).
    static func namesRegistry(_ text: String) -> Bool {
        guard !text.isEmpty, text.count <= 255, !text.contains("/") else { return false }
        guard text.contains(".") || text.contains(":") || text == "localhost" else { return false }
        return (try? ImageReference(parsing: "\(text)/probe")).map { $0.registry == text || text == "index.docker.io" } ?? false
    }
}
