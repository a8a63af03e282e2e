import Foundation

/// Writes a certs.d tree without ever leaving a half-written one: everything is
/// written into a sibling temporary directory, read back and compared, and only
/// then swapped into place.
public struct CertsDirectoryWriter: Sendable {
    public let destination: String
    /// Replace a destination that does not look like a certs.d tree.
    public let force: Bool

    public init(destination: String, force: Bool = false) {
        self.destination = destination
        self.force = force
    }

    public func write(_ hosts: [K3sHostConfig]) throws(ConfigError) {
        if !force { try requireCertsTree() }
        let files = hosts.map { (directory: $0.directory, content: HostsTomlRenderer.render($0)) }
        let fileManager = FileManager.default
        let target = URL(fileURLWithPath: destination).standardizedFileURL
        let parent = target.deletingLastPathComponent()
        let staging = parent.appendingPathComponent(".\(target.lastPathComponent).hawser-\(UUID().uuidString)")
        do {
            try fileManager.createDirectory(at: parent, withIntermediateDirectories: true)
            try fileManager.createDirectory(at: staging, withIntermediateDirectories: false)
            for file in files {
                let directory = staging.appendingPathComponent(file.directory)
                try fileManager.createDirectory(at: directory, withIntermediateDirectories: false)
                try Data(file.content.utf8).write(to: directory.appendingPathComponent("hosts.toml"))
            }
            // Verify what landed on disk before it replaces anything.
            for file in files {
                let written = try Data(contentsOf: staging.appendingPathComponent(file.directory).appendingPathComponent("hosts.toml"))
                guard written == Data(file.content.utf8) else {
                    throw ConfigError(.unreadable, at: nil, "verification of \(file.directory)/hosts.toml failed after writing")
                }
            }
            try swapIntoPlace(staging: staging, target: target)
        } catch let error as ConfigError {
            try? fileManager.removeItem(at: staging)
            throw error
        } catch {
            try? fileManager.removeItem(at: staging)
            throw ConfigError(.unwritable, at: nil, "cannot write \(destination): \(SystemErrorText.whyCannotCreate(destination) ?? SystemErrorText.describe(error))",
                              fix: "check that the parent directory exists and is writable")
        }
    }

    /// The destination is replaced as a whole, so it must be new, empty, or hold
    /// only `<registry>/hosts.toml` folders (what K3s and this command write).
    /// Anything else is refused: it would be deleted.
    func requireCertsTree() throws(ConfigError) {
        let manager = FileManager.default
        guard let entries = try? manager.contentsOfDirectory(atPath: destination) else { return }
        var foreign: [String] = []
        for entry in entries.sorted() {
            let path = (destination as NSString).appendingPathComponent(entry)
            var isDirectory: ObjCBool = false
            let isLink = (try? manager.destinationOfSymbolicLink(atPath: path)) != nil
            guard !isLink, manager.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
                foreign.append(entry)
                continue
            }
            let inside = (try? manager.contentsOfDirectory(atPath: path)) ?? ["?"]
            for item in inside where item != "hosts.toml" { foreign.append("\(entry)/\(item)") }
        }
        guard !foreign.isEmpty else { return }
        let shown = foreign.prefix(3).joined(separator: ", ") + (foreign.count > 3 ? " and \(foreign.count - 3) more" : "")
        throw ConfigError(
            .outputNotCertsDirectory, at: nil,
            "\(destination) does not look like a certs.d tree: it holds \(shown), not only <registry>/hosts.toml folders; render replaces the whole folder, and these would be deleted",
            fix: "give --out a new or empty folder (or the certs.d tree render wrote before), or pass --force to replace it anyway")
    }

    /// rename(2) the new tree over the old one; an existing tree is moved aside
    /// first and deleted only once the new one is in place.
    private func swapIntoPlace(staging: URL, target: URL) throws {
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        if fileManager.fileExists(atPath: target.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw ConfigError(.invalidArgument, at: nil, "\(destination) exists and is not a directory")
            }
            let old = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).old-\(UUID().uuidString)")
            try fileManager.moveItem(at: target, to: old)
            do {
                try fileManager.moveItem(at: staging, to: target)
            } catch {
                try? fileManager.moveItem(at: old, to: target)
                throw error
            }
            try? fileManager.removeItem(at: old)
        } else {
            try fileManager.moveItem(at: staging, to: target)
        }
    }
}
