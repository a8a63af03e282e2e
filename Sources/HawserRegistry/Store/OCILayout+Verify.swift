import Foundation
import HawserCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension OCILayout {
    /// Hashes every blob, follows every index.json entry to the blobs it needs,
    /// and lists leftovers of killed processes. With `repair`, removes what is
    /// corrupt (blobs whose bytes are wrong, symlinks and other non-files,
    /// stray files under blobs/, stale leftovers); an image that then misses a
    /// blob is reported, and pulling it again restores it.
    public func verifyAll(repair: Bool) async throws(StoreError) -> LayoutVerification {
        var report = LayoutVerification()
        let intact = checkBlobs(repair: repair, into: &report)
        for entry in try await references() {
            report.entriesChecked += 1
            let name = entry.refName ?? entry.annotations?[Descriptor.containerdNameAnnotation] ?? entry.digest.description
            checkReachable(entry, from: "index.json entry \(name)", intact: intact, depth: 0, into: &report)
        }
        for leftover in staleLeftovers() {
            report.problems.append(.init(kind: .leftover, path: leftover.path,
                                         detail: "\(leftover.size) bytes left by a process that is gone", repaired: false))
        }
        if repair {
            let removed = Set(removeStaleLeftovers().map(\.path))
            for index in report.problems.indices where report.problems[index].kind == .leftover && removed.contains(report.problems[index].path) {
                report.problems[index].repaired = true
            }
        }
        return report
    }

    /// Every file under blobs/: regular, named by a digest, hashing to it.
    /// Returns the digests whose blobs are intact, with their sizes.
    private func checkBlobs(repair: Bool, into report: inout LayoutVerification) -> [Digest: Int64] {
        var intact: [Digest: Int64] = [:]
        let blobs = root + "/blobs"
        let manager = FileManager.default
        for algorithmName in ((try? manager.contentsOfDirectory(atPath: blobs)) ?? []).sorted().prefix(64) {
            let directory = blobs + "/" + algorithmName
            let algorithm = Digest.Algorithm(rawValue: algorithmName)
            for name in ((try? manager.contentsOfDirectory(atPath: directory)) ?? []).sorted().prefix(10_000_000) {
                let path = directory + "/" + name
                report.blobsChecked += 1
                var info = stat()
                guard lstat(path, &info) == 0 else { continue }
                guard (info.st_mode & S_IFMT) == S_IFREG else {
                    report.problems.append(.init(kind: .notARegularFile, path: path, detail: "a symlink or folder where a blob should be",
                                                 repaired: repair && (try? manager.removeItem(atPath: path)) != nil))
                    continue
                }
                guard let algorithm, let digest = try? Digest(algorithm: algorithm, encoded: name) else {
                    report.problems.append(.init(kind: .strayFile, path: path, detail: "not named by a \(algorithmName) digest",
                                                 repaired: repair && unlink(path) == 0))
                    continue
                }
                report.bytesHashed = report.bytesHashed.saturatingAdding(Int64(info.st_size))
                let actual = try? BlobHasher.digest(ofFileAt: path, algorithm: algorithm)
                guard actual == digest else {
                    report.problems.append(.init(kind: .corruptBlob, path: path,
                                                 detail: "its bytes hash to \(actual?.description ?? "nothing readable"), not to its name",
                                                 repaired: repair && unlink(path) == 0))
                    continue
                }
                intact[digest] = Int64(info.st_size)
            }
        }
        return intact
    }

    /// The blob `descriptor` names, and for a manifest or index, what it names in turn.
    private func checkReachable(_ descriptor: Descriptor, from owner: String, intact: [Digest: Int64], depth: Int,
                                into report: inout LayoutVerification) {
        let path = blobPath(descriptor.digest)
        guard let size = intact[descriptor.digest] else {
            report.problems.append(.init(kind: .missingBlob, path: path,
                                         detail: "\(owner) needs \(descriptor.digest), which is missing or corrupt: pull the image again (--verify-existing replaces a corrupt blob)"))
            return
        }
        guard size == descriptor.size else {
            report.problems.append(.init(kind: .wrongSize, path: path,
                                         detail: "\(owner) states \(descriptor.size) bytes for \(descriptor.digest), the blob has \(size)"))
            return
        }
        let isManifest = MediaType.isManifest(descriptor.mediaType) || MediaType.isIndex(descriptor.mediaType)
        guard isManifest, depth < 8 else { return }
        let content: ManifestContent
        do {
            content = try ManifestContent(bytes: try readBlob(descriptor.digest, maximumSize: RegistryClient.maximumManifestSize), descriptor: descriptor)
        } catch {
            report.problems.append(.init(kind: .unreadableManifest, path: path, detail: "\(owner): \(NetworkErrorText.describe(error))"))
            return
        }
        switch content.kind {
        case .manifest(let manifest):
            for blob in manifest.blobs {
                checkReachable(blob, from: "\(owner) (manifest \(descriptor.digest.encoded.prefix(12)))", intact: intact, depth: depth + 1, into: &report)
            }
        case .index(let index):
            for child in index.manifests {
                checkReachable(child, from: "\(owner) (index \(descriptor.digest.encoded.prefix(12)))", intact: intact, depth: depth + 1, into: &report)
            }
        }
    }
}
