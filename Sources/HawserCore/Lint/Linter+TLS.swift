extension Linter {
    func tlsFindings(_ context: LintContext) -> [Finding] {
        var findings: [Finding] = []
        for entry in context.config.configs {
            guard let tls = entry.tls else { continue }
            let uses = context.uses(ofConfig: entry.key)
            let location = entry.tlsLocation ?? entry.location
            if tls.insecureSkipVerify {
                let plain = uses.filter { $0.address.scheme == "http" && context.transport(for: $0.address, tls: tls) == .plainHTTP }
                if let first = plain.first {
                    let https = uses.filter { $0.address.scheme == "https" }.map(\.address.url)
                    var consequence = "\(first.address.url) is plain HTTP: there is no certificate to skip, so the setting does nothing there. insecure_skip_verify never turns HTTPS into HTTP"
                    if !https.isEmpty { consequence += "; it only reaches the HTTPS endpoint(s) \(Set(https).sorted().joined(separator: ", "))" }
                    findings.append(Finding(
                        .skipVerifyOnHTTP, at: tls.insecureSkipVerifyLocation ?? location,
                        "insecure_skip_verify under configs.\"\(entry.key)\" applies to a plain-HTTP endpoint",
                        consequence: consequence,
                        fix: "remove insecure_skip_verify; an http:// endpoint is what makes containerd use plain HTTP"))
                }
            }
            if tls.caFile != nil || tls.certFile != nil {
                for use in uses where use.address.scheme == "http" && context.transport(for: use.address, tls: tls) == .plainHTTP {
                    findings.append(Finding(
                        .tlsOnPlainHTTPHost, at: location,
                        "CA or client certificate under configs.\"\(entry.key)\" applies to plain-HTTP endpoint \(use.address.url) on port 80",
                        consequence: "no TLS happens on that endpoint, so the files are never used",
                        fix: "use an https:// endpoint if the registry speaks TLS, or remove the files"))
                    break
                }
            }
            if (tls.certFile == nil) != (tls.keyFile == nil) {
                findings.append(Finding(
                    .tlsFilesIncomplete, at: location,
                    "configs.\"\(entry.key)\".tls has \(tls.certFile == nil ? "key_file without cert_file" : "cert_file without key_file")",
                    consequence: tls.certFile == nil ? "K3s writes no client certificate at all; the key is ignored" : "K3s writes client = [[cert, \"\"]] and containerd fails to load the client certificate unless the file also holds the key",
                    fix: "give both cert_file and key_file"))
            }
            for use in uses where use.address.scheme == "http" && context.transport(for: use.address, tls: tls) != .plainHTTP {
                findings.append(Finding(
                    .httpsFirstFallback, at: use.value?.location ?? location,
                    "\(use.address.url) is written http:// but has TLS settings (configs.\"\(entry.key)\") and a port other than 80",
                    consequence: "containerd 1.7.7+/2.x tries HTTPS first with those settings and falls back to plain HTTP only when the server answers in HTTP",
                    fix: "nothing to fix if intended; remove the tls settings to go straight to HTTP"))
            }
        }
        return findings
    }
}
