import Foundation
import HawserCore
import HawserRegistry
import HawserTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Memory is bounded by what clients read, not by what the mirror can read from
/// its disk: a client that stops reading holds one chunk in the mirror, whether
/// the blob is arriving (streamed from its ingest file) or stored.
@Suite("serve: a client that stops reading", .serialized)
struct StalledClientTests {
    /// The mirror's resident memory, from /proc.
    static func residentBytes(_ pid: Int32) -> Int64? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kib = line.split(separator: " ").dropFirst().first.flatMap({ Int64($0) }) else { return nil }
        return kib * 1024
    }

    /// The most the mirror's memory rose above `baseline` over `samples` looks, 50 ms apart.
    static func growth(of pid: Int32, above baseline: Int64, samples: Int) async throws -> Int64 {
        var most: Int64 = 0
        for _ in 0..<samples {
            try await Task.sleep(for: .milliseconds(50))
            if let now = residentBytes(pid) { most = max(most, now - baseline) }
        }
        return most
    }

    @Test("a stalled client of a 64 MiB blob, arriving or stored, costs the mirror a few MiB; the stream resumes intact")
    func stalledClients() async throws {
        let work = try TemporaryDirectory("hawser-serve-stall")
        defer { work.remove() }
        try await withRegistry { one in
            let source = try OCILayout(creatingAt: work.file("source"))
            let image = try await ServeFixtures.makeImage(in: source, name: "big", layerSizes: [64 << 20])
            try await ServeFixtures.push(source, name: "big", to: one, repository: "team/big", tag: "v1")
            try ServeLiveTests.upstreamsYAML(one: one).write(toFile: work.file("mirror.yaml"), atomically: true, encoding: .utf8)
            try await withMirror(store: work.file("store"), arguments: ["--config", work.file("mirror.yaml"), "--disable-default-endpoint"],
                                 log: work.file("serve.log")) { mirror in
                let layer = try #require(image.layers.first)
                let pid = mirror.process.processIdentifier
                let path = "/v2/team/big/blobs/\(layer.digest)?ns=\(one.host)"
                let baseline = try #require(Self.residentBytes(pid))
                // Arriving: the mirror downloads the blob (to its store, on disk) while this client reads nothing.
                let arriving = try StalledConnection(port: mirror.port, request: path)
                let whileArriving = try await Self.growth(of: pid, above: baseline, samples: 40)
                // Stored by now: a second client asks for it and reads nothing either.
                let stored = try StalledConnection(port: mirror.port, request: path)
                let whileStored = try await Self.growth(of: pid, above: baseline, samples: 20)
                // A mirror that read ahead of its clients would rise by up to the blob's size (64 MiB).
                // (Whether chunks are held back while the event loop is busy is BlobBodyWriterTests's case.)
                #expect(whileArriving < 24 << 20, "the mirror grew by \(whileArriving >> 20) MiB while a client of an arriving blob read nothing")
                #expect(whileStored < 24 << 20, "the mirror grew by \(whileStored >> 20) MiB while a client of a stored blob read nothing")
                // Both streams resume and deliver the blob whole.
                for connection in [arriving, stored] {
                    let body = try connection.readBody()
                    #expect(body.count == Int(layer.size))
                    #expect(ServeFixtures.sha256(body) == layer.digest.description)
                }
            }
        }
    }
}

/// A raw loopback connection with a small receive buffer, read only when asked;
/// with `request`, an HTTP/1.1 GET of that path is sent first.
final class StalledConnection {
    let descriptor: Int32

    init(port: Int, request path: String?) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.EIO) }
        var small: Int32 = 16 << 10
        setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { close(descriptor); throw POSIXError(.ECONNREFUSED) }
        var timeout = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard let path else { return }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n\r\n".utf8)
        guard request.withUnsafeBytes({ send(descriptor, $0.baseAddress, $0.count, 0) }) == request.count else {
            close(descriptor)
            throw POSIXError(.EIO)
        }
    }

    deinit { close(descriptor) }

    /// Everything after the response head, to the end of the connection.
    func readBody() throws -> [UInt8] {
        var all: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count < 0 { throw POSIXError(.ETIMEDOUT) }
            if count == 0 { break }
            all.append(contentsOf: chunk[0..<count])
        }
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        guard let end = (0..<max(0, all.count - 3)).first(where: { Array(all[$0..<$0 + 4]) == separator }) else { return [] }
        return Array(all[(end + 4)...])
    }
}
