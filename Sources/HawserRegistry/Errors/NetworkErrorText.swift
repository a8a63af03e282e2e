import AsyncHTTPClient
import HawserCore
import NIOCore
import NIOPosix
import NIOSSL

/// Plain words for the errors of AsyncHTTPClient, NIO and NIOSSL: what went
/// wrong on the connection, never a Swift type, a BoringSSL error stack or a
/// path into the build. (Issue 12: `handshakeFailed(NIOSSL.BoringSSLError…)`
/// and `[IPv4]127.0.0.1/127.0.0.1:8009: connection reset (error set)` reached users.)
public enum NetworkErrorText {
    public static func describe(_ error: any Error) -> String {
        switch error {
        case let error as RegistryError: return error.reason
        case let error as NIOConnectionError: return describe(connection: error)
        case let error as SocketAddressError.UnknownHost:
            return "cannot resolve \(error.host): \(lowercasedFirst(error.errorDescription))"
        case let error as SocketAddressError:
            if case .unknown(let host, _) = error { return "cannot resolve \(host)" }
            return "invalid address"
        case let error as IOError: return SystemErrorText.errnoText(error.errnoCode)
        case let error as NIOSSLError: return describe(ssl: error)
        case let error as BoringSSLError: return describe(boringSSL: error)
        case let error as NIOSSLExtraError:
            if error == .failedToValidateHostname { return "the certificate is not valid for the host name" }
            if error == .serverHostnameImpossibleToMatch { return "the host name cannot be matched by any certificate" }
            return "TLS error"
        case let error as HTTPClientError: return describe(client: error)
        case let error as ChannelError: return describe(channel: error)
        default: return SystemErrorText.describe(error)
        }
    }

    /// Any error as a sentence: Hawser's own errors say what, where and their code
    /// in their description already; anything else is put in words by `describe`.
    public static func sentence(_ error: any Error) -> String {
        switch error {
        case is ConfigError, is ReferenceError, is RegistryError, is AttemptsFailedError, is StoreError, is ContentError:
            String(describing: error)
        default:
            describe(error)
        }
    }

    /// BoringSSL's reasons when the answer to a ClientHello was plain HTTP
    /// (it read "HTTP/1.1 400…" as a TLS record).
    public static let plainHTTPAnswerReasons: Set<String> = ["WRONG_VERSION_NUMBER", "HTTP_REQUEST", "PACKET_LENGTH_TOO_LONG", "RECORD_TOO_LARGE"]

    /// BoringSSL's reason for a failed handshake (`CERTIFICATE_VERIFY_FAILED`),
    /// for classification; nil when the error carries none.
    public static func tlsReason(_ error: any Error) -> String? {
        let text = String(describing: error)
        // "error:1000007d:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED at …"
        guard let range = text.range(of: "OPENSSL_internal:") else { return nil }
        let reason = text[range.upperBound...].prefix { $0.isUppercase || $0.isNumber || $0 == "_" }
        return reason.isEmpty ? nil : String(reason)
    }

    /// BoringSSL's reason token in words: CERTIFICATE_VERIFY_FAILED → "certificate verify failed".
    public static func words(forTLSReason reason: String) -> String {
        if plainHTTPAnswerReasons.contains(reason) { return "the server did not answer in TLS (it may speak plain HTTP on this port)" }
        return switch reason {
        case "CERTIFICATE_VERIFY_FAILED": "the server's certificate could not be verified (certificate verify failed)"
        case "TLSV1_ALERT_CERTIFICATE_REQUIRED", "CERTIFICATE_REQUIRED": "the server requires a client certificate"
        case "SSLV3_ALERT_BAD_CERTIFICATE", "BAD_CERTIFICATE": "the server refused the client certificate"
        case "SSLV3_ALERT_HANDSHAKE_FAILURE", "HANDSHAKE_FAILURE_ON_CLIENT_HELLO", "NO_SHARED_CIPHER":
            "the server refused the handshake (no protocol version or cipher in common, or a client certificate is required)"
        case "TLSV1_ALERT_UNKNOWN_CA", "SSLV3_ALERT_CERTIFICATE_UNKNOWN": "the server does not trust the client certificate"
        case "TLSV1_ALERT_PROTOCOL_VERSION", "UNSUPPORTED_PROTOCOL": "no TLS version in common with the server"
        default: "TLS handshake failed (" + reason.lowercased().replacingOccurrences(of: "_", with: " ") + ")"
        }
    }

