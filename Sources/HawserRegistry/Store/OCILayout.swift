import Foundation
import HawserCore
import Synchronization

/// An OCI image layout on disk (`oci-layout`, `index.json`, `blobs/<alg>/<hex>`),
/// shared by any number of images. Blobs are content-addressed and written only
/// through `BlobIngest`, so a blob under its final name has been verified.
public struct OCILayout: Sendable {
    public let root: String
    let index: OCIIndexFile
    /// Cross-process: index.json updates and ingest folder management.
    let lock: LayoutLock
    /// Set when processes on several machines share the layout (`hawser serve`
    /// replicas on NFS or CephFS): ingest files then also carry this machine's name,
    /// because a pid says nothing about a process on another machine.
    public private(set) var ingestHost: String?

    static let layoutFileContents = #"{"imageLayoutVersion":"1.0.0"}"#
    /// Where blobs are written before verification: inside the layout (same file
    /// system, so the final rename is atomic) but outside `blobs/`, which tools scan.
    static let ingestDirectory = ".hawser-ingest"

    /// Opens the layout at `path`, creating an empty one when there is none.
    public init(creatingAt path: String) throws(StoreError) {
        let manager = FileManager.default
        try Self.requireDirectoryOrNothing(path)
        do {
            try manager.createDirectory(atPath: path + "/blobs/sha256", withIntermediateDirectories: true)
        } catch {
            let reason = SystemErrorText.whyCannotCreate(path + "/blobs") ?? SystemErrorText.describe(error)
            throw StoreError(.io, path: path, reason: "cannot create the layout folder (\(reason)); check that the parent folder exists and is writable")
        }
        let layoutFile = path + "/oci-layout"
        if !manager.fileExists(atPath: layoutFile) {
            guard manager.createFile(atPath: layoutFile, contents: Data(Self.layoutFileContents.utf8)) else {
                throw StoreError(.io, path: layoutFile, reason: "cannot write")
            }
        }
        let indexPath = path + "/index.json"
        if !manager.fileExists(atPath: indexPath) {
            try OCIIndexFile.write(ImageIndex(manifests: []), to: indexPath)
        }
        self.init(root: path)
    }

