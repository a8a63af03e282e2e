/// Which of several attempt failures tells the user most. containerd 2.x
/// prefers "other HTTP error" over "not found" over transport errors, and so
/// reports the fallback server's "HTTP response to HTTPS client" when a mirror's
/// real problem was its credentials. Hawser ranks what points at a cause
/// (bad content, refused credentials, a certificate problem, a server error)
/// above what only says "not here" or "not reachable", and a scheme mismatch
/// on the implicit HTTPS server last; on a tie the earliest attempt wins.
enum FailureRanking {
    static func rank(_ error: RegistryError) -> Int {
        switch error.code {
        case .content: 100
        case .unauthorized, .forbidden, .authentication: 90
        case .tlsConfiguration: 85
        case .tls: 80
        case .httpStatus, .invalidResponse, .tooManyRedirects: 70
        case .notFound: 50
        case .transport: 40
        case .httpResponseToHTTPS: 30
        }
    }

    static func mostTelling(_ reports: [AttemptReport]) -> AttemptReport? {
        var best: (report: AttemptReport, rank: Int)?
        for report in reports {
            guard let error = report.error else { continue }
            let value = rank(error)
            if best == nil || value > (best?.rank ?? 0) { best = (report, value) }
        }
        return best?.report
    }
}
