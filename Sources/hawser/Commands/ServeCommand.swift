import ArgumentParser
import Foundation
import HawserCore
import HawserServe
import Logging

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "A read-only pull-through mirror for every upstream registry, chosen by containerd's ?ns= parameter.",
        discussion: """
        Serves GET/HEAD /v2/, manifests by tag and digest, and blobs (with Range). The upstream is the registry named by \
        ?ns= (what containerd adds to every mirror request), or by the path's first element for clients that send no ns \
        (/v2/docker.io/library/nginx/manifests/1.27). Upstreams are reached along the plan of --config (credentials, TLS, \
        their own mirrors), exactly as hawser pull. Blobs and manifests are kept by digest in --store (an OCI layout that \
        several replicas may share); tags for --tag-ttl seconds, then asked again, and served stale when upstream cannot \
        be reached. A missing blob streams to the client while it is verified and stored; clients asking for the same \
        blob at once share one upstream download. Pushes get 405. The access log goes to stderr; metrics to /metrics (behind --htpasswd too).
        """)

    @Option(name: .long, help: "The store: an OCI image layout folder (created when missing; replicas may share it).")
    var store: String?

    @Option(name: .long, help: "Address and port to listen on, ADDR:PORT ([::1]:5000 for IPv6).")
    var listen: String = "127.0.0.1:5000"

    @Option(name: .long, help: "The mirror's own registries.yaml: credentials, TLS and mirrors for reaching upstreams.")
    var config: String?

    @Option(name: .long, help: "Instead of --config: a containerd certs.d directory for reaching upstreams.")
    var hostsDir: String?

    @Option(name: .long, help: "Serve only this registry (repeatable, as clients name it in ns: docker.io, quay.io, registry.local:5000); default: any registry a client names.")
    var allowRegistry: [String] = []

    @Flag(name: .long, help: "Reach upstreams only through the endpoints --config names, never the registry's own default host (as K3s's --disable-default-registry-endpoint).")
    var disableDefaultEndpoint = false

    @Option(name: .long, help: "PEM certificate (chain) to serve HTTPS with; goes with --tls-key.")
    var tlsCert: String?

    @Option(name: .long, help: "PEM private key of --tls-cert.")
    var tlsKey: String?

    @Option(name: .long, help: "An htpasswd file (bcrypt entries, htpasswd -B): clients must authenticate with Basic auth.")
    var htpasswd: String?

    @Option(name: .long, help: "Seconds a tag's digest is served from the store before upstream is asked again.")
    var tagTtl: Int = 300

    @Option(name: .long, help: "Largest manifest fetched or served, in bytes.")
    var maxManifestSize: Int = 4 << 20

    @Option(name: .long, help: "Access log level: info logs every request, warning only problems.")
    var logLevel: String = "info"

    @Flag(name: .long, help: "Print the registries.yaml K3s nodes need to pull through this mirror, and exit.")
    var printRegistriesYaml = false

    @Option(name: .long, help: "With --print-registries-yaml: the URL nodes reach this mirror at (default: from --listen and --tls-cert).")
    var advertise: String?

    @Option(name: .long, help: "With --print-registries-yaml: mirror only this registry (repeatable); default: every registry (\"*\").")
    var registry: [String] = []

    @Option(name: .long, help: "With --print-registries-yaml: the CA file nodes verify this mirror's certificate with.")
    var caFile: String?

    func validate() throws {
        if config != nil && hostsDir != nil { throw ValidationError("give either --config or --hosts-dir, not both") }
        if (tlsCert == nil) != (tlsKey == nil) { throw ValidationError("--tls-cert and --tls-key go together") }
        if tagTtl < 0 { throw ValidationError("--tag-ttl must be 0 or more seconds") }
        if maxManifestSize < 1024 || maxManifestSize > 64 << 20 { throw ValidationError("--max-manifest-size must be between 1024 and 67108864 bytes") }
        if Logger.Level(rawValue: logLevel) == nil { throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical") }
        if !printRegistriesYaml && store == nil { throw ValidationError("--store is required (the folder blobs and manifests are kept in)") }
        _ = try Self.parseListen(listen)
    }

    /// "ADDR:PORT" or "[IPv6]:PORT".
    static func parseListen(_ text: String) throws -> (host: String, port: Int) {
        let host: String
        let portText: Substring
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { throw ValidationError("--listen \(text): expected [ADDR]:PORT") }
            portText = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else { throw ValidationError("--listen \(text): expected ADDR:PORT") }
            host = String(text[..<colon])
            portText = text[text.index(after: colon)...]
        }
        guard !host.isEmpty, let port = Int(portText), (0...65535).contains(port) else {
            throw ValidationError("--listen \(text): expected ADDR:PORT with a port from 0 to 65535")
        }
        return (host, port)
    }

    func run() async throws {
        let (host, port) = try Self.parseListen(listen)
        if printRegistriesYaml {
            let scheme = tlsCert == nil ? "http" : "https"
            let shown = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
            let endpoint = advertise ?? "\(scheme)://\(shown)"
            let advertisedHost = URL(string: endpoint).flatMap { url in url.host.map { $0 + (url.port.map { ":\($0)" } ?? "") } } ?? shown
            print(MirrorRegistriesYAML.render(endpoint: endpoint, registries: registry, host: advertisedHost,
                                              basicAuth: htpasswd != nil, caFile: caFile), terminator: "")
            return
        }
        guard let store else { throw ValidationError("--store is required") }
        let hosts: HostsConfiguration
        if let config {
            hosts = try HostsConfiguration.registriesYAML(atPath: config, options: RenderOptions(disableDefaultEndpoint: disableDefaultEndpoint))
        } else if let hostsDir {
            hosts = HostsConfiguration.hostsDirectory(atPath: hostsDir)
        } else {
            hosts = HostsConfiguration.fromRegistries(RegistriesConfig(file: "(no configuration)"), path: "(no configuration: containerd's defaults)",
                                                      options: RenderOptions(disableDefaultEndpoint: disableDefaultEndpoint))
        }
        let users: Htpasswd?
        do {
            users = try htpasswd.map { path throws(HtpasswdError) in try Htpasswd(path: path) }
        } catch {
            Terminal.error("error: \(error)")
            throw ExitCode(2)
        }
        #if os(Linux) && canImport(Glibc)
        // Blob chunks are freed on other threads than the one that allocated them. glibc's
        // mmap threshold moves up each time a mapped block is freed (and the trim threshold
        // with it), after which chunks stay cached, spread over one arena per thread:
        // 157-219 MiB of RSS after a 512 MiB pull, 120-164 MiB with 16 clients
        // (bench/serve_bench.py). A fixed threshold keeps trimming on, and one arena keeps
        // freed chunks where the next allocation finds them: 100-112 MiB with 16 clients.
        _ = glibcMallopt(glibcMmapThreshold, 256 << 10)
        _ = glibcMallopt(glibcArenaMax, 1)
        #endif
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var logger = Logger(label: "hawser.serve")
        logger.logLevel = level
        var accessLog = Logger(label: "hawser.serve.access")
        accessLog.logLevel = level
        let server = MirrorServer(configuration: .init(
            storePath: store, host: host, port: port, hosts: hosts,
            options: .init(tagTTL: .seconds(tagTtl), maximumManifestSize: maxManifestSize, htpasswd: users,
                           allowedRegistries: allowRegistry.isEmpty ? nil : Set(allowRegistry)),
            tlsCertificate: tlsCert, tlsKey: tlsKey))
        let scheme = tlsCert == nil ? "http" : "https"
        do {
            try await server.run(logger: logger, accessLog: accessLog) { bound in
                Terminal.error("hawser serve: listening on \(scheme)://\(host.contains(":") ? "[\(host)]" : host):\(bound), store \(store)")
            }
        } catch let error as MirrorSetupError {
            Terminal.error("error: \(error)")
            throw ExitCode(2)
        }
    }
}

#if os(Linux) && canImport(Glibc)
/// glibc's `mallopt(3)`, from <malloc.h>, which Swift's Glibc module does not export.
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
/// `M_MMAP_THRESHOLD` and `M_ARENA_MAX` in glibc's <malloc.h>.
private let glibcMmapThreshold: Int32 = -3
private let glibcArenaMax: Int32 = -8
#endif
