import Foundation

/// The images `hawser sync` copies: one reference per line (the format of
/// K3s's k3s-images.txt: `#` comments and blank lines ignored), or a YAML list
/// whose items are a reference or a mapping with per-image options. The whole
/// list is validated before anything is copied: a bad line is an error with
/// its line number.
public struct SyncList: Sendable, Hashable {
    public let file: String
    public let entries: [SyncEntry]

    public init(file: String, entries: [SyncEntry]) {
        self.file = file
        self.entries = entries
    }

    /// Larger lists are refused: k3s-images.txt holds a few dozen lines.
    public static let maximumSize = 4 << 20
    static let maximumDepth = 8
    static let itemKeys = ["image", "platforms", "target"]

    public static func load(contentsOf path: String) throws(ConfigError) -> SyncList {
        let data: Data
        do {
            data = try ConfigFileReader.read(path, limit: maximumSize)
        } catch ConfigFileReader.Failure.tooLarge {
            throw ConfigError(.tooLarge, at: nil, "\(path) is larger than \(maximumSize >> 20) MiB; an image list is a few KiB")
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read (check its permissions)" : "does not exist"
            throw ConfigError(.unreadable, at: nil, "the image list \(path) \(reason)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(.unreadable, at: nil, "the image list \(path) is not UTF-8 text", fix: "save the file as UTF-8")
        }
        return try parse(text, file: path)
    }

    /// A YAML list when the first line that is not blank or a comment starts with `-`.
    public static func parse(_ text: String, file: String) throws(ConfigError) -> SyncList {
        guard text.utf8.count <= maximumSize else {
            throw ConfigError(.tooLarge, at: nil, "\(file) is larger than \(maximumSize >> 20) MiB; an image list is a few KiB")
        }
        let first = text.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .first { !$0.isEmpty && !$0.hasPrefix("#") }
        if first?.hasPrefix("-") == true { return try parseYAML(text, file: file) }
        return try parseLines(text, file: file)
    }

    static func parseLines(_ text: String, file: String) throws(ConfigError) -> SyncList {
        var entries: [SyncEntry] = []
        // Character-wise: "\r\n" is one Character (one newline), so Windows line ends count once.
        for (offset, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let location = SourceLocation(file: file, line: offset + 1, column: 1)
            entries.append(SyncEntry(image: try image(line, at: location), platforms: [], target: nil, line: offset + 1))
        }
        return try checked(SyncList(file: file, entries: entries))
    }

    static func image(_ text: String, at location: SourceLocation) throws(ConfigError) -> ImageReference {
        do {
            return try ImageReference(parsing: text)
        } catch {
            throw ConfigError(.invalidImageList, at: location, "`\(text)` is not an image reference: \(error.reason)",
                              fix: "write one image per line, as registry/repository:tag or registry/repository@sha256:…")
        }
    }

    static func checked(_ list: SyncList) throws(ConfigError) -> SyncList {
        guard !list.entries.isEmpty else {
            throw ConfigError(.invalidImageList, at: nil, "\(list.file) lists no image", fix: "write one image per line")
        }
        return list
    }
}
