import HawserCore
@testable import HawserServe
import Testing

@Suite("serve: routes, ns and names")
struct MirrorRouteTests {
    func route(_ path: String, query: String? = nil, method: String = "GET") throws(MirrorError) -> MirrorRoute {
        try MirrorRoute.parse(method: method, path: path, query: query)
    }

    func refusal(_ path: String, query: String? = nil, method: String = "GET") -> MirrorError? {
        do {
            _ = try route(path, query: query, method: method)
            return nil
        } catch {
            return error
        }
    }

    @Test("ns chooses the upstream; the path is the repository as sent")
    func namespaceChoosesUpstream() throws {
        #expect(try route("/v2/library/nginx/manifests/1.27", query: "ns=docker.io")
            == .manifest(try ImageReference(parsing: "docker.io/library/nginx:1.27")))
        let digest = "sha256:" + String(repeating: "a", count: 64)
        #expect(try route("/v2/team/app/blobs/\(digest)", query: "ns=127.0.0.1%3A5000")
            == .blob(MirrorRepository(registry: "127.0.0.1:5000", repository: "team/app"), try Digest(parsing: digest)))
        #expect(try route("/v2/app/manifests/\(digest)", query: "ns=registry.example.com")
            == .manifest(try ImageReference(parsing: "registry.example.com/app@\(digest)")))
    }

    @Test("without ns, the first path element names the registry")
    func firstPathElement() throws {
        #expect(try route("/v2/docker.io/library/nginx/manifests/1.27")
            == .manifest(try ImageReference(parsing: "docker.io/library/nginx:1.27")))
        #expect(try route("/v2/localhost:5000/app/manifests/v1")
            == .manifest(try ImageReference(parsing: "localhost:5000/app:v1")))
    }

    @Test("a missing, empty, repeated or malformed ns is a 400 with a distribution error body")
    func badNamespace() throws {
        for (path, query) in [("/v2/library/nginx/manifests/1", nil), ("/v2/library/nginx/manifests/1", "ns="),
                              ("/v2/library/nginx/manifests/1", "ns=docker.io&ns=quay.io"), ("/v2/nginx/manifests/1", "ns=nodots"),
                              ("/v2/nginx/manifests/1", "ns=exa%2Fmple.com"), ("/v2/nginx/manifests/1", "ns=bad_host.com")] as [(String, String?)] {
            let error = try #require(refusal(path, query: query), "\(path)?\(query ?? "")")
            #expect(error.status == 400)
            #expect(error.code == .nameInvalid)
            #expect(String(decoding: error.body, as: UTF8.self).hasPrefix(#"{"errors":[{"code":"NAME_INVALID","message":"#))
        }
    }

    @Test("names that climb out of a folder, or are not names, are refused")
    func traversal() throws {
        for path in ["/v2/../etc/manifests/v1", "/v2/a/../../manifests/v1", "/v2/%2e%2e/x/manifests/v1", "/v2//x/manifests/v1",
                     "/v2/a/./b/manifests/v1", "/v2/A/manifests/v1", "/v2/x/manifests/..", "/v2/x/blobs/sha256:..%2f..%2fetc"] {
            let error = try #require(refusal(path, query: "ns=docker.io"), "\(path)")
            #expect(error.status == 400, "\(path)")
        }
    }

    @Test("pushes and deletes get 405; other APIs 404; /v2/ and /metrics are routes")
    func readOnly() throws {
        let digest = "sha256:" + String(repeating: "b", count: 64)
        for (method, path) in [("PUT", "/v2/app/manifests/v1"), ("DELETE", "/v2/app/manifests/v1"), ("POST", "/v2/app/blobs/uploads/"),
                               ("PATCH", "/v2/app/blobs/uploads/some-uuid"), ("PUT", "/v2/app/blobs/uploads/some-uuid"),
                               ("GET", "/v2/app/blobs/uploads/some-uuid"), ("DELETE", "/v2/app/blobs/\(digest)"), ("POST", "/v2/")] {
            #expect(refusal(path, query: "ns=docker.io", method: method)?.status == 405, "\(method) \(path)")
        }
        #expect(refusal("/v2/_catalog")?.status == 404)
        #expect(refusal("/v2/app/tags/list", query: "ns=docker.io")?.status == 404)
        #expect(refusal("/other")?.status == 404)
        #expect(try route("/v2/") == .base)
        #expect(try route("/v2", method: "HEAD") == .base)
        #expect(try route("/metrics") == .metrics)
    }

    @Test("Range headers")
    func ranges() {
        #expect(ByteRange.parse(nil, size: 10) == .whole)
        #expect(ByteRange.parse("bytes=2-5", size: 10) == .range(ByteRange(first: 2, last: 5)))
        #expect(ByteRange.parse("bytes=2-", size: 10) == .range(ByteRange(first: 2, last: 9)))
        #expect(ByteRange.parse("bytes=-3", size: 10) == .range(ByteRange(first: 7, last: 9)))
        #expect(ByteRange.parse("bytes=8-100", size: 10) == .range(ByteRange(first: 8, last: 9)))
        #expect(ByteRange.parse("bytes=10-", size: 10) == .unsatisfiable)
        #expect(ByteRange.parse("bytes=1-2,4-5", size: 10) == .whole)
        #expect(ByteRange.parse("bytes=x-2", size: 10) == .whole)
        #expect(ByteRange.parse("bytes=5-2", size: 10) == .whole)
    }

    @Test("--allow-registry: a registry outside the list is a 403")
    func allowList() throws {
        let options = MirrorService.Options(allowedRegistries: ["docker.io"])
        try options.check(try route("/v2/library/nginx/manifests/1", query: "ns=docker.io"))
        try options.check(try route("/v2/"))
        #expect(throws: MirrorError.self) { try options.check(try route("/v2/app/manifests/1", query: "ns=10.0.0.5:22")) }
        let digest = "sha256:" + String(repeating: "c", count: 64)
        do {
            try options.check(try route("/v2/app/blobs/\(digest)", query: "ns=quay.io"))
            Issue.record("quay.io was served")
        } catch {
            #expect(error.status == 403)
            #expect(error.code == .denied)
        }
    }
}
