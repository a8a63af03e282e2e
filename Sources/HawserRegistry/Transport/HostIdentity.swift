import Foundation
import HawserCore

/// Host and port as dialled, to decide whether two URLs go to the same place
/// (credentials go only to the attempt's host; redirects elsewhere lose them).
struct HostIdentity: Hashable, Sendable, CustomStringConvertible {
    let host: String
    let port: Int

    init?(url: String) {
        guard let components = URLComponents(string: url), let host = components.host else { return nil }
        self.host = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        self.port = components.port ?? (components.scheme?.lowercased() == "https" ? 443 : 80)
    }

    /// The attempt's host: `host[:port]` as written in the endpoint.
    init(endpoint: Endpoint) {
        let hostPort = endpoint.hostPort
        host = hostPort.host.lowercased()
        port = endpoint.effectivePort
    }

    /// The same host regardless of scheme (the HTTPS-then-HTTP fallback changes
    /// the scheme, not the host the credentials belong to).
    func sameHost(asURL url: String, endpoint: Endpoint) -> Bool {
        guard let other = HostIdentity(url: url) else { return false }
        if other == self { return true }
        // An endpoint without a port answers on 443 or 80 depending on the scheme tried.
        return other.host == host && endpoint.hostPort.port == nil && (other.port == 443 || other.port == 80)
    }

    var description: String { "\(host):\(port)" }
}
