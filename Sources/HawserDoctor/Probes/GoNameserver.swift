import Foundation

/// The DNS server Go names in a lookup error (`lookup NAME on 127.0.0.53:53: no
/// such host`): the first `nameserver` of /etc/resolv.conf, or Go's default
/// 127.0.0.1:53 when there is none (net/dnsconfig_unix.go).
enum GoNameserver {
    static func first(resolvConf path: String = "/etc/resolv.conf") -> String {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        for line in text.split(separator: "\n") {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 2, fields[0] == "nameserver" else { continue }
            let address = String(fields[1])
            return address.contains(":") ? "[\(address)]:53" : "\(address):53"
        }
        return "127.0.0.1:53"
    }
}
