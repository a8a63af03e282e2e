import HawserCore
import HawserRegistry

extension Doctor {
    /// Where configured credentials go (issue 10, row 11). For a Bearer
    /// challenge, containerd sends the host's credentials to the token realm,
    /// wherever it is; Hawser does the same, and says so: a realm on another
    /// host is noted, a plain-HTTP realm is a warning (the credentials cross
    /// the network readable). `check` cannot see this: the realm is only known
    /// once the registry answers.
    static func realmCheck(_ header: String, attempt: Attempt) -> Check? {
        guard let key = attempt.credentialsKey,
              let realm = AuthChallenge.parse(header).first(where: { $0.scheme == .bearer })?.realm,
              let schemeEnd = realm.range(of: "://") else { return nil }
        let scheme = realm[..<schemeEnd.lowerBound].lowercased()
        let rest = realm[schemeEnd.upperBound...]
        let realmHost = String(rest.prefix { $0 != "/" && $0 != "?" })
        if scheme == "http" {
            return Check(.authentication, .warning,
                         "the credentials of configs.\"\(key)\" go to the token service \(realm) over plain HTTP, readable on the way (containerd sends them there too)",
                         evidence: [realm])
        }
        guard realmHost.lowercased() != attempt.endpoint.host.lowercased() else { return nil }
        return Check(.authentication, .passed,
                     "the credentials of configs.\"\(key)\" go to the token service on \(realmHost), another host than \(attempt.endpoint.host) (as containerd does)",
                     evidence: [realm])
    }
}
