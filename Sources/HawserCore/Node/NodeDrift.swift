import Foundation

/// One way the configuration in force differs from what it should be.
public struct NodeDrift: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// registries.yaml changed after K3s last wrote certs.d: not in force until a restart.
        case notRestarted = "not-restarted"
        /// A folder K3s would write is missing, or one it would not write is there.
        case missingFile = "missing-file"
        case extraFile = "extra-file"
        /// A generated hosts.toml differs from what registries.yaml gives.
        case differs
        /// A generated file was edited after K3s wrote it; K3s overwrites it at its next start.
        case editedByHand = "edited-by-hand"
        /// A config.toml template whose config.toml has no config_path: certs.d is not read at all.
        case templateWithoutConfigPath = "template-without-config-path"
        /// Credentials in registries.yaml that config.toml does not have.
        case credentialsMissing = "credentials-missing"
    }

    public let kind: Kind
    /// The file it concerns (node path).
    public let file: String
    public let message: String
    public let fix: String
}
