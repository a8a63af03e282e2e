import Crypto
import Foundation
import HawserTestSupport

/// A token service for the registry's `auth.token`: signs ES256 JWTs whose
/// `x5c` header carries a self-signed certificate that is also the registry's
/// `rootcertbundle`. Anonymous callers get `pull`; a valid user/password (GET
/// with Basic) or refresh token (OAuth2 POST) get what they ask for.
final class TokenIssuer: Sendable {
    static let service = "hawser-test-registry"
    static let issuer = "hawser-test-issuer"

    let server: TestHTTPServer
    let certificateBundle: String
    var realm: String { server.baseURL + "/token" }

    private init(server: TestHTTPServer, certificateBundle: String) {
        self.server = server
        self.certificateBundle = certificateBundle
    }

    static func start(in directory: TemporaryDirectory, username: String, password: String, refreshToken: String) async throws -> TokenIssuer {
        let openssl = try Tools.require(Tools.openssl, package: "openssl")
        let keyPath = directory.file("token.key"), certPath = directory.file("token.crt")
        try Tools.run(openssl, ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                                "-keyout", keyPath, "-out", certPath, "-days", "2", "-subj", "/CN=hawser token issuer"])
        let key = try P256.Signing.PrivateKey(pemRepresentation: String(contentsOfFile: keyPath, encoding: .utf8))
        let certificateDER = try String(contentsOfFile: certPath, encoding: .utf8)
            .split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        let signer = Signer(key: key, certificate: certificateDER)
        let server = try await TestHTTPServer.start { request in
            Self.handle(request, signer: signer, username: username, password: password, refreshToken: refreshToken)
        }
        return TokenIssuer(server: server, certificateBundle: certPath)
    }

    func stop() async { await server.stop() }

    private struct Signer: Sendable {
        /// Raw key bytes: the Crypto key type is not Sendable.
        let keyBytes: Data
        let certificate: String

        init(key: P256.Signing.PrivateKey, certificate: String) {
            keyBytes = key.rawRepresentation
            self.certificate = certificate
        }

        func token(subject: String, scopes: [String], service: String) throws -> String {
            var access: [[String: Any]] = []
            for scope in scopes {
                let parts = scope.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
                guard parts.count >= 3 else { continue }
                let name = parts[1..<(parts.count - 1)].joined(separator: ":")
                access.append(["type": parts[0], "name": name, "actions": parts[parts.count - 1].split(separator: ",").map(String.init)])
            }
            let now = Int(Date().timeIntervalSince1970)
            let header: [String: Any] = ["typ": "JWT", "alg": "ES256", "x5c": [certificate]]
            let claims: [String: Any] = ["iss": TokenIssuer.issuer, "sub": subject, "aud": service, "exp": now + 300,
                                         "nbf": now - 10, "iat": now, "jti": UUID().uuidString, "access": access]
            let input = try Self.encode(header) + "." + Self.encode(claims)
            let signature = try P256.Signing.PrivateKey(rawRepresentation: keyBytes).signature(for: Data(input.utf8)).rawRepresentation
            return input + "." + Self.base64URL(signature)
        }

        static func encode(_ object: [String: Any]) throws -> String {
            base64URL(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
        }

        static func base64URL(_ data: Data) -> String {
            data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
        }
    }

    private static func handle(_ request: TestHTTPServer.Request, signer: Signer, username: String, password: String, refreshToken: String) -> TestHTTPServer.Response {
        var scopes: [String]
        let service: String
        var subject = ""
        var granted: Bool
        if request.method == "POST" {
            let form = TestHTTPServer.Request(method: "", uri: "/?" + String(decoding: request.body, as: UTF8.self), headers: [], body: []).query
            guard form["grant_type"]?.first == "refresh_token", form["refresh_token"]?.first == refreshToken else {
                return .json(401, #"{"error":"invalid_grant"}"#)
            }
            scopes = (form["scope"]?.first ?? "").split(separator: " ").map(String.init)
            service = form["service"]?.first ?? TokenIssuer.service
            subject = "refresh-token-user"
            granted = true
        } else {
            let query = request.query
            scopes = query["scope"] ?? []
            service = query["service"]?.first ?? TokenIssuer.service
            granted = false
            if let authorization = request.header("Authorization") {
                let expected = "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
                guard authorization == expected else { return .json(401, #"{"details":"invalid credentials"}"#) }
                subject = username
                granted = true
            }
        }
        if !granted {
            // Anonymous: pull only.
            scopes = scopes.map { scope in
                var parts = scope.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
                if parts.count >= 3 { parts[parts.count - 1] = parts[parts.count - 1].split(separator: ",").contains("pull") ? "pull" : "" }
                return parts.joined(separator: ":")
            }
        }
        guard let token = try? signer.token(subject: subject, scopes: scopes, service: service) else {
            return .json(500, #"{"error":"signing failed"}"#)
        }
        return .json(200, #"{"token":"\#(token)","access_token":"\#(token)","expires_in":300}"#)
    }
}
