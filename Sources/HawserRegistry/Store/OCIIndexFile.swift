import Foundation

/// Guards a layout's `index.json`: every change is read-modify-write under the
/// actor and lands through a temporary file and a rename, so readers never see
/// a half-written index.
actor OCIIndexFile {
    let path: String

    init(path: String) {
        self.path = path
    }

    func read() throws(StoreError) -> ImageIndex {
        try Self.read(path: path)
    }

    static func read(path: String) throws(StoreError) -> ImageIndex {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw StoreError(.io, path: path, reason: "cannot read: \(error.localizedDescription)")
        }
        do { return try JSONDecoder().decode(ImageIndex.self, from: data) } catch {
            throw StoreError(.invalidIndex, path: path, reason: "not an OCI index: \(error)")
        }
    }

    /// Adds `descriptor`, replacing any entry with the same ref name (as skopeo
    /// does), or, for an unnamed one, the same digest and image name.
    func add(_ descriptor: Descriptor) throws(StoreError) {
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
        let temporary = path + ".tmp-\(UUID().uuidString)"
        do {
            try encoder.encode(index).write(to: URL(fileURLWithPath: temporary))
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw StoreError(.io, path: path, reason: "cannot write: \(error.localizedDescription)")
        }
        // rename(2) replaces atomically: a reader sees the old index or the new one.
        guard rename(temporary, path) == 0 else {
            try? FileManager.default.removeItem(atPath: temporary)
            throw StoreError(.io, path: path, reason: "cannot replace: \(String(cString: strerror(errno)))")
        }
    }
}
