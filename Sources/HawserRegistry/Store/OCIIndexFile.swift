import Foundation
import HawserCore

/// Guards a layout's `index.json`: every change is read-modify-write under the
/// actor (threads of this process) and the layout's flock (other processes),
/// and lands through a temporary file, fsync, rename and folder fsync, so
/// readers never see a half-written index and no update is lost.
actor OCIIndexFile {
    let path: String
    let lock: LayoutLock

    init(path: String) {
        self.path = path
        lock = LayoutLock(layoutRoot: (path as NSString).deletingLastPathComponent)
    }

    func read() throws(StoreError) -> ImageIndex {
        try Self.read(path: path)
    }

    static func read(path: String) throws(StoreError) -> ImageIndex {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw StoreError(.io, path: path, reason: "cannot read: \(SystemErrorText.describe(error))")
        }
        if JSONNesting.exceedsLimit([UInt8](data)) {
            throw StoreError(.invalidIndex, path: path, reason: "not an OCI index: nested more than \(JSONNesting.limit) levels deep")
        }
        do { return try JSONDecoder().decode(ImageIndex.self, from: data) } catch {
            throw StoreError(.invalidIndex, path: path, reason: "not an OCI index: \(SystemErrorText.describe(error))")
        }
    }

    /// Adds `descriptor`, replacing any entry with the same ref name (as skopeo
    /// does), or, for an unnamed one, the same digest and image name.
    func add(_ descriptor: Descriptor) throws(StoreError) {
        try lock.withLock { () throws(StoreError) in try addLocked(descriptor) }
    }

    private func addLocked(_ descriptor: Descriptor) throws(StoreError) {
        let original = try read()
        var index = original
        index.manifests.removeAll { existing in
            if let name = descriptor.refName { return existing.refName == name }
            return existing.refName == nil && existing.digest == descriptor.digest
                && existing.annotations?[Descriptor.containerdNameAnnotation] == descriptor.annotations?[Descriptor.containerdNameAnnotation]
        }
        index.manifests.append(descriptor)
        // A re-pull names what index.json already names: leave the file alone.
        if index == original { return }
        try write(index)
    }

    func write(_ index: ImageIndex) throws(StoreError) {
        try Self.write(index, to: path)
    }

    static func write(_ index: ImageIndex, to path: String) throws(StoreError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let bytes: [UInt8]
        do { bytes = [UInt8](try encoder.encode(index)) } catch {
            throw StoreError(.io, path: path, reason: "cannot encode the index: \(SystemErrorText.describe(error))")
        }
        // Temporary file, fsync, rename(2), folder fsync: a reader sees the old
        // index or the new one, and after a crash the disk holds one of them.
        try DurableFile.replace(path, with: bytes)
    }
}
