import Foundation

/// Where output goes and whether it may be coloured.
enum Terminal {
    static var stdoutIsTTY: Bool { isatty(STDOUT_FILENO) == 1 }
    static var stderrIsTTY: Bool { isatty(STDERR_FILENO) == 1 }

    /// Colour only on a terminal, and never when NO_COLOR is set.
    static var colorEnabled: Bool { stdoutIsTTY && ProcessInfo.processInfo.environment["NO_COLOR"] == nil }

    static func error(_ text: String) {
        writeError(text + "\n")
    }

    /// Writes to stderr; a closed stream (`2>&-`, a reader gone) is not worth a crash.
    /// (FileHandle.write(Data) traps on EPIPE once SIGPIPE is ignored, as NIO does.)
    static func writeError(_ text: String) {
        try? FileHandle.standardError.write(contentsOf: Data(text.utf8))
    }

    /// Writes to stdout; when the reader has gone (`| head`), stop quietly.
    static func writeOutput(_ data: Data) {
        do {
            try FileHandle.standardOutput.write(contentsOf: data)
        } catch {
            exit(0)
        }
    }

    static func style(_ text: String, _ code: String) -> String {
        colorEnabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    static func bold(_ text: String) -> String { style(text, "1") }
    static func dim(_ text: String) -> String { style(text, "2") }
    static func red(_ text: String) -> String { style(text, "31") }
    static func yellow(_ text: String) -> String { style(text, "33") }
    static func green(_ text: String) -> String { style(text, "32") }
    static func cyan(_ text: String) -> String { style(text, "36") }
}

enum JSONOutput {
    static func print<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        Terminal.writeOutput(data + Data("\n".utf8))
    }
}
