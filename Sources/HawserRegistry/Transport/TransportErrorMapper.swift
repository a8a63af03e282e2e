import AsyncHTTPClient
import NIOCore
import NIOPosix
import NIOSSL

/// Turns errors from AsyncHTTPClient, NIO and NIOSSL into `RegistryError`s
/// with a stable code and words a person can act on.
enum TransportErrorMapper {
    static func map(_ error: any Error, method: String?, url: String) -> RegistryError {
        if let error = error as? RegistryError { return error }
        let detail = String(describing: error)
        if error is NIOSSLError || error is NIOSSLExtraError || detail.contains("SSL") || detail.contains("certificate") {
            // BoringSSL reads "HTTP/1.1 400…" as a record with a bad version: the
            // server speaks plain HTTP on this port (Go says "server gave HTTP
            // response to HTTPS client").
            if detail.contains("WRONG_VERSION_NUMBER") || detail.contains("HTTP_REQUEST") || detail.contains("PACKET_LENGTH_TOO_LONG") {
                return RegistryError(.httpResponseToHTTPS, method: method, url: url,
                                     reason: "server gave HTTP response to HTTPS client (TLS handshake answered in plain HTTP)")
            }
            if detail.contains("CERTIFICATE_VERIFY_FAILED") {
                return RegistryError(.tls, method: method, url: url,
                                     reason: "TLS: the server's certificate is not trusted (certificate verify failed): \(detail)")
            }
            if error is NIOSSLExtraError {
                return RegistryError(.tls, method: method, url: url, reason: "TLS: the certificate does not match the host name: \(detail)")
            }
            return RegistryError(.tls, method: method, url: url, reason: "TLS handshake failed: \(detail)")
        }
        if let error = error as? HTTPClientError {
            switch error {
            case .tlsHandshakeTimeout:
                return RegistryError(.tls, method: method, url: url, reason: "TLS handshake timed out")
            case .connectTimeout:
                return RegistryError(.transport, method: method, url: url, reason: "connection timed out")
            case .readTimeout:
                return RegistryError(.transport, method: method, url: url, reason: "no data from the server for too long (read timeout)")
            case .remoteConnectionClosed:
                return RegistryError(.transport, method: method, url: url, reason: "the server closed the connection")
            case .deadlineExceeded:
                return RegistryError(.transport, method: method, url: url, reason: "the request took too long (deadline exceeded)")
            default:
                return RegistryError(.transport, method: method, url: url, reason: "HTTP client error: \(error)")
            }
        }
        if let error = error as? NIOConnectionError {
            let causes = error.connectionErrors.map { "\($0.target): \($0.error)" }.joined(separator: "; ")
            return RegistryError(.transport, method: method, url: url, reason: "cannot connect (\(causes.isEmpty ? "\(error)" : causes))")
        }
        if detail.contains("connection reset") || detail.contains("Connection refused") || error is IOError || error is ChannelError {
            return RegistryError(.transport, method: method, url: url, reason: "connection failed: \(detail)")
        }
        return RegistryError(.transport, method: method, url: url, reason: detail)
    }
}
