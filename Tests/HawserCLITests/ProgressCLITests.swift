import Foundation
import HawserTestSupport
import Testing

/// The progress display on a real terminal (a pseudo-terminal made by
/// util-linux's `script`): the image and each host tried, named before any byte
/// moves; the host that failed and why; the whole size from the start; the
/// final line left on screen.
@Suite("progress on a terminal")
struct ProgressCLITests {
    /// Runs `hawser arguments` on a pseudo-terminal; what the terminal received, escapes removed.
    static func onTerminal(_ arguments: [String]) throws -> String {
        let script = try Tools.require("/usr/bin/script", package: "bsdutils")
        let command = ([try HawserExecutable.url.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
        let raw = try Tools.run(script, ["-qec", command, "/dev/null"])
        for finding in OutputSweep.findings(in: raw) { Issue.record("hawser \(arguments.joined(separator: " ")) printed \(finding)") }
        // Cursor movement and line clearing: ESC [ n A, ESC [ 2K, colours.
        return raw.replacingOccurrences(of: "\u{1B}\\[[0-9;]*[A-Za-z]", with: "", options: .regularExpression)
            .replacingOccurrences(of: "\r", with: "")
    }

    @Test("pull on a terminal: the image and the endpoint first, the failed host and why, the total of the whole image at the end")
    func pullProgress() async throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        let image = try HandWrittenLayout.write(at: work.file("source"), name: "v1", layerSizes: [3000, 200_000, 40_000])
        try await withRegistry { registry in
            let unused = try FreePort.next()
            let config = work.file("registries.yaml")
            try "mirrors:\n  docker.io:\n    endpoint:\n      - \"http://127.0.0.1:\(unused)\"\n      - \"http://\(registry.host)\"\n"
                .write(toFile: config, atomically: true, encoding: .utf8)
            let push = try HawserProcess.run(["push", "\(image.path):v1", "\(registry.host)/library/app:v1", "--quiet"])
            try #require(push.status == 0, "\(push.stderr)")

            let output = try Self.onTerminal(["pull", "docker.io/library/app:v1", "--config", config, "--disable-default-endpoint",
                                              "--output", work.file("out")])
            let lines = output.split(separator: "\n").map(String.init)
            let first = try #require(lines.firstIndex { $0.hasPrefix("Pulling docker.io/library/app:v1 from http://127.0.0.1:\(unused)/v2") }, "\(output)")
            #expect(lines[first].contains("mirror endpoint 1 of 2"), "\(output)")
            let failed = try #require(lines.firstIndex { $0.contains("http://127.0.0.1:\(unused)/v2 failed: ") && $0.hasSuffix("trying the next host") }, "\(output)")
            let second = try #require(lines.firstIndex { $0.hasPrefix("Pulling docker.io/library/app:v1 from http://\(registry.host)/v2") }, "\(output)")
            #expect(first < failed && failed < second)
            // The last progress line stays, and it counts the whole image: config + 3 layers.
            let total = Int64(image.config.size + image.layers.reduce(0) { $0 + $1.size })
            let last = try #require(lines.last { $0.hasPrefix("pull: ") }, "\(output)")
            let size = Self.bytes(total)
            #expect(last.hasPrefix("pull: \(size) / \(size)"), "\(last) vs \(size)")
            #expect(output.contains("Pulled docker.io/library/app:v1"))
        }
    }

    /// ProgressText.bytes, restated: "237.3 KiB".
    static func bytes(_ count: Int64) -> String {
        count < 1024 ? "\(count) B" : String(format: "%.1f KiB", Double(count) / 1024)
    }
}
