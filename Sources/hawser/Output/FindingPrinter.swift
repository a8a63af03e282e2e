import HawserCore

/// Findings for people: `file:line:col: severity: message [code]`, then what
/// happens and the fix, as compilers print them.
enum FindingPrinter {
    static func text(_ document: CheckDocument) -> String {
        var out = ""
        for item in document.findings {
            var place = item.file ?? document.file
            if let line = item.line { place += ":\(line)" }
            if let column = item.column { place += ":\(column)" }
            let severity: String
            switch item.severity {
            case "error": severity = Terminal.red("error")
            case "warning": severity = Terminal.yellow("warning")
            default: severity = Terminal.cyan("info")
            }
            out += "\(Terminal.bold(place)): \(severity): \(item.message) [\(item.slug == item.code ? item.code : "\(item.code) \(item.slug)")]\n"
            if let consequence = item.consequence { out += "  what happens: \(consequence)\n" }
            if let fix = item.fix { out += "  fix: \(fix)\n" }
        }
        let summary = "\(document.errors) error(s), \(document.warnings) warning(s), \(document.findings.count - document.errors - document.warnings) note(s)"
        out += document.findings.isEmpty ? Terminal.green("\(document.file): no problems found") + "\n" : summary + "\n"
        return out
    }
}
