import Foundation

/// Writes a certs.d tree without ever leaving a half-written one: everything is
/// written into a sibling temporary directory, read back and compared, and only
/// then swapped into place.
public struct CertsDirectoryWriter: Sendable {
    public let destination: String

    public init(destination: String) {
        self.destination = destination
    }

    public func write(_ hosts: [K3sHostConfig]) throws(ConfigError) {
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
            throw ConfigError(.unreadable, at: nil, "cannot write \(destination): \(error.localizedDescription)",
                              fix: "check that the parent directory exists and is writable")
        }
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
