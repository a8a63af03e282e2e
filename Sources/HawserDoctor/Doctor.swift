import HawserCore
import HawserRegistry
import Logging
import NIOCore

/// `hawser doctor`: runs the plan live, attempt by attempt, checks every step
/// (name, TCP, TLS, protocol, `/v2/`, auth, manifest), and names the root cause.
public struct Doctor: Sendable {
    public let configuration: HostsConfiguration
    public let options: RenderOptions
    public let containerd: Containerd
    public let timeout: TimeAmount
    /// The platform a pull would choose from an index.
    public let platform: Platform

    public init(configuration: HostsConfiguration, options: RenderOptions = .init(), containerd: Containerd = .default,
                timeout: TimeAmount = .seconds(5), platform: Platform = .current) {
        self.configuration = configuration
        self.options = options
        self.containerd = containerd
        self.timeout = timeout
        self.platform = platform
    }

    public func diagnose(_ image: ImageReference) async throws -> DoctorReport {
        let plans = try configuration.plans(for: image)
        let plan = plans.plan(containerd)
        let findings = relevantFindings(for: plan)
        let configuration = configuration
        let signature = PlanVariants.signature(plan)
        let analyzer = RootCauseAnalyzer(plan: plan, config: configuration.registries, findings: findings) { other in
            PlanVariants.signature(plans.plan(other)) == signature
        }
        // containerd reads every TLS file before its first request: when one is unreadable, nothing is contacted.
        if plan.tlsFileFailsPull { return analyzer.report([]) }
        let pool = HTTPClientPool(connectTimeout: timeout, readTimeout: timeout * 2)
        let tokenCache = TokenCache()
        var diagnoses: [AttemptDiagnosis] = []
        for attempt in plan.attempts {
            diagnoses.append(await diagnose(attempt, image: image, pool: pool, tokenCache: tokenCache))
        }
        await pool.shutdown()
        return analyzer.report(diagnoses)
    }

    func diagnose(_ attempt: Attempt, image: ImageReference, pool: HTTPClientPool, tokenCache: TokenCache) async -> AttemptDiagnosis {
        let url = attempt.manifestURL(for: image)
        var connection = await ConnectionProber(timeout: timeout, containerd: containerd).probe(attempt, image: image)
        if let failure = connection.failure {
            return AttemptDiagnosis(attempt: attempt, url: url, checks: connection.checks, failure: failure, digest: nil,
                                    fellBackToHTTP: connection.fellBackToHTTP)
        }
        if let ping = connection.ping {
            if ping.status == 401 {
                let challenge = ping.header("WWW-Authenticate") ?? "no WWW-Authenticate header"
                connection.checks.append(Check(.ping, .passed, "/v2/ asks for authentication", evidence: [ping.statusLine, challenge]))
                if let realm = Self.realmCheck(challenge, attempt: attempt) { connection.checks.append(realm) }
            } else if ping.status == 200 {
                connection.checks.append(Check(.ping, .passed, "/v2/ answers without authentication", evidence: [ping.statusLine]))
            } else {
                connection.checks.append(Check(.ping, .warning, "/v2/ answered \(ping.statusLine)", evidence: [ping.statusLine]))
            }
        }
        let effective = connection.fellBackToHTTP ? attempt.withScheme(.http) : attempt
        let credentials = attempt.credentialsKey.flatMap(configuration.credentials(forKey:))
        let client = RegistryClient(attempt: effective, credentials: credentials, access: .pull, pool: pool, tokenCache: tokenCache,
                                    logger: Logger(label: "hawser.doctor"))
        do {
            // Exactly what a pull asks of the host before its first blob, with the
            // same limits (size, JSON, media type, nesting, sizes, platform).
            let selected = try await client.selectManifest(for: image, platform: platform)
            let digest: String? = selected.resolvedDigest.description
            if connection.ping?.status == 401 {
                let how = attempt.credentialsKey.map { "with the credentials of configs.\"\($0)\"" } ?? "anonymously"
                connection.checks.append(Check(.authentication, .passed, "authenticated \(how)"))
            }
            connection.checks.append(Check(.manifest, .passed, "the manifest of \(image.manifestReference) is there and passes the checks a pull applies",
                                           evidence: [digest ?? "", "image manifest \(selected.manifest.descriptor.digest)" + (selected.platform.map { " for \($0)" } ?? "")]))
            return AttemptDiagnosis(attempt: attempt, url: url, checks: connection.checks, failure: nil, digest: digest,
                                    fellBackToHTTP: connection.fellBackToHTTP)
        } catch {
            // Go's client names the URL it was asked for (https:// for an HTTPS-first host) in a
            // transport error, and the URL that answered (http:// after the fallback) in a status error.
            let failure = Self.failure(from: error, attempt: attempt, image: image, url: attempt.containerdRequestURL(for: image),
                                       responseURL: effective.manifestURL(for: image), challenge: connection.ping?.header("WWW-Authenticate"),
                                       containerd: containerd)
            let kind: Check.Kind = [.unauthorized, .tokenRefused].contains(failure.kind) ? .authentication : .manifest
            if kind == .manifest, connection.ping?.status == 401 {
                connection.checks.append(Check(.authentication, .passed, "authenticated"))
            }
            connection.checks.append(Check(kind, .failed, failure.message, evidence: [NetworkErrorText.describe(error)]))
            return AttemptDiagnosis(attempt: attempt, url: url, checks: connection.checks, failure: failure, digest: nil,
                                    fellBackToHTTP: connection.fellBackToHTTP)
        }
    }

