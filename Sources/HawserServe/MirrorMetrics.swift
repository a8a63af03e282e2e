import CoreMetrics
import Metrics
import Prometheus

/// What /metrics shows, through swift-metrics with a Prometheus factory of this
/// server's own (not the process-wide bootstrap, so several servers in one test
/// process keep their counts apart). Labels carry routes and statuses only,
/// never names or digests: the number of series stays bounded.
public struct MirrorMetrics: Sendable {
    let registry: PrometheusCollectorRegistry
    let factory: PrometheusMetricsFactory
    let upstreamBytes: CoreMetrics.Counter
    let servedBytes: CoreMetrics.Counter
    let inFlight: CoreMetrics.Meter

    public init() {
        registry = PrometheusCollectorRegistry()
        factory = PrometheusMetricsFactory(registry: registry)
        upstreamBytes = CoreMetrics.Counter(label: "hawser_serve_upstream_bytes_total", factory: factory)
        servedBytes = CoreMetrics.Counter(label: "hawser_serve_served_bytes_total", factory: factory)
        inFlight = CoreMetrics.Meter(label: "hawser_serve_fetches_in_flight", factory: factory)
    }

    func request(route: String, method: String, status: Int) {
        CoreMetrics.Counter(label: "hawser_serve_requests_total", dimensions: [("route", route), ("method", method), ("status", String(status))],
                factory: factory).increment()
    }

    /// kind: "manifest" or "blob"; result: "hit", "miss" or "stale".
    func cache(_ kind: String, _ result: String) {
        CoreMetrics.Counter(label: "hawser_serve_cache_total", dimensions: [("kind", kind), ("result", result)], factory: factory).increment()
    }

    func upstream(bytes: Int) { upstreamBytes.increment(by: Int64(bytes)) }
    func served(bytes: Int) { servedBytes.increment(by: Int64(bytes)) }
    func fetchStarted() { inFlight.increment() }
    func fetchEnded() { inFlight.decrement() }

    /// The Prometheus text exposition.
    public func render() -> [UInt8] { registry.emitToBuffer() }
}
