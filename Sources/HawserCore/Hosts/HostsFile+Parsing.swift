import Foundation

extension HostsFile {
    /// Parses hosts.toml text with containerd's rules (core/remotes/docker/config/hosts.go).
    /// `baseDirectory` resolves relative `ca`/`client` paths, as containerd does.
    public static func parse(_ text: String, source: String, baseDirectory: String? = nil) throws(ConfigError) -> HostsFile {
        // Hawser's own TOML reader, not a C++ library: see TOMLParser for why. It
        // throws for every input it cannot read; none can stop the process.
        let table: TOMLTable
        do {
            table = try TOMLParser.parse(text)
        } catch {
            throw ConfigError(
                .invalidHostsToml, at: SourceLocation(file: source, line: error.line, column: error.column),
                "\(source) is not valid TOML: \(error.message)",
                fix: "containerd cannot load this file and falls back to the default host; fix the line shown (a `\\` in a rewrite pattern written by K3s is a common cause)")
        }
        let reader = HostsTomlReader(source: source, text: text, baseDirectory: baseDirectory)
        return try reader.read(table)
    }

    /// Largest hosts.toml read (1 MiB); one K3s writes is a few hundred bytes.
    public static let maximumSize = 1 << 20

    /// Reads a hosts.toml file from disk (at most `maximumSize` bytes of it).
    public static func load(contentsOf path: String) throws(ConfigError) -> HostsFile {
        let data: Data
        do {
            data = try ConfigFileReader.read(path, limit: maximumSize)
        } catch ConfigFileReader.Failure.tooLarge {
            throw ConfigError(.hostsTooLarge, at: nil, "\(path) is larger than \(maximumSize >> 20) MiB; a hosts.toml is a few hundred bytes",
                              fix: "check what wrote this file; containerd's hosts.toml holds a server line and [host] tables")
        } catch {
            throw ConfigError(.unreadable, at: nil, "\(path) cannot be read", fix: "check that the file exists and is readable")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(.unreadable, at: nil, "\(path) is not UTF-8 text", fix: "save the file as UTF-8")
        }
        return try parse(text, source: path, baseDirectory: (path as NSString).deletingLastPathComponent)
    }
}

/// The field-by-field reading of the parsed TOML.
struct HostsTomlReader {
    let source: String
    let text: String
    let baseDirectory: String?

    func read(_ root: TOMLTable) throws(ConfigError) -> HostsFile {
        var hosts: [HostEntry] = []
        if let hostValue = root["host"] {
            guard let hostTable = hostValue.table else { throw wrongType("host", expected: "a table of [host.\"URL\"] entries") }
            for key in orderedHostKeys(hostTable) {
                guard let entry = hostTable[key]?.table else { throw wrongType("host.\"\(key)\"", expected: "a table") }
                hosts.append(try host(written: key, table: entry, path: "host.\"\(key)\"", line: hostTable.line(of: key)))
            }
        }
        var server: HostEntry?
        if let serverText = try string(root, "server", path: "server") {
            server = try host(written: serverText, table: root, path: "root", line: root.line(of: "server"))
        }
        return HostsFile(source: source, hosts: hosts, server: server, hasHostTable: root["host"] != nil)
    }

    /// containerd's parseHostConfig for one table.
    func host(written: String, table: TOMLTable, path: String, line: Int?) throws(ConfigError) -> HostEntry {
        let overridePath = try bool(table, "override_path", path: path) ?? false
        var endpoint: Endpoint?
        if !written.isEmpty {
            endpoint = try Self.endpoint(from: written, overridePath: overridePath, source: source)
        }
        var capabilities = Capabilities.all
        if let names = try stringArray(table, "capabilities", path: path), !names.isEmpty {
            // "referrers" is known from containerd 2.2 on: HostsFile.rejection(by:) decides.
            for name in names where !["pull", "resolve", "push", "referrers"].contains(name) {
                throw ConfigError(.hostsWrongType, at: line.map { SourceLocation(file: source, line: $0, column: 1) },
                                  "\(source): `\(path)` has unknown capability \"\(name)\"; containerd refuses the file",
                                  fix: "use pull, resolve and push only (and referrers from containerd 2.2 on)")
            }
            capabilities = Capabilities(names: names)
        }
        var tls = TLSSettings()
        tls.skipVerify = try bool(table, "skip_verify", path: path)
        if let ca = table["ca"] {
            if let single = ca.string { tls.caFiles = [resolve(single)] }
            else if let list = ca.array { tls.caFiles = list.compactMap { $0.string }.map(resolve) }
            else { throw wrongType("\(path).ca", expected: "a path or a list of paths") }
        }
        if let client = table["client"] {
            tls.clientCertificates = try clientPairs(client, path: "\(path).client")
        }
        var headers: [String: [String]] = [:]
        if let header = table["header"] {
            guard let headerTable = header.table else { throw wrongType("\(path).header", expected: "a table") }
            for key in headerTable.keys {
                if let value = headerTable[key]?.string { headers[key] = [value] }
                else if let list = headerTable[key]?.array { headers[key] = list.compactMap { $0.string } }
                else { throw wrongType("\(path).header.\(key)", expected: "a string or a list of strings") }
            }
        }
        var rewrites: [RewriteRule] = []
        if let rewrite = table["rewrite"] {
            guard let rewriteTable = rewrite.table else { throw wrongType("\(path).rewrite", expected: "a table of pattern = replacement") }
            for key in rewriteTable.keys.sorted() {
                guard let value = rewriteTable[key]?.string else { throw wrongType("\(path).rewrite.\"\(key)\"", expected: "a string") }
                rewrites.append(RewriteRule(pattern: key, replacement: value))
            }
        }
        return HostEntry(written: written, endpoint: endpoint, capabilities: capabilities, tls: tls, headers: headers,
                         overridePath: overridePath, rewrites: rewrites)
    }

