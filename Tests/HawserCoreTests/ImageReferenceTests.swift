import Testing
@testable import HawserCore

@Suite("Image references and digests")
struct ImageReferenceTests {
    static let hex = String(repeating: "a", count: 64)

    @Test("normalises like docker", arguments: [
        ("nginx", "docker.io/library/nginx:latest"),
        ("nginx:1.27", "docker.io/library/nginx:1.27"),
        ("library/nginx", "docker.io/library/nginx:latest"),
        ("rancher/k3s:v1.31", "docker.io/rancher/k3s:v1.31"),
        ("index.docker.io/nginx", "docker.io/library/nginx:latest"),
        ("docker.io/nginx", "docker.io/library/nginx:latest"),
        ("localhost/app", "localhost/app:latest"),
        ("localhost:5000/app", "localhost:5000/app:latest"),
        ("harbor.example.com:80/library/app:v1", "harbor.example.com:80/library/app:v1"),
        ("127.0.0.1:5000/a/b/c", "127.0.0.1:5000/a/b/c:latest"),
        ("[::1]:5000/app", "[::1]:5000/app:latest"),
        ("a__b/c-d.e_f", "docker.io/a__b/c-d.e_f:latest"),
    ])
    func normalises(input: String, expected: String) throws {
        #expect(try ImageReference(parsing: input).description == expected)
    }

    @Test("keeps tag and digest") func tagAndDigest() throws {
        let reference = try ImageReference(parsing: "registry.example.com:5000/ns/repo:tag@sha256:\(Self.hex)")
        #expect(reference.registry == "registry.example.com:5000")
        #expect(reference.repository == "ns/repo")
        #expect(reference.tag == "tag")
        #expect(reference.digest?.description == "sha256:\(Self.hex)")
        #expect(reference.manifestReference == "sha256:\(Self.hex)")
    }

    @Test("digest only has no tag") func digestOnly() throws {
        let reference = try ImageReference(parsing: "nginx@sha256:\(Self.hex)")
        #expect(reference.tag == nil)
        #expect(reference.description == "docker.io/library/nginx@sha256:\(Self.hex)")
    }

    @Test("refuses bad references with a reason", arguments: [
        ("", ReferenceError.Code.empty),
        ("Nginx/App", .uppercaseRepository),
        ("registry.example.com/App", .uppercaseRepository),
        ("nginx:", .invalidTag),
        ("nginx:-bad", .invalidTag),
        ("nginx:\(String(repeating: "t", count: 129))", .invalidTag),
        ("nginx:a/b", .invalidRegistry),
        ("a//b", .invalidRepository),
        ("-a/b", .invalidRepository),
        ("a..b", .invalidRepository),
        ("host:abc/app", .invalidRegistry),
        ("host:5x/app:v1", .invalidRegistry),
        ("nginx@sha256:abc", .invalidDigest),
        ("nginx@md5:\(String(repeating: "a", count: 32))", .invalidDigest),
        ("nginx@sha256:\(String(repeating: "A", count: 64))", .invalidDigest),
        ("\(String(repeating: "a", count: 256))", .nameTooLong),
    ])
    func refuses(input: String, code: ReferenceError.Code) {
        #expect(throws: ReferenceError.self) { try ImageReference(parsing: input) }
        do {
            _ = try ImageReference(parsing: input)
        } catch {
            #expect(error.code == code, "\(input): \(error)")
            #expect(!error.reason.isEmpty)
        }
    }

    @Test("digests are validated") func digests() throws {
        #expect(try Digest(parsing: "sha512:\(String(repeating: "0", count: 128))").algorithm == .sha512)
        #expect(throws: ReferenceError.self) { try Digest(parsing: "sha512:\(Self.hex)") }
        #expect(throws: ReferenceError.self) { try Digest(parsing: Self.hex) }
        #expect(throws: ReferenceError.self) { try Digest(parsing: "sha256:\(String(repeating: "g", count: 64))") }
    }

    @Test("platforms parse and match") func platforms() throws {
        let arm = try Platform(parsing: "linux/arm64/v8")
        #expect(arm.variant == "v8")
        #expect(try Platform(parsing: "linux/amd64").matches(Platform(os: "linux", architecture: "amd64")))
        #expect(!(try Platform(parsing: "linux/amd64").matches(Platform(os: "linux", architecture: "arm64"))))
        #expect(throws: ReferenceError.self) { try Platform(parsing: "linux") }
        #expect(throws: ReferenceError.self) { try Platform(parsing: "linux//v7") }
    }

    @Test("localhost detection follows containerd", arguments: [
        ("localhost", true), ("localhost:5000", true), ("127.0.0.1:5000", true), ("127.1.2.3", true),
        ("[::1]:5000", true), ("example.com", false), ("10.0.0.1:5000", false), ("localhost.example.com", false),
    ])
    func localhost(host: String, expected: Bool) {
        #expect(HostPort(host).isLocalhost == expected)
    }
}
