import HawserCore

extension RootCauseAnalyzer {
    func cause(for diagnosis: AttemptDiagnosis, failure: Failure, all: [AttemptDiagnosis]) -> (RootCause, Fix?) {
        let attempt = diagnosis.attempt
        let host = attempt.endpoint.host
        let position = attempt.position
        let where_ = "attempt \(position) (\(attempt.endpoint), \(attempt.reason))"
        let evidence = [where_ + ": " + failure.message] + diagnosis.checks.filter { $0.status == .failed }.flatMap(\.evidence)
        let endpointLine = locator.endpointValue(for: attempt)
        let configEntry = locator.configEntry(for: attempt)
        let file = locator.file

        switch failure.kind {
        case .tlsToPlainHTTP:
            let skip = configEntry?.tls?.insecureSkipVerify == true
            var summary = "\(host) speaks plain HTTP, but the configuration makes containerd talk TLS to it (\(attempt.endpoint.scheme.rawValue)://)."
            if skip { summary += " insecure_skip_verify does not change that: it only skips certificate checks, it never turns HTTPS into HTTP." }
            let fixed = "http://\(host)"
            if let endpointLine {
                return (RootCause(.plainHTTPRegistryAsHTTPS, summary, evidence: evidence, attempt: position),
                        Fix("Write the endpoint with http:// so containerd uses plain HTTP\(skip ? ", and drop insecure_skip_verify (it does nothing for HTTP)" : "").",
                            key: "mirrors.\"\(locator.mirror?.key ?? image.registry)\".endpoint", file: file, line: endpointLine.location?.line,
                            write: "- \"\(fixed)\""))
            }
            return (RootCause(.plainHTTPRegistryAsHTTPS, summary, evidence: evidence, attempt: position),
                    Fix("Add a mirror for \(image.registry) whose endpoint is written http://, so containerd uses plain HTTP\(skip ? "; insecure_skip_verify alone never does" : "").",
                        key: "mirrors.\"\(image.registry)\".endpoint", file: file, line: locator.mirror?.location?.line,
                        write: "mirrors:\n  \"\(image.registry)\":\n    endpoint:\n      - \"\(fixed)\""))

        case .plainHTTPToTLS:
            return (RootCause(.tlsRegistryAsHTTP, "\(host) speaks TLS, but the endpoint is written http://, so containerd sends plain HTTP to a TLS port.",
                              evidence: evidence, attempt: position),
                    Fix("Write the endpoint with https://, and trust the registry's CA under configs.\"\(host)\".tls.ca_file if it is private.",
                        key: "mirrors.\"\(locator.mirror?.key ?? image.registry)\".endpoint", file: file, line: endpointLine?.location?.line,
                        write: "- \"https://\(host)\"\nconfigs:\n  \"\(host)\":\n    tls:\n      ca_file: /path/to/registry-ca.pem"))

        case .untrustedCertificate:
            if configEntry?.tls == nil, let misplaced = locator.misplacedTLS(for: attempt) {
                return (RootCause(.tlsSettingsUnderWrongKey,
                                  "The TLS settings under configs.\"\(misplaced.key)\" do not reach \(host): configs apply to the host actually contacted, so \(host) is verified against the system trust only and its certificate is not trusted.",
                                  evidence: evidence + ["configs.\"\(misplaced.key)\".tls is set" + (misplaced.location.map { " (line \($0.line))" } ?? ""), "no configs entry for \(host)"],
                                  attempt: position),
                        Fix("Move the tls section to a configs entry keyed by the mirror host exactly: `\(host)`.",
                            key: ConfigLocator.configsPath(host, "tls"), file: file, line: misplaced.tlsLocation?.line ?? misplaced.location?.line,
                            write: "configs:\n  \"\(host)\":\n    tls:\n" + tlsLines(misplaced.tls)))
            }
            let selfSigned = failure.certificate?.isSelfSigned == true
            return (RootCause(.untrustedCertificate,
                              "\(host)'s certificate is \(selfSigned ? "self-signed, and this node does not trust it" : "signed by an authority this node does not trust")\(configEntry?.tls?.caFile != nil ? ", not even with the configured ca_file" : "").",
                              evidence: evidence, attempt: position),
                    Fix("Give containerd the CA that signed the registry's certificate.", key: ConfigLocator.configsPath(host, "tls.ca_file"),
                        file: file, line: configEntry?.location?.line,
                        write: "configs:\n  \"\(host)\":\n    tls:\n      ca_file: /etc/rancher/k3s/\(HostPort(host).host)-ca.pem"))

        case .hostnameMismatch:
            let names = failure.certificate?.names ?? []
            return (RootCause(.certificateNameMismatch,
                              "\(host)'s certificate does not name \(HostPort(host).host)" + (names.isEmpty ? "." : "; it is valid for \(names.joined(separator: ", "))."),
                              evidence: evidence, attempt: position),
                    Fix(names.isEmpty ? "Reissue the registry's certificate with \(HostPort(host).host) in its subjectAltName."
                        : "Use a name the certificate holds in the endpoint (e.g. \(names[0])), or reissue the certificate with \(HostPort(host).host) in its subjectAltName.",
                        key: "mirrors.\"\(locator.mirror?.key ?? image.registry)\".endpoint", file: file, line: endpointLine?.location?.line,
                        write: names.first.map { "- \"https://\($0)\(HostPort(host).port.map { ":\($0)" } ?? "")\"" }))

        case .expiredCertificate:
            let until = failure.certificate.map { "\($0.notValidAfter)" } ?? "its end date"
            return (RootCause(.certificateExpired, "\(host)'s certificate is expired or not yet valid (valid until \(until)).", evidence: evidence, attempt: position),
                    Fix("Renew the registry's certificate; skipping verification (insecure_skip_verify) only hides the problem.",
                        key: ConfigLocator.configsPath(host, "tls"), file: file, line: configEntry?.location?.line))

        case .clientCertificateRequired:
            let has = configEntry?.tls?.certFile != nil
            return (RootCause(.clientCertificateRequired,
                              has ? "\(host) refused the client certificate configured under configs.\"\(configEntry?.key ?? host)\"."
                                  : "\(host) requires a client certificate (mutual TLS) and none is configured for it.",
                              evidence: evidence, attempt: position),
                    Fix(has ? "Configure a client certificate that the registry's client CA signed." : "Add a client certificate and key for this host.",
                        key: ConfigLocator.configsPath(host, "tls.cert_file"), file: file, line: configEntry?.location?.line,
                        write: "configs:\n  \"\(host)\":\n    tls:\n      cert_file: /etc/rancher/k3s/client.pem\n      key_file: /etc/rancher/k3s/client-key.pem"))

        case .tlsConfiguration:
            return (RootCause(.tlsFilesUnusable, "The TLS files configured for \(host) cannot be used: \(failure.message)", evidence: evidence, attempt: position),
                    Fix("Point ca_file/cert_file/key_file at readable PEM files on the node.", key: ConfigLocator.configsPath(host, "tls"),
                        file: file, line: configEntry?.tlsLocation?.line))

        case .tlsOther:
            return (RootCause(.tlsHandshakeFailed, "The TLS handshake with \(host) failed: \(failure.message)", evidence: evidence, attempt: position),
                    Fix("Check the registry's TLS setup (protocol versions, certificate) and configs.\"\(host)\".tls.", key: ConfigLocator.configsPath(host, "tls"),
                        file: file, line: configEntry?.location?.line))

        case .unauthorized, .tokenRefused:
            return authenticationCause(diagnosis, failure: failure, evidence: evidence)

        case .forbidden:
            return (RootCause(.accessDenied, "\(host) knows who you are but denies access to \(attempt.repository) (HTTP 403).", evidence: evidence, attempt: position),
                    Fix("Grant the account of configs.\"\(attempt.credentialsKey ?? host)\" pull access to the repository (e.g. add the robot account to the Harbor project).",
                        key: ConfigLocator.configsPath(attempt.credentialsKey ?? host, "auth"), file: file, line: configEntry?.authLocation?.line))

        case .nameResolution:
            return (RootCause(.nameNotResolved, "The name \(HostPort(host).host) does not resolve on this node.", evidence: evidence, attempt: position),
                    Fix("Fix DNS (or /etc/hosts) for \(HostPort(host).host), or use a name or IP that resolves.", key: nil, file: file, line: endpointLine?.location?.line))

        case .connectionRefused:
            return (RootCause(.connectionRefused, "Nothing accepts connections on \(host) (port \(attempt.endpoint.effectivePort)): connection refused.",
                              evidence: evidence, attempt: position),
                    Fix(attempt.endpoint.hostPort.port == nil
                        ? "Start the registry, or write the port it listens on in the endpoint (without one, \(attempt.endpoint.scheme.rawValue):// means port \(attempt.endpoint.effectivePort))."
                        : "Start the registry on port \(attempt.endpoint.effectivePort), or correct the port in the endpoint.",
                        key: "mirrors.\"\(locator.mirror?.key ?? image.registry)\".endpoint", file: file, line: endpointLine?.location?.line))

        case .connectionTimeout:
            return (RootCause(.connectionTimeout, "Connecting to \(host) timed out: a firewall drops the packets or the host is down.", evidence: evidence, attempt: position),
                    Fix("Check the route and firewall between the node and \(host).", file: file, line: endpointLine?.location?.line))

        case .httpStatus, .transport:
            return (RootCause(.registryError, "\(host) failed to serve the manifest: \(failure.message)", evidence: evidence, attempt: position),
                    Fix("Look at the registry's own logs for this request.", file: file))

        case .notFound:
            return notFoundEverywhere(all)
        }
    }

