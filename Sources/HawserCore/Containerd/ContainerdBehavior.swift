/// Every containerd behaviour that Hawser's answers depend on and that is not
/// the same in every version or build, with where it holds and where it was
/// read. Nothing else in Hawser compares versions: code asks
/// `containerd.has(.someBehavior)` (docs/semantics.md §7 is this table).
public enum ContainerdBehavior: String, Sendable, Hashable, CaseIterable, Codable {
    /// An `http://` host with explicit TLS settings (ca, client, skip_verify) is tried
    /// over HTTPS first and falls back to plain HTTP when the server answers the
    /// handshake in plain HTTP. Before: plain HTTP straight away.
    case httpsFirstForHTTPHostWithTLS = "https-first-for-http-host-with-tls"
    /// 1.7.7 alone applied that to every port, 80 and none included; later
    /// releases limited it (see the two below).
    case httpsFirstOnAnyPort = "https-first-on-any-port"
    /// A host without a port gets the HTTPS-first fallback too: HTTPS on 443, then
    /// HTTP on 80 when 443 refuses or times out. 1.6 never did; 1.7.8–1.7.23 sent
    /// such a host straight to plain HTTP.
    case httpsFirstWithoutPort = "https-first-without-port"
    /// A TLS handshake timeout also falls back to HTTP.
    case httpFallbackAfterHandshakeTimeout = "http-fallback-after-handshake-timeout"
    /// Once a host fell back to HTTP, later requests to it go straight to HTTP.
    case httpFallbackSticky = "http-fallback-sticky"
    /// A hosts.toml without any `[host]` table fails to decode ("invalid `host`
    /// tree") and is ignored, `server` and all. K3s always writes `[host]`.
    case fileWithoutHostTableRejected = "file-without-host-table-rejected"
    /// `dial_timeout` in hosts.toml is read (earlier versions ignore the key).
    case dialTimeoutKey = "dial-timeout-key"
    /// The `referrers` capability is known; earlier versions reject it, which makes
    /// the whole hosts.toml undecodable (and so ignored).
    case referrersCapability = "referrers-capability"
    /// A 5xx is retried only on the last host; other hosts move on at once.
    case retries5xxOnlyOnLastHost = "retries-5xx-only-on-last-host"
    /// By digest, `/blobs/` is tried only after `/manifests/` answered 404 (before:
    /// `/manifests/` on every host, then `/blobs/` on every host, whatever failed).
    case blobsFallbackOnlyAfterManifest404 = "blobs-fallback-only-after-manifest-404"
    /// A registry that sends no response headers within 30 s fails the request.
    case responseHeaderTimeout = "response-header-timeout"
    /// A status error reads `unexpected status from HEAD request to URL: 403 Forbidden`;
    /// before: `pulling from host HOST failed with status code [manifests v1]: 403 Forbidden`.
    case unexpectedStatusWording = "unexpected-status-wording"
    /// A Basic challenge with no credentials for the host ends the request with
    /// `authorization failed: no basic auth credentials` ("pull access denied, …");
    /// before, the 401 stayed a status error.
    case basicAuthWithoutCredentialsFails = "basic-auth-without-credentials-fails"
    /// Release builds made with Go 1.20 or later: a refused certificate reads
    /// `tls: failed to verify certificate: x509: …` (Go 1.19: `x509: …` alone).
    /// containerd's release workflow moved to Go 1.20 in 1.6.24 and 1.7.0;
    /// Debian's 1.6.20 is built with Go 1.19.
    case goTLSVerifyPrefix = "go-tls-verify-prefix"
    /// Which error is reported when every host failed: an HTTP status above 399
    /// other than 404 beats "not found", which beats a transport error; the first
    /// of equals wins. Before: the first error that is not a 404.
    case errorRanking = "error-ranking"
    /// The CRI pulls through the transfer service by default, so kubelet and K3s show
    /// `failed to resolve image: …` instead of `failed to resolve reference "IMG": …`.
    /// Not when the CRI config has registry mirrors, configs or auths (among other
    /// settings): then it falls back to the local pull and the old wording.
    case criTransferServicePull = "cri-transfer-service-pull"
    /// The CRI redacts query parameters in URLs of transport errors:
    /// `?ns=%5BREDACTED%5D`. ctr shows them in clear.
    case criRedactsURLQuery = "cri-redacts-url-query"
    /// With no `server` line in hosts.toml the default host is still tried last,
    /// exactly as for `server = ""`. K3s's build skips it (K3s issues 8975, 9728:
    /// what --disable-default-registry-endpoint relies on).
    case defaultHostWithoutServerLine = "default-host-without-server-line"
    /// `[host."…".rewrite]` tables rewrite the repository (K3s's build only;
    /// upstream ignores the table).
    case rewrites = "rewrites"

