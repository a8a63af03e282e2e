import Foundation
import HawserTestSupport
import Testing

/// Issue 12's errors as a user meets them: each ran into a library dump, a
/// doubled prefix or a wait before; every run here is also swept by
/// `HawserProcess` for anything `OutputSweep` knows as a dump.
@Suite("errors in plain words")
struct PlainErrorsCLITests {
    /// docker.io mirrored to `endpoints`, nothing else.
    static func mirrorConfig(_ endpoints: [String], in work: TemporaryDirectory) throws -> String {
        let path = work.file("registries.yaml")
        let list = endpoints.map { "      - \"\($0)\"" }.joined(separator: "\n")
        try "mirrors:\n  docker.io:\n    endpoint:\n\(list)\n".write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("an untrusted certificate: pull says so in words, doctor names it without waiting out its time-out")
    func untrustedCertificate() async throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        let certificates = try TestCertificates.make(in: work)
        let tls = RegistryServer.TLS(certificate: certificates.untrustedServerCertificate, key: certificates.untrustedServerKey)
        try await withRegistry(tls: tls) { registry in
            // `--disable-default-endpoint`: nothing may fall through to a public registry.
            let config = try Self.mirrorConfig(["https://\(registry.host)"], in: work)
            let pull = try HawserProcess.run(["pull", "docker.io/library/app:1", "--config", config, "--disable-default-endpoint",
                                              "--output", work.file("out"), "--quiet"])
            #expect(pull.status == 1)
            #expect(pull.stderr.contains("TLS: the server's certificate is not trusted (certificate verify failed)"), "\(pull.stderr)")

            // The probe's own time-out is far longer than the test's watchdog: a doctor that
            // waited it out (it did, reading the certificate after the failed handshake) is killed.
            let doctor = try HawserProcess.run(["doctor", "docker.io/library/app:1", "--config", config, "--disable-default-endpoint",
                                                "--timeout", "600"], timeoutSeconds: 60)
            #expect(doctor.status != 0 && !doctor.crashed, "\(doctor.stdout)\(doctor.stderr)")
            #expect(doctor.stdout.contains("RC103"), "\(doctor.stdout)")
            #expect(doctor.stdout.contains("x509: certificate signed by unknown authority"), "\(doctor.stdout)")
        }
    }

    @Test("a refused connection names the address, once, in words")
    func refused() throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        let port = try FreePort.next()
        let config = try Self.mirrorConfig(["http://127.0.0.1:\(port)"], in: work)
        let doctor = try HawserProcess.run(["doctor", "docker.io/library/app:1", "--config", config, "--disable-default-endpoint"])
        #expect(doctor.stdout.contains("connect to 127.0.0.1:\(port): connection refused"), "\(doctor.stdout)")
        let pull = try HawserProcess.run(["pull", "docker.io/library/app:1", "--config", config, "--disable-default-endpoint",
                                          "--output", work.file("out"), "--quiet"])
        #expect(pull.stderr.contains("connection refused (nothing listens on that port)"), "\(pull.stderr)")
    }

    @Test("a folder that cannot be written: the system's reason and its own code, one prefix")
    func unwritable() throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        let config = try Self.mirrorConfig(["http://127.0.0.1:5000"], in: work)
        // Under a file: no folder can be made there (before: Foundation's "The file doesn't exist.", "Error: error:").
        let target = config + "/certs.d"
        let render = try HawserProcess.run(["render", config, "--out", target])
        #expect(render.status != 0)
        #expect(render.stderr.hasPrefix("error: cannot write \(target): \(config) is a file, not a folder"), "\(render.stderr)")
        #expect(render.stderr.contains("[render.unwritable]"), "\(render.stderr)")
        #expect(!render.stderr.contains("Error:"), "\(render.stderr)")
    }

    @Test("the sweep catches each kind of dump it knows (the net must be able to fail)")
    func sweepCatches() {
        let dumps = [
            "handshakeFailed(NIOSSL.BoringSSLError.sslError([Error: 268435581 error:1000007d:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED at /w/.build/checkouts/swift-nio-ssl/Sources/CNIOBoringSSL/ssl/handshake.cc:320]))",
            "[IPv4]127.0.0.1/127.0.0.1:8009: connection reset (error set): Connection refused) (errno: 111)",
            "The operation could not be completed. (NSCocoaErrorDomain error 512.)",
            "Error: error: cannot write /x",
            "typeMismatch(Swift.String, Swift.DecodingError.Context(codingPath: [CodingKeys(stringValue: \"a\")]))",
        ]
        for dump in dumps { #expect(!OutputSweep.findings(in: dump).isEmpty, "\(dump)") }
        #expect(OutputSweep.findings(in: "error: cannot write /x: no such file or directory [render.unwritable]").isEmpty)
    }
}
