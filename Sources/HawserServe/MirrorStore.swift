import Crypto
import Foundation
import HawserCore
import HawserRegistry
import HawserTransfer

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The mirror's store: an OCI image layout whose blobs (layers, configs and
/// manifests alike) are kept by digest, written only through `BlobIngest` (so
/// verified, renamed atomically, under the layout's cross-process lock), plus
/// one small file per tag. Several `hawser serve` processes may share it, on one
/// machine or on a shared POSIX file system: nothing in it is ever rewritten in
/// place, and a name only ever appears complete.
public struct MirrorStore: Sendable {
    public let layout: OCILayout
    /// The store read and written through the transfer abstraction (as `copy` reads
    /// and writes a layout); tags with their TTL are the mirror's own, beside it.
    public let source: LayoutSource
    public let destination: LayoutDestination
    let tagsDirectory: String

    /// Beside blobs/, not inside: `hawser layout verify` and OCI tools scan blobs/ and index.json only.
    static let tagsFolder = ".hawser-serve/tags"

    public init(path: String) throws(StoreError) {
        // Replicas on several machines may share the store: their ingest files carry the host.
        layout = try OCILayout(creatingAt: path).sharedAcrossHosts()
        source = LayoutSource(layout: layout)
        destination = LayoutDestination(layout: layout)
        tagsDirectory = path + "/" + Self.tagsFolder
        do {
            try FileManager.default.createDirectory(atPath: tagsDirectory, withIntermediateDirectories: true)
        } catch {
            throw StoreError(.io, path: tagsDirectory, reason: "cannot create the folder for tags")
        }
    }

    /// The size of a stored blob, nil when it is not stored (or not a regular file:
    /// a symlink could point anywhere and is never served).
    public func blobSize(_ digest: HawserCore.Digest) -> Int64? {
        var info = stat()
        guard lstat(layout.blobPath(digest), &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int64(info.st_size)
    }

    /// A stored manifest, checked against its digest (the layout source re-hashes it),
    /// decoded for its media type. Nil when not stored, too large or not a manifest.
    public func manifest(_ digest: HawserCore.Digest, maximumSize: Int) async -> ManifestContent? {
        guard let size = blobSize(digest), size <= Int64(maximumSize) else { return nil }
        return try? await source.manifest(Descriptor(mediaType: "", digest: digest, size: size))
    }

    /// Stores a manifest fetched from upstream (verified again on the way in), by digest.
    public func storeManifest(_ content: ManifestContent) async throws {
        try await destination.putManifest(content, tag: nil)
    }

    /// Where a tag's record lives: a hash of the name, so no name (however long,
    /// whatever it holds) becomes a path, and two folder levels keep folders small.
    func tagPath(_ image: ImageReference) -> String {
        let key = "\(image.registry)/\(image.repository):\(image.tag ?? ImageReference.defaultTag)"
        let hex = SHA256.hash(data: Data(key.utf8)).map { String(format: "%02x", $0) }.joined()
        return "\(tagsDirectory)/\(hex.prefix(2))/\(hex)"
    }

    public func tag(_ image: ImageReference) -> TagRecord? {
        guard let data = FileManager.default.contents(atPath: tagPath(image)), data.count <= 64 << 10,
              let record = try? JSONDecoder().decode(TagRecord.self, from: data),
              record.image == "\(image.registry)/\(image.repository):\(image.tag ?? ImageReference.defaultTag)" else { return nil }
        return record
    }

    /// Records where a tag points: written to a temporary file and renamed, so a
    /// reader (this process or another replica) sees the old record or the new one.
    public func setTag(_ image: ImageReference, to record: TagRecord) throws(StoreError) {
        let path = tagPath(image)
        let folder = (path as NSString).deletingLastPathComponent
        if mkdir(folder, 0o755) != 0 && errno != EEXIST {
            throw StoreError(.io, path: folder, reason: "cannot create: \(String(cString: strerror(errno)))")
        }
        guard let data = try? JSONEncoder().encode(record) else {
            throw StoreError(.io, path: path, reason: "cannot encode the tag record")
        }
        let temporary = "\(path).tmp-\(getpid())-\(String(UInt64.random(in: .min ... .max), radix: 36))"
        guard FileManager.default.createFile(atPath: temporary, contents: data) else {
            throw StoreError(.io, path: temporary, reason: "cannot write")
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw StoreError(.io, path: path, reason: "rename failed: \(reason)")
        }
    }
}
