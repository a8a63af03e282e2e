import Yams

/// A mapping key with where it was written.
struct LocatedText {
    let text: String
    let location: SourceLocation?
}

extension RegistriesYAMLReader {
    func location(_ node: Node) -> SourceLocation? {
        node.mark.map { SourceLocation(file: file, line: $0.line, column: $0.column) }
    }

    func isNull(_ node: Node) -> Bool {
        guard let scalar = node.scalar else { return false }
        return scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
            || (scalar.style == .any && scalar.string.isEmpty)
    }

    /// A mapping's pairs with K3s's duplicate rule: the last value wins. Each
    /// overridden duplicate gets a finding.
    mutating func mapping(_ node: Node, what: String, expected: String) throws(ConfigError) -> [(key: LocatedText, value: Node)] {
        guard let mapping = node.mapping else {
            throw typeError(node, what: what, expected: expected)
        }
        var result: [(key: LocatedText, value: Node)] = []
        for (keyNode, value) in mapping {
            guard let scalar = keyNode.scalar else {
                throw typeError(keyNode, what: "a key in \(what)", expected: "a plain string key")
            }
            let key = LocatedText(text: scalar.string, location: location(keyNode))
            if let earlier = result.firstIndex(where: { $0.key.text == key.text }) {
                let first = result[earlier].key.location.map { "line \($0.line)" } ?? "earlier"
                findings.append(Finding(
                    .duplicateKey, at: key.location,
                    "key `\(key.text)` in \(what) is written twice (first at \(first))",
                    consequence: "K3s keeps only this last one; everything under the first is ignored",
                    fix: "merge the two `\(key.text)` entries into one"))
                result.remove(at: earlier)
            }
            result.append((key, value))
        }
        return result
    }

    /// A scalar used as a string. Go's YAML decoder stores any scalar's text in a
    /// string field (so `password: 12345` is "12345"); a null gives nil.
    func string(_ node: Node, what: String) throws(ConfigError) -> String? {
        if isNull(node) { return nil }
        guard let scalar = node.scalar else {
            throw typeError(node, what: what, expected: "a string")
        }
        return scalar.string
    }

    /// A YAML 1.1 boolean (true/false, yes/no, on/off, y/n in their cases). A
    /// quoted "true" is a string and, as in K3s, an error.
    func bool(_ node: Node, what: String) throws(ConfigError) -> Bool {
        if isNull(node) { return false }
        guard let scalar = node.scalar else {
            throw typeError(node, what: what, expected: "true or false")
        }
        if scalar.style == .plain || scalar.style == .any {
            switch scalar.string {
            case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y": return true
            case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", "n", "N": return false
            default: break
            }
        }
        let shown = scalar.style == .plain ? scalar.string : "\"\(scalar.string)\""
        throw ConfigError(
            .wrongType, at: location(node),
            "\(what) must be a boolean, but is the string \(shown); K3s would refuse to start (cannot unmarshal !!str into bool)",
            fix: "write it unquoted: true or false")
    }

    func stringList(_ node: Node, what: String) throws(ConfigError) -> [LocatedText] {
        if isNull(node) { return [] }
        guard let sequence = node.sequence else {
            if let scalar = node.scalar {
                throw ConfigError(
                    .wrongType, at: location(node),
                    "\(what) must be a list, but is the single string \"\(scalar.string)\"; K3s would refuse to start (cannot unmarshal !!str into []string)",
                    fix: "write it as a list:\n      endpoint:\n        - \"\(scalar.string)\"")
            }
            throw typeError(node, what: what, expected: "a list of strings")
        }
        var items: [LocatedText] = []
        for item in sequence {
            guard let text = try string(item, what: "an item of \(what)") else {
                items.append(LocatedText(text: "", location: location(item)))
                continue
            }
            items.append(LocatedText(text: text, location: location(item)))
        }
        return items
    }

    mutating func stringMap(_ node: Node, what: String) throws(ConfigError) -> [(key: LocatedText, value: LocatedText)] {
        if isNull(node) { return [] }
        var result: [(key: LocatedText, value: LocatedText)] = []
        for (key, value) in try mapping(node, what: what, expected: "a mapping of regex patterns to replacements") {
            let text = try string(value, what: "\(what) \"\(key.text)\"") ?? ""
            result.append((key, LocatedText(text: text, location: location(value))))
        }
        return result
    }

    func typeError(_ node: Node, what: String, expected: String) -> ConfigError {
        let found: String
        switch node {
        case .mapping: found = "a mapping"
        case .sequence: found = "a list"
        case .scalar(let scalar): found = "the value \"\(scalar.string)\""
        }
        return ConfigError(
            .wrongType, at: location(node),
            "\(what) must be \(expected), but is \(found); K3s would refuse to start",
            fix: "see the registries.yaml layout: mirrors.<registry>.endpoint is a list, configs.<host>.auth/tls are mappings")
    }

    mutating func unknownKey(_ key: LocatedText, known: [String], section: String) {
        var message = "unknown key `\(key.text)` in \(section)"
        var fix = "remove it, or use one of: \(known.joined(separator: ", "))"
        if let suggestion = KeySuggestion.suggest(for: key.text, among: known) {
            message += "; did you mean `\(suggestion)`?"
            fix = "rename `\(key.text)` to `\(suggestion)`"
        } else if let hint = KeySuggestion.misplaced(key.text, in: section) {
            message += "; \(hint)"
        }
        findings.append(Finding(.unknownKey, at: key.location, message,
                                consequence: "K3s ignores it without a word: nothing under it takes effect", fix: fix))
    }

    /// Turns a YAML syntax error into one with file:line:column, spotting the
    /// classic unquoted `*` mirror key (YAML reads `*` as an alias).
    func translate(_ error: any Error) -> ConfigError {
        guard let yamlError = error as? YamlError else {
            return ConfigError(.syntax, at: nil, "\(file) is not valid YAML: \(SystemErrorText.describe(error))")
        }
        switch yamlError {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let where_ = SourceLocation(file: file, line: mark.line, column: mark.column)
            if let star = unquotedStar(near: mark.line) {
                return ConfigError(
                    .unquotedWildcard, at: SourceLocation(file: file, line: mark.line, column: star),
                    "the wildcard `*` must be quoted: YAML reads an unquoted * as an alias",
                    fix: "write \"*\": instead of *:")
            }
            let contextText = context.map { "\($0.text) " } ?? ""
            return ConfigError(.syntax, at: where_, "\(file) is not valid YAML: \(contextText)\(problem)",
                               fix: "K3s would refuse to start with this file; correct the YAML at this line")
        case .reader(let problem, _, _, _):
            return ConfigError(.syntax, at: nil, "\(file) cannot be read as YAML: \(problem)")
        default:
            return ConfigError(.syntax, at: nil, "\(file) is not valid YAML: \(yamlError)")
        }
    }

    /// Column of an unquoted `*` used as a key on the given line (or the line before,
    /// as libyaml sometimes reports the next token).
    func unquotedStar(near line: Int) -> Int? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for candidate in [line, line - 1, line + 1] where candidate >= 1 && candidate <= lines.count {
            let content = lines[candidate - 1]
            let trimmed = content.drop(while: { $0 == " " || $0 == "-" })
            if trimmed.hasPrefix("*:") || trimmed == "*" || trimmed.hasPrefix("* :") {
                return content.count - trimmed.count + 1
            }
        }
        return nil
    }
}
