extension Linter {
    func configFindings(_ context: LintContext) -> [Finding] {
        var findings: [Finding] = []
        for entry in context.config.configs {
            if entry.key == "*" {
                findings += wildcardFindings(entry, context: context)
                continue
            }
            if let auth = entry.auth {
                findings += authFindings(entry, auth: auth, context: context)
            }
            if entry.key.contains("://") || entry.key.contains("/") {
                findings.append(Finding(
                    .configNeverContacted, at: entry.location,
                    "configs key `\(entry.key)` is a URL; configs are keyed by host[:port] only",
                    consequence: "containerd never contacts a host named `\(entry.key)`, so this auth/TLS is never used",
                    fix: "use the bare host, e.g. `\(EndpointAddress.bareHost(entry.key))`"))
                continue
            }
            guard entry.hasSettings else { continue }
            let mirrorEndpoints = context.uses.filter { $0.mirrorKey == entry.key && !$0.isDefault }
            let direct = context.uses(ofConfig: entry.key).filter { !$0.isDefault }
            if let mirror = context.config.mirror(entry.key), !mirrorEndpoints.isEmpty, direct.isEmpty {
                let hosts = Set(mirrorEndpoints.map(\.address.registryName)).sorted()
                findings.append(Finding(
                    .configNeverContacted, at: entry.location,
                    "configs.\"\(entry.key)\" does not reach the mirror endpoint\(hosts.count > 1 ? "s" : "") \(hosts.joined(separator: ", ")) of mirrors.\"\(mirror.key)\"",
                    consequence: "configs apply to the host actually contacted: this entry only reaches the default endpoint of \(entry.key), tried last; the mirror gets no auth/TLS from it",
                    fix: "put these settings under configs.\"\(hosts.first ?? "")\" (the mirror's host exactly as written in the endpoint, port included)"))
                continue
            }
            // A configs key that matches an endpoint host only if the port is ignored.
            if context.uses(ofConfig: entry.key).isEmpty {
                let near = context.uses.filter { HostPort($0.address.registryName).host == HostPort(entry.key).host && $0.address.registryName != entry.key }
                if let use = near.first {
                    findings.append(Finding(
                        .configNeverContacted, at: entry.location,
                        "configs.\"\(entry.key)\" does not match endpoint \(use.address.url) (its host is `\(use.address.registryName)`)",
                        consequence: "configs are matched by the exact host:port contacted, with no port stripping: this entry is used only for images named `\(entry.key)/…`",
                        fix: "rename the key to `\(use.address.registryName)`"))
                }
            }
        }
        return findings
    }

    func authFindings(_ entry: ConfigEntry, auth: RegistryCredentials, context: LintContext) -> [Finding] {
        var findings: [Finding] = []
        let location = entry.authLocation ?? entry.location
        if auth.username != nil && auth.password == nil && auth.auth == nil {
            findings.append(Finding(.authIncomplete, at: location, "configs.\"\(entry.key)\".auth has a username but no password",
                                    consequence: "the registry will refuse the login", fix: "add password:"))
        } else if auth.password != nil && auth.username == nil {
            findings.append(Finding(.authIncomplete, at: location, "configs.\"\(entry.key)\".auth has a password but no username",
                                    consequence: "containerd sends no usable credentials", fix: "add username:"))
        }
        if let encoded = auth.auth, RegistryCredentials(auth: encoded).basic == nil {
            findings.append(Finding(.authIncomplete, at: location, "configs.\"\(entry.key)\".auth.auth is not base64 of user:password",
                                    consequence: "the registry will refuse the login", fix: "write the output of: printf 'user:password' | base64"))
        }
        let plain = context.uses(ofConfig: entry.key).filter { $0.address.scheme == "http" && context.transport(for: $0.address, tls: entry.tls) == .plainHTTP }
        if let use = plain.first {
            findings.append(Finding(
                .credentialsOverHTTP, at: location,
                "credentials of configs.\"\(entry.key)\" go to \(use.address.url) over plain HTTP",
                consequence: "the username and password (or token) cross the network unencrypted on every pull",
                fix: "serve the registry over HTTPS (a ca_file under configs.\"\(entry.key)\".tls handles a private CA), or accept the risk on a trusted network"))
        }
        return findings
    }

    func wildcardFindings(_ entry: ConfigEntry, context: LintContext) -> [Finding] {
        var findings: [Finding] = []
        if entry.auth != nil {
            findings.append(Finding(
                .wildcardAuthUnused, at: entry.authLocation ?? entry.location,
                "configs.\"*\".auth is never used",
                consequence: "credentials are looked up by the exact host contacted; there is no wildcard fallback, so no request carries them",
                fix: "repeat the auth under each registry host, e.g. configs.\"registry.example.com\".auth"))
        }
        if entry.hasSettings && context.config.mirror("*") == nil && entry.tls != nil {
            findings.append(Finding(
                .wildcardConfigBlocksDefault, at: entry.location,
                "configs.\"*\" without mirrors.\"*\" makes K3s write certs.d/_default/hosts.toml with no `server` line",
                consequence: "containerd uses _default for every registry without its own folder, and a hosts.toml without `server` has no default endpoint: images from those registries have no endpoint to pull from",
                fix: "remove configs.\"*\" and put the settings under each registry host; or add mirrors: {\"*\": {}} so that K3s writes server = \"\""))
        }
        if entry.tls != nil && context.config.mirror("*") != nil {
            findings.append(Finding(
                .wildcardConfigIgnored, at: entry.tlsLocation ?? entry.location,
                "configs.\"*\".tls is dropped because mirrors.\"*\" also exists",
                consequence: "K3s builds the _default hosts.toml from the mirror and overwrites the one from configs; the TLS settings are lost",
                fix: "put the TLS settings under the mirror endpoint's own host in configs"))
        }
        return findings
    }
}

extension EndpointAddress {
    /// `https://host:port/path` -> `host:port`, for suggestions.
    static func bareHost(_ text: String) -> String {
        var rest = Substring(text)
        if let range = rest.range(of: "://") { rest = rest[range.upperBound...] }
        return String(rest.prefix { $0 != "/" })
    }
}
