import HawserCore
import Synchronization

/// Puts the scheme the plan chose on requests to the attempt's host: plain
/// HTTP (never TLS), HTTPS, or containerd's HTTPS-then-HTTP fallback, which
/// retries over HTTP only when the server answered the handshake in plain
/// HTTP (or, for a host without a port, when HTTPS could not connect at all).
final class SchemeTransport: HTTPTransport {
    let next: any HTTPTransport
    let endpoint: Endpoint
    let mode: TransportMode
    private let identity: HostIdentity
    /// Once the host has answered in plain HTTP, later requests go straight to HTTP.
    private let fellBackToHTTP = Mutex(false)

    init(next: any HTTPTransport, endpoint: Endpoint, mode: TransportMode) {
        self.next = next
        self.endpoint = endpoint
        self.mode = mode
        self.identity = HostIdentity(endpoint: endpoint)
    }

    /// Whether this host has fallen back to plain HTTP (HTTPS-then-HTTP only).
    var fellBack: Bool { fellBackToHTTP.withLock { $0 } }

    func send(_ request: RegistryRequest) async throws -> RegistryResponse {
        guard identity.sameHost(asURL: request.url, endpoint: endpoint) else { return try await next.send(request) }
        switch mode {
        case .plainHTTP:
            return try await next.send(Self.with(request, scheme: "http"))
        case .https:
            return try await next.send(Self.with(request, scheme: "https"))
        case .httpsThenHTTP:
            if fellBackToHTTP.withLock({ $0 }) { return try await next.send(Self.with(request, scheme: "http")) }
            do {
                return try await next.send(Self.with(request, scheme: "https"))
            } catch let error as RegistryError where shouldFallBack(error) {
                fellBackToHTTP.withLock { $0 = true }
                return try await next.send(Self.with(request, scheme: "http"))
            }
        }
    }

    private func shouldFallBack(_ error: RegistryError) -> Bool {
        if error.code == .httpResponseToHTTPS { return true }
        // containerd: without a port, a refused connection or handshake timeout also falls back.
        return endpoint.hostPort.port == nil && (error.code == .transport || error.reason.contains("timed out"))
    }

    static func with(_ request: RegistryRequest, scheme: String) -> RegistryRequest {
        guard let separator = request.url.range(of: "://") else { return request }
        var copy = request
        copy.url = scheme + request.url[separator.lowerBound...]
        return copy
    }
}
