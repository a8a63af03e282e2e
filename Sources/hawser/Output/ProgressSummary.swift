import HawserCore
import HawserRegistry

/// The `--json` documents of pull and push (`hawser.pull/v1`, `hawser.push/v1`)
/// and the attempt lines printed for people.
struct ProgressSummary: Encodable {
    struct AttemptEntry: Encodable {
        let position: Int
        let url: String
        let endpoint: String
        let transport: String
        /// `served`, `failed` or `not-tried`.
        let outcome: String
        /// For the served attempt: "HTTPS", "plain HTTP", or "plain HTTP after the HTTPS attempt".
        let servedOver: String?
        let error: ErrorEntry?

        init(_ report: AttemptReport) {
            position = report.position
            url = report.url
            endpoint = report.endpoint.description
            transport = report.transport.kind
            switch report.outcome {
            case .served: outcome = "served"
            case .notTried: outcome = "not-tried"
            case .failed: outcome = "failed"
            }
            servedOver = report.servedOver
            error = report.error.map(ErrorEntry.init)
        }
    }

    struct ErrorEntry: Encodable {
        let code: String
        let message: String
        let status: Int?
        let url: String?
        let registryErrors: [DistributionErrorBody.Entry]

        init(_ error: RegistryError) {
            code = error.code.rawValue
            message = error.reason
            status = error.status
            url = error.url
            registryErrors = error.registryErrors
        }

        init(code: String, message: String) {
            self.code = code
            self.message = message
            status = nil
            url = nil
            registryErrors = []
        }
    }

    let schema: String
    let image: String
    var digest: String?
    var mediaType: String?
    var size: Int64?
    var index: String?
    var platform: String?
    var layout: String?
    var name: String?
    var transferredBytes: Int64?
    var skippedBlobs: Int?
    var attempts: [AttemptEntry]
    var error: ErrorEntry?

    init(schema: String, image: ImageReference, attempts: [AttemptReport]) {
        self.schema = schema
        self.image = image.description
        self.attempts = attempts.map(AttemptEntry.init)
    }

    static func pull(_ result: PullResult, name: String?) -> ProgressSummary {
        var summary = ProgressSummary(schema: "hawser.pull/v1", image: result.image, attempts: result.attempts)
        summary.digest = result.manifest.digest.description
        summary.mediaType = result.manifest.mediaType
        summary.size = result.totalSize
        summary.index = result.index?.digest.description
        summary.platform = result.manifest.platform?.description
        summary.layout = result.layoutPath
        summary.name = name
        summary.transferredBytes = result.downloadedBytes
        summary.skippedBlobs = result.skippedBlobs
        return summary
    }

    static func push(_ result: PushResult) -> ProgressSummary {
        var summary = ProgressSummary(schema: "hawser.push/v1", image: result.image, attempts: result.attempts)
        summary.digest = result.manifest.digest.description
        summary.mediaType = result.manifest.mediaType
        summary.size = result.totalSize
        summary.transferredBytes = result.uploadedBytes
        summary.skippedBlobs = result.skippedBlobs
        return summary
    }

    /// The document for a failed pull or push: the error and every attempt.
    static func failure(schema: String, image: ImageReference, error: any Error) -> ProgressSummary {
        let attempts = (error as? AttemptsFailedError)?.attempts ?? []
        var summary = ProgressSummary(schema: schema, image: image, attempts: attempts)
        switch error {
        case let failed as AttemptsFailedError:
            summary.error = failed.primary?.error.map(ErrorEntry.init) ?? ErrorEntry(code: failed.code.rawValue, message: failed.description)
        case let registry as RegistryError:
            summary.error = ErrorEntry(registry)
        case let content as ContentError:
            summary.error = ErrorEntry(code: content.code.rawValue, message: content.reason)
        case let store as StoreError:
            summary.error = ErrorEntry(code: store.code.rawValue, message: store.description)
        default:
            summary.error = ErrorEntry(code: "hawser.error", message: UserFacingError.text(error) ?? "\(error)")
        }
        return summary
    }

    /// "Attempts:" and one line per attempt, for people.
    static func attemptLines(_ reports: [AttemptReport]) -> String {
        guard !reports.isEmpty else { return "" }
        var text = "Attempts:\n"
        for report in reports {
            let outcome: String
            switch report.outcome {
            case .served: outcome = Terminal.green(report.summary)
            case .notTried: outcome = Terminal.dim("not tried")
            case .failed: outcome = Terminal.red(report.summary)
            }
            text += "  \(report.position). \(report.url)  [\(report.transport.kind)]  \(outcome)\n"
        }
        return text
    }
}
