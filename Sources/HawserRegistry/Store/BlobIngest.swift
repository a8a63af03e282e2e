import Foundation
import HawserCore
import NIOCore

#if canImport(Glibc)
import Glibc
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
import Darwin
private let systemWrite = Darwin.write
#endif

/// Writes one blob into a layout: bytes go to a temporary file while their
/// digest is computed; only `commit()` after a matching digest and size moves
/// the file to its final name. Used by one task at a time.
public final class BlobIngest {
    public let expected: Descriptor
    private let temporaryPath: String
    private let finalPath: String
    private var descriptor: Int32
    private var digester: StreamingDigester
    /// Small chunks are gathered here before one `write(2)`; allocated on first
    /// use, no larger than the blob.
    private var buffer: UnsafeMutableRawBufferPointer?
    private var buffered = 0
    public private(set) var written: Int64 = 0
    private var finished = false

    /// Bytes gathered before one `write(2)`: large writes, bounded memory.
    static let bufferSize = 256 << 10
    /// Chunks at least this large skip the buffer: written as they are, no copy.
    static let directWriteSize = 32 << 10

    /// - Parameter adopting: true when `temporaryPath` already holds the first
    ///   bytes of this blob (a killed pull's partial file, renamed to this
    ///   ingest's name under the layout lock): the digest state is recomputed
    ///   from them and writing continues after them.
    init(expected: Descriptor, temporaryPath: String, finalPath: String, adopting: Bool = false) throws(StoreError) {
        self.expected = expected
        self.temporaryPath = temporaryPath
        self.finalPath = finalPath
        descriptor = open(temporaryPath, adopting ? (O_RDWR | O_CLOEXEC) : (O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC), 0o644)
        guard descriptor >= 0 else {
            throw StoreError(.io, path: temporaryPath, reason: "cannot create: \(String(cString: strerror(errno)))")
        }
        digester = StreamingDigester(expected.digest.algorithm)
        if adopting { try rehashExistingBytes() }
    }

