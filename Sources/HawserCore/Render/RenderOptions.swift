/// K3s agent settings that change what is generated from registries.yaml.
public struct RenderOptions: Sendable, Hashable {
    /// K3s's embedded registry mirror (spegel): its address and the TLS files the
    /// agent uses to reach it.
    public struct EmbeddedRegistry: Sendable, Hashable {
        public var address: String
        public var caFile: String
        public var certFile: String
        public var keyFile: String

        /// Paths a K3s agent uses by default (data dir /var/lib/rancher/k3s).
        public static let defaultCAFile = "/var/lib/rancher/k3s/agent/server-ca.crt"
        public static let defaultCertFile = "/var/lib/rancher/k3s/agent/client-kubelet.crt"
        public static let defaultKeyFile = "/var/lib/rancher/k3s/agent/client-kubelet.key"

        public init(address: String, caFile: String = defaultCAFile, certFile: String = defaultCertFile, keyFile: String = defaultKeyFile) {
            self.address = address
            self.caFile = caFile
            self.certFile = certFile
            self.keyFile = keyFile
        }
    }

    /// `--disable-default-registry-endpoint`.
    public var disableDefaultEndpoint: Bool
    public var embeddedRegistry: EmbeddedRegistry?

    public init(disableDefaultEndpoint: Bool = false, embeddedRegistry: EmbeddedRegistry? = nil) {
        self.disableDefaultEndpoint = disableDefaultEndpoint
        self.embeddedRegistry = embeddedRegistry
    }
}
