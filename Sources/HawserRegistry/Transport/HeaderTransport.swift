import HawserCore

/// Adds hosts.toml `header` entries to requests for the attempt's host.
struct HeaderTransport: HTTPTransport {
    let next: any HTTPTransport
    let headers: [String: [String]]
    let endpoint: Endpoint

    func send(_ request: RegistryRequest) async throws -> RegistryResponse {
        guard !headers.isEmpty, HostIdentity(endpoint: endpoint).sameHost(asURL: request.url, endpoint: endpoint) else {
            return try await next.send(request)
        }
        var outgoing = request
        for (name, values) in headers.sorted(by: { $0.key < $1.key }) {
            outgoing.headers.remove(name: name)
            for value in values { outgoing.headers.add(name: name, value: value) }
        }
        return try await next.send(outgoing)
    }
}
