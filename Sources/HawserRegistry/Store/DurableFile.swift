import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writing files so that a crash or power loss leaves the old content or the
/// new, never a torn or empty file: data fsynced before the rename that
/// publishes it, and the folder fsynced after, so the rename itself is durable.
enum DurableFile {
    /// Writes `bytes` to a temporary file beside `path`, fsyncs it, renames it
    /// over `path`, and fsyncs the folder.
    static func replace(_ path: String, with bytes: [UInt8]) throws(StoreError) {
        let temporary = path + ".tmp-\(getpid())-\(String(UInt64.random(in: .min ... .max), radix: 36))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw failure(temporary, "cannot create") }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                write(descriptor, buffer.baseAddress.map { $0 + offset }, bytes.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                let error = failure(temporary, "cannot write")
                close(descriptor)
                unlink(temporary)
                throw error
            }
            offset += written
        }
        guard fsync(descriptor) == 0 else {
            let error = failure(temporary, "cannot flush to disk (fsync)")
            close(descriptor)
            unlink(temporary)
            throw error
        }
        close(descriptor)
        guard rename(temporary, path) == 0 else {
            let error = failure(path, "cannot replace")
            unlink(temporary)
            throw error
        }
        syncDirectory(of: path)
    }

    /// fsync(2) on the folder holding `path`, so a rename into it survives a
    /// crash. Best effort: some file systems refuse it, and the data is safe.
    static func syncDirectory(of path: String) {
        let directory = (path as NSString).deletingLastPathComponent
        let descriptor = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }

    static func failure(_ path: String, _ what: String) -> StoreError {
        StoreError(.io, path: path, reason: "\(what): \(String(cString: strerror(errno)))")
    }
}
