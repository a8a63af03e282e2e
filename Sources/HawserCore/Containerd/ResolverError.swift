/// What containerd's resolver ends one host's attempt with, before it is worded:
/// the wording (and so the rank it gets) depends on the version.
public enum ResolverError: Sendable, Hashable, Codable {
    /// The HTTP request itself failed, a Go url.Error: `failed to do request: Head "URL": DETAIL`.
    case request(url: String, detail: String)
    /// The server's certificate was refused: `x509` is Go's x509 text ("x509: certificate
    /// signed by unknown authority"); Go 1.20 and later put "tls: failed to verify
    /// certificate: " before it.
    case certificate(url: String, x509: String)
    /// A status above 399 other than 404. `host` is host:port as in the URL, `path`
    /// the API path after the repository (["manifests", "v1"]).
    case status(url: String, host: String, path: [String], code: Int)
    /// 401 with a Basic challenge and no credentials for the host.
    case basicWithoutCredentials(url: String, host: String, path: [String])
    /// 401 with a Bearer challenge whose error is insufficient_scope.
    case insufficientScope
    /// 404 on every path: "REFERENCE: not found".
    case notFound(reference: String)
    /// Anything else, word for word.
    case literal(String)

    /// A status error for a request URL: host and API path read from it
    /// (`https://h:5000/v2/library/app/manifests/v1?ns=…` → h:5000, [manifests, v1]).
    public static func status(url: String, code: Int) -> ResolverError {
        let (host, path) = parts(of: url)
        return .status(url: url, host: host, path: path, code: code)
    }

    public static func basicWithoutCredentials(url: String) -> ResolverError {
        let (host, path) = parts(of: url)
        return .basicWithoutCredentials(url: url, host: host, path: path)
    }

    static func parts(of url: String) -> (host: String, path: [String]) {
        let afterScheme = url.range(of: "://").map { url[$0.upperBound...] } ?? Substring(url)
        let host = afterScheme.prefix { $0 != "/" }
        let path = afterScheme.dropFirst(host.count).prefix { $0 != "?" }.split(separator: "/").suffix(2).map(String.init)
        return (String(host), path)
    }

    /// containerd's text for this error.
    public func text(for containerd: Containerd) -> String {
        switch self {
        case .request(let url, let detail):
            return "failed to do request: Head \"\(url)\": \(detail)"
        case .certificate(let url, let x509):
            let prefix = containerd.has(.goTLSVerifyPrefix) ? "tls: failed to verify certificate: " : ""
            return "failed to do request: Head \"\(url)\": " + prefix + x509
        case .status(let url, let host, let path, let code):
            return Self.statusText(url: url, host: host, path: path, code: code, containerd: containerd)
        case .basicWithoutCredentials(let url, let host, let path):
            guard containerd.has(.basicAuthWithoutCredentialsFails) else {
                return Self.statusText(url: url, host: host, path: path, code: 401, containerd: containerd)
            }
            return "pull access denied, repository does not exist or may require authorization: authorization failed: no basic auth credentials"
        case .insufficientScope:
            return "pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed"
        case .notFound(let reference):
            return "\(reference): not found"
        case .literal(let text):
            return text
        }
    }

    /// Resolve's firstErrPriority in 2.x: 3 for a status error, 2 for "not found",
    /// 1 for an error the request returned (transport, TLS, authorization).
    public func priority(for containerd: Containerd) -> Int {
        switch self {
        case .notFound: return 2
        case .status: return 3
        case .basicWithoutCredentials: return containerd.has(.basicAuthWithoutCredentialsFails) ? 1 : 3
        case .request, .certificate, .insufficientScope: return 1
        case .literal(let text): return text.hasPrefix("unexpected status from ") ? 3 : 1
        }
    }

    public var isNotFound: Bool { if case .notFound = self { true } else { false } }

    /// "unexpected status from HEAD request to URL: 403 Forbidden"; before 1.6.25 and
    /// 1.7.0: "pulling from host HOST failed with status code [manifests v1]: 403 Forbidden".
    static func statusText(url: String, host: String, path: [String], code: Int, containerd: Containerd) -> String {
        if containerd.has(.unexpectedStatusWording) {
            return "unexpected status from HEAD request to \(url): \(GoStatus.line(code))"
        }
        return "pulling from host \(host) failed with status code [\(path.joined(separator: " "))]: \(GoStatus.line(code))"
    }
}