    private static func describe(connection error: NIOConnectionError) -> String {
        if error.connectionErrors.isEmpty {
            if let dns = error.dnsAError ?? error.dnsAAAAError { return describe(dns) }
            return "cannot connect to \(error.host):\(error.port)"
        }
        // One line per address tried, as Go's dialer names the address: "connect to 127.0.0.1:5000: connection refused".
        return error.connectionErrors.map { "connect to \(address($0.target)): \(describe($0.error))" }.joined(separator: "; ")
    }

    private static func address(_ target: SocketAddress) -> String {
        guard let ip = target.ipAddress, let port = target.port else { return "\(target)" }
        return ip.contains(":") ? "[\(ip)]:\(port)" : "\(ip):\(port)"
    }

    private static func describe(ssl error: NIOSSLError) -> String {
        switch error {
        case .handshakeFailed(let inner): return describe(boringSSL: inner)
        case .shutdownFailed: return "the TLS connection did not close cleanly"
        case .uncleanShutdown: return "the server closed the TLS connection without finishing it"
        case .noSuchFilesystemObject: return "no such file or directory"
        case .failedToLoadCertificate: return "not a certificate in PEM or DER form"
        case .failedToLoadPrivateKey: return "not a private key in PEM or DER form"
        case .cannotMatchULabel, .noCertificateToValidate, .unableToValidateCertificate, .cannotFindPeerIP:
            return "the server's certificate could not be checked against the host name"
        default: return "TLS error"
        }
    }

    private static func describe(boringSSL error: BoringSSLError) -> String {
        if let reason = tlsReason(error) { return words(forTLSReason: reason) }
        switch error {
        case .zeroReturn: return "the server closed the TLS connection"
        case .syscallError: return "the connection failed during the TLS handshake"
        default: return "TLS handshake failed"
        }
    }

    private static func describe(channel error: ChannelError) -> String {
        switch error {
        case .connectTimeout: "connection timed out"
        case .ioOnClosedChannel, .alreadyClosed, .eof, .outputClosed, .inputClosed: "the connection closed"
        default: "connection error"
        }
    }

    private static func describe(client error: HTTPClientError) -> String {
        switch error {
        case .connectTimeout: "connection timed out"
        case .tlsHandshakeTimeout: "TLS handshake timed out"
        case .readTimeout: "no data from the server for too long (read timeout)"
        case .writeTimeout: "the server accepted no data for too long (write timeout)"
        case .remoteConnectionClosed: "the server closed the connection"
        case .deadlineExceeded: "the request took too long (deadline exceeded)"
        case .getConnectionFromPoolTimeout: "no connection to the server became free in time"
        case .cancelled, .requestStreamCancelled: "the request was cancelled"
        case .invalidURL, .emptyHost, .emptyScheme: "the URL is not valid"
        case .redirectLimitReached: "too many redirects"
        case .redirectCycleDetected: "the redirects go round in a circle"
        case .bodyLengthMismatch: "the response body's length does not match its Content-Length"
        case .invalidProxyResponse: "the proxy's answer is not valid"
        case .proxyAuthenticationRequired: "the proxy requires authentication"
        case .uncleanShutdown: "the server closed the TLS connection without finishing it"
        case .contentLengthMissing: "the response has no Content-Length"
        case .alreadyShutdown: "the HTTP client was already shut down"
        default: "the HTTP exchange failed"
        }
    }

    private static func lowercasedFirst(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.lowercased() + text.dropFirst()
    }
}
