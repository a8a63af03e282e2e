import Foundation

extension NodeVersions {
    /// Where dpkg records installed packages (Debian, Ubuntu).
    static let dpkgStatus = "/var/lib/dpkg/status"
    /// Packages that install a plain containerd: Debian's and Ubuntu's, and Docker's.
    static let containerdPackages: Set<String> = ["containerd", "containerd.io"]

    /// The installed containerd package dpkg records, for a binary built without
    /// Go's build information (Debian builds its containerd 1.6.20 so: no module
    /// line, no `-X …version.Version=` text to read). Nil without dpkg, or when no
    /// containerd package is installed.
    static func dpkgContainerd(in status: String) -> (package: String, version: String)? {
        for stanza in status.components(separatedBy: "\n\n") {
            var fields: [Substring: Substring] = [:]
            for line in stanza.split(separator: "\n") where !line.hasPrefix(" ") && !line.hasPrefix("\t") {
                guard let colon = line.firstIndex(of: ":") else { continue }
                fields[line[..<colon]] = line[line.index(after: colon)...].drop { $0 == " " }
            }
            // "install ok installed" or "hold ok installed"; not "deinstall ok config-files".
            guard let name = fields["Package"].map(String.init), containerdPackages.contains(name),
                  fields["Status"]?.hasSuffix(" installed") == true, let version = fields["Version"], !version.isEmpty else { continue }
            return (name, String(version))
        }
        return nil
    }

    /// The upstream part of a Debian version: without the epoch (`1:`) and the
    /// packaging revision (after the last `-`): "1.6.20~ds1-1+deb12u3" → "1.6.20~ds1".
    static func upstreamVersion(ofDebian version: String) -> String {
        var text = Substring(version)
        if let colon = text.firstIndex(of: ":"), text[..<colon].allSatisfy(\.isNumber) { text = text[text.index(after: colon)...] }
        if let dash = text.lastIndex(of: "-") { text = text[..<dash] }
        return String(text)
    }
}
