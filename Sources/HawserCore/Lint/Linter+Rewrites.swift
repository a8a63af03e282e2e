import Foundation

extension Linter {
    func rewriteFindings(_ context: LintContext) -> [Finding] {
        var findings: [Finding] = []
        for mirror in context.config.mirrors where !mirror.rewrites.isEmpty {
            for rule in mirror.rewrites {
                if let problem = Self.re2Problem(rule.pattern) {
                    findings.append(Finding(
                        .rewriteNotRE2, at: rule.location,
                        "rewrite pattern \"\(rule.pattern)\" of mirrors.\"\(mirror.key)\" is not a valid RE2 regex: \(problem)",
                        consequence: "containerd cannot compile it, so the rewrite never happens",
                        fix: "use RE2 syntax (no lookarounds or backreferences), e.g. \"^library/(.*)\""))
                }
                if let bad = Self.tomlBreaking(rule.pattern) ?? Self.tomlBreaking(rule.replacement) {
                    findings.append(Finding(
                        .rewriteBreaksToml, at: rule.location,
                        "rewrite \"\(rule.pattern)\" → \"\(rule.replacement)\" contains \(bad), which K3s writes into hosts.toml without escaping",
                        consequence: "the generated hosts.toml is invalid TOML (or means something else); containerd then ignores the whole file for \(mirror.key) and uses only the default endpoint",
                        fix: bad.contains("\\") ? "avoid backslashes: write [0-9] instead of \\d, [.] instead of \\." : "remove the quote character from the pattern"))
                }
            }
            let hasMirrorEndpoint = context.generated.first { $0.registry == mirror.key }.map { !$0.endpoints.isEmpty } ?? false
            if !hasMirrorEndpoint {
                findings.append(Finding(
                    .rewriteOnDefaultOnly, at: mirror.rewrites.first?.location ?? mirror.location,
                    "mirrors.\"\(mirror.key)\" has rewrites but no mirror endpoint to apply them to",
                    consequence: "rewrites are never applied to the default endpoint (server line), so they do nothing",
                    fix: "add the mirror under `endpoint:`; rewrites apply to those endpoints only"))
            }
        }
        return findings
    }

    /// Why a pattern is not RE2, or nil. NSRegularExpression (ICU) checks the
    /// syntax; RE2's refusals of ICU features are checked by hand.
    static func re2Problem(_ pattern: String) -> String? {
        for (construct, name) in [("(?=", "lookahead"), ("(?!", "negative lookahead"), ("(?<=", "lookbehind"), ("(?<!", "negative lookbehind"),
                                  ("(?>", "atomic group"), ("*+", "possessive quantifier"), ("++", "possessive quantifier"), ("?+", "possessive quantifier")]
        where pattern.contains(construct) {
            return "RE2 has no \(name) (\(construct))"
        }
        if pattern.range(of: #"\\[1-9]"#, options: .regularExpression) != nil {
            return "RE2 has no backreferences (\\1…\\9)"
        }
        do {
            _ = try NSRegularExpression(pattern: pattern)
        } catch {
            return "it does not compile"
        }
        return nil
    }

    /// K3s writes `"pattern" = "replacement"` raw: a backslash or quote breaks it.
    static func tomlBreaking(_ text: String) -> String? {
        if text.contains("\\") { return "a backslash (\\)" }
        if text.contains("\"") { return "a double quote" }
        if text.contains(where: { $0.isNewline }) { return "a line break" }
        return nil
    }
}
