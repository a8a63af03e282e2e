/// Credentials from a registries.yaml `configs.<host>.auth` entry.
///
/// The description never shows a secret, so a value can be logged or printed safely.
public struct RegistryCredentials: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    public var username: String?
    public var password: String?
    /// base64("user:password"), docker's `auth` field.
    public var auth: String?
    /// An OAuth2 refresh token, exchanged at the token service.
    public var identityToken: String?

    public init(username: String? = nil, password: String? = nil, auth: String? = nil, identityToken: String? = nil) {
        self.username = username
        self.password = password
        self.auth = auth
        self.identityToken = identityToken
    }

    public var isEmpty: Bool { username == nil && password == nil && auth == nil && identityToken == nil }

    /// The username and password to use for Basic auth or a token request, from
    /// `username`/`password` or, failing those, the decoded `auth` field.
    public var basic: (username: String, password: String)? {
        if let username, let password { return (username, password) }
        if let auth, let decoded = Base64.decode(auth), let text = String(bytes: decoded, encoding: .utf8),
           let colon = text.firstIndex(of: ":") {
            return (String(text[..<colon]), String(text[text.index(after: colon)...]))
        }
        if let username { return (username, password ?? "") }
        return nil
    }

    /// Which kinds of credential are present, for messages (never the values).
    public var kinds: [String] {
        var result: [String] = []
        if username != nil || password != nil { result.append("username/password") }
        if auth != nil { result.append("auth") }
        if identityToken != nil { result.append("identity_token") }
        return result
    }

    public var description: String { "credentials(\(kinds.joined(separator: ", ")), redacted)" }
    public var debugDescription: String { description }
}
