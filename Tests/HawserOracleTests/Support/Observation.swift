import Foundation
import HawserTestSupport

/// A host as containerd reached it: consecutive connections to the same
/// listener over the same transport are one contact (retries, token fetches,
/// blob downloads after the manifest).
struct Contact: Codable, Sendable, Equatable, CustomStringConvertible {
    var listener: String
    var transport: String
    /// The first request's path and query (percent-decoded), nil when none was read
    /// (TLS to a plain port, a TLS handshake the client gave up).
    var request: String?
    /// The resolution-phase requests in order (`METHOD /path?query`): every request except
    /// the GETs of blobs and of manifests by digest that follow a successful resolution,
    /// whose spread over connections varies from run to run.
    var requests: [String] = []

    var description: String { "\(listener)/\(transport)\(request.map { " " + $0 } ?? "")" }

    /// Two contacts agree when listener and transport agree and, if both carry a request, the requests too.
    func agrees(with other: Contact) -> Bool {
        guard listener == other.listener, transport == other.transport else { return false }
        guard let request, let theirs = other.request else { return true }
        return request == theirs
    }

    /// Collapses the listeners' events up to the request where the image resolved (what
    /// follows, content fetches spread over connections at random, is left out):
    /// consecutive events on one listener over one transport are one contact.
    static func collapse(_ events: [ListenerEvent]) -> [Contact] {
        var contacts: [Contact] = []
        let end = (events.firstIndex { $0.resolved }).map { $0 + 1 } ?? events.count
        for event in events[..<end] {
            let path = event.request.map { pathAndQuery(ofRequestLine: $0) }
            let kept = event.request.map { isFetch($0) ? [] : [$0] } ?? []
            if let last = contacts.last, last.listener == event.listener, last.transport == event.transport {
                if last.request == nil, let path { contacts[contacts.count - 1].request = path }
                contacts[contacts.count - 1].requests += kept
                continue
            }
            contacts.append(Contact(listener: event.listener, transport: event.transport, request: path, requests: kept))
        }
        return contacts
    }

    private static func isFetch(_ line: String) -> Bool {
        line.hasPrefix("GET ") && (line.contains("/blobs/") || line.contains("/manifests/sha256:"))
    }

    /// `HEAD /v2/x/manifests/v1?ns=a%3A1` -> `/v2/x/manifests/v1?ns=a:1`.
    static func pathAndQuery(ofRequestLine line: String) -> String {
        let target = line.split(separator: " ", maxSplits: 1).dropFirst().first.map(String.init) ?? line
        return target.removingPercentEncoding ?? target
    }
}

/// What real containerd did in one situation: the recorded fixture.
struct Observation: Codable, Sendable {
    var schema = "hawser.oracle/v1"
    /// `ctr version`'s server version.
    var containerd: String
    /// How ctr was run (client-side resolution with --hosts-dir).
    var command: String
    var situation: String
    var summary: String
    /// Tokenised, like everything below.
    var image: String
    var hostsToml: String?
    /// The connections to the listeners, in accept order, collapsed into hosts
    /// contacted (consecutive connections to one listener over one transport are one contact).
    var contacts: [Contact]
    var exitStatus: Int32
    /// ctr's stderr, exactly, tokenised.
    var stderr: String

    /// The error ctr printed: the last stderr line starting `ctr: `, without that prefix.
    var error: String?
    /// 2.x only: the same pull through the daemon's transfer service (`ctr images pull`
    /// without `--local`), the path CRI takes by default since 2.1.
    var transfer: TransferObservation?

    struct TransferObservation: Codable, Sendable, Equatable {
        var command: String
        var contacts: [Contact]
        var exitStatus: Int32
        var stderr: String
        var error: String?
    }

    /// Log lines ctr prints or not depending on goroutine timing when it gives up
    /// (its progress display's content lookups cancelled mid-flight), or on the host
    /// (2.2 warns on every run where cgroup v1 is mounted).
    static let racyLogMessages = [#"msg="failed to get content info""#, #"msg="active check failed""#,
                                  #"msg="DEPRECATION: The support for cgroup v1 is deprecated"#]

    /// stderr without the racy lines: what must stay equal between recordings.
    static func stableLines(_ stderr: String) -> [Substring] {
        stderr.split(separator: "\n").filter { line in !racyLogMessages.contains { line.contains($0) } }
    }

    static func ctrError(in stderr: String) -> String? {
        stderr.split(separator: "\n").last { $0.hasPrefix("ctr: ") }.map { String($0.dropFirst("ctr: ".count)) }
    }

    /// `1.6.20~ds1` / `v2.1.9` -> `1.6.20` / `2.1.9`: what `--containerd` is given.
    var versionForHawser: String { Self.plainVersion(containerd) }
    /// `1.6`, `2.1`: the fixture folder.
    var minorVersion: String { versionForHawser.split(separator: ".").prefix(2).joined(separator: ".") }

    static func plainVersion(_ version: String) -> String {
        let trimmed = version.hasPrefix("v") ? String(version.dropFirst()) : version
        return String(trimmed.prefix { $0.isNumber || $0 == "." })
    }
}

/// Where fixtures live in the source tree.
enum FixtureFiles {
    static var root: URL {
        // .../Tests/HawserOracleTests/Support/Observation.swift -> .../Tests/HawserOracleTests/Fixtures/containerd
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/containerd")
    }

    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    static func versions() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return names.filter { name in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: root.appendingPathComponent(name).path, isDirectory: &isDirectory) && isDirectory.boolValue
        }.sorted()
    }

    static func load(version: String, situation: String) throws -> Observation {
        let url = root.appendingPathComponent(version).appendingPathComponent(situation + ".json")
        return try JSONDecoder().decode(Observation.self, from: Data(contentsOf: url))
    }

    static func write(_ observation: Observation, to folder: String) throws {
        let base = folder.hasPrefix("/") ? URL(fileURLWithPath: folder) : packageRoot.appendingPathComponent(folder)
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(observation)
        data.append(0x0a)
        try data.write(to: base.appendingPathComponent(observation.situation + ".json"))
    }
}
