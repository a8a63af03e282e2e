/// The start of an HTTP response read off the wire: status line and headers.
struct HTTPHead: Sendable {
    let statusLine: String
    let status: Int
    let headers: [(name: String, value: String)]
    let body: String

    /// nil when the bytes are not an HTTP response.
    init?(_ bytes: [UInt8]) {
        guard bytes.starts(with: Array("HTTP/".utf8)) else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        let parts = text.components(separatedBy: "\r\n\r\n")
        let lines = parts[0].components(separatedBy: "\r\n")
        statusLine = lines[0]
        let fields = statusLine.split(separator: " ")
        status = fields.count > 1 ? Int(fields[1]) ?? 0 : 0
        headers = lines.dropFirst().compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        body = parts.dropFirst().joined(separator: "\r\n\r\n")
    }

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// Go's net/http answers plain HTTP on a TLS port with this 400.
    var isHTTPSPortRefusal: Bool { status == 400 && body.contains("HTTP request to an HTTPS server") }
}

/// The request the probes send: the API version check.
enum ProbeRequest {
    static func ping(host: String, path: String) -> [UInt8] {
        let prefix = path.hasSuffix("/") ? path : path + "/"
        return Array("GET \(prefix) HTTP/1.1\r\nHost: \(host)\r\nUser-Agent: hawser-doctor\r\nAccept: */*\r\nConnection: close\r\n\r\n".utf8)
    }
}

import Foundation
