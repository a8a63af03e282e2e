import Foundation
import HawserCore
import HawserRegistry
import NIOCore
import NIOSSL

/// Probes the connection part of an attempt, step by step: name resolution,
/// TCP, TLS (or its absence), and whether the port speaks the protocol the
/// configuration assumes. The HTTP answers of `/v2/` come with it.
struct ConnectionProber: Sendable {
    struct Outcome: Sendable {
        var checks: [Check] = []
        var failure: Failure?
        /// containerd's HTTPS-then-HTTP fallback went to HTTP.
        var fellBackToHTTP = false
        /// `GET /v2/` answer, when one came.
        var ping: HTTPHead?
    }

    let timeout: TimeAmount
    /// Whose words the failures are in.
    let containerd: Containerd

    init(timeout: TimeAmount = .seconds(5), containerd: Containerd = .default) {
        self.containerd = containerd
        self.timeout = timeout
    }

    func probe(_ attempt: Attempt, image: ImageReference) async -> Outcome {
        var outcome = Outcome()
        let endpoint = attempt.endpoint
        let hostname = endpoint.hostPort.host
        let url = attempt.containerdRequestURL(for: image)

        if Self.isIPAddress(hostname) {
            outcome.checks.append(Check(.nameResolution, .skipped, "\(hostname) is an IP address"))
        } else {
            switch AddressResolver.resolve(hostname) {
            case .resolved(let addresses):
                outcome.checks.append(Check(.nameResolution, .passed, "\(hostname) resolves", evidence: addresses))
            case .failed(let reason):
                outcome.checks.append(Check(.nameResolution, .failed, "\(hostname) does not resolve: \(reason)"))
                outcome.failure = Failure(.nameResolution, message: "the name \(hostname) does not resolve (\(reason))",
                                          resolverError: .request(url: url, detail: "dial tcp: lookup \(hostname) on \(GoNameserver.first()): no such host"), containerd: containerd)
                return outcome
            }
        }

        switch attempt.transport {
        case .plainHTTP:
            await probePlain(attempt, url: url, into: &outcome)
        case .https(let tls):
            await probeTLS(attempt, tls: tls, url: url, fallback: false, into: &outcome)
        case .httpsThenHTTP(let tls):
            await probeTLS(attempt, tls: tls, url: url, fallback: true, into: &outcome)
        }
        return outcome
    }

    // MARK: Plain HTTP

    func probePlain(_ attempt: Attempt, url: String, into outcome: inout Outcome) async {
        let endpoint = attempt.endpoint
        let exchange = RawExchange(host: endpoint.hostPort.host, port: endpoint.effectivePort, timeout: timeout)
        let result = await exchange.run(tls: nil, serverHostname: nil, send: ProbeRequest.ping(host: endpoint.host, path: endpoint.path))
        guard connected(result, attempt: attempt, url: url, into: &outcome) else { return }
        outcome.checks.append(Check(.tlsHandshake, .skipped, "plain HTTP: no TLS is attempted"))
        if let head = HTTPHead(result.received) {
            if head.isHTTPSPortRefusal {
                outcome.checks.append(Check(.protocolMatch, .failed, "the port speaks TLS: it refused the plain-HTTP request",
                                            evidence: [head.statusLine, head.body.trimmingCharacters(in: .whitespacesAndNewlines)]))
                outcome.failure = Failure(.plainHTTPToTLS, message: "plain HTTP was sent to a TLS port (the server answered \"\(head.statusLine)\")",
                                          resolverError: .status(url: url, code: 400), containerd: containerd, status: 400)
                return
            }
            outcome.checks.append(Check(.protocolMatch, .passed, "the port speaks plain HTTP", evidence: [head.statusLine]))
            outcome.ping = head
        } else if let first = result.received.first, first == 0x15 || first == 0x16 {
            outcome.checks.append(Check(.protocolMatch, .failed, "the port answered with a TLS record: it speaks TLS, not plain HTTP"))
            outcome.failure = Failure(.plainHTTPToTLS, message: "plain HTTP was sent to a TLS port (the server answered with TLS)",
                                      resolverError: .request(url: url, detail: "net/http: HTTP/1.x transport connection broken: malformed HTTP response"), containerd: containerd)
        } else {
            let reason = result.error ?? (result.timedOut ? "no answer before the time-out" : "the connection closed without an answer")
            outcome.checks.append(Check(.protocolMatch, .failed, "no HTTP answer: \(reason)"))
            outcome.failure = Failure(.transport, message: "no HTTP answer from \(endpoint.host): \(reason)",
                                      resolverError: .request(url: url, detail: "EOF"), containerd: containerd)
        }
    }

    // MARK: TLS

