/// How a connection to one host is made.
public enum TransportMode: Sendable, Hashable {
    /// Plain HTTP; no TLS is attempted.
    case plainHTTP
    /// HTTPS with these settings (system trust plus any CA, client certificate, skip-verify).
    case https(TLSSettings)
    /// containerd's fallback for an `http://` host that also has TLS settings and a
    /// port other than 80: HTTPS with these settings first, then plain HTTP when the
    /// server answers the handshake with plain HTTP.
    case httpsThenHTTP(TLSSettings)

    public var tls: TLSSettings? {
        switch self {
        case .plainHTTP: nil
        case .https(let settings), .httpsThenHTTP(let settings): settings
        }
    }

    /// A short, stable name for the mode (used in JSON and tables).
    public var kind: String {
        switch self {
        case .plainHTTP: "plain-http"
        case .httpsThenHTTP: "https-then-http"
        case .https(let tls):
            if tls.skipVerify == true { "https-skip-verify" }
            else if !tls.clientCertificates.isEmpty { "https-client-certificate" }
            else if !tls.caFiles.isEmpty { "https-custom-ca" }
            else { "https-system-trust" }
        }
    }

    /// The same in words for people.
    public var summary: String {
        switch self {
        case .plainHTTP:
            return "plain HTTP (no TLS)"
        case .https(let tls):
            return "HTTPS, " + Self.describe(tls)
        case .httpsThenHTTP(let tls):
            return "HTTPS first (" + Self.describe(tls) + "), then plain HTTP if the server speaks HTTP"
        }
    }

    static func describe(_ tls: TLSSettings) -> String {
        var parts: [String] = []
        if tls.skipVerify == true {
            parts.append("certificate NOT verified (skip_verify)")
        } else if tls.caFiles.isEmpty {
            parts.append("verified against system trust")
        } else {
            parts.append("verified against CA \(tls.caFiles.joined(separator: ", "))")
        }
        if let client = tls.clientCertificates.first {
            parts.append("client certificate \(client.certificateFile)")
        }
        return parts.joined(separator: ", ")
    }
}
