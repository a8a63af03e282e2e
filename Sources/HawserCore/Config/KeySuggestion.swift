/// "Did you mean" for registries.yaml keys.
enum KeySuggestion {
    /// Spellings users write for real keys.
    static let knownMistakes: [String: String] = [
        "endpoints": "endpoint", "mirror": "mirrors", "config": "configs", "rewrites": "rewrite",
        "insecure-skip-verify": "insecure_skip_verify", "insecureSkipVerify": "insecure_skip_verify",
        "skip_verify": "insecure_skip_verify", "insecure": "insecure_skip_verify",
        "ca": "ca_file", "cafile": "ca_file", "ca-file": "ca_file", "cert": "cert_file", "key": "key_file",
        "identitytoken": "identity_token", "identityToken": "identity_token", "user": "username", "pass": "password",
    ]

    static func suggest(for key: String, among known: [String]) -> String? {
        if let mapped = knownMistakes[key], known.contains(mapped) { return mapped }
        let lowered = key.lowercased()
        if let exact = known.first(where: { $0 == lowered }) { return exact }
        let best = known.map { ($0, distance(lowered, $0)) }.min { $0.1 < $1.1 }
        if let best, best.1 <= max(1, min(3, best.0.count / 3)) { return best.0 }
        return nil
    }

    /// A key that is valid, but in another section.
    static func misplaced(_ key: String, in section: String) -> String? {
        switch key {
        case "auth", "tls": return "`\(key)` belongs under `configs.<host>`, not under a mirror"
        case "endpoint", "rewrite": return "`\(key)` belongs under `mirrors.<registry>`, not under configs"
        case "mirrors", "configs": return "`\(key)` belongs at the top level of the file; check the indentation"
        default: return nil
        }
    }

    /// Levenshtein distance.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