    func probeTLS(_ attempt: Attempt, tls: TLSSettings, url: String, fallback: Bool, into outcome: inout Outcome) async {
        let endpoint = attempt.endpoint
        let configuration: TLSConfiguration
        do {
            configuration = try TLSConfigurationFactory.make(tls)
        } catch {
            outcome.checks.append(Check(.tlsHandshake, .failed, "the configured TLS files cannot be used", evidence: ["\(error.reason)"]))
            outcome.failure = Failure(.tlsConfiguration, message: error.reason, containerdMessage: "failed to load TLS configuration: \(error.reason)")
            return
        }
        let hostname = endpoint.hostPort.host
        let sni = Self.isIPAddress(hostname) ? nil : hostname
        let exchange = RawExchange(host: hostname, port: endpoint.effectivePort, timeout: timeout)
        let result = await exchange.run(tls: configuration, serverHostname: sni, send: ProbeRequest.ping(host: endpoint.host, path: endpoint.path))
        if !result.connected, fallback, endpoint.hostPort.port == nil {
            // containerd: without a port, a refused HTTPS connection falls back to HTTP.
            outcome.checks.append(Check(.tcpConnect, .warning, "HTTPS on port 443 refused; containerd falls back to plain HTTP on port 80",
                                        evidence: [result.connectError ?? ""]))
            outcome.fellBackToHTTP = true
            await probePlain(attempt.withScheme(.http), url: url.replacingOccurrences(of: "https://", with: "http://"), into: &outcome)
            return
        }
        guard connected(result, attempt: attempt, url: url, into: &outcome) else { return }
        let error = result.error ?? ""
        let reason = result.tlsReason ?? ""
        if Self.isPlainHTTPAnswer(reason) {
            let plain = await RawExchange(host: hostname, port: endpoint.effectivePort, timeout: timeout)
                .run(tls: nil, serverHostname: nil, send: ProbeRequest.ping(host: endpoint.host, path: endpoint.path))
            let evidence = HTTPHead(plain.received).map { ["the same port answers plain HTTP: \($0.statusLine)"] } ?? [error]
            if fallback {
                outcome.checks.append(Check(.tlsHandshake, .warning, "the server answered the TLS handshake in plain HTTP", evidence: evidence))
                outcome.checks.append(Check(.protocolMatch, .warning, "containerd falls back to plain HTTP for this http:// host"))
                outcome.fellBackToHTTP = true
                await probePlain(attempt.withScheme(.http), url: url.replacingOccurrences(of: "https://", with: "http://"), into: &outcome)
                return
            }
            outcome.checks.append(Check(.tlsHandshake, .failed, "the server answered the TLS handshake in plain HTTP", evidence: evidence))
            outcome.checks.append(Check(.protocolMatch, .failed, "TLS was sent to a plain-HTTP port"))
            outcome.failure = Failure(.tlsToPlainHTTP, message: "TLS was sent to a port that speaks plain HTTP",
                                      resolverError: .request(url: url, detail: "http: server gave HTTP response to HTTPS client"), containerd: containerd)
            return
        }
        if result.errorKind == .hostnameMismatch || reason == "CERTIFICATE_VERIFY_FAILED" {
            let facts = await presentedCertificate(hostname: hostname, sni: sni, port: endpoint.effectivePort)
            let evidence = facts.map { ["certificate subject: \($0.subject)", "issuer: \($0.issuer)", "valid for: \($0.names.joined(separator: ", "))",
                                        "valid until: \($0.notValidAfter)"] } ?? []
            if let facts, facts.isExpired() {
                outcome.checks.append(Check(.tlsHandshake, .failed, "the certificate is expired or not yet valid", evidence: evidence))
                outcome.failure = Failure(.expiredCertificate, message: "the server's certificate is expired or not yet valid (until \(facts.notValidAfter))",
                                          resolverError: .certificate(url: url, x509: "x509: certificate has expired or is not yet valid"), containerd: containerd,
                                          certificate: facts)
            } else if result.errorKind == .hostnameMismatch {
                let names = facts?.names.joined(separator: ", ") ?? "other names"
                outcome.checks.append(Check(.tlsHandshake, .failed, "the certificate does not name \(hostname)", evidence: evidence))
                outcome.failure = Failure(.hostnameMismatch, message: "the certificate is valid for \(names), not \(hostname)",
                                          resolverError: .certificate(url: url, x509: "x509: certificate is valid for \(names), not \(hostname)"), containerd: containerd,
                                          certificate: facts)
            } else {
                let selfSigned = facts?.isSelfSigned == true
                outcome.checks.append(Check(.tlsHandshake, .failed, "the certificate is not trusted (\(selfSigned ? "self-signed" : "unknown authority"))", evidence: evidence))
                outcome.failure = Failure(.untrustedCertificate, message: "the server's certificate is signed by an authority this node does not trust\(selfSigned ? " (it is self-signed)" : "")",
                                          resolverError: .certificate(url: url, x509: "x509: certificate signed by unknown authority"), containerd: containerd,
                                          certificate: facts)
            }
            return
        }
        if Self.isClientCertificateRefusal(reason) {
            outcome.checks.append(Check(.tlsHandshake, .failed, "the server requires a client certificate (mutual TLS)", evidence: [error]))
            let presented = !tls.clientCertificates.isEmpty
            outcome.failure = Failure(.clientCertificateRequired,
                                      message: presented ? "the server refused the client certificate" : "the server requires a client certificate and none was presented",
                                      resolverError: .request(url: url, detail: "remote error: tls: \(presented ? "bad certificate" : "certificate required")"), containerd: containerd)
            return
        }
        guard let head = HTTPHead(result.received) else {
            let reason = error.isEmpty ? (result.timedOut ? "no answer before the time-out" : "the connection closed without an answer") : error
            outcome.checks.append(Check(.tlsHandshake, result.handshakeCompleted ? .passed : .failed,
                                        result.handshakeCompleted ? "TLS handshake completed" : "the TLS handshake failed", evidence: [reason]))
            outcome.failure = Failure(result.handshakeCompleted ? .transport : .tlsOther, message: reason,
                                      resolverError: .request(url: url, detail: "\(reason)"), containerd: containerd)
            return
        }
        let verified = tls.skipVerify == true ? "certificate NOT verified (skip_verify)" : "certificate verified"
        outcome.checks.append(Check(.tlsHandshake, .passed, "TLS handshake completed, \(verified)"))
        outcome.checks.append(Check(.protocolMatch, .passed, "the port speaks HTTPS", evidence: [head.statusLine]))
        outcome.ping = head
    }

