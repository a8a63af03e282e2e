extension Linter {
    func endpointFindings(_ context: LintContext) -> [Finding] {
        var findings: [Finding] = []
        for mirror in context.config.mirrors {
            if mirror.endpoints.isEmpty {
                findings.append(Finding(
                    mirror.key == "*" ? .wildcardNoEndpoints : .emptyValue, at: mirror.location,
                    "mirror `\(mirror.key)` has no endpoints",
                    consequence: "K3s writes no hosts.toml for it unless configs add TLS; images of \(mirror.key == "*" ? "every registry" : mirror.key) go to their default endpoint",
                    fix: "add `endpoint:` with the mirror URL(s), or remove the entry"))
            }
            guard mirror.key != "*", let defaultAddress = try? EndpointAddress(parsing: mirror.key, embeddedRegistry: options.embeddedRegistry?.address) else { continue }
            // The default endpoint listed anywhere but last stays a [host] entry and is tried again as the server.
            let addresses = mirror.endpoints.map { try? EndpointAddress(parsing: $0.text) }
            for (index, address) in addresses.enumerated() where index + 1 < addresses.count && address?.url == defaultAddress.url {
                if options.disableDefaultEndpoint && context.config.config(mirror.key) == nil { continue }
                findings.append(Finding(
                    .defaultEndpointNotLast, at: mirror.endpoints[index].location,
                    "`\(mirror.endpoints[index].text)` is the default endpoint of `\(mirror.key)`, listed before other endpoints",
                    consequence: "only the LAST endpoint is folded into the server line; here containerd tries \(defaultAddress.url) first and again last, after the mirrors",
                    fix: "move `\(mirror.endpoints[index].text)` to the end of the list, or remove it (containerd tries the default endpoint last anyway)"))
            }
            findings += hiddenMirrorFindings(mirror, defaultAddress: defaultAddress, context: context)
            if let port = HostPort(mirror.key).port, port == "80" || port == "443" {
                findings.append(Finding(
                    .mirrorKeyPortMismatch, at: mirror.location,
                    "mirror key `\(mirror.key)` names port \(port) explicitly",
                    consequence: "it applies only to images named `\(mirror.key)/…`; an image named `\(HostPort(mirror.key).host)/…` is another registry to containerd and does not use this mirror",
                    fix: "write the key exactly as the registry appears in your image names (with or without :\(port))"))
            }
        }
        return findings
    }

    /// A plain-HTTP mirror for the registry's own host, followed by the HTTPS
    /// server line on that host: when the mirror fails, the HTTPS attempt fails
    /// with "server gave HTTP response to HTTPS client", the error users see.
    func hiddenMirrorFindings(_ mirror: MirrorEntry, defaultAddress: EndpointAddress, context: LintContext) -> [Finding] {
        guard defaultAddress.scheme == "https" else { return [] }
        guard let host = context.generated.first(where: { $0.registry == mirror.key }), let server = host.defaultEndpoint?.url,
              server.hasPrefix("https://") else { return [] }
        var findings: [Finding] = []
        for value in mirror.endpoints {
            guard let address = try? EndpointAddress(parsing: value.text), address.scheme == "http", address.host == defaultAddress.host else { continue }
            let tls = context.configEntry(for: address)?.tls
            guard context.transport(for: address, tls: tls) == .plainHTTP else { continue }
            findings.append(Finding(
                .httpMirrorHiddenByHTTPSDefault, at: value.location,
                "plain-HTTP endpoint \(address.url) is followed by the HTTPS default endpoint \(server) on the same host",
                consequence: "if the HTTP attempt fails for any reason (401, 404, refused), containerd tries \(server) last; that host speaks HTTP, so the error K3s reports is \"http: server gave HTTP response to HTTPS client\", hiding the real failure",
                fix: "start K3s with --disable-default-registry-endpoint\(context.config.config(mirror.key) != nil ? " and move configs.\"\(mirror.key)\" out of the way (while a configs entry has the same key as the mirror, K3s keeps the default endpoint anyway)" : ""), and use `hawser doctor` to see the HTTP attempt's own error"))
        }
        return findings
    }
}
