// Copied from Tests/HawserRegistryTests/Support (test targets cannot share sources without a support target).
import Foundation

/// A CA, a server certificate for 127.0.0.1/localhost and a client certificate,
/// made with the openssl CLI; plus a second, untrusted CA's server certificate.
struct TestCertificates: Sendable {
    let caCertificate: String
    let serverCertificate: String
    let serverKey: String
    let clientCertificate: String
    let clientKey: String
    /// A server certificate signed by a CA nobody trusts (for skip_verify).
    let untrustedServerCertificate: String
    let untrustedServerKey: String

    static func make(in directory: TemporaryDirectory) throws -> TestCertificates {
        let openssl = try Tools.require(Tools.openssl, package: "openssl")
        let dir = directory.path
        func makeCA(_ name: String) throws {
            try Tools.run(openssl, ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                                    "-keyout", "\(dir)/\(name).key", "-out", "\(dir)/\(name).crt", "-days", "2",
                                    "-subj", "/CN=Hawser test \(name)",
                                    "-addext", "basicConstraints=critical,CA:TRUE",
                                    "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
        }
        func makeLeaf(_ name: String, ca: String, usage: String) throws {
            let ext = "\(dir)/\(name).ext"
            try "basicConstraints=CA:FALSE\nsubjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=\(usage)\n"
                .write(toFile: ext, atomically: true, encoding: .utf8)
            try Tools.run(openssl, ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                                    "-keyout", "\(dir)/\(name).key", "-out", "\(dir)/\(name).csr", "-subj", "/CN=localhost"])
            try Tools.run(openssl, ["x509", "-req", "-in", "\(dir)/\(name).csr", "-CA", "\(dir)/\(ca).crt", "-CAkey", "\(dir)/\(ca).key",
                                    "-CAcreateserial", "-out", "\(dir)/\(name).crt", "-days", "2", "-extfile", ext])
        }
        try makeCA("ca")
        try makeCA("rogue-ca")
        try makeLeaf("server", ca: "ca", usage: "serverAuth")
        try makeLeaf("client", ca: "ca", usage: "clientAuth")
        try makeLeaf("untrusted", ca: "rogue-ca", usage: "serverAuth")
        return TestCertificates(
            caCertificate: "\(dir)/ca.crt", serverCertificate: "\(dir)/server.crt", serverKey: "\(dir)/server.key",
            clientCertificate: "\(dir)/client.crt", clientKey: "\(dir)/client.key",
            untrustedServerCertificate: "\(dir)/untrusted.crt", untrustedServerKey: "\(dir)/untrusted.key")
    }
}
