import Foundation

/// What Hawser needs from containerd's config.toml: where it reads hosts.toml
/// folders (`config_path`, under the CRI registry table of config version 2 or
/// 3) and which hosts it has credentials for (`registry.configs."HOST".auth`,
/// where K3s writes the auth of registries.yaml). Read line by line: the file
/// is generated and flat, and only these keys matter here.
public struct ContainerdConfigFile: Sendable, Hashable, Codable {
    public var configPath: String?
    /// Hosts with an auth table.
    public var authHosts: [String] = []

    static func parse(_ text: String) -> ContainerdConfigFile {
        var result = ContainerdConfigFile()
        var table = ""
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("[") {
                table = String(line.drop(while: { $0 == "[" }).reversed().drop(while: { $0 == "]" }).reversed())
                if table.contains(".registry.configs."), table.hasSuffix(".auth"), let host = Self.quotedHost(in: table) {
                    if !result.authHosts.contains(host) { result.authHosts.append(host) }
                }
                continue
            }
            if table.hasSuffix(".registry") || table.hasSuffix("'.registry") || table.hasSuffix("\".registry"),
               line.hasPrefix("config_path"), let value = Self.stringValue(line) {
                result.configPath = value
            }
        }
        return result
    }

    /// `plugins."io.containerd.grpc.v1.cri".registry.configs."harbor:80".auth` -> harbor:80
    static func quotedHost(in table: String) -> String? {
        guard let range = table.range(of: ".registry.configs.") else { return nil }
        var rest = table[range.upperBound...]
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return nil }
        rest = rest.dropFirst()
        guard let end = rest.firstIndex(of: quote) else { return nil }
        return String(rest[..<end])
    }

    /// The string after `=`, in double or single quotes.
    static func stringValue(_ line: String) -> String? {
        guard let equals = line.firstIndex(of: "=") else { return nil }
        let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        guard let quote = value.first, quote == "\"" || quote == "'" else { return nil }
        let body = value.dropFirst()
        guard let end = body.firstIndex(of: quote) else { return nil }
        return String(body[..<end])
    }
}