    func authenticationCause(_ diagnosis: AttemptDiagnosis, failure: Failure, evidence: [String]) -> (RootCause, Fix?) {
        let attempt = diagnosis.attempt
        let host = attempt.endpoint.host
        let file = locator.file
        if let key = attempt.credentialsKey {
            let entry = config?.config(key)
            return (RootCause(.wrongCredentials, "\(host) refused the credentials of configs.\"\(key)\"\(failure.kind == .tokenRefused ? " at its token service" : "") (HTTP 401).",
                              evidence: evidence, attempt: attempt.position),
                    Fix("Correct the username/password (or token) under configs.\"\(key)\".auth.", key: ConfigLocator.configsPath(key, "auth"),
                        file: file, line: entry?.authLocation?.line,
                        write: "configs:\n  \"\(key)\":\n    auth:\n      username: <user>\n      password: <password>"))
        }
        if let misplaced = locator.misplacedAuth(for: attempt) {
            return (RootCause(.credentialsUnderWrongKey,
                              "\(host) requires credentials; they are configured under configs.\"\(misplaced.key)\", which is not the host contacted, so containerd sends none.",
                              evidence: evidence + ["configs.\"\(misplaced.key)\".auth is set" + (misplaced.authLocation.map { " (line \($0.line))" } ?? "")],
                              attempt: attempt.position),
                    Fix("Move the auth section to the key of the host actually contacted: `\(host)`.", key: ConfigLocator.configsPath(host, "auth"),
                        file: file, line: misplaced.authLocation?.line,
                        write: "configs:\n  \"\(host)\":\n    auth:\n      username: <user>\n      password: <password>"))
        }
        return (RootCause(.noCredentials, "\(host) requires credentials for \(attempt.repository) and none are configured for it (the pull is anonymous).",
                          evidence: evidence, attempt: attempt.position),
                Fix("Add credentials for this host.", key: ConfigLocator.configsPath(host, "auth"), file: file,
                    write: "configs:\n  \"\(host)\":\n    auth:\n      username: <user>\n      password: <password>"))
    }

