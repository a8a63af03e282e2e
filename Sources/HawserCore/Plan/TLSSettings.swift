/// TLS settings for one host, as hosts.toml states them (`ca`, `client`, `skip_verify`).
public struct TLSSettings: Sendable, Hashable, Codable {
    /// A client certificate and its key (mutual TLS).
    public struct ClientCertificate: Sendable, Hashable, Codable {
        public let certificateFile: String
        /// Empty when the certificate file also holds the key.
        public let keyFile: String

        public init(certificateFile: String, keyFile: String) {
            self.certificateFile = certificateFile
            self.keyFile = keyFile
        }
    }

    /// Extra CA files trusted for this host, in addition to the system trust.
    public var caFiles: [String]
    public var clientCertificates: [ClientCertificate]
    /// nil when not set at all; containerd treats "set to false" as explicit TLS too.
    public var skipVerify: Bool?

    public init(caFiles: [String] = [], clientCertificates: [ClientCertificate] = [], skipVerify: Bool? = nil) {
        self.caFiles = caFiles
        self.clientCertificates = clientCertificates
        self.skipVerify = skipVerify
    }

    /// containerd's "explicit TLS": any of ca, client or skip_verify is present.
    public var isExplicit: Bool { !caFiles.isEmpty || !clientCertificates.isEmpty || skipVerify != nil }
    public var verifiesPeer: Bool { skipVerify != true }
}
