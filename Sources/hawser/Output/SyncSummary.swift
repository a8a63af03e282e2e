import HawserCore
import HawserRegistry
import HawserTransfer

/// The `--json` document of `hawser sync` (`hawser.sync/v1`, docs/json.md).
struct SyncSummary: Encodable {
    struct Image: Encodable {
        let line: Int
        let source: String
        let destination: String
        /// `planned` (--dry-run), `copied`, `present` or `failed`.
        let outcome: String
        var digest: String?
        var transferredBytes: Int64?
        var error: CopySummary.ErrorEntry?
    }

    let schema = "hawser.sync/v1"
    let list: String
    let images: [Image]
    let copied: Int
    let present: Int
    let failed: Int

    init(list: String, mappings: [SyncMapping]) {
        self.list = list
        images = mappings.map { Image(line: $0.entry.line, source: $0.source.description, destination: $0.destinationName, outcome: "planned") }
        copied = 0
        present = 0
        failed = 0
    }

    init(list: String, outcomes: [SyncOutcome]) {
        self.list = list
        var copied = 0, present = 0, failed = 0
        images = outcomes.map { outcome in
            let mapping = outcome.mapping
            var image = Image(line: mapping.entry.line, source: mapping.source.description, destination: mapping.destinationName, outcome: "")
            switch outcome.status {
            case .copied(let result):
                copied += 1
                image = Image(line: image.line, source: image.source, destination: image.destination, outcome: "copied",
                              digest: result.manifest.digest.description, transferredBytes: result.transferredBytes)
            case .skipped(let digest):
                present += 1
                image = Image(line: image.line, source: image.source, destination: image.destination, outcome: "present",
                              digest: digest.description, transferredBytes: 0)
            case .failed(let error):
                failed += 1
                image = Image(line: image.line, source: image.source, destination: image.destination, outcome: "failed",
                              error: CopySummary.ErrorEntry(error))
            }
            return image
        }
        self.copied = copied
        self.present = present
        self.failed = failed
    }

    static func code(of error: any Error) -> String {
        CopySummary.ErrorEntry(error).code
    }
}