    func notOnMirror(_ mirror: AttemptDiagnosis, fallback: AttemptDiagnosis) -> (RootCause, Fix?) {
        let attempt = mirror.attempt
        let fallbackText = "the fallback \(fallback.attempt.endpoint) then failed: \(fallback.failure?.message ?? "")"
        if let rewrite = attempt.rewrite {
            return (RootCause(.rewriteToMissingRepository,
                              "The rewrite \"\(rewrite.pattern)\" → \"\(rewrite.replacement)\" sends \(rewrite.original) to \(rewrite.rewritten) on \(attempt.endpoint.host), which does not have it (404).",
                              evidence: ["attempt \(attempt.position): \(mirror.url) answered 404", fallbackText], attempt: attempt.position),
                    Fix("Correct the rewrite so that it produces the repository's path on the mirror.",
                        key: "mirrors.\"\(locator.mirror?.key ?? image.registry)\".rewrite", file: locator.file, line: rewriteLine(rewrite)))
        }
        return (RootCause(.imageNotOnMirror,
                          "The mirror \(attempt.endpoint.host) does not have \(attempt.repository):\(image.tag ?? image.manifestReference) (404), and the fallback cannot serve it either.",
                          evidence: ["attempt \(attempt.position): \(mirror.url) answered 404", fallbackText], attempt: attempt.position),
                Fix("Push the image to the mirror (or enable its proxy cache for \(image.registry)); a mirror only serves what it holds.",
                    key: "mirrors.\"\(locator.mirror?.key ?? image.registry)\".endpoint", file: locator.file,
                    line: locator.endpointValue(for: attempt)?.location?.line))
    }

    func notFoundEverywhere(_ attempts: [AttemptDiagnosis]) -> (RootCause, Fix?) {
        if let rewritten = attempts.first(where: { $0.attempt.rewrite != nil }), let rewrite = rewritten.attempt.rewrite {
            return (RootCause(.rewriteToMissingRepository,
                              "The rewrite \"\(rewrite.pattern)\" sends \(rewrite.original) to \(rewrite.rewritten) on \(rewritten.attempt.endpoint.host), which does not have it; no other host has the image either.",
                              evidence: attempts.map { "attempt \($0.attempt.position): \($0.url) answered 404" }, attempt: rewritten.attempt.position),
                    Fix("Correct the rewrite so that it produces the repository's path on the mirror.",
                        key: "mirrors.\"\(locator.mirror?.key ?? image.registry)\".rewrite", file: locator.file, line: rewriteLine(rewrite)))
        }
        return (RootCause(.imageNotFound, "No host of the plan has \(image): every one answered 404.",
                          evidence: attempts.map { "attempt \($0.attempt.position): \($0.url) answered 404" }, attempt: attempts.first?.attempt.position),
                Fix("Check the image name and tag, or push the image to the registry.", file: locator.file))
    }

    func rewriteLine(_ rewrite: Attempt.Rewrite) -> Int? {
        locator.mirror?.rewrites.first { $0.pattern == rewrite.pattern }?.location?.line
    }

    func tlsLines(_ tls: TLSConfig?) -> String {
        guard let tls else { return "" }
        var lines: [String] = []
        if let ca = tls.caFile { lines.append("      ca_file: \(ca)") }
        if let cert = tls.certFile { lines.append("      cert_file: \(cert)") }
        if let key = tls.keyFile { lines.append("      key_file: \(key)") }
        if tls.insecureSkipVerify { lines.append("      insecure_skip_verify: true") }
        return lines.joined(separator: "\n")
    }
}
