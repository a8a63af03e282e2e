import Testing

/// How a listener speaks.
enum ListenerTLS: String, Codable, Sendable {
    case none
    /// A server certificate for 127.0.0.1 signed by the test CA (`{ca}`).
    case trusted
    /// A server certificate signed by a CA nobody trusts.
    case untrusted
}

struct ListenerSpec: Sendable {
    /// The token that stands for its port in every text: `{mirror1}`.
    let name: String
    let tls: ListenerTLS
    let behaviour: Behaviour
    /// A fixed port (80, 443) instead of a free one; fixed ports are not tokenised.
    var fixedPort: Int?
}

/// One arrangement of a hosts folder and loopback listeners, written with
/// tokens: `{NAME}` is the port of the listener or closed port NAME, `{ca}`
/// the test CA's file, `{tmp}` the situation's folder, `{digest}` the tiny
/// image's manifest digest.
struct Situation: Sendable, CustomTestStringConvertible {
    let id: String
    let summary: String
    var listeners: [ListenerSpec] = []
    /// Ports where nothing listens (connections are refused).
    var closed: [String] = []
    /// Fixed ports held closed (e.g. 443 for an `http://` host without a port).
    var closedFixed: [Int] = []
    var image = "127.0.0.1:{registry}/library/app:v1"
    /// The certs.d folder name, and the hosts.toml in it (nil: no folder at all).
    var directory = "127.0.0.1:{registry}"
    var hostsToml: String?

    var testDescription: String { id }
    var usesFixedPorts: Bool { !closedFixed.isEmpty || listeners.contains { $0.fixedPort != nil } }
    var byDigest: Bool { image.contains("@") }
}

private func plain(_ name: String, _ behaviour: Behaviour, port: Int? = nil) -> ListenerSpec {
    ListenerSpec(name: name, tls: .none, behaviour: behaviour, fixedPort: port)
}

private func tls(_ name: String, _ behaviour: Behaviour, _ kind: ListenerTLS = .trusted) -> ListenerSpec {
    ListenerSpec(name: name, tls: kind, behaviour: behaviour)
}

/// `server = "http://127.0.0.1:{registry}"` then one `[host]` per mirror, in order, capabilities pull+resolve.
private func hosts(server: String? = "http://127.0.0.1:{registry}", mirrors: [String], extra: [String: String] = [:]) -> String {
    var text = ""
    if let server { text += "server = \"\(server)\"\n" }
    for mirror in mirrors {
        text += "\n[host.\"\(mirror)\"]\n  capabilities = [\"pull\", \"resolve\"]\n"
        if let more = extra[mirror] { text += more }
    }
    return text
}

enum Situations {
    static let all: [Situation] = basics + errorRanking + defaults + httpFallback + decoding + capabilitiesAndPaths + tlsCases

    static func named(_ id: String) -> Situation? { all.first { $0.id == id } }

    static let basics: [Situation] = [
        Situation(id: "no-hosts-file-plain-registry", summary: "no certs.d folder; the registry speaks plain HTTP and serves the image",
                  listeners: [plain("registry", .serve)], hostsToml: nil),
        Situation(id: "no-hosts-file-tls-registry", summary: "no certs.d folder; the registry speaks TLS (test CA, not trusted by the system)",
                  listeners: [tls("registry", .serve)], hostsToml: nil),
        Situation(id: "server-http-serves", summary: "only a server line, http://, the registry serves",
                  listeners: [plain("registry", .serve)], hostsToml: hosts(mirrors: [])),
        Situation(id: "server-line-only-points-elsewhere", summary: "a file without any [host] table whose server is another host that serves; the registry itself answers 404",
                  listeners: [plain("mirror1", .serve), plain("registry", .notFound)], hostsToml: hosts(server: "http://127.0.0.1:{mirror1}", mirrors: [])),
        Situation(id: "mirror-serves-server-refused", summary: "mirror serves; the server is never needed",
                  listeners: [plain("mirror1", .serve)], closed: ["registry"], hostsToml: hosts(mirrors: ["http://127.0.0.1:{mirror1}"])),
        Situation(id: "mirror404-server-serves", summary: "mirror 404, then the server serves",
                  listeners: [plain("mirror1", .notFound), plain("registry", .serve)], hostsToml: hosts(mirrors: ["http://127.0.0.1:{mirror1}"])),
        Situation(id: "mirror-refused-server-serves", summary: "mirror refused, then the server serves",
                  listeners: [plain("registry", .serve)], closed: ["mirror1"], hostsToml: hosts(mirrors: ["http://127.0.0.1:{mirror1}"])),
        Situation(id: "digest-mirror404-server-serves", summary: "by digest: mirror 404, then the server serves",
                  listeners: [plain("mirror1", .notFound), plain("registry", .serve)],
                  image: "127.0.0.1:{registry}/library/app@{digest}", hostsToml: hosts(mirrors: ["http://127.0.0.1:{mirror1}"])),
    ]

