import Foundation

/// A token from a token service, with when it stops being usable.
struct BearerToken: Sendable {
    let value: String
    let expires: ContinuousClock.Instant

    /// Docker's token response: `token` or `access_token`, `expires_in` seconds
    /// (60 when absent, as the spec says). A refresh token is ignored.
    static func decode(_ bytes: [UInt8], now: ContinuousClock.Instant = .now) -> BearerToken? {
        struct Response: Decodable {
            var token: String?
            var access_token: String?
            var expires_in: Int?
        }
        // JSONNesting first: a Foundation trap on some deeply nested input.
        guard !JSONNesting.exceedsLimit(bytes),
              let response = try? JSONDecoder().decode(Response.self, from: Data(bytes)),
              let value = response.token ?? response.access_token, !value.isEmpty else { return nil }
        let lifetime = max(response.expires_in ?? 60, 60)
        // Renew a little early so a token does not expire in flight.
        return BearerToken(value: value, expires: now + .seconds(lifetime) - .seconds(min(10, lifetime / 6)))
    }

    func isValid(at now: ContinuousClock.Instant = .now) -> Bool { now < expires }
}
