import Foundation

/// A `ca` or `client` file named in the hosts.toml in force that cannot be read.
/// containerd reads every host's TLS files when it sets up the hosts, so the
/// pull fails with `message` before any host is contacted (hosts.go
/// updateTLSConfigFromHost: "unable to read CA cert %q: %w", "unable to read
/// CERT file %q: %w").
public struct UnreadableTLSFile: Sendable, Hashable, Codable {
    public enum Role: String, Sendable, Hashable, Codable {
        case ca
        case clientCertificate = "client-certificate"
        case clientKey = "client-key"
    }

    public let path: String
    public let role: Role
    /// containerd's error, word for word.
    public let message: String

    /// The first unreadable file in containerd's order: hosts in file order, the
    /// server last; per host its CA files, then each client certificate and key.
    public static func first(in file: HostsFile) -> UnreadableTLSFile? {
        let entries = file.hosts + (file.server.map { [$0] } ?? [])
        for entry in entries {
            for ca in entry.tls.caFiles {
                if let reason = unreadable(ca) { return UnreadableTLSFile(path: ca, role: .ca, message: "unable to read CA cert \(Containerd.goQuoted(ca)): \(reason)") }
            }
            for pair in entry.tls.clientCertificates {
                if let reason = unreadable(pair.certificateFile) {
                    return UnreadableTLSFile(path: pair.certificateFile, role: .clientCertificate,
                                             message: "unable to read CERT file \(Containerd.goQuoted(pair.certificateFile)): \(reason)")
                }
                if !pair.keyFile.isEmpty, let reason = unreadable(pair.keyFile) {
                    return UnreadableTLSFile(path: pair.keyFile, role: .clientKey, message: "unable to read CERT file \(Containerd.goQuoted(pair.keyFile)): \(reason)")
                }
            }
        }
        return nil
    }

    /// Go's os.ReadFile error for a path, nil when it can be read.
    static func unreadable(_ path: String) -> String? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return "open \(path): no such file or directory"
        }
        if isDirectory.boolValue { return "read \(path): is a directory" }
        if !FileManager.default.isReadableFile(atPath: path) { return "open \(path): permission denied" }
        return nil
    }
}