    static let errorRanking: [Situation] = [
        Situation(id: "mirror404-server-refused", summary: "mirror 404, server refused (1.7: the refusal; 2.x: not found)",
                  listeners: [plain("mirror1", .notFound)], closed: ["registry"], hostsToml: hosts(mirrors: ["http://127.0.0.1:{mirror1}"])),
        Situation(id: "mirror-refused-server404", summary: "mirror refused, server 404",
                  listeners: [plain("registry", .notFound)], closed: ["mirror1"], hostsToml: hosts(mirrors: ["http://127.0.0.1:{mirror1}"])),
        Situation(id: "mirror401basic-server404", summary: "mirror 401 with a Basic challenge (no credentials), server 404",
                  listeners: [plain("mirror1", .basic401), plain("registry", .notFound)], hostsToml: hosts(mirrors: ["http://127.0.0.1:{mirror1}"])),
        Situation(id: "mirror401bearer-server404", summary: "mirror 401 with a Bearer challenge (anonymous token, still 401), server 404",
                  listeners: [plain("mirror1", .bearer401), plain("registry", .notFound)], hostsToml: hosts(mirrors: ["http://127.0.0.1:{mirror1}"])),
        Situation(id: "all404", summary: "two mirrors and the server all answer 404",
                  listeners: [plain("mirror1", .notFound), plain("mirror2", .notFound), plain("registry", .notFound)],
                  hostsToml: hosts(mirrors: ["http://127.0.0.1:{mirror1}", "http://127.0.0.1:{mirror2}"])),
        Situation(id: "mirror500-server404", summary: "mirror 500, server 404",
                  listeners: [plain("mirror1", .serverError), plain("registry", .notFound)], hostsToml: hosts(mirrors: ["http://127.0.0.1:{mirror1}"])),
        Situation(id: "mirror503-server404", summary: "mirror 503, server 404",
                  listeners: [plain("mirror1", .unavailable), plain("registry", .notFound)], hostsToml: hosts(mirrors: ["http://127.0.0.1:{mirror1}"])),
        Situation(id: "mirror403-server404", summary: "mirror 403, server 404",
                  listeners: [plain("mirror1", .forbidden), plain("registry", .notFound)], hostsToml: hosts(mirrors: ["http://127.0.0.1:{mirror1}"])),
        Situation(id: "mirror404-server403", summary: "mirror 404, server 403",
                  listeners: [plain("mirror1", .notFound), plain("registry", .forbidden)], hostsToml: hosts(mirrors: ["http://127.0.0.1:{mirror1}"])),
        Situation(id: "mirror-refused-server401basic", summary: "mirror refused, server 401 Basic without credentials (an auth error, ranked with transport errors in 2.x)",
                  listeners: [plain("registry", .basic401)], closed: ["mirror1"], hostsToml: hosts(mirrors: ["http://127.0.0.1:{mirror1}"])),
        Situation(id: "mirror404-mirror-refused-server500", summary: "404, refused, then 500",
                  listeners: [plain("mirror1", .notFound), plain("registry", .serverError)], closed: ["mirror2"],
                  hostsToml: hosts(mirrors: ["http://127.0.0.1:{mirror1}", "http://127.0.0.1:{mirror2}"])),
        Situation(id: "mirror403-mirror500-server-refused", summary: "403, 500, refused: first among equal HTTP errors",
                  listeners: [plain("mirror1", .forbidden), plain("mirror2", .serverError)], closed: ["registry"],
                  hostsToml: hosts(mirrors: ["http://127.0.0.1:{mirror1}", "http://127.0.0.1:{mirror2}"])),
        Situation(id: "mirror-refused-mirror404-server-refused", summary: "refused, 404, refused (1.7: first refusal; 2.x: not found)",
                  listeners: [plain("mirror2", .notFound)], closed: ["mirror1", "registry"],
                  hostsToml: hosts(mirrors: ["http://127.0.0.1:{mirror1}", "http://127.0.0.1:{mirror2}"])),
        Situation(id: "mirror401bearer-mirror-refused-server404", summary: "401 Bearer, refused, 404",
                  listeners: [plain("mirror1", .bearer401), plain("registry", .notFound)], closed: ["mirror2"],
                  hostsToml: hosts(mirrors: ["http://127.0.0.1:{mirror1}", "http://127.0.0.1:{mirror2}"])),
        Situation(id: "mirror-refused-server401bearer", summary: "mirror refused, server 401 Bearer (token granted, still 401): 1.7 the refusal, 2.x the 401",
                  listeners: [plain("registry", .bearer401)], closed: ["mirror1"], hostsToml: hosts(mirrors: ["http://127.0.0.1:{mirror1}"])),
        Situation(id: "mirror404-server503", summary: "mirror 404, server 503 (2.1+: a 5xx is retried on the last host)",
                  listeners: [plain("mirror1", .notFound), plain("registry", .unavailable)], hostsToml: hosts(mirrors: ["http://127.0.0.1:{mirror1}"])),
        Situation(id: "digest-all404", summary: "by digest, mirror and server 404: /manifests on every host, then /blobs on every host",
                  listeners: [plain("mirror1", .notFound), plain("registry", .notFound)],
                  image: "127.0.0.1:{registry}/library/app@{digest}", hostsToml: hosts(mirrors: ["http://127.0.0.1:{mirror1}"])),
        Situation(id: "mirror404-server-https-on-plain-port", summary: "mirror 404, server written https:// on a plain-HTTP port (the classic)",
                  listeners: [plain("mirror1", .notFound), plain("registry", .serve)],
                  hostsToml: hosts(server: "https://127.0.0.1:{registry}", mirrors: ["http://127.0.0.1:{mirror1}"])),
    ]