    /// Reads back a partial file: its bytes feed the digest, `written` becomes
    /// its length. More bytes than the blob has means it is not this blob's: emptied.
    private func rehashExistingBytes() throws(StoreError) {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw StoreError(.io, path: temporaryPath, reason: "cannot stat the partial file") }
        let length = Int64(info.st_size)
        guard length > 0, length <= expected.size else {
            try restart()
            return
        }
        let chunk = 1 << 20
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 16)
        defer { scratch.deallocate() }
        var offset: Int64 = 0
        while offset < length {
            let count = pread(descriptor, scratch.baseAddress, min(chunk, Int(length - offset)), off_t(offset))
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { throw StoreError(.io, path: temporaryPath, reason: "cannot read the partial file back") }
            digester.update(UnsafeRawBufferPointer(rebasing: scratch[0..<count]))
            offset += Int64(count)
        }
        guard lseek(descriptor, off_t(length), SEEK_SET) == off_t(length) else {
            throw StoreError(.io, path: temporaryPath, reason: "cannot continue the partial file")
        }
        written = length
    }

    deinit {
        if !finished {
            close(descriptor)
            unlink(temporaryPath)
        }
        buffer?.deallocate()
    }

    /// Adds bytes. Refuses, before writing them, bytes beyond the expected size.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard !finished else { return }
        // Compared as a remainder: `written + count` could pass Int64.max for a hostile size.
        guard Int64(bytes.count) <= expected.size - written else {
            throw ContentError(.sizeMismatch, digest: expected.digest,
                               reason: "more bytes than the \(expected.size) the descriptor states")
        }
        digester.update(bytes)
        written += Int64(bytes.count)
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        if bytes.count >= Self.directWriteSize {
            // A network read's worth: one write(2) straight from the received buffer.
            try flush()
            try writeAll(UnsafeRawBufferPointer(start: source, count: bytes.count))
            return
        }
        let target = buffer ?? allocateBuffer()
        var offset = 0
        while offset < bytes.count {
            let chunk = min(bytes.count - offset, target.count - buffered)
            (target.baseAddress! + buffered).copyMemory(from: source + offset, byteCount: chunk)
            buffered += chunk
            offset += chunk
            if buffered == target.count { try flush() }
        }
    }

    private func allocateBuffer() -> UnsafeMutableRawBufferPointer {
        let size = Int(max(1, min(Int64(Self.bufferSize), expected.size)))
        let allocated = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
        buffer = allocated
        return allocated
    }

    public func write(_ bytes: ByteBuffer) throws {
        try bytes.withUnsafeReadableBytes { try write($0) }
    }

    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    /// The file the bytes go to before `commit()`. `hawser serve` streams a blob to
    /// its clients from here while it is still arriving (what `flushBuffered()` wrote).
    public var spoolPath: String { temporaryPath }

    /// Writes out the bytes gathered in memory, so readers of `spoolPath` see every
    /// byte given to `write` so far.
    public func flushBuffered() throws {
        guard !finished else { return }
        try flush()
    }

    private func flush() throws(StoreError) {
        guard buffered > 0, let buffer else { return }
        try writeAll(UnsafeRawBufferPointer(start: buffer.baseAddress, count: buffered))
        buffered = 0
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws(StoreError) {
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            let count = systemWrite(descriptor, base + offset, bytes.count - offset)
            if count < 0 {
                if errno == EINTR { continue }
                throw StoreError(.io, path: temporaryPath, reason: "write failed: \(String(cString: strerror(errno)))")
            }
            offset += count
        }
    }

    /// Verifies size and digest and moves the blob to its final name. On any
    /// failure the temporary file is removed and nothing is stored.
    public func commit() throws {
        guard !finished else { return }
        defer { if !finished { abort() } }
        try flush()
        guard written == expected.size else {
            throw ContentError(.sizeMismatch, digest: expected.digest,
                               reason: "received \(written) bytes, the descriptor states \(expected.size)")
        }
        let actual = digester.finalize()
        guard actual == expected.digest else {
            throw ContentError(.digestMismatch, digest: expected.digest,
                               reason: "the bytes hash to \(actual?.description ?? "?"), not to \(expected.digest)")
        }
        // On disk before it gets its name (as containerd and skopeo do): after a
        // crash, a blob under its final name is complete.
        guard fsync(descriptor) == 0 else {
            throw StoreError(.io, path: temporaryPath, reason: "fsync failed: \(String(cString: strerror(errno)))")
        }
        guard close(descriptor) == 0 else {
            throw StoreError(.io, path: temporaryPath, reason: "close failed: \(String(cString: strerror(errno)))")
        }
        finished = true
        // Whatever holds the final name must be a regular file (or nothing): a
        // symlink is replaced by the verified blob, a folder is refused.
        var info = stat()
        if lstat(finalPath, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            unlink(temporaryPath)
            throw StoreError(.notARegularFile, path: finalPath, reason: "a folder has the blob's name; remove it (hawser layout verify --repair does)")
        }
        guard rename(temporaryPath, finalPath) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporaryPath)
            throw StoreError(.io, path: finalPath, reason: "rename failed: \(reason)")
        }
        DurableFile.syncDirectory(of: finalPath)
    }

    /// Starts over from byte zero (the registry ignored a Range request): the
    /// file is emptied and the digest computed afresh.
    public func restart() throws(StoreError) {
        guard !finished else { return }
        buffered = 0
        guard ftruncate(descriptor, 0) == 0, lseek(descriptor, 0, SEEK_SET) == 0 else {
            throw StoreError(.io, path: temporaryPath, reason: "cannot start over: \(String(cString: strerror(errno)))")
        }
        written = 0
        digester = StreamingDigester(expected.digest.algorithm)
    }

    /// Drops what was written; nothing reaches the final name.
    public func abort() {
        guard !finished else { return }
        finished = true
        close(descriptor)
        unlink(temporaryPath)
    }
}
