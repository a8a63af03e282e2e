import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension OCILayout {
    /// What a crash (kill -9, power loss) can leave: ingest files of a process
    /// that no longer runs, and index.json temporaries. Never a blob under its
    /// final name that was not verified, never a torn index.json.
    public struct Leftover: Sendable, Hashable {
        public let path: String
        public let size: Int64
    }

    /// Ingest files and index temporaries whose writer is gone: its pid (in the
    /// name) is not running, or the name has no pid and the file is over an
    /// hour old. Files of running processes are never listed.
    public func staleLeftovers() -> [Leftover] {
        var found: [Leftover] = []
        let ingest = "\(root)/\(Self.ingestDirectory)"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: ingest))?.prefix(100_000) ?? [] {
            // <hex>.<pid>.<random>, or <hex>.<pid>.<random>.<host> in a layout shared across machines
            if let leftover = Self.leftover("\(ingest)/\(name)", pid: Self.localWriter(of: name)) { found.append(leftover) }
        }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: root))?.prefix(100_000) ?? [] where name.hasPrefix("index.json.tmp-") {
            // index.json.tmp-<pid>-<random>
            let pid = name.dropFirst("index.json.tmp-".count).split(separator: "-").first.flatMap { Int32($0) }
            if let leftover = Self.leftover("\(root)/\(name)", pid: pid) { found.append(leftover) }
        }
        return found
    }

    private static func leftover(_ path: String, pid: Int32?) -> Leftover? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        if let pid {
            guard pid != getpid(), !isRunning(pid) else { return nil }
        } else {
            #if canImport(Glibc)
            let modified = TimeInterval(info.st_mtim.tv_sec)
            #else
            let modified = TimeInterval(info.st_mtimespec.tv_sec)
            #endif
            let age = Date().timeIntervalSince1970 - modified
            guard age > 3600 else { return nil }
        }
        return Leftover(path: path, size: Int64(info.st_size))
    }

    /// The largest partial file of `blob` whose writer is gone (call under the lock).
    func stalePartial(of blob: Descriptor) -> String? {
        let ingest = "\(root)/\(Self.ingestDirectory)"
        let prefix = blob.digest.encoded + "."
        var best: (path: String, size: Int64)?
        for name in (try? FileManager.default.contentsOfDirectory(atPath: ingest))?.prefix(100_000) ?? [] where name.hasPrefix(prefix) {
            // Only a writer of this machine can be known to be gone: another machine's file is never taken over.
            guard let pid = Self.localWriter(of: name), pid != getpid(), !Self.isRunning(pid) else { continue }
            var info = stat()
            let path = "\(ingest)/\(name)"
            guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
            let size = Int64(info.st_size)
            if size <= blob.size, size > (best?.size ?? -1) { best = (path, size) }
        }
        return best?.path
    }

    /// The pid that wrote an ingest file, when it ran on this machine: every
    /// `<hex>.<pid>.<random>` name, and `<hex>.<pid>.<random>.<host>` with this host.
    static func localWriter(of name: String) -> Int32? {
        let parts = name.split(separator: ".")
        guard parts.count == 3 || (parts.count == 4 && parts[3] == hostTag) else { return nil }
        return Int32(parts[1])
    }

    static func isRunning(_ pid: Int32) -> Bool {
        pid > 0 && (kill(pid, 0) == 0 || errno == EPERM)
    }

    /// Removes stale leftovers, under the layout lock; returns what was removed.
    /// `pull` runs this first, so a killed pull's partial files do not stay forever.
    @discardableResult
    public func removeStaleLeftovers() -> [Leftover] {
        (try? lock.withLock { () throws(StoreError) -> [Leftover] in
            let stale = staleLeftovers()
            for leftover in stale { unlink(leftover.path) }
            return stale
        }) ?? []
    }
}
