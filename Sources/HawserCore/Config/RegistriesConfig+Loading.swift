import Foundation
import Yams

extension RegistriesConfig {
    /// The result of reading a registries.yaml: the configuration K3s would use,
    /// and what K3s would have silently ignored (unknown keys, duplicates…).
    public struct Loaded: Sendable {
        public let config: RegistriesConfig
        public let findings: [Finding]
        /// Every value K3s would refuse (a wrong type), each with its place; the
        /// config holds the rest of the file. Empty from `load` and `parse`, which
        /// throw the first instead.
        public let errors: [ConfigError]

        public init(config: RegistriesConfig, findings: [Finding], errors: [ConfigError] = []) {
            self.config = config
            self.findings = findings
            self.errors = errors
        }
    }

    /// Largest registries.yaml read (1 MiB). A real one is a few KiB.
    public static let maximumSize = 1 << 20
    /// Deepest nesting of mappings and lists read. registries.yaml needs 5
    /// (mirrors → registry → endpoint → list); Yams recurses once per level.
    public static let maximumDepth = 64

    /// Reads a registries.yaml file (at most `maximumSize` bytes of it).
    public static func load(contentsOf path: String) throws(ConfigError) -> Loaded {
        let loaded = try loadCollecting(contentsOf: path)
        if let first = loaded.errors.first { throw first }
        return loaded
    }

    /// Like `load`, but a value of the wrong type does not stop the reading: every
    /// such error is in `errors` (what `hawser check` reports in one run). Throws
    /// only when the file cannot be read or parsed as YAML at all.
    public static func loadCollecting(contentsOf path: String) throws(ConfigError) -> Loaded {
        let data: Data
        do {
            data = try ConfigFileReader.read(path, limit: maximumSize)
        } catch ConfigFileReader.Failure.tooLarge {
            throw tooLarge(path)
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read (check its permissions)" : "does not exist"
            throw ConfigError(.unreadable, at: nil, "\(path) \(reason)",
                              fix: "pass the path of the registries.yaml K3s reads (by default /etc/rancher/k3s/registries.yaml)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(.unreadable, at: nil, "\(path) is not UTF-8 text", fix: "save the file as UTF-8")
        }
        return try parseCollecting(text, file: path)
    }

    /// Parses registries.yaml text; the first wrong type is thrown.
    public static func parse(_ text: String, file: String = "registries.yaml") throws(ConfigError) -> Loaded {
        let loaded = try parseCollecting(text, file: file)
        if let first = loaded.errors.first { throw first }
        return loaded
    }

    /// Parses registries.yaml text with K3s's semantics (YAML 1.1 booleans, last
    /// duplicate key wins, null values allowed, unknown keys ignored with a finding).
    /// Text larger than `maximumSize`, or nested deeper than `maximumDepth`, is
    /// refused before any YAML library composes it.
    public static func parseCollecting(_ text: String, file: String = "registries.yaml") throws(ConfigError) -> Loaded {
        guard text.utf8.count <= maximumSize else { throw tooLarge(file) }
        if let excess = YAMLNestingCheck.firstExcess(in: text, limit: maximumDepth) {
            throw ConfigError(
                .tooDeep, at: SourceLocation(file: file, line: excess.line, column: excess.column),
                "\(file) nests mappings and lists more than \(maximumDepth) levels deep; a registries.yaml needs 5 (mirrors → registry → endpoint → list)",
                fix: "this is not a registries.yaml K3s can use: check that the right file is passed, and remove the extra nesting that starts here")
        }
        var reader = RegistriesYAMLReader(file: file, text: text)
        let config = try reader.read()
        return Loaded(config: config, findings: reader.findings, errors: reader.errors)
    }
}

extension RegistriesConfig {
    static func tooLarge(_ file: String) -> ConfigError {
        ConfigError(.tooLarge, at: nil, "\(file) is larger than \(maximumSize >> 20) MiB; a registries.yaml is a few KiB",
                    fix: "check that the right file is passed (K3s reads /etc/rancher/k3s/registries.yaml)")
    }
}

/// Walks the YAML node tree. Kept separate so that the model stays a plain value.
struct RegistriesYAMLReader {
    let file: String
    let text: String
    var findings: [Finding] = []
    /// Wrong types found so far: each skips its value, and the reading goes on.
    var errors: [ConfigError] = []

    init(file: String, text: String) {
        self.file = file
        self.text = text
    }

    static let topKeys = ["mirrors", "configs"]
    static let mirrorKeys = ["endpoint", "rewrite"]
    static let configKeys = ["auth", "tls"]
    static let authKeys = ["username", "password", "auth", "identity_token"]
    static let tlsKeys = ["ca_file", "cert_file", "key_file", "insecure_skip_verify"]