    static let defaults: [Situation] = [
        Situation(id: "no-server-line", summary: "hosts.toml without `server`: upstream appends the default host last",
                  listeners: [plain("mirror1", .notFound), plain("registry", .serve)], hostsToml: hosts(server: nil, mirrors: ["http://127.0.0.1:{mirror1}"])),
        Situation(id: "empty-server", summary: "server = \"\": the registry's default host last",
                  listeners: [plain("mirror1", .notFound), plain("registry", .serve)], hostsToml: hosts(server: "", mirrors: ["http://127.0.0.1:{mirror1}"])),
        Situation(id: "no-server-line-registry-refused", summary: "hosts.toml without `server`, mirror 404, nothing on the registry's port",
                  listeners: [plain("mirror1", .notFound)], closed: ["registry"], hostsToml: hosts(server: nil, mirrors: ["http://127.0.0.1:{mirror1}"])),
    ]

    static let httpFallback: [Situation] = [
        Situation(id: "http-ca-port-plain-listener", summary: "http:// host with ca and a port, plain listener (HTTPS first, then HTTP)",
                  listeners: [plain("mirror1", .serve)], closed: ["registry"],
                  hostsToml: hosts(mirrors: ["http://127.0.0.1:{mirror1}"], extra: ["http://127.0.0.1:{mirror1}": "  ca = \"{ca}\"\n"])),
        Situation(id: "http-skipverify-port-404", summary: "http:// host with skip_verify and a port, plain listener answering 404, server refused",
                  listeners: [plain("mirror1", .notFound)], closed: ["registry"],
                  hostsToml: hosts(mirrors: ["http://127.0.0.1:{mirror1}"], extra: ["http://127.0.0.1:{mirror1}": "  skip_verify = true\n"])),
        Situation(id: "http-ca-port-tls-listener", summary: "http:// host with ca and a port, TLS listener (the HTTPS try succeeds where there is one)",
                  listeners: [tls("mirror1", .serve)], closed: ["registry"],
                  hostsToml: hosts(mirrors: ["http://127.0.0.1:{mirror1}"], extra: ["http://127.0.0.1:{mirror1}": "  ca = \"{ca}\"\n"])),
        Situation(id: "http-ca-port80", summary: "http://127.0.0.1:80 with ca: port 80, no HTTPS try (1.7.8+)",
                  listeners: [plain("port80", .serve, port: 80)], closed: ["registry"],
                  hostsToml: hosts(mirrors: ["http://127.0.0.1:80"], extra: ["http://127.0.0.1:80": "  ca = \"{ca}\"\n"])),
        Situation(id: "http-skipverify-no-port", summary: "http://127.0.0.1 with skip_verify, no port: 443 (closed) then 80 where supported",
                  listeners: [plain("port80", .serve, port: 80)], closed: ["registry"], closedFixed: [443],
                  hostsToml: hosts(mirrors: ["http://127.0.0.1"], extra: ["http://127.0.0.1": "  skip_verify = true\n"])),
        Situation(id: "http-no-port-no-tls", summary: "http://127.0.0.1 without TLS settings: plain HTTP on 80",
                  listeners: [plain("port80", .serve, port: 80)], closed: ["registry"],
                  hostsToml: hosts(mirrors: ["http://127.0.0.1"])),
    ]

