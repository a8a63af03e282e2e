import Foundation
import HawserCore
import NIOCore
import NIOHTTP1

/// Asks a token service (the challenge's realm) for a bearer token: anonymously,
/// with Basic credentials (Docker/Harbor style GET), or with an identity token
/// (OAuth2 POST, refresh_token grant, falling back to GET where POST is not served).
struct TokenService: Sendable {
    let transport: any HTTPTransport
    static let clientID = "hawser"

    func fetch(realm: String, service: String?, scopes: [String], credentials: RegistryCredentials?) async throws -> BearerToken {
        if let refreshToken = credentials?.identityToken {
            let response = try await postRefreshToken(realm: realm, service: service, scopes: scopes, refreshToken: refreshToken)
            if response.status == 404 || response.status == 405 {
                // containerd does the same: an endpoint without OAuth2 POST gets a GET with the token as password.
                _ = try? await response.collect(limit: 64 << 10)
                let username = credentials?.username ?? "<token>"
                return try await get(realm: realm, service: service, scopes: scopes, basic: (username, refreshToken))
            }
            return try await token(from: response, realm: realm, method: "POST")
        }
        return try await get(realm: realm, service: service, scopes: scopes, basic: credentials?.basic)
    }

    private func get(realm: String, service: String?, scopes: [String], basic: (username: String, password: String)?) async throws -> BearerToken {
        guard var components = URLComponents(string: realm), components.scheme != nil else {
            throw RegistryError(.authentication, url: realm, reason: "the registry's token realm is not a URL")
        }
        var items = components.queryItems ?? []
        if let service { items.append(URLQueryItem(name: "service", value: service)) }
        items += scopes.map { URLQueryItem(name: "scope", value: $0) }
        components.queryItems = items.isEmpty ? nil : items
        guard let url = components.url?.absoluteString else {
            throw RegistryError(.authentication, url: realm, reason: "cannot build the token request URL")
        }
        var request = RegistryRequest(method: .GET, url: url)
        if let basic { request.headers.add(name: "Authorization", value: Self.basicHeader(basic.username, basic.password)) }
        let response = try await transport.send(request)
        return try await token(from: response, realm: realm, method: "GET")
    }

    private func postRefreshToken(realm: String, service: String?, scopes: [String], refreshToken: String) async throws -> RegistryResponse {
        var form = [("grant_type", "refresh_token"), ("refresh_token", refreshToken), ("client_id", Self.clientID)]
        if let service { form.append(("service", service)) }
        if !scopes.isEmpty { form.append(("scope", scopes.joined(separator: " "))) }
        let body = form.map { "\(Self.formEscape($0.0))=\(Self.formEscape($0.1))" }.joined(separator: "&")
        var request = RegistryRequest(method: .POST, url: realm, body: .bytes(ByteBuffer(string: body)))
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded; charset=utf-8")
        return try await transport.send(request)
    }

    private func token(from response: RegistryResponse, realm: String, method: String) async throws -> BearerToken {
        guard response.status == 200 else {
            let failure = await response.failure(method: method)
            throw RegistryError(.authentication, method: method, url: realm, status: response.status, registryErrors: failure.registryErrors,
                                reason: "the token service refused the request (\(failure.reason))")
        }
        let bytes = try await response.collect(limit: 1 << 20)
        guard let token = BearerToken.decode(bytes) else {
            throw RegistryError(.authentication, method: method, url: realm, status: 200, reason: "the token service's answer holds no token")
        }
        return token
    }

    static func basicHeader(_ username: String, _ password: String) -> String {
        "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
    }

    static func formEscape(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }
}
