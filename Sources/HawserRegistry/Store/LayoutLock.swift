import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A cross-process lock on one layout: `flock(2)` on `<layout>/.hawser-lock`.
/// Held only around short critical sections (the read-modify-write of
/// index.json, creating and removing ingest files and their folder), so two
/// `hawser pull` processes sharing an `--output` never lose an index entry or
/// remove the folder the other is writing into.
///
/// Each acquisition opens its own descriptor: flock locks belong to the open
/// file description, so two threads of one process exclude each other too.
/// Waiting polls with LOCK_NB (bounded in time), so a stuck holder becomes an
/// error, never a hang.
struct LayoutLock: Sendable {
    static let fileName = ".hawser-lock"
    /// How long to wait for another process's critical section.
    static let timeout: Duration = .seconds(60)

    let path: String

    init(layoutRoot: String) {
        path = layoutRoot + "/" + Self.fileName
    }

    func withLock<T>(_ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        let descriptor = try acquire()
        defer {
            flock(descriptor, LOCK_UN)
            close(descriptor)
        }
        return try body()
    }

    private func acquire() throws(StoreError) -> Int32 {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw StoreError(.io, path: path, reason: "cannot open the layout's lock file: \(String(cString: strerror(errno)))")
        }
        let deadline = ContinuousClock.now + Self.timeout
        var pause: UInt32 = 1_000
        while true {
            if flock(descriptor, LOCK_EX | LOCK_NB) == 0 { return descriptor }
            let failure = errno
            guard failure == EWOULDBLOCK || failure == EINTR else {
                close(descriptor)
                throw StoreError(.io, path: path, reason: "cannot lock the layout: \(String(cString: strerror(failure)))")
            }
            guard ContinuousClock.now < deadline else {
                close(descriptor)
                throw StoreError(.locked, path: path,
                                 reason: "another process has held the layout's lock for more than \(Self.timeout); check for a stuck hawser process using this layout")
            }
            usleep(pause)
            pause = min(pause * 2, 50_000)
        }
    }
}
