extension Containerd {
    /// How this containerd connects to a host written with `endpoint`'s scheme
    /// and these TLS settings (hosts.go ConfigureHosts, per version):
    /// - `https://`: HTTPS.
    /// - `http://` without explicit TLS settings: plain HTTP, never TLS.
    /// - `http://` with explicit TLS settings (ca, client, skip_verify): HTTPS first,
    ///   then plain HTTP, from 1.6.25/1.7.7; never on port 80 (except 1.7.7); without a
    ///   port only from 1.7.24/2.0 (1.7.7 too). Everywhere else: plain HTTP.
    public func transport(for endpoint: Endpoint, tls: TLSSettings) -> TransportMode {
        switch endpoint.scheme {
        case .https:
            return .https(tls)
        case .http:
            return triesHTTPSFirst(endpoint, tls: tls) ? .httpsThenHTTP(tls) : .plainHTTP
        }
    }

    func triesHTTPSFirst(_ endpoint: Endpoint, tls: TLSSettings) -> Bool {
        guard tls.isExplicit, has(.httpsFirstForHTTPHostWithTLS) else { return false }
        if has(.httpsFirstOnAnyPort) { return true }
        switch endpoint.hostPort.port {
        case "80": return false
        case nil, "": return has(.httpsFirstWithoutPort)
        default: return true
        }
    }

    /// Whether a tag can be resolved on a host with these capabilities, or a digest
    /// fetched: containerd's filterHosts wants pull for both, and resolve too for a tag.
    public static func canServe(_ image: ImageReference, capabilities: Capabilities) -> Bool {
        image.digest != nil ? capabilities.contains(.pull) : capabilities.contains([.pull, .resolve])
    }
}
