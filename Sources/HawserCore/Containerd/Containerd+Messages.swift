import Foundation

extension Containerd {
    /// Who asked containerd to pull, which decides how its error is framed.
    public enum Client: String, Sendable, Hashable, Codable {
        /// kubelet through the CRI: what `kubectl describe pod` and K3s show.
        case cri
        /// `ctr images pull` (client-side resolver).
        case ctr
    }

    /// The whole message a failed resolve ends in, around the resolver's error
    /// `resolveError` (Go's text), for an image as containerd names it.
    /// `registryAuthInCRIConfig`: the CRI config has registry credentials (K3s writes
    /// those of registries.yaml there), which keeps 2.1+ on the local pull.
    public func pullError(image: String, resolveError: String, client: Client, registryAuthInCRIConfig: Bool = false) -> String {
        switch client {
        case .cri:
            let inner = has(.criRedactsURLQuery) ? Self.redactingURLQueries(resolveError) : resolveError
            let transfer = has(.criTransferServicePull) && !registryAuthInCRIConfig
            let step = transfer ? "failed to resolve image: " : "failed to resolve reference \(Self.goQuoted(image)): "
            return "failed to pull and unpack image \(Self.goQuoted(image)): " + step + inner
        case .ctr:
            return "ctr: failed to resolve reference \(Self.goQuoted(image)): " + resolveError
        }
    }

    /// The CRI's SanitizeError: in a Go url.Error (`Head "URL": …`) every query
    /// parameter's value becomes [REDACTED], re-encoded by url.Values.Encode
    /// (keys sorted, `%5BREDACTED%5D`). Other errors are left as they are.
    static func redactingURLQueries(_ message: String) -> String {
        guard let regex = try? NSRegularExpression(pattern: #"^((?:.*?: )?(?:Head|Get|Post|Put|Patch|Delete) ")([^"?]+)\?([^"]*)(")"#) else { return message }
        let range = NSRange(message.startIndex..., in: message)
        guard let match = regex.firstMatch(in: message, range: range),
              let queryRange = Range(match.range(at: 3), in: message), let urlRange = Range(match.range(at: 2), in: message) else { return message }
        let keys = Set(message[queryRange].split(separator: "&").map { $0.split(separator: "=", maxSplits: 1).first.map(String.init) ?? "" })
        let redacted = keys.filter { !$0.isEmpty }.sorted().map { "\($0)=%5BREDACTED%5D" }.joined(separator: "&")
        let original = String(message[urlRange]) + "?" + message[queryRange]
        let replacement = String(message[urlRange]) + "?" + redacted
        return message.replacingOccurrences(of: original, with: replacement)
    }

    /// Go's %q for plain text.
    static func goQuoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
