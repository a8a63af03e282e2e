/// `hawser check`: the mistakes K3s users make with registries.yaml, each with
/// what K3s/containerd will really do and the fix. Rules live in
/// `Linter+Endpoints`, `Linter+TLS`, `Linter+Configs`, `Linter+Rewrites`.
public struct Linter: Sendable {
    public let options: RenderOptions
    /// The containerd the nodes run: what some rules predict depends on it.
    public let containerd: Containerd

    public init(options: RenderOptions = RenderOptions(), containerd: Containerd = .default) {
        self.options = options
        self.containerd = containerd
    }

    /// Everything worth saying about a loaded file, sorted by position.
    public func check(_ loaded: RegistriesConfig.Loaded) -> [Finding] {
        let output = K3sHostsGenerator(options: options).generate(loaded.config)
        let context = LintContext(config: loaded.config, generated: output.hosts, options: options, containerd: containerd)
        var findings = loaded.findings + output.findings
        findings += endpointFindings(context)
        findings += tlsFindings(context)
        findings += configFindings(context)
        findings += rewriteFindings(context)
        return findings.sorted { lhs, rhs in
            switch (lhs.location, rhs.location) {
            case let (l?, r?): return l == r ? lhs.code.rawValue < rhs.code.rawValue : l < r
            case (nil, _?): return false
            case (_?, nil): return true
            default: return lhs.code.rawValue < rhs.code.rawValue
            }
        }
    }
}

/// What the rules share: the file, and who contacts which host.
struct LintContext {
    /// One endpoint K3s writes, with the configs key that applies to it.
    struct Use {
        let mirrorKey: String
        let address: EndpointAddress
        let value: EndpointValue?
        /// nil for the default (server) endpoint.
        let index: Int?
        var isDefault: Bool { index == nil }
    }

    let config: RegistriesConfig
    let generated: [K3sHostConfig]
    let options: RenderOptions
    let containerd: Containerd
    /// Every endpoint of every mirror (defaults included), valid ones only.
    let uses: [Use]

    init(config: RegistriesConfig, generated: [K3sHostConfig], options: RenderOptions, containerd: Containerd) {
        self.config = config
        self.generated = generated
        self.options = options
        self.containerd = containerd
        var uses: [Use] = []
        for mirror in config.mirrors where mirror.key != "*" {
            if let address = try? EndpointAddress(parsing: mirror.key) {
                uses.append(Use(mirrorKey: mirror.key, address: address, value: nil, index: nil))
            }
            for (index, value) in mirror.endpoints.enumerated() {
                if let address = try? EndpointAddress(parsing: value.text) {
                    uses.append(Use(mirrorKey: mirror.key, address: address, value: value, index: index))
                }
            }
        }
        for mirror in config.mirrors where mirror.key == "*" {
            for (index, value) in mirror.endpoints.enumerated() {
                if let address = try? EndpointAddress(parsing: value.text) {
                    uses.append(Use(mirrorKey: "*", address: address, value: value, index: index))
                }
            }
        }
        self.uses = uses
    }

    /// The configs entry K3s attaches to an endpoint.
    func configEntry(for address: EndpointAddress) -> ConfigEntry? {
        K3sHostsGenerator.config(config, for: address.registryName)
    }

    /// Endpoints that receive a given configs key.
    func uses(ofConfig key: String) -> [Use] {
        uses.filter { configEntry(for: $0.address)?.key == key }
    }

    func transport(for address: EndpointAddress, tls: TLSConfig?) -> TransportMode {
        let settings = TLSSettings(caFiles: tls?.caFile.map { [$0] } ?? [],
                                   clientCertificates: tls?.certFile.map { [.init(certificateFile: $0, keyFile: tls?.keyFile ?? "")] } ?? [],
                                   skipVerify: tls?.insecureSkipVerify == true ? true : nil)
        let endpoint = Endpoint(scheme: address.scheme == "http" ? .http : .https, host: address.host, path: address.path)
        return containerd.transport(for: endpoint, tls: settings)
    }
}
