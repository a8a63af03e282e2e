/// Plain sentences about what containerd will do with a plan: the things users
/// get wrong (which error they will see, HTTPS-first, credentials over HTTP).
public enum PlanNotes {
    public static func notes(for plan: Plan) -> [String] {
        var notes: [String] = []
        let image = plan.image
        if let ignored = plan.ignoredFile {
            notes.append("\(plan.containerd) cannot decode \(ignored.file)\(ignored.line.map { " (line \($0))" } ?? "") (\(ignored.reason)): it logs \"failed to decode hosts.toml\" and ignores the file, so the registry's default host is all it tries.")
        }
        if let unreadable = plan.unreadableTLSFile {
            notes.append(plan.tlsFileFailsPull
                ? "\(unreadable.path) cannot be read, so containerd fails the pull before contacting any host: \"\(unreadable.message)\"."
                : "\(unreadable.path) cannot be read on this machine. If it is missing on the node too, containerd fails the pull there before contacting any host: \"\(unreadable.message)\".")
        }
        switch plan.source {
        case .registriesYAML(_, nil), .hostsDirectory(_, nil):
            notes.append("No hosts.toml applies to registry \(image.registry): containerd contacts only its default endpoint.")
        default:
            break
        }
        for attempt in plan.attempts {
            switch attempt.transport {
            case .plainHTTP:
                if attempt.credentialsKey != nil {
                    notes.append("Attempt \(attempt.position) sends the credentials of configs.\"\(attempt.credentialsKey ?? "")\" over plain HTTP: anyone on the path can read them.")
                }
            case .httpsThenHTTP where attempt.role == .server(implicit: true):
                notes.append("Attempt \(attempt.position) is containerd's default for a loopback registry on a port other than 443: it tries HTTPS first without verifying the certificate, then plain HTTP.")
            case .httpsThenHTTP:
                notes.append("Attempt \(attempt.position) is written http:// but has TLS settings, so \(plan.containerd) tries HTTPS first and uses plain HTTP only if the server answers the handshake in HTTP\(attempt.endpoint.hostPort.port == nil ? " (or, without a port, if HTTPS on 443 cannot connect: then HTTP on 80)" : "").")
            case .https(let tls):
                if tls.skipVerify == true {
                    notes.append("Attempt \(attempt.position) uses HTTPS without verifying the certificate (skip_verify). It is still TLS: a plain-HTTP registry will not answer it.")
                }
            }
            if attempt.namespace != nil, case .mirror = attempt.role {
                notes.append("Attempt \(attempt.position) is a mirror: containerd adds ?ns=\(image.registry) so a proxy knows the upstream registry.")
            }
        }
        if let last = plan.attempts.last, plan.attempts.count > 1, case .server = last.role {
            let earlier = plan.attempts.dropLast().map { "\($0.position)" }.joined(separator: ", ")
            var note = "If attempt \(earlier) fails for any reason (404, 401, refused connection), containerd moves on to \(last.endpoint) last, and the error K3s shows is usually that one's."
            if last.endpoint.scheme == .https, plan.attempts.dropLast().contains(where: { $0.transport == .plainHTTP && $0.endpoint.host == last.endpoint.host }) {
                note += " Here that host speaks plain HTTP, so the error will be \"http: server gave HTTP response to HTTPS client\", which hides the real failure of the earlier attempt."
            }
            notes.append(note)
        }
        if image.digest != nil, !plan.attempts.isEmpty {
            notes.append(plan.containerd.has(.blobsFallbackOnlyAfterManifest404)
                ? "By digest: if a host answers /manifests/ with 404, \(plan.containerd) also asks it for /blobs/\(image.digest?.description ?? "") after every host was tried."
                : "By digest: when /manifests/ fails on every host, \(plan.containerd) asks every host again for /blobs/\(image.digest?.description ?? "")."
            )
        }
        notes += serverNotes(for: plan)
        if !plan.skipped.isEmpty {
            let list = plan.skipped.map { $0.endpoint.description }.joined(separator: ", ")
            notes.append("Not tried for this image because of their capabilities (\(image.digest != nil ? "pull" : "resolve") needed): \(list).")
        }
        return notes
    }
}

extension PlanNotes {
    /// Notes about the server line itself: absent (no fallback) or none at all.
    static func serverNotes(for plan: Plan) -> [String] {
        let hasServer = plan.attempts.contains { if case .server = $0.role { true } else { false } }
            || plan.skipped.contains { if case .server = $0.role { true } else { false } }
        var notes: [String] = []
        if !hasServer {
            notes.append("The hosts.toml has no `server` line, so K3s's containerd does not fall back to \(plan.image.registry)'s default endpoint (K3s writes it so with --disable-default-registry-endpoint; upstream containerd would still try it last).")
        }
        if plan.attempts.isEmpty {
            notes.append("containerd has no endpoint at all for this image: the pull fails before any request is made.")
        }
        return notes
    }
}
