import HawserCore
import HawserRegistry
import Logging
import NIOCore

/// Probes every endpoint the node's hosts.toml files name (mirrors and default
/// hosts), one registry folder at a time, with the doctor's probes and its
/// root-cause analysis, but without an image: the test is `GET /v2/` with the
/// credentials that would go to that host.
public struct NodeProber: Sendable {
    public let configuration: HostsConfiguration
    public let containerd: Containerd
    public let timeout: TimeAmount

    public init(configuration: HostsConfiguration, containerd: Containerd = .default, timeout: TimeAmount = .seconds(5)) {
        self.configuration = configuration
        self.containerd = containerd
        self.timeout = timeout
    }

    /// Each endpoint once, in registry order then plan order.
    public func probe(registries: [String]) async -> [EndpointCheck] {
        let pool = HTTPClientPool(connectTimeout: timeout, readTimeout: timeout * 2)
        let tokenCache = TokenCache()
        var seen = Set<String>()
        var results: [EndpointCheck] = []
        for registry in registries {
            guard let image = try? ImageReference(parsing: "\(registry)/hawser/probe:latest"),
                  let plan = try? configuration.plan(for: image, containerd: containerd) else { continue }
            for attempt in plan.attempts where seen.insert("\(attempt.endpoint)|\(attempt.transport.kind)|\(attempt.credentialsKey ?? "")").inserted {
                results.append(await check(attempt, plan: plan, pool: pool, tokenCache: tokenCache))
            }
        }
        await pool.shutdown()
        return results
    }

    func check(_ attempt: Attempt, plan: Plan, pool: HTTPClientPool, tokenCache: TokenCache) async -> EndpointCheck {
        var connection = await ConnectionProber(timeout: timeout, containerd: containerd).probe(attempt, image: plan.image)
        var failure = connection.failure
        if failure == nil {
            let effective = connection.fellBackToHTTP ? attempt.withScheme(.http) : attempt
            let credentials = attempt.credentialsKey.flatMap(configuration.credentials(forKey:))
            let client = RegistryClient(attempt: effective, credentials: credentials, access: .pull, pool: pool, tokenCache: tokenCache,
                                        logger: Logger(label: "hawser.node"))
            do {
                try await client.checkAPI()
                connection.checks.append(Check(.authentication, .passed, "GET /v2/ answers 200" + (attempt.credentialsKey.map { " with the credentials of configs.\"\($0)\"" } ?? "")))
            } catch {
                failure = Doctor.failure(from: error, attempt: attempt, image: plan.image, url: attempt.containerdRequestURL(for: plan.image),
                                         challenge: connection.ping?.header("WWW-Authenticate"), containerd: containerd)
                if let failure { connection.checks.append(Check(.authentication, .failed, failure.message)) }
            }
        }
        let role: String
        if case .mirror = attempt.role { role = "mirror" } else { role = "server" }
        var rootCause: DoctorDocument.RootCauseDocument?
        var fix: Fix?
        if let failure {
            let diagnosis = AttemptDiagnosis(attempt: attempt, url: attempt.manifestURL(for: plan.image), checks: connection.checks,
                                             failure: failure, digest: nil, fellBackToHTTP: connection.fellBackToHTTP)
            let single = Plan(image: plan.image, source: plan.source, attempts: [attempt], containerd: plan.containerd)
            let report = RootCauseAnalyzer(plan: single, config: configuration.registries, findings: []).report([diagnosis])
            rootCause = DoctorDocument.RootCauseDocument(code: report.rootCause.code.rawValue, slug: report.rootCause.code.slug,
                                                         summary: report.rootCause.summary, evidence: report.rootCause.evidence, attempt: nil)
            fix = report.fix
        }
        return EndpointCheck(registry: plan.image.registry, endpoint: attempt.endpoint.description, transport: attempt.transport.kind,
                             role: role, credentialsKey: attempt.credentialsKey, healthy: failure == nil, checks: connection.checks,
                             rootCause: rootCause, fix: fix)
    }
}
