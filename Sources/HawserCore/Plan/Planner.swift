import Foundation

/// Builds the plan for one image from the hosts.toml that applies to it, with
/// the rules of the containerd being modelled (docs/semantics.md §4, §7):
/// `[host]` entries in order, then the server, its defaults when empty, the
/// HTTP fallback, `?ns=`, rewrites, capabilities.
public struct Planner: Sendable {
    /// Which `configs` key holds credentials for a contacted host (nil: none).
    public typealias CredentialsLookup = @Sendable (_ host: String) -> String?

    public let credentialsKey: CredentialsLookup
    public let containerd: Containerd

    public init(containerd: Containerd = .default, credentialsKey: @escaping CredentialsLookup = { _ in nil }) {
        self.containerd = containerd
        self.credentialsKey = credentialsKey
    }

    /// - Parameter file: the hosts.toml in force, nil when no folder applies.
    public func plan(for image: ImageReference, hosts file: HostsFile?, source: Plan.Source) -> Plan {
        let entries = file?.hosts ?? []
        // No hosts.toml at all: the default host only. A file without `server`: the
        // default host in upstream builds, none in K3s's.
        let server: HostEntry?
        if let file {
            server = file.server ?? (containerd.has(.defaultHostWithoutServerLine) ? HostEntry(written: "", endpoint: nil) : nil)
        } else {
            server = HostEntry(written: "", endpoint: nil)
        }
        var attempts: [Attempt] = []
        var skipped: [Attempt] = []
        let total = entries.count
        for (index, entry) in entries.enumerated() {
            guard let endpoint = entry.endpoint else { continue }
            let attempt = makeAttempt(image: image, entry: entry, endpoint: endpoint, tls: entry.tls, capabilities: entry.capabilities,
                                      role: .mirror(position: index + 1, of: total), applyRewrites: containerd.has(.rewrites), position: 0)
            if attempt.canServe(image) { attempts.append(attempt) } else { skipped.append(attempt) }
        }
        if let server {
            let resolved = Self.resolveServer(server, registry: image.registry)
            // `server = ""` is written; only a missing line (or file) makes the default implicit.
            let implicit = file?.server == nil
            let last = makeAttempt(image: image, entry: server, endpoint: resolved.endpoint, tls: resolved.tls,
                                   capabilities: resolved.capabilities, role: .server(implicit: implicit),
                                   applyRewrites: false, position: 0)
            if last.canServe(image) { attempts.append(last) } else { skipped.append(last) }
        }
        let numbered = attempts.enumerated().map { $0.element.renumbered($0.offset + 1) }
        return Plan(image: image, source: source, attempts: numbered, skipped: skipped, containerd: containerd)
    }

    /// containerd's defaults for an empty server: docker.io is registry-1.docker.io
    /// over HTTPS; localhost on a port other than 443 is HTTP with skip_verify
    /// (which triggers the HTTPS-first fallback) unless the port is 80; anything
    /// else is https://registry/v2.
    public static func resolveServer(_ server: HostEntry, registry: String) -> (endpoint: Endpoint, tls: TLSSettings, capabilities: Capabilities) {
        if let endpoint = server.endpoint { return (endpoint, server.tls, server.capabilities) }
        var tls = server.tls
        let endpoint: Endpoint
        if registry == "docker.io" {
            endpoint = Endpoint(scheme: .https, host: "registry-1.docker.io", path: "/v2")
        } else if HostPort(registry).isLocalhost {
            let port = HostPort(registry).port ?? ""
            endpoint = Endpoint(scheme: port.isEmpty || port == "443" ? .https : .http, host: registry, path: "/v2")
            if port != "80" { tls.skipVerify = true }
        } else {
            endpoint = Endpoint(scheme: .https, host: registry, path: "/v2")
        }
        return (endpoint, tls, .all)
    }


    /// containerd's `isProxy`: a host other than the registry gets `?ns=registry`.
    public static func namespace(for endpoint: Endpoint, registry: String) -> String? {
        if endpoint.host == registry { return nil }
        if registry == "docker.io" && endpoint.host == "registry-1.docker.io" { return nil }
        return registry
    }

    func makeAttempt(image: ImageReference, entry: HostEntry, endpoint: Endpoint, tls: TLSSettings, capabilities: Capabilities,
                     role: Attempt.Role, applyRewrites: Bool, position: Int) -> Attempt {
        var repository = image.repository
        var applied: Attempt.Rewrite?
        if applyRewrites, let rewrite = RewriteEngine.apply(entry.rewrites, to: image.repository) {
            repository = rewrite.rewritten
            applied = rewrite
        }
        return Attempt(
            position: position, role: role, endpoint: endpoint, transport: containerd.transport(for: endpoint, tls: tls),
            capabilities: capabilities, repository: repository, rewrite: applied,
            namespace: Self.namespace(for: endpoint, registry: image.registry),
            credentialsKey: credentialsKey(endpoint.host), headers: entry.headers)
    }
}

extension Attempt {
    func renumbered(_ position: Int) -> Attempt {
        Attempt(position: position, role: role, endpoint: endpoint, transport: transport, capabilities: capabilities,
                repository: repository, rewrite: rewrite, namespace: namespace, credentialsKey: credentialsKey, headers: headers)
    }
}
