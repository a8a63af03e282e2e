import Foundation
import HawserCore

/// What a request asks the mirror for, decided from its method, path and `?ns=`
/// before anything touches the store or an upstream. Every name in it has passed
/// docker's reference grammar, so none can climb out of a folder (`..`, `%2e`,
/// empty components and upper case are all refused there).
public enum MirrorRoute: Sendable, Hashable {
    /// `GET`/`HEAD /v2/`: the API version check.
    case base
    /// `GET /metrics`: Prometheus text.
    case metrics
    /// A manifest by tag or digest, of `image` (registry from `ns` or the path).
    case manifest(ImageReference)
    /// A blob of `repository` (on `registry`), by digest.
    case blob(MirrorRepository, Digest)

    /// The label requests are counted under in /metrics (no names: bounded cardinality).
    public var label: String {
        switch self {
        case .base: "base"
        case .metrics: "metrics"
        case .manifest: "manifest"
        case .blob: "blob"
        }
    }

    /// The route of a request, or the refusal to send (400, 404, 405).
    /// - Parameters:
    ///   - path: the request path without the query, as sent (not percent-decoded).
    ///   - query: the query string, if any.
    public static func parse(method: String, path: String, query: String?) throws(MirrorError) -> MirrorRoute {
        if path == "/metrics" {
            guard method == "GET" || method == "HEAD" else { throw readOnly(method) }
            return .metrics
        }
        guard path == "/v2" || path.hasPrefix("/v2/") else {
            throw MirrorError(status: 404, .unsupported, "this mirror serves the distribution API under /v2/ (and /metrics) only")
        }
        // One slash after /v2: an empty first component (/v2//x) is a name error below.
        let rest = path.dropFirst(3).dropFirst(path.count > 3 ? 1 : 0)
        if rest.isEmpty {
            guard method == "GET" || method == "HEAD" else { throw readOnly(method) }
            return .base
        }
        let components = rest.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        // Uploads (POST/PATCH/PUT …/blobs/uploads/…) and manifest PUT/DELETE: refused before their names are read.
        if let blobs = components.lastIndex(of: "blobs"), blobs + 1 < components.count, components[blobs + 1] == "uploads" {
            throw readOnly(method == "GET" || method == "HEAD" ? "POST" : method)
        }
        guard method == "GET" || method == "HEAD" else { throw readOnly(method) }
        guard components.count >= 3 else {
            throw MirrorError(status: 404, .unsupported, "this mirror serves /v2/<name>/manifests/<reference> and /v2/<name>/blobs/<digest> only")
        }
        let kind = components[components.count - 2]
        let reference = components[components.count - 1]
        let name = components.dropLast(2).joined(separator: "/")
        let namespace = try Self.namespace(in: query)
        let repository = try MirrorRepository.select(name: name, namespace: namespace)
        switch kind {
        case "manifests":
            let separator = reference.contains(":") ? "@" : ":"
            let image: ImageReference
            do {
                image = try ImageReference(parsing: "\(repository.registry)/\(repository.repository)\(separator)\(reference)")
            } catch {
                let code: MirrorError.Code = separator == "@" ? .digestInvalid : .manifestInvalid
                throw MirrorError(status: 400, code, "'\(reference)' is neither a valid tag nor a valid digest: \(error.reason)")
            }
            return .manifest(image)
        case "blobs":
            do {
                return .blob(repository, try Digest(parsing: reference))
            } catch {
                throw MirrorError(status: 400, .digestInvalid, "'\(reference)' is not a valid digest: \(error.reason)")
            }
        default:
            throw MirrorError(status: 404, .unsupported, "this mirror serves manifests and blobs only (not '\(kind)')")
        }
    }

    static func readOnly(_ method: String) -> MirrorError {
        MirrorError(status: 405, .unsupported, "this mirror is read-only: \(method) is not allowed (push to the upstream registry itself)")
    }

    /// The `ns` parameter, percent-decoded; nil when absent. Given twice is refused
    /// (which one would an upstream be chosen by?).
    static func namespace(in query: String?) throws(MirrorError) -> String? {
        guard let query, !query.isEmpty else { return nil }
        var found: String?
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.first == "ns" else { continue }
            guard found == nil else {
                throw MirrorError(status: 400, .nameInvalid, "the ns parameter is given more than once")
            }
            let raw = parts.count > 1 ? String(parts[1]) : ""
            guard let decoded = raw.replacingOccurrences(of: "+", with: " ").removingPercentEncoding else {
                throw MirrorError(status: 400, .nameInvalid, "the ns parameter is not valid percent-encoding")
            }
            found = decoded
        }
        return found
    }
}