    /// `server`/host key to scheme, host and path: "https://" when no scheme; the
    /// path cleaned and `/v2` appended unless it ends so or override_path is set.
    static func endpoint(from written: String, overridePath: Bool, source: String) throws(ConfigError) -> Endpoint {
        let text = written.hasPrefix("http") ? written : "https://" + written
        guard let schemeEnd = text.range(of: "://") else {
            throw ConfigError(.hostsWrongType, at: nil, "\(source): cannot parse host \"\(written)\"", fix: "write it as https://host[:port][/path]")
        }
        let schemeText = String(text[..<schemeEnd.lowerBound]).lowercased()
        guard let scheme = Endpoint.Scheme(rawValue: schemeText) else {
            throw ConfigError(.hostsWrongType, at: nil, "\(source): host \"\(written)\" has scheme \(schemeText); only http and https are used")
        }
        let rest = text[schemeEnd.upperBound...]
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let host = String(rest[..<slash])
        guard !host.isEmpty else {
            throw ConfigError(.hostsWrongType, at: nil, "\(source): host \"\(written)\" has no host name")
        }
        var path = cleanPath(String(rest[slash...]))
        if path.isEmpty {
            if !overridePath { path = "/v2" }
        } else if !path.hasSuffix("/v2") && !overridePath {
            path += "/v2"
        }
        return Endpoint(scheme: scheme, host: host, path: path)
    }

    /// Go's path.Clean for an absolute URL path ("" stays "").
    static func cleanPath(_ path: String) -> String {
        guard !path.isEmpty else { return "" }
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            if part == "." { continue }
            if part == ".." { _ = parts.popLast(); continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// containerd orders hosts by the line their table starts on (go-toml's
    /// position of the table); the parser records the line each key first appears on.
    func orderedHostKeys(_ hostTable: TOMLTable) -> [String] {
        hostTable.keys.map { ($0, hostTable.line(of: $0) ?? Int.max) }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.map(\.0)
    }

    func resolve(_ path: String) -> String {
        guard let baseDirectory, !path.hasPrefix("/") else { return path }
        return (baseDirectory as NSString).appendingPathComponent(path)
    }

    func clientPairs(_ value: TOMLValue, path: String) throws(ConfigError) -> [TLSSettings.ClientCertificate] {
        if let single = value.string { return [.init(certificateFile: resolve(single), keyFile: "")] }
        guard let list = value.array else { throw wrongType(path, expected: "a path, or a list of [cert, key] pairs") }
        var pairs: [TLSSettings.ClientCertificate] = []
        for item in list {
            if let single = item.string {
                pairs.append(.init(certificateFile: resolve(single), keyFile: ""))
            } else if let pair = item.array, pair.count >= 1, let cert = pair[0].string {
                let key = pair.count > 1 ? pair[1].string ?? "" : ""
                pairs.append(.init(certificateFile: resolve(cert), keyFile: key.isEmpty ? "" : resolve(key)))
            } else {
                throw wrongType(path, expected: "[cert, key] pairs of strings")
            }
        }
        return pairs
    }

    func string(_ table: TOMLTable, _ key: String, path: String) throws(ConfigError) -> String? {
        guard let value = table[key] else { return nil }
        guard let string = value.string else { throw wrongType("\(path).\(key)", expected: "a string") }
        return string
    }

    func bool(_ table: TOMLTable, _ key: String, path: String) throws(ConfigError) -> Bool? {
        guard let value = table[key] else { return nil }
        guard let bool = value.bool else { throw wrongType("\(path).\(key)", expected: "true or false") }
        return bool
    }

    func stringArray(_ table: TOMLTable, _ key: String, path: String) throws(ConfigError) -> [String]? {
        guard let value = table[key] else { return nil }
        guard let array = value.array else { throw wrongType("\(path).\(key)", expected: "a list of strings") }
        return array.compactMap { $0.string }
    }

    func wrongType(_ path: String, expected: String) -> ConfigError {
        ConfigError(.hostsWrongType, at: nil,
                    "\(source): `\(path)` must be \(expected); containerd refuses the file and uses the default host",
                    fix: "correct `\(path)`")
    }
}