    /// The address Go would dial first for a name (the resolver's first answer).
    static func firstAddress(_ host: String) -> String? {
        if case .resolved(let addresses) = AddressResolver.resolve(host) { return addresses.first }
        return nil
    }

    /// host:port as Go writes it, IPv6 in brackets.
    static func goAddress(_ host: String, port: Int) -> String {
        host.contains(":") && !host.hasPrefix("[") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// Records the TCP step; false when the connection could not be made.
    func connected(_ result: RawExchange.Result, attempt: Attempt, url: String, into outcome: inout Outcome) -> Bool {
        let endpoint = attempt.endpoint
        let target = "\(endpoint.hostPort.host):\(endpoint.effectivePort)"
        guard let reason = result.connectError else {
            outcome.checks.append(Check(.tcpConnect, .passed, "connected to \(target)"))
            return true
        }
        // Go names the address it dialled, not the host name: `dial tcp 127.0.0.1:443: …`.
        let dialled = Self.goAddress(Self.isIPAddress(endpoint.hostPort.host) ? endpoint.hostPort.host
                                     : Self.firstAddress(endpoint.hostPort.host) ?? endpoint.hostPort.host, port: endpoint.effectivePort)
        let refused = reason.lowercased().contains("refused")
        let timedOut = reason.lowercased().contains("timed out") || reason.lowercased().contains("timeout")
        outcome.checks.append(Check(.tcpConnect, .failed, "cannot connect to \(target)", evidence: [reason]))
        if refused {
            outcome.failure = Failure(.connectionRefused, message: "connection to \(target) refused",
                                      resolverError: .request(url: url, detail: "dial tcp \(dialled): connect: connection refused"), containerd: containerd)
        } else if timedOut {
            outcome.failure = Failure(.connectionTimeout, message: "connection to \(target) timed out",
                                      resolverError: .request(url: url, detail: "dial tcp \(dialled): i/o timeout"), containerd: containerd)
        } else {
            outcome.failure = Failure(.transport, message: "cannot connect to \(target): \(reason)",
                                      resolverError: .request(url: url, detail: "dial tcp \(dialled): \(reason)"), containerd: containerd)
        }
        return false
    }

    /// The certificate the server presents, read without verifying it.
    func presentedCertificate(hostname: String, sni: String?, port: Int) async -> CertificateFacts? {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .noHostnameVerification
        let result = await RawExchange(host: hostname, port: port, timeout: timeout)
            .run(tls: configuration, serverHostname: sni, captureChain: true, send: [])
        return result.peerCertificates.first
    }

    static func isPlainHTTPAnswer(_ reason: String) -> Bool {
        NetworkErrorText.plainHTTPAnswerReasons.contains(reason)
    }

    /// BoringSSL's reasons when the server refused (or required) a client certificate.
    static func isClientCertificateRefusal(_ reason: String) -> Bool {
        ["CERTIFICATE_REQUIRED", "BAD_CERTIFICATE", "SSLV3_ALERT_HANDSHAKE_FAILURE", "CERTIFICATE_UNKNOWN"].contains { reason.contains($0) }
    }

    static func isIPAddress(_ host: String) -> Bool {
        host.contains(":") || (host.split(separator: ".").count == 4 && host.split(separator: ".").allSatisfy { UInt8($0) != nil })
    }
}

extension Attempt {
    /// The URL containerd's HTTP client is asked for: an HTTPS-first host is
    /// switched to https:// before the request (hosts.go), so its errors name that.
    func containerdRequestURL(for image: ImageReference) -> String {
        if case .httpsThenHTTP = transport { return withScheme(.https).manifestURL(for: image) }
        return manifestURL(for: image)
    }

    /// The same attempt over another scheme (after containerd's HTTP fallback).
    func withScheme(_ scheme: Endpoint.Scheme) -> Attempt {
        Attempt(position: position, role: role, endpoint: endpoint.with(scheme: scheme),
                transport: scheme == .http ? .plainHTTP : transport, capabilities: capabilities, repository: repository,
                rewrite: rewrite, namespace: namespace, credentialsKey: credentialsKey, headers: headers)
    }
}