    static let decoding: [Situation] = [
        Situation(id: "bad-toml", summary: "hosts.toml that is not TOML: containerd ignores it (defaults for the registry)",
                  listeners: [plain("mirror1", .notFound), plain("registry", .serve)],
                  hostsToml: "server = \"http://127.0.0.1:{mirror1}\"\n\n[host.\"http://127.0.0.1:{mirror1}\"\n  capabilities = [\"pull\"\n"),
        Situation(id: "unknown-capability-referrers", summary: "a host with capability \"referrers\" (known to 2.2, unknown before: the file is ignored)",
                  listeners: [plain("mirror1", .serve), plain("registry", .notFound)],
                  hostsToml: "server = \"http://127.0.0.1:{registry}\"\n\n[host.\"http://127.0.0.1:{mirror1}\"]\n  capabilities = [\"pull\", \"resolve\", \"referrers\"]\n"),
        Situation(id: "rewrite-ignored", summary: "[host.\"…\".rewrite] (K3s's build only): upstream ignores it",
                  listeners: [plain("mirror1", .serve)], closed: ["registry"],
                  hostsToml: hosts(mirrors: ["http://127.0.0.1:{mirror1}"],
                                   extra: ["http://127.0.0.1:{mirror1}": "  [host.\"http://127.0.0.1:{mirror1}\".rewrite]\n    \"^library/(.*)\" = \"elsewhere/$1\"\n"])),
        Situation(id: "unreadable-ca", summary: "a ca path that does not exist: the pull fails before any host is contacted",
                  listeners: [tls("mirror1", .serve), plain("registry", .serve)],
                  hostsToml: hosts(mirrors: ["https://127.0.0.1:{mirror1}"], extra: ["https://127.0.0.1:{mirror1}": "  ca = \"{tmp}/missing-ca.pem\"\n"])),
    ]

