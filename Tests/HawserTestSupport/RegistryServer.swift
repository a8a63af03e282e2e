import Foundation

/// A real CNCF distribution registry (Debian's docker-registry) on 127.0.0.1,
/// on a free port, with its own storage. Use `withRegistry` so it is stopped
/// even when the test fails (and, through setpriv's parent-death signal, when
/// the test process crashes).
public final class RegistryServer: @unchecked Sendable {
    public struct TLS {
        public var certificate: String
        public var key: String
        /// CA files a client certificate must chain to (mutual TLS).
        public var clientCAs: [String] = []

        public init(certificate: String, key: String, clientCAs: [String] = []) {
            self.certificate = certificate
            self.key = key
            self.clientCAs = clientCAs
        }
    }

    public enum Auth {
        case none
        case htpasswd(path: String)
        case token(realm: String, service: String, issuer: String, rootCertificateBundle: String)
    }

    public let port: Int
    public let directory: TemporaryDirectory
    public let usesTLS: Bool
    private let process: Process
    /// The thread the registry was spawned from: it must outlive the registry (`--pdeathsig`).
    private let parent: ParentThread
    private let logPath: String

    public var host: String { "127.0.0.1:\(port)" }
    public var baseURL: String { "\(usesTLS ? "https" : "http")://\(host)" }

    private init(port: Int, directory: TemporaryDirectory, usesTLS: Bool, process: Process, parent: ParentThread, logPath: String) {
        self.parent = parent
        self.port = port
        self.directory = directory
        self.usesTLS = usesTLS
        self.process = process
        self.logPath = logPath
    }

    /// - Parameter port: a fixed port (e.g. 80, as root in the test namespace); a free one when nil.
    public static func start(tls: TLS? = nil, auth: Auth = .none, port fixedPort: Int? = nil) async throws -> RegistryServer {
        let binary = try Tools.require(Tools.registry, package: "docker-registry")
        let directory = try TemporaryDirectory("hawser-registry")
        let storage = try directory.subdirectory("storage")
        for _ in 0..<5 {
            let port = try fixedPort ?? FreePort.next()
            var config = """
            version: 0.1
            log:
              level: info
              accesslog:
                disabled: false
            storage:
              filesystem:
                rootdirectory: \(storage)
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:\(port)
              secret: hawser-test-secret

            """
            if let tls {
                config += "  tls:\n    certificate: \(tls.certificate)\n    key: \(tls.key)\n"
                if !tls.clientCAs.isEmpty {
                    config += "    clientcas:\n" + tls.clientCAs.map { "      - \($0)\n" }.joined()
                }
            }
            switch auth {
            case .none: break
            case .htpasswd(let path):
                config += "auth:\n  htpasswd:\n    realm: hawser-test\n    path: \(path)\n"
            case .token(let realm, let service, let issuer, let bundle):
                config += "auth:\n  token:\n    realm: \(realm)\n    service: \(service)\n    issuer: \(issuer)\n    rootcertbundle: \(bundle)\n"
            }
            let configPath = directory.file("config-\(port).yml")
            try config.write(toFile: configPath, atomically: true, encoding: .utf8)
            let logPath = directory.file("registry-\(port).log")
            FileManager.default.createFile(atPath: logPath, contents: nil)
            let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
            let process = Process()
            if FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") {
                // The registry is killed when the test process dies, even by a crash.
                process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
                process.arguments = ["--pdeathsig", "KILL", binary, "serve", configPath]
            } else {
                process.executableURL = URL(fileURLWithPath: binary)
                process.arguments = ["serve", configPath]
            }
            process.standardOutput = log
            process.standardError = log
            let parent = ParentThread()
            try parent.spawn(process)
            let server = RegistryServer(port: port, directory: directory, usesTLS: tls != nil, process: process, parent: parent, logPath: logPath)
            if try await server.waitUntilListening() { return server }
            server.stop(removeFiles: false)
        }
        throw TestSupportError("docker-registry did not start; its log is under \(directory.path)")
    }

    /// Waits until the port accepts connections and the log says it serves.
    private func waitUntilListening() async throws -> Bool {
        for _ in 0..<200 {
            if !process.isRunning { return false }
            if FreePort.isListening(port) { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    /// The registry's log, access log included.
    public var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    public func stop(removeFiles: Bool = true) {
        if process.isRunning {
            // SIGKILL: on SIGTERM the registry waits for keep-alive connections to drain.
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        parent.finish()
        if removeFiles { directory.remove() }
    }
}

/// Runs `body` with a started registry and stops it afterwards, also on failure.
public func withRegistry<T>(tls: RegistryServer.TLS? = nil, auth: RegistryServer.Auth = .none, port: Int? = nil,
                            _ body: (RegistryServer) async throws -> T) async throws -> T {
    let server = try await RegistryServer.start(tls: tls, auth: auth, port: port)
    do {
        let result = try await body(server)
        server.stop()
        return result
    } catch {
        server.stop()
        throw error
    }
}