    mutating func read() throws(ConfigError) -> RegistriesConfig {
        let root: Node?
        do {
            // `.basic`: no YAML 1.1 tag resolution. This reader types scalars itself
            // from their text and style, as Go's decoder does, and the default
            // resolver would compile its regular expressions on every run.
            root = try Yams.compose(yaml: text, .basic)
        } catch {
            throw translate(error)
        }
        var config = RegistriesConfig(file: file)
        guard let root, !isNull(root) else { return config }
        let pairs = try mapping(root, what: "the top level of registries.yaml", expected: "a mapping with `mirrors:` and `configs:`")
        for (key, value) in pairs {
            switch key.text {
            case "mirrors":
                do { config.mirrors = try readMirrors(value) } catch { errors.append(error) }
            case "configs":
                do { config.configs = try readConfigs(value) } catch { errors.append(error) }
            default:
                unknownKey(key, known: Self.topKeys, section: "the top level")
            }
        }
        return config
    }

    // MARK: Sections

    mutating func readMirrors(_ node: Node) throws(ConfigError) -> [MirrorEntry] {
        if isNull(node) { return [] }
        var entries: [MirrorEntry] = []
        for (key, value) in try mapping(node, what: "`mirrors`", expected: "a mapping of registry names to mirrors") {
            var entry = MirrorEntry(key: key.text, location: key.location)
            if !isNull(value) {
                let fields: [(key: LocatedText, value: Node)]
                do { fields = try mapping(value, what: "mirror `\(key.text)`", expected: "a mapping with `endpoint:` (a list) and optionally `rewrite:`") } catch {
                    errors.append(error)
                    fields = []
                }
                for (field, fieldValue) in fields {
                    switch field.text {
                    case "endpoint":
                        do {
                            entry.endpoints = try stringList(fieldValue, what: "`mirrors.\(key.text).endpoint`").map { EndpointValue($0.text, location: $0.location) }
                        } catch { errors.append(error) }
                    case "rewrite":
                        do {
                            entry.rewrites = try stringMap(fieldValue, what: "`mirrors.\(key.text).rewrite`").map {
                                RewriteRule(pattern: $0.key.text, replacement: $0.value.text, location: $0.key.location)
                            }
                        } catch { errors.append(error) }
                    default:
                        unknownKey(field, known: Self.mirrorKeys, section: "mirror `\(key.text)`")
                    }
                }
            }
            entries.append(entry)
        }
        return entries
    }

    mutating func readConfigs(_ node: Node) throws(ConfigError) -> [ConfigEntry] {
        if isNull(node) { return [] }
        var entries: [ConfigEntry] = []
        for (key, value) in try mapping(node, what: "`configs`", expected: "a mapping of host names to `auth:`/`tls:` settings") {
            var entry = ConfigEntry(key: key.text, location: key.location)
            if !isNull(value) {
                let fields: [(key: LocatedText, value: Node)]
                do { fields = try mapping(value, what: "config `\(key.text)`", expected: "a mapping with `auth:` and/or `tls:`") } catch {
                    errors.append(error)
                    fields = []
                }
                for (field, fieldValue) in fields {
                    switch field.text {
                    case "auth":
                        do {
                            entry.auth = try readAuth(fieldValue, key: key.text)
                            entry.authLocation = field.location
                        } catch { errors.append(error) }
                    case "tls":
                        do {
                            entry.tls = try readTLS(fieldValue, key: key.text)
                            entry.tlsLocation = field.location
                        } catch { errors.append(error) }
                    default:
                        unknownKey(field, known: Self.configKeys, section: "config `\(key.text)`")
                    }
                }
            }
            entries.append(entry)
        }
        return entries
    }

    mutating func readAuth(_ node: Node, key: String) throws(ConfigError) -> RegistryCredentials? {
        if isNull(node) { return nil }
        var auth = RegistryCredentials()
        for (field, value) in try mapping(node, what: "`configs.\(key).auth`", expected: "a mapping with username/password, auth or identity_token") {
            let path = "`configs.\(key).auth.\(field.text)`"
            switch field.text {
            case "username": do { auth.username = try string(value, what: path) } catch { errors.append(error) }
            case "password": do { auth.password = try string(value, what: path) } catch { errors.append(error) }
            case "auth": do { auth.auth = try string(value, what: path) } catch { errors.append(error) }
            case "identity_token": do { auth.identityToken = try string(value, what: path) } catch { errors.append(error) }
            default: unknownKey(field, known: Self.authKeys, section: "`configs.\(key).auth`")
            }
        }
        return auth
    }

    mutating func readTLS(_ node: Node, key: String) throws(ConfigError) -> TLSConfig? {
        if isNull(node) { return nil }
        var tls = TLSConfig()
        for (field, value) in try mapping(node, what: "`configs.\(key).tls`", expected: "a mapping with ca_file, cert_file, key_file, insecure_skip_verify") {
            let path = "`configs.\(key).tls.\(field.text)`"
            switch field.text {
            case "ca_file": do { tls.caFile = try string(value, what: path) } catch { errors.append(error) }
            case "cert_file": do { tls.certFile = try string(value, what: path) } catch { errors.append(error) }
            case "key_file": do { tls.keyFile = try string(value, what: path) } catch { errors.append(error) }
            case "insecure_skip_verify":
                do {
                    tls.insecureSkipVerify = try bool(value, what: path)
                    tls.insecureSkipVerifyLocation = field.location
                } catch { errors.append(error) }
            default: unknownKey(field, known: Self.tlsKeys, section: "`configs.\(key).tls`")
            }
        }
        return tls
    }
}
