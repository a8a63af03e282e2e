import Foundation
import NIOSSL

/// What a person needs to know about a presented certificate.
public struct CertificateFacts: Sendable, Hashable, Codable {
    public let subject: String
    public let issuer: String
    public let dnsNames: [String]
    public let ipAddresses: [String]
    public let notValidBefore: Date
    public let notValidAfter: Date

    public var isSelfSigned: Bool { subject == issuer }
    public var names: [String] { dnsNames + ipAddresses }

    public func isExpired(at date: Date = Date()) -> Bool { date > notValidAfter || date < notValidBefore }

    init(_ certificate: NIOSSLCertificate) {
        subject = Self.render(certificate.subjectName)
        issuer = Self.render(certificate.issuerName)
        var dns: [String] = []
        var ips: [String] = []
        for name in certificate._subjectAlternativeNames() {
            let bytes = name.contents.withUnsafeBufferPointer { Array($0) }
            switch name.nameType {
            case .dnsName:
                dns.append(String(decoding: bytes, as: UTF8.self))
            case .ipAddress:
                if bytes.count == 4 { ips.append(bytes.map(String.init).joined(separator: ".")) }
                else if bytes.count == 16 {
                    ips.append(stride(from: 0, to: 16, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }.joined(separator: ":"))
                }
            default:
                break
            }
        }
        dnsNames = dns
        ipAddresses = ips
        notValidBefore = Date(timeIntervalSince1970: TimeInterval(certificate.notValidBefore))
        notValidAfter = Date(timeIntervalSince1970: TimeInterval(certificate.notValidAfter))
    }

    static func render(_ name: [SSLCertificateName]) -> String {
        name.map { entry in
            let label: String
            switch entry.type {
            case .commonName: label = "CN"
            case .organization: label = "O"
            case .organizationalUnit: label = "OU"
            case .country: label = "C"
            case .state: label = "ST"
            case .city: label = "L"
            default: label = "attr"
            }
            return "\(label)=\(entry.value)"
        }.joined(separator: ", ")
    }
}