    /// The versions in which it holds (for the builds in `builds`).
    public var versions: VersionRange {
        let v = { (major: Int, minor: Int, patch: Int) in ContainerdVersion(major, minor, patch) }
        switch self {
        case .httpsFirstForHTTPHostWithTLS: return VersionRange(since: [v(1, 6, 25), v(1, 7, 7)])
        case .httpsFirstOnAnyPort: return VersionRange(since: [v(1, 7, 7)], until: [v(1, 7, 7)])
        case .httpsFirstWithoutPort: return VersionRange(since: [v(1, 7, 24), v(2, 0, 0)])
        case .httpFallbackAfterHandshakeTimeout: return VersionRange(since: [v(1, 6, 32), v(1, 7, 16)])
        case .httpFallbackSticky: return VersionRange(since: [v(1, 7, 24), v(2, 0, 0)])
        case .fileWithoutHostTableRejected: return VersionRange(until: [v(1, 7, 31)])
        case .dialTimeoutKey: return VersionRange(since: [v(2, 0, 7), v(2, 1, 0)])
        case .referrersCapability: return VersionRange(since: [v(2, 2, 0)])
        case .retries5xxOnlyOnLastHost: return VersionRange(since: [v(2, 1, 0)])
        case .blobsFallbackOnlyAfterManifest404, .responseHeaderTimeout: return VersionRange(since: [v(2, 3, 0)])
        case .errorRanking: return VersionRange(since: [v(2, 0, 0)])
        case .criTransferServicePull: return VersionRange(since: [v(2, 1, 0)])
        case .unexpectedStatusWording: return VersionRange(since: [v(1, 6, 25), v(1, 7, 0)])
        case .goTLSVerifyPrefix: return VersionRange(since: [v(1, 6, 24), v(1, 7, 0)])
        case .basicAuthWithoutCredentialsFails: return VersionRange(since: [v(1, 6, 25), v(1, 7, 8)])
        case .criRedactsURLQuery: return VersionRange(since: [v(1, 7, 30), v(2, 0, 8), v(2, 1, 6), v(2, 2, 1)])
        case .defaultHostWithoutServerLine, .rewrites: return .always
        }
    }

    /// The builds in which it holds.
    public var builds: Set<ContainerdBuild> {
        switch self {
        case .defaultHostWithoutServerLine: [.upstream]
        case .rewrites: [.k3s]
        default: Set(ContainerdBuild.allCases)
        }
    }

    /// Where it was read or seen (containerd's source unless said otherwise).
    public var source: String {
        switch self {
        case .httpsFirstForHTTPHostWithTLS, .httpsFirstOnAnyPort, .httpsFirstWithoutPort:
            "remotes/docker/config/hosts.go ConfigureHosts (`host.scheme == \"http\" && explicitTLS`), per tag"
        case .httpFallbackAfterHandshakeTimeout, .httpFallbackSticky:
            "remotes/docker/resolver.go httpFallback / isTLSError / isPortError, per tag"
        case .fileWithoutHostTableRejected:
            "remotes/docker/config/hosts.go getSortedHosts: \"invalid `host` tree\" until 1.7.31; loadHostDir logs and ignores the file"
        case .dialTimeoutKey: "core/remotes/docker/config/hosts.go hostFileConfig.DialTimeout"
        case .referrersCapability: "core/remotes/docker/config/hosts.go parseHostConfig capabilities"
        case .retries5xxOnlyOnLastHost: "core/remotes/docker/resolver.go retryRequest(lastHost)"
        case .blobsFallbackOnlyAfterManifest404, .responseHeaderTimeout: "containerd 2.3 release notes; core/remotes/docker/resolver.go"
        case .errorRanking: "core/remotes/docker/resolver.go Resolve: firstErrPriority (absent in 1.7's remotes/docker/resolver.go)"
        case .unexpectedStatusWording: "remotes/docker/resolver.go Resolve: remoteerrors.NewUnexpectedStatusErr (1.6.25, 1.7.0) replacing \"pulling from host %s failed with status code %v: %v\""
        case .goTLSVerifyPrefix: ".github/workflows/release.yml GO_VERSION per tag (1.19.12 in 1.6.23, 1.20.8 in 1.6.24, 1.20.2 in 1.7.0); Go 1.20's crypto/tls wraps x509 errors"
        case .basicAuthWithoutCredentialsFails: "remotes/docker/authorizer.go AddResponses: \"%w: no basic auth credentials\" (1.6.25, 1.7.8)"
        case .criTransferServicePull: "internal/cri/config/config.go CheckLocalImagePullConfigs (2.1); core/transfer/local/pull.go \"failed to resolve image: %w\" against client/pull.go \"failed to resolve reference %q: %w\""
        case .criRedactsURLQuery: "pkg/cri/util/sanitize.go (1.7.30), internal/cri/util/sanitize.go (2.0.8, 2.1.6, 2.2.1)"
        case .defaultHostWithoutServerLine: "remotes/docker/config/hosts.go ConfigureHosts; K3s's fork: K3s issues 8975, 9728"
        case .rewrites: "k3s-io/containerd hosts.go rewrite tables; absent upstream"
        }
    }
}
