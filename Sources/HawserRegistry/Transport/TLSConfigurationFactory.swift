import HawserCore
import NIOSSL

/// Turns hosts.toml TLS settings into a NIOSSL client configuration: system
/// trust plus any extra CA, a client certificate for mutual TLS, and, for
/// `skip_verify`, HTTPS that does not check the server's certificate.
package enum TLSConfigurationFactory {
    package static func make(_ settings: TLSSettings) throws(RegistryError) -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if settings.skipVerify == true {
            configuration.certificateVerification = .none
        } else if !settings.caFiles.isEmpty {
            // containerd appends `ca` files to the system pool; they do not replace it.
            var extra: [NIOSSLCertificate] = []
            for file in settings.caFiles {
                do { extra += try NIOSSLCertificate.fromPEMFile(file) } catch {
                    throw RegistryError(.tlsConfiguration, reason: "cannot load CA file \(file): \(NetworkErrorText.describe(error))")
                }
            }
            configuration.additionalTrustRoots = [.certificates(extra)]
        }
        if let client = settings.clientCertificates.first {
            let keyFile = client.keyFile.isEmpty ? client.certificateFile : client.keyFile
            do {
                let chain = try NIOSSLCertificate.fromPEMFile(client.certificateFile)
                configuration.certificateChain = chain.map { .certificate($0) }
            } catch {
                throw RegistryError(.tlsConfiguration, reason: "cannot load client certificate \(client.certificateFile): \(NetworkErrorText.describe(error))")
            }
            do {
                configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: keyFile, format: .pem))
            } catch {
                throw RegistryError(.tlsConfiguration, reason: "cannot load client key \(keyFile): \(NetworkErrorText.describe(error))")
            }
        }
        return configuration
    }
}