    static func failure(from error: any Error, attempt: Attempt, image: ImageReference, url: String, responseURL: String? = nil,
                        challenge: String? = nil, containerd: Containerd = .default) -> Failure {
        let answered = responseURL ?? url
        let sent = attempt.credentialsKey != nil
        if let content = error as? ContentError {
            // What the pull itself would refuse: the content, not the connection.
            return Failure(.httpStatus, message: "the registry serves the manifest, but a pull refuses it: \(content)",
                           containerdMessage: "failed to resolve reference \"\(image)\": \(content.reason)", credentialsSent: sent)
        }
        guard let error = error as? RegistryError else {
            let text = NetworkErrorText.describe(error)
            return Failure(.transport, message: text, resolverError: .request(url: url, detail: text), containerd: containerd)
        }
        let status = error.status
        let registrySays = error.registryErrors.map(\.description).joined(separator: "; ")
        let detail = registrySays.isEmpty ? error.reason : registrySays
        switch error.code {
        case .unauthorized:
            return Failure(.unauthorized, message: sent ? "the credentials were refused (HTTP 401: \(detail))" : "authentication required and no credentials apply (HTTP 401: \(detail))",
                           resolverError: Self.unauthorizedError(url: answered, credentialsSent: sent, challenge: challenge), containerd: containerd,
                           status: 401, credentialsSent: sent)
        case .authentication:
            return Failure(.tokenRefused, message: "the token service refused the request (\(error.reason))",
                           containerdMessage: "failed to authorize: failed to fetch \(sent ? "oauth" : "anonymous") token: unexpected status from GET request to \(error.url ?? "the token realm"): \(status.map { "\($0)" } ?? "") Unauthorized",
                           status: status, credentialsSent: sent)
        case .forbidden:
            return Failure(.forbidden, message: "access denied (HTTP 403: \(detail))",
                           resolverError: .status(url: answered, code: 403), containerd: containerd, status: 403, credentialsSent: sent)
        case .notFound:
            return Failure(.notFound, message: "\(attempt.repository):\(image.manifestReference) is not on this host (HTTP 404\(registrySays.isEmpty ? "" : ": \(registrySays)"))",
                           resolverError: .notFound(reference: image.description), containerd: containerd, status: 404, credentialsSent: sent)
        case .httpStatus, .invalidResponse, .content, .tooManyRedirects:
            return Failure(.httpStatus, message: error.description,
                           resolverError: status.map { .status(url: answered, code: $0) } ?? .request(url: url, detail: error.reason), containerd: containerd,
                           status: status, credentialsSent: sent)
        case .httpResponseToHTTPS:
            return Failure(.tlsToPlainHTTP, message: "TLS was sent to a port that speaks plain HTTP",
                           resolverError: .request(url: url, detail: "http: server gave HTTP response to HTTPS client"), containerd: containerd)
        case .tls, .tlsConfiguration, .transport:
            return Failure(error.code == .tlsConfiguration ? .tlsConfiguration : .transport, message: error.reason,
                           resolverError: .request(url: url, detail: error.reason), containerd: containerd)
        }
    }

    /// What a 401 that survives authentication ends in (authorizer.go AddResponses):
    /// a Basic challenge with no credentials for the host is an authorization error
    /// (by version: ResolverError.text); a Bearer challenge saying insufficient_scope
    /// likewise; anything else is retried and ends as a status error. ctr and the CRI
    /// both give the resolver a credentials function, so they agree.
    static func unauthorizedError(url: String, credentialsSent: Bool, challenge: String?) -> ResolverError {
        let scheme = challenge?.split(separator: " ").first?.lowercased()
        if !credentialsSent && scheme == "basic" { return .basicWithoutCredentials(url: url) }
        if scheme == "bearer", let challenge, challenge.contains("error=\"insufficient_scope\"") { return .insufficientScope }
        return .status(url: url, code: 401)
    }

    /// `hawser check` findings that mention this image's registry or one of the hosts it contacts.
    func relevantFindings(for plan: Plan) -> [Finding] {
        guard let registries = configuration.registries else { return configuration.findings }
        let all = Linter(options: options, containerd: containerd).check(RegistriesConfig.Loaded(config: registries, findings: configuration.findings))
        let names = Set([plan.image.registry] + plan.attempts.map(\.endpoint.host) + plan.attempts.compactMap(\.credentialsKey))
        return all.filter { finding in
            names.contains { finding.message.contains("`\($0)`") || finding.message.contains("\"\($0)\"") || finding.message.contains("//\($0)/") || finding.message.contains("//\($0) ") }
        }
    }
}
