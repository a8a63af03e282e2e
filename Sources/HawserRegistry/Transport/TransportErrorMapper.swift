import AsyncHTTPClient
import NIOCore
import NIOPosix
import NIOSSL

/// Turns errors from AsyncHTTPClient, NIO and NIOSSL into `RegistryError`s
/// with a stable code and words a person can act on (NetworkErrorText): no
/// library type or error stack reaches the user.
enum TransportErrorMapper {
    static func map(_ error: any Error, method: String?, url: String) -> RegistryError {
        if let error = error as? RegistryError { return error }
        if let reason = NetworkErrorText.tlsReason(error) {
            // BoringSSL reads "HTTP/1.1 400…" as a record with a bad version: the
            // server speaks plain HTTP on this port (Go says "server gave HTTP
            // response to HTTPS client").
            if ["WRONG_VERSION_NUMBER", "HTTP_REQUEST", "PACKET_LENGTH_TOO_LONG"].contains(reason) {
                return RegistryError(.httpResponseToHTTPS, method: method, url: url,
                                     reason: "server gave HTTP response to HTTPS client (TLS handshake answered in plain HTTP)")
            }
            if reason == "CERTIFICATE_VERIFY_FAILED" {
                return RegistryError(.tls, method: method, url: url,
                                     reason: "TLS: the server's certificate is not trusted (certificate verify failed); `hawser doctor` names the reason and the fix")
            }
            return RegistryError(.tls, method: method, url: url, reason: "TLS: " + NetworkErrorText.words(forTLSReason: reason))
        }
        if let extra = error as? NIOSSLExtraError, extra == .failedToValidateHostname {
            return RegistryError(.tls, method: method, url: url, reason: "TLS: the certificate does not name this host")
        }
        if error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError {
            return RegistryError(.tls, method: method, url: url, reason: "TLS: " + NetworkErrorText.describe(error))
        }
        if let error = error as? HTTPClientError, error == .tlsHandshakeTimeout {
            return RegistryError(.tls, method: method, url: url, reason: "TLS handshake timed out")
        }
        let text = NetworkErrorText.describe(error)
        if text.contains("connection refused") {
            return RegistryError(.transport, method: method, url: url, reason: "\(text) (nothing listens on that port)")
        }
        return RegistryError(.transport, method: method, url: url, reason: text)
    }
}
