import Foundation

/// The registries.yaml a K3s node needs to pull through this mirror: a `"*"`
/// mirror (every registry, containerd adding `?ns=` for each) or one entry per
/// named registry, all with the mirror's endpoint. Credentials are never
/// printed: with --htpasswd, a `configs` entry shows where they go.
public enum MirrorRegistriesYAML {
    public static func render(endpoint: String, registries: [String], host: String, basicAuth: Bool, caFile: String?) -> String {
        var text = "# registries.yaml for K3s nodes pulling through hawser serve at \(endpoint)\n"
        text += "mirrors:\n"
        for registry in registries.isEmpty ? ["*"] : registries {
            text += "  \(quoted(registry)):\n"
            text += "    endpoint:\n"
            text += "      - \(quoted(endpoint))\n"
        }
        if basicAuth || caFile != nil {
            text += "configs:\n"
            text += "  \(quoted(host)):\n"
            if basicAuth {
                text += "    auth:\n"
                text += "      username: \"USER\"        # a user of the mirror's --htpasswd file\n"
                text += "      password: \"PASSWORD\"\n"
            }
            if let caFile {
                text += "    tls:\n"
                text += "      ca_file: \(quoted(caFile))\n"
            }
        }
        return text
    }

    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
