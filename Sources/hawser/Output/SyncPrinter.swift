import HawserCore
import HawserTransfer

/// `hawser sync` for people: the mapping (`--dry-run`), a line per image as it
/// ends, and the summary table.
enum SyncPrinter {
    static func mapping(_ mappings: [SyncMapping]) -> String {
        var text = ""
        for mapping in mappings {
            text += "\(mapping.source) → \(mapping.destinationName)\n"
        }
        return text
    }

    static func line(_ outcome: SyncOutcome) -> String {
        let names = "\(outcome.mapping.source) → \(outcome.mapping.destinationName)"
        switch outcome.status {
        case .copied(let result): return "\(Terminal.green("copied"))  \(names)  \(ProgressFormat.bytes(result.transferredBytes)) sent"
        case .skipped: return "\(Terminal.dim("present")) \(names)"
        case .failed(let error): return "\(Terminal.red("FAILED"))  \(names)\n  \(error)"
        }
    }

    static func word(_ status: SyncOutcome.Status) -> String {
        switch status {
        case .copied: "copied"
        case .skipped: "present"
        case .failed: "FAILED"
        }
    }

    /// One row per image: outcome, source, destination, digest or error code.
    static func table(_ outcomes: [SyncOutcome]) -> String {
        let rows = outcomes.map { outcome -> [String] in
            let detail: String
            switch outcome.status {
            case .copied(let result): detail = "\(result.manifest.digest)  \(ProgressFormat.bytes(result.transferredBytes)) sent"
            case .skipped(let digest): detail = "\(digest)  already there"
            case .failed(let error): detail = SyncSummary.code(of: error)
            }
            return [word(outcome.status), outcome.mapping.source.description, outcome.mapping.destinationName, detail]
        }
        let header = ["RESULT", "SOURCE", "DESTINATION", "DIGEST / ERROR"]
        let widths = (0..<3).map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func format(_ row: [String]) -> String {
            (0..<3).map { row[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ") + "  " + row[3] + "\n"
        }
        var text = format(header)
        for row in rows { text += format(row) }
        let copied = outcomes.filter { if case .copied = $0.status { true } else { false } }.count
        let skipped = outcomes.filter { if case .skipped = $0.status { true } else { false } }.count
        let failed = outcomes.filter(\.failed).count
        text += "\(outcomes.count) image(s): \(copied) copied, \(skipped) already there, \(failed) failed\n"
        return text
    }
}