    static let capabilitiesAndPaths: [Situation] = [
        Situation(id: "no-resolve-capability-tag", summary: "mirror with capabilities [\"pull\"] only, pull by tag: mirror skipped",
                  listeners: [plain("mirror1", .serve), plain("registry", .notFound)],
                  hostsToml: "server = \"http://127.0.0.1:{registry}\"\n\n[host.\"http://127.0.0.1:{mirror1}\"]\n  capabilities = [\"pull\"]\n"),
        Situation(id: "no-resolve-capability-digest", summary: "mirror with capabilities [\"pull\"] only, pull by digest: mirror used",
                  listeners: [plain("mirror1", .serve), plain("registry", .notFound)], image: "127.0.0.1:{registry}/library/app@{digest}",
                  hostsToml: "server = \"http://127.0.0.1:{registry}\"\n\n[host.\"http://127.0.0.1:{mirror1}\"]\n  capabilities = [\"pull\"]\n"),
        Situation(id: "override-path", summary: "override_path = true: the path is used as written, no /v2 added",
                  listeners: [plain("mirror1", .serve)], closed: ["registry"],
                  hostsToml: hosts(mirrors: ["http://127.0.0.1:{mirror1}/custom/v2"], extra: ["http://127.0.0.1:{mirror1}/custom/v2": "  override_path = true\n"])),
        Situation(id: "mirror-path-without-override", summary: "a host URL with a path and no override_path: /v2 is appended to it",
                  listeners: [plain("mirror1", .serve)], closed: ["registry"],
                  hostsToml: hosts(mirrors: ["http://127.0.0.1:{mirror1}/custom"])),
    ]

    static let tlsCases: [Situation] = [
        Situation(id: "skip-verify-untrusted", summary: "https mirror with an untrusted certificate and skip_verify",
                  listeners: [tls("mirror1", .serve, .untrusted)], closed: ["registry"],
                  hostsToml: hosts(mirrors: ["https://127.0.0.1:{mirror1}"], extra: ["https://127.0.0.1:{mirror1}": "  skip_verify = true\n"])),
        Situation(id: "untrusted-cert-server404", summary: "https mirror with an untrusted certificate, then server 404",
                  listeners: [tls("mirror1", .serve, .untrusted), plain("registry", .notFound)],
                  hostsToml: hosts(mirrors: ["https://127.0.0.1:{mirror1}"])),
        Situation(id: "trusted-ca", summary: "https mirror trusted through ca",
                  listeners: [tls("mirror1", .serve)], closed: ["registry"],
                  hostsToml: hosts(mirrors: ["https://127.0.0.1:{mirror1}"], extra: ["https://127.0.0.1:{mirror1}": "  ca = \"{ca}\"\n"])),
        Situation(id: "http-written-tls-listener", summary: "a TLS listener written http:// without TLS settings (plain HTTP to a TLS port)",
                  listeners: [tls("mirror1", .serve)], closed: ["registry"], hostsToml: hosts(mirrors: ["http://127.0.0.1:{mirror1}"])),
        Situation(id: "https-written-plain-listener", summary: "a plain listener written https:// (TLS to a plain-HTTP port)",
                  listeners: [plain("mirror1", .serve)], closed: ["registry"], hostsToml: hosts(mirrors: ["https://127.0.0.1:{mirror1}"])),
        Situation(id: "server-https-ca", summary: "server https:// with ca, TLS registry serves",
                  listeners: [tls("registry", .serve)],
                  hostsToml: "server = \"https://127.0.0.1:{registry}\"\nca = \"{ca}\"\n"),
        Situation(id: "untrusted-mirror-refused-server", summary: "untrusted https mirror, then nothing on the server",
                  listeners: [tls("mirror1", .notFound, .untrusted)], closed: ["registry"],
                  hostsToml: hosts(mirrors: ["https://127.0.0.1:{mirror1}"])),
    ]
}
