import Yams

extension SyncList {
    /// A YAML list: each item an image reference, or a mapping
    /// `{image: REF, platforms: [os/arch, …], target: repository[:tag]}`.
    static func parseYAML(_ text: String, file: String) throws(ConfigError) -> SyncList {
        if let excess = YAMLNestingCheck.firstExcess(in: text, limit: maximumDepth) {
            throw ConfigError(.tooDeep, at: SourceLocation(file: file, line: excess.line, column: excess.column),
                              "\(file) nests more than \(maximumDepth) levels deep; an image list needs 3")
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text, .basic)
        } catch {
            throw RegistriesYAMLReader(file: file, text: text).translate(error)
        }
        guard let root, let items = root.sequence else {
            throw ConfigError(.invalidImageList, at: SourceLocation(file: file, line: 1, column: 1),
                              "\(file) is not a YAML list of images", fix: "write `- registry/repository:tag` items")
        }
        var entries: [SyncEntry] = []
        for item in items {
            entries.append(try entry(item, file: file))
        }
        return try checked(SyncList(file: file, entries: entries))
    }

    static func location(_ node: Node, _ file: String) -> SourceLocation {
        SourceLocation(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
    }

    static func entry(_ item: Node, file: String) throws(ConfigError) -> SyncEntry {
        let at = location(item, file)
        if let scalar = item.scalar {
            return SyncEntry(image: try image(scalar.string, at: at), platforms: [], target: nil, line: at.line)
        }
        guard let mapping = item.mapping else {
            throw ConfigError(.invalidImageList, at: at, "an item of the list must be an image reference or a mapping with `image:`")
        }
        var image: ImageReference?
        var platforms: [Platform] = []
        var target: String?
        for (keyNode, value) in mapping {
            let keyAt = location(keyNode, file)
            guard let key = keyNode.scalar?.string else {
                throw ConfigError(.invalidImageList, at: keyAt, "a key of an item must be a plain string")
            }
            switch key {
            case "image":
                guard let text = value.scalar?.string else { throw ConfigError(.invalidImageList, at: keyAt, "`image:` must be a reference") }
                image = try Self.image(text, at: location(value, file))
            case "platforms":
                let texts: [Node] = value.sequence.map(Array.init) ?? [value]
                for node in texts {
                    guard let text = node.scalar?.string else {
                        throw ConfigError(.invalidImageList, at: location(node, file), "`platforms:` must list os/arch[/variant] strings")
                    }
                    do { platforms.append(try Platform(parsing: text)) } catch {
                        throw ConfigError(.invalidImageList, at: location(node, file), "`\(text)` is not a platform: \(error.reason)",
                                          fix: "write os/arch or os/arch/variant, e.g. linux/arm64/v8")
                    }
                }
            case "target":
                guard let text = value.scalar?.string, !text.isEmpty else {
                    throw ConfigError(.invalidImageList, at: keyAt, "`target:` must be a repository[:tag]")
                }
                do { _ = try ImageReference(parsing: "example.invalid/" + text) } catch {
                    throw ConfigError(.invalidImageList, at: location(value, file), "`\(text)` is not a repository[:tag]: \(error.reason)")
                }
                target = text
            default:
                throw ConfigError(.invalidImageList, at: keyAt, "unknown key `\(key)` in an item",
                                  fix: "an item has `image:`, and optionally `platforms:` and `target:`")
            }
        }
        guard let image else {
            throw ConfigError(.invalidImageList, at: at, "an item has no `image:`", fix: "add `image: registry/repository:tag`")
        }
        return SyncEntry(image: image, platforms: platforms, target: target, line: at.line)
    }
}
