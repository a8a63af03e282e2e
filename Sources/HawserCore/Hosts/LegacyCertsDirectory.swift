import Foundation

/// A certs.d folder without hosts.toml: containerd falls back to docker's layout,
/// `*.crt` as CAs and `*.cert` with its `*.key` as client certificates, for the
/// registry's default host.
enum LegacyCertsDirectory {
    static func read(_ folder: String) -> HostsFile {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
        var tls = TLSSettings()
        for name in names {
            let path = (folder as NSString).appendingPathComponent(name)
            if name.hasSuffix(".crt") {
                tls.caFiles.append(path)
            } else if name.hasSuffix(".cert") {
                let key = String(name.dropLast(".cert".count)) + ".key"
                if names.contains(key) {
                    tls.clientCertificates.append(.init(certificateFile: path, keyFile: (folder as NSString).appendingPathComponent(key)))
                }
            }
        }
        return HostsFile(source: folder, hosts: [], server: HostEntry(written: "", endpoint: nil, tls: tls))
    }
}
