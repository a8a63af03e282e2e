import Foundation
import HawserTestSupport
import NIOSSL

/// The certificates' folder, removed when the test process exits.
nonisolated(unsafe) private var certificateFolder: String?

/// Test certificates and TLS contexts, made once per test process.
actor SharedTLS {
    static let shared = SharedTLS()

    struct Material: Sendable {
        let certificates: TestCertificates
        let trusted: NIOSSLContext
        let untrusted: NIOSSLContext
    }

    private var material: Material?

    func get() throws -> Material {
        if let material { return material }
        let directory = try TemporaryDirectory("hawser-oracle-certs")
        certificateFolder = directory.path
        atexit {
            if let folder = certificateFolder { try? FileManager.default.removeItem(atPath: folder) }
        }
        let certificates = try TestCertificates.make(in: directory)
        func context(_ certificate: String, _ key: String) throws -> NIOSSLContext {
            let chain = try NIOSSLCertificate.fromPEMFile(certificate).map { NIOSSLCertificateSource.certificate($0) }
            let configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: chain, privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
            return try NIOSSLContext(configuration: configuration)
        }
        let made = Material(certificates: certificates,
                            trusted: try context(certificates.serverCertificate, certificates.serverKey),
                            untrusted: try context(certificates.untrustedServerCertificate, certificates.untrustedServerKey))
        material = made
        return made
    }
}

/// An async counting semaphore.
actor Slots {
    /// Situations that bind fixed ports (80, 443) run one at a time.
    static let fixedPorts = Slots(1)
    /// Situations live at once across the whole oracle suite (live and replays run in
    /// parallel; each situation starts processes): the machine has 2 cores.
    static let situations = Slots(4)

    private var free: Int
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(_ count: Int) { free = count }

    func acquire() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    func release() {
        if waiters.isEmpty { free += 1 } else { waiters.removeFirst().resume() }
    }

    /// Runs `body` holding a slot.
    nonisolated func run<T: Sendable>(_ body: () async throws -> T) async rethrows -> T {
        await acquire()
        do {
            let result = try await body()
            await release()
            return result
        } catch {
            await release()
            throw error
        }
    }
}

/// A situation set up for real: its folder, hosts.toml, listeners and closed ports.
final class LiveSituation: @unchecked Sendable {
    let situation: Situation
    let directory: TemporaryDirectory
    let log = ConnectionLog()
    let hostsDir: String
    let caFile: String
    private(set) var listeners: [OracleListener] = []
    private(set) var closedPorts: [String: ClosedPort] = [:]
    private var fixedClosed: [ClosedPort] = []
    /// Token name -> port, for the randomly chosen ports only.
    private(set) var ports: [String: Int] = [:]
    private var holdsGate = false

    private init(situation: Situation, directory: TemporaryDirectory, caFile: String) {
        self.situation = situation
        self.directory = directory
        self.hostsDir = directory.file("certs.d")
        self.caFile = caFile
    }

    static func setUp(_ situation: Situation) async throws -> LiveSituation {
        let tls = try await SharedTLS.shared.get()
        let live = LiveSituation(situation: situation, directory: try TemporaryDirectory("hawser-oracle"), caFile: tls.certificates.caCertificate)
        do {
            try await live.start(tls)
        } catch {
            await live.tearDown()
            throw error
        }
        return live
    }

    private func start(_ tls: SharedTLS.Material) async throws {
        if situation.usesFixedPorts {
            await Slots.fixedPorts.acquire()
            holdsGate = true
        }
        for name in situation.closed {
            let closed = try ClosedPort()
            closedPorts[name] = closed
            ports[name] = closed.port
        }
        for port in situation.closedFixed { fixedClosed.append(try ClosedPort(port: port)) }
        for spec in situation.listeners {
            let context: NIOSSLContext? = switch spec.tls {
            case .none: nil
            case .trusted: tls.trusted
            case .untrusted: tls.untrusted
            }
            let listener = try await OracleListener.start(name: spec.name, port: spec.fixedPort ?? 0, tls: context, behaviour: spec.behaviour, log: log)
            listeners.append(listener)
            if spec.fixedPort == nil { ports[spec.name] = listener.port }
        }
        try FileManager.default.createDirectory(atPath: hostsDir, withIntermediateDirectories: true)
        if let toml = situation.hostsToml {
            let folder = hostsDir + "/" + substitute(situation.directory)
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try substitute(toml).write(toFile: folder + "/hosts.toml", atomically: true, encoding: .utf8)
        }
    }

    func tearDown() async {
        for listener in listeners { await listener.stop() }
        listeners = []
        closedPorts = [:]
        fixedClosed = []
        directory.remove()
        if holdsGate {
            holdsGate = false
            await Slots.fixedPorts.release()
        }
    }

    var image: String { substitute(situation.image) }

    /// Tokens -> real values.
    func substitute(_ text: String) -> String {
        var result = text
        for (name, port) in ports { result = result.replacingOccurrences(of: "{\(name)}", with: String(port)) }
        result = result.replacingOccurrences(of: "{ca}", with: caFile)
        result = result.replacingOccurrences(of: "{tmp}", with: directory.path)
        result = result.replacingOccurrences(of: "{digest}", with: TinyImage.shared.manifest.digest)
        return result
    }

    /// Real values -> tokens: the folder, the CA file, every random port (after `:`, `%3A`, `_`
    /// and not followed by a digit), log timestamps.
    func tokenise(_ text: String) -> String {
        var result = text
        result = result.replacingOccurrences(of: caFile, with: "{ca}")
        result = result.replacingOccurrences(of: directory.path, with: "{tmp}")
        for (name, port) in ports.sorted(by: { String($0.value).count > String($1.value).count }) {
            for prefix in [":", "%3A", "%3a", "_"] {
                result = Self.replace(prefix + String(port), with: prefix + "{\(name)}", in: result)
            }
        }
        result = result.replacingOccurrences(of: #"time="[^"]*""#, with: #"time="{time}""#, options: .regularExpression)
        return result
    }

    private static func replace(_ needle: String, with replacement: String, in text: String) -> String {
        var output = ""
        var rest = Substring(text)
        while let range = rest.range(of: needle) {
            output += rest[..<range.lowerBound]
            let next = rest[range.upperBound...].first
            if let next, next.isNumber {
                output += rest[range]
            } else {
                output += replacement
            }
            rest = rest[range.upperBound...]
        }
        return output + rest
    }

    /// The listener (token name) on a port: random ports by token, fixed ones as `port80`/`port443`.
    func listener(onPort port: Int) -> (name: String, tls: ListenerTLS)? {
        for spec in situation.listeners {
            let actual = spec.fixedPort ?? ports[spec.name]
            if actual == port { return (spec.name, spec.tls) }
        }
        return nil
    }
}
