import Foundation

/// K3s's containerd fork rewrites the repository with the first matching
/// pattern (patterns in sorted order), Go `regexp.ReplaceAllString` semantics.
public enum RewriteEngine {
    public static func apply(_ rules: [RewriteRule], to repository: String) -> Attempt.Rewrite? {
        for rule in rules.sorted(by: { $0.pattern.utf8.lexicographicallyPrecedes($1.pattern.utf8) }) {
            guard let regex = try? NSRegularExpression(pattern: rule.pattern) else { continue }
            let range = NSRange(repository.startIndex..., in: repository)
            guard regex.firstMatch(in: repository, range: range) != nil else { continue }
            let result = regex.stringByReplacingMatches(in: repository, range: range, withTemplate: template(rule.replacement))
            if result != repository {
                return Attempt.Rewrite(pattern: rule.pattern, replacement: rule.replacement, original: repository, rewritten: result)
            }
        }
        return nil
    }

    /// Go's `${1}` becomes ICU's `$1`; a literal `\` is escaped for ICU.
    static func template(_ goTemplate: String) -> String {
        var result = ""
        var characters = Array(goTemplate)[...]
        while let character = characters.popFirst() {
            if character == "\\" {
                result += "\\\\"
            } else if character == "$", characters.first == "{", let close = characters.firstIndex(of: "}") {
                let name = String(characters[characters.index(after: characters.startIndex)..<close])
                result += name.allSatisfy(\.isNumber) ? "$\(name)" : "${\(name)}"
                characters = characters[characters.index(after: close)...]
            } else {
                result.append(character)
            }
        }
        return result
    }
}