    /// A layout is a folder: a file (or a file where a parent folder should be)
    /// is named as such, not reported as a Foundation error number.
    static func requireDirectoryOrNothing(_ path: String) throws(StoreError) {
        var current = URL(fileURLWithPath: path).standardizedFileURL
        for _ in 0..<256 {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: current.path, isDirectory: &isDirectory) {
                guard isDirectory.boolValue else {
                    let what = current.path == URL(fileURLWithPath: path).standardizedFileURL.path
                        ? "\(path) is a file, not a folder: an OCI image layout is a folder"
                        : "\(current.path) is a file, so \(path) cannot be a folder"
                    throw StoreError(.notADirectory, path: path, reason: "\(what); give --output a folder (new or an existing layout)")
                }
                return
            }
            let parent = current.deletingLastPathComponent()
            if parent.path == current.path { return }
            current = parent
        }
    }

    /// Opens an existing layout; fails when `path` holds none.
    public init(openingAt path: String) throws(StoreError) {
        guard FileManager.default.fileExists(atPath: path + "/oci-layout") else {
            throw StoreError(.notALayout, path: path, reason: "no oci-layout file: not an OCI image layout")
        }
        self.init(root: path)
    }

    private init(root: String) {
        self.root = root
        self.index = Self.indexFile(for: root + "/index.json")
        self.lock = LayoutLock(layoutRoot: root)
    }

    private static let indexFiles = Mutex<[String: OCIIndexFile]>([:])

    /// One actor per index.json path in this process, so two `OCILayout` values
    /// for the same directory still serialise their updates.
    private static func indexFile(for path: String) -> OCIIndexFile {
        let key = URL(fileURLWithPath: path).standardizedFileURL.path
        return indexFiles.withLock { files in
            if let existing = files[key] { return existing }
            let file = OCIIndexFile(path: key)
            files[key] = file
            return file
        }
    }

    /// This layout with its ingest files named `<hex>.<pid>.<random>.<host>`: leftovers
    /// of this machine's processes are still recognised by pid (and removed, or
    /// continued); another machine's are left alone until an hour without a write.
    public func sharedAcrossHosts() -> OCILayout {
        var shared = self
        shared.ingestHost = Self.hostTag
        return shared
    }

    /// This machine's name as it can appear in an ingest file name (no dots: they separate the parts).
    static let hostTag: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        let name = gethostname(&buffer, buffer.count) == 0 ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : ""
        let kept = String(name.unicodeScalars.filter { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
            .map(Character.init).prefix(64))
        return kept.isEmpty ? "host" : kept
    }()

    public func blobPath(_ digest: Digest) -> String {
        "\(root)/blobs/\(digest.algorithm.rawValue)/\(digest.encoded)"
    }

    /// Whether the blob is stored, as a regular file (not a symlink, which could
    /// point anywhere), with the expected size. Blobs get their final name only
    /// after verification, so the digest is not recomputed (see `verify(_:)`).
    public func contains(_ descriptor: Descriptor) -> Bool {
        // One lstat(2): this runs for every blob of every pull.
        var info = stat()
        guard lstat(blobPath(descriptor.digest), &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return false }
        return Int64(info.st_size) == descriptor.size
    }

    /// Re-hashes a stored blob: true when its bytes match its digest and size.
    public func verify(_ descriptor: Descriptor) -> Bool {
        guard contains(descriptor) else { return false }
        return (try? BlobHasher.digest(ofFileAt: blobPath(descriptor.digest), algorithm: descriptor.digest.algorithm)) == descriptor.digest
    }

    /// Removes a stored blob (one found corrupt); the next pull downloads it again.
    public func removeBlob(_ digest: Digest) throws(StoreError) {
        guard unlink(blobPath(digest)) == 0 || errno == ENOENT else {
            throw StoreError(.io, path: blobPath(digest), reason: "cannot remove: \(String(cString: strerror(errno)))")
        }
    }

    /// Starts writing a blob. The caller streams bytes in and commits.
    public func makeIngest(for expected: Descriptor) throws(StoreError) -> BlobIngest {
        let directory = "\(root)/blobs/\(expected.digest.algorithm.rawValue)"
        let ingest = "\(root)/\(Self.ingestDirectory)"
        // mkdir(2) per directory (EEXIST is the usual answer) rather than
        // FileManager's walk: this runs for every blob.
        try Self.makeDirectory(root + "/blobs")
        try Self.makeDirectory(directory)
        // The writer's pid (so a leftover of a killed process can be recognised
        // and removed) and a random suffix (concurrent writers of one blob). Not
        // UUID(): Foundation opens /dev/urandom for each one, and this runs for every blob.
        let temporary = "\(ingest)/\(expected.digest.encoded).\(getpid()).\(String(UInt64.random(in: .min ... .max), radix: 36))"
            + (ingestHost.map { ".\($0)" } ?? "")
        // Under the layout lock: another process cannot remove the ingest folder
        // between its creation and this file's.
        return try lock.withLock { () throws(StoreError) in
            try Self.makeDirectory(ingest)
            // A partial file of this blob left by a killed pull: taken over (renamed
            // to this ingest's name, so no one else can) and continued from its end.
            if let partial = stalePartial(of: expected), rename(partial, temporary) == 0 {
                return try BlobIngest(expected: expected, temporaryPath: temporary, finalPath: blobPath(expected.digest), adopting: true)
            }
            return try BlobIngest(expected: expected, temporaryPath: temporary, finalPath: blobPath(expected.digest))
        }
    }

    private static func makeDirectory(_ path: String) throws(StoreError) {
        if mkdir(path, 0o755) == 0 || errno == EEXIST { return }
        if errno == ENOENT, (try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)) != nil { return }
        throw StoreError(.io, path: path, reason: "cannot create: \(String(cString: strerror(errno)))")
    }

    /// Stores a small blob held in memory (a manifest, a config), verified like any other.
    public func writeBlob(_ bytes: [UInt8], as descriptor: Descriptor) throws {
        // Small: re-hashed every time, so a corrupt copy is replaced.
        if contains(descriptor) {
            if verify(descriptor) { return }
            try removeBlob(descriptor.digest)
        }
        let ingest = try makeIngest(for: descriptor)
        try ingest.write(bytes)
        try ingest.commit()
    }

    /// Reads a small blob (manifest, index) and checks its digest.
    public func readBlob(_ digest: Digest, maximumSize: Int = 16 << 20) throws -> [UInt8] {
        let path = blobPath(digest)
        var info = stat()
        if lstat(path, &info) == 0, (info.st_mode & S_IFMT) != S_IFREG {
            throw StoreError(.notARegularFile, path: path, reason: "blob \(digest) is not a regular file (a symlink or a folder); hawser layout verify --repair removes it")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw StoreError(.blobMissing, path: path, reason: "blob \(digest) is not in the layout")
        }
        defer { try? handle.close() }
        let data: Data
        do { data = try handle.read(upToCount: maximumSize + 1) ?? Data() } catch {
            throw StoreError(.io, path: path, reason: "cannot read: \(SystemErrorText.describe(error))")
        }
        guard data.count <= maximumSize else {
            throw StoreError(.io, path: path, reason: "larger than \(maximumSize) bytes: not a manifest")
        }
        let bytes = [UInt8](data)
        guard StreamingDigester.digest(of: bytes, algorithm: digest.algorithm) == digest else {
            throw ContentError(.digestMismatch, digest: digest, reason: "the stored blob \(path) does not match its name")
        }
        return bytes
    }

    /// Records `descriptor` in index.json under `name` (and the full image name
    /// for containerd), replacing what had that name.
    public func addReference(_ descriptor: Descriptor, name: String?, imageName: String? = nil) async throws(StoreError) {
        var entry = Descriptor(mediaType: descriptor.mediaType, digest: descriptor.digest, size: descriptor.size,
                               platform: descriptor.platform, annotations: descriptor.annotations)
        var annotations = entry.annotations ?? [:]
        if let name { annotations[Descriptor.refNameAnnotation] = name }
        if let imageName { annotations[Descriptor.containerdNameAnnotation] = imageName }
        entry.annotations = annotations.isEmpty ? nil : annotations
        try await index.add(entry)
    }

    /// The entries of index.json.
    public func references() async throws(StoreError) -> [Descriptor] {
        try await index.read().manifests
    }

    /// The index.json entry named `name`; without a name, the only entry.
    public func descriptor(named name: String?) async throws(StoreError) -> Descriptor {
        let entries = try await references()
        if let name {
            let matches = entries.filter { $0.refName == name || $0.annotations?[Descriptor.containerdNameAnnotation] == name }
            guard let match = matches.last else {
                let known = entries.compactMap(\.refName)
                throw StoreError(.referenceNotFound, path: root,
                                 reason: "no image named '\(name)' in index.json (names: \(known.isEmpty ? "none" : known.joined(separator: ", ")))")
            }
            return match
        }
        guard entries.count == 1, let only = entries.first else {
            throw StoreError(entries.isEmpty ? .referenceNotFound : .ambiguousReference, path: root,
                             reason: entries.isEmpty ? "index.json lists no image" : "index.json lists \(entries.count) images; name one with LAYOUT:NAME")
        }
        return only
    }

    /// Removes the ingest directory when no ingest is running (best effort),
    /// under the layout lock so no other process is creating a file in it.
    public func removeIngestDirectoryIfEmpty() {
        _ = try? lock.withLock { () throws(StoreError) in rmdir("\(root)/\(Self.ingestDirectory)") }
    }
}
