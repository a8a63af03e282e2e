import Foundation
import NIOHTTP1

/// Follows redirects itself (the HTTP client is told not to) so that the
/// Authorization header is dropped when a redirect leads to another host, such
/// as blob storage behind a registry.
struct RedirectTransport: HTTPTransport {
    let next: any HTTPTransport
    var maximumRedirects = 10

    func send(_ request: RegistryRequest) async throws -> RegistryResponse {
        var current = request
        for _ in 0...maximumRedirects {
            let response = try await next.send(current)
            guard [301, 302, 303, 307, 308].contains(response.status),
                  let location = response.headers.first(name: "Location"),
                  let target = URL(string: location, relativeTo: URL(string: current.url))?.absoluteURL.absoluteString
            else { return response }
            _ = try? await response.collect(limit: 64 << 10)
            if HostIdentity(url: target) != HostIdentity(url: current.url) {
                current.headers.remove(name: "Authorization")
            }
            if response.status == 303 || ((response.status == 301 || response.status == 302) && current.method == .POST) {
                current.method = .GET
                current.body = .empty
            }
            current.url = target
        }
        throw RegistryError(.tooManyRedirects, method: request.method.rawValue, url: request.url,
                            reason: "more than \(maximumRedirects) redirects")
    }
}
