/// Reads TOML 1.0 into `TOMLTable`s: tables and arrays of tables, dotted and
/// quoted keys, the four kinds of string, integers (decimal, hex, octal,
/// binary), floats, booleans, dates and times, arrays (nested too, as in
/// `client = [["cert", "key"]]`), inline tables and comments.
///
/// Why Hawser has its own reader instead of TOMLKit 0.6.0 (toml++ underneath):
/// toml++ checks its own invariants with `assert`, and input such as `[[` and
/// a line break, or `` [`a] ``, reaches one (toml.hpp:15481, in
/// `parser::parse_key`), which aborts the whole process. SwiftPM does not
/// define NDEBUG for C++ targets in either configuration (measured: debug
/// builds toml.cpp with `-DDEBUG=1 -O0 -g`, release with `-O2`), so the abort
/// ships in a release `hawser` too (measured: SIGABRT from a release build).
/// Defining NDEBUG ourselves would not help: toml++ then turns those checks
/// into `__builtin_assume`, so the same input becomes undefined behaviour.
/// Filtering input before handing it to toml++ would have to anticipate every
/// path to every assertion. This reader is small, written against the spec,
/// fuzzed in the test suite (HawserFuzzTests), and every failure is a thrown
/// `TOMLSyntaxError` with line and column: no input can stop the process.
/// Nesting (tables, arrays, inline tables, dotted keys) is capped at
/// `maximumDepth`, so recursion stays shallow whatever the input.
public struct TOMLParser {
    /// Deepest nesting accepted. hosts.toml needs 4.
    public static let maximumDepth = 100

    let bytes: [UInt8]
    var position = 0
    var line = 1
    var lineStart = 0

    init(_ text: String) {
        bytes = Array(text.utf8)
    }

    /// Parses a whole document.
    public static func parse(_ text: String) throws(TOMLSyntaxError) -> TOMLTable {
        var parser = TOMLParser(text)
        return try parser.document()
    }

    mutating func document() throws(TOMLSyntaxError) -> TOMLTable {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3; lineStart = 3 }
        let root = TOMLNode(origin: .header, depth: 0)
        var current = root
        while position < bytes.count {
            skipWhitespace()
            guard let byte = peek() else { break }
            switch byte {
            case UInt8(ascii: "#"):
                try skipComment()
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                try newline()
            case UInt8(ascii: "["):
                current = try header(root)
                try endOfLine()
            default:
                try keyValue(into: current)
                try endOfLine()
            }
        }
        return root.table()
    }

    // MARK: Tables

    /// `[a.b]` or `[[a.b]]`: the table that following keys go into.
    mutating func header(_ root: TOMLNode) throws(TOMLSyntaxError) -> TOMLNode {
        let start = position
        position += 1
        let isArray = peek() == UInt8(ascii: "[")
        if isArray { position += 1 }
        skipWhitespace()
        let headerLine = line
        let path = try key()
        skipWhitespace()
        guard consume(UInt8(ascii: "]")) else { throw error("expected ] to close the table header") }
        if isArray, !consume(UInt8(ascii: "]")) { throw error("expected ]] to close the array-of-tables header") }
        var node = root
        var shown = ""
        for (offset, part) in path.enumerated() {
            shown += (shown.isEmpty ? "" : ".") + part
            let last = offset == path.count - 1
            switch node[part] {
            case nil:
                guard node.depth < Self.maximumDepth else { throw error("tables nested more than \(Self.maximumDepth) levels deep", at: start) }
                let child = TOMLNode(origin: last ? .header : .implicit, depth: node.depth + 1)
                node.set(part, last && isArray ? .tableArray([child]) : .table(child), line: headerLine)
                node = child
            case .table(let child):
                if last {
                    if isArray { throw error("[[\(shown)]] names a table, not an array of tables", at: start) }
                    guard child.origin == .implicit else {
                        throw error(child.origin == .dotted ? "table [\(shown)] was already defined with dotted keys"
                                                            : "table [\(shown)] is defined twice", at: start)
                    }
                    child.origin = .header
                }
                node = child
            case .tableArray(let elements):
                if last {
                    guard isArray else { throw error("[\(shown)] is already an array of tables", at: start) }
                    let child = TOMLNode(origin: .header, depth: node.depth + 1)
                    node.set(part, .tableArray(elements + [child]), line: headerLine)
                    node = child
                } else if let lastElement = elements.last {
                    node = lastElement
                }
            case .value:
                throw error("`\(shown)` already holds a value; it cannot also be a table", at: start)
            }
        }
        return node
    }

    /// `key = value`, the key possibly dotted, into `node`.
    mutating func keyValue(into node: TOMLNode) throws(TOMLSyntaxError) {
        let start = position
        let keyLine = line
        let path = try key()
        skipWhitespace()
        guard consume(UInt8(ascii: "=")) else { throw error("expected = after the key") }
        skipWhitespace()
        var target = node
        var shown = ""
        for part in path.dropLast() {
            shown += (shown.isEmpty ? "" : ".") + part
            switch target[part] {
            case nil:
                guard target.depth < Self.maximumDepth else { throw error("keys nested more than \(Self.maximumDepth) levels deep", at: start) }
                let child = TOMLNode(origin: .dotted, depth: target.depth + 1)
                target.set(part, .table(child), line: keyLine)
                target = child
            case .table(let child) where child.origin == .dotted:
                target = child
            case .table, .tableArray:
                throw error("`\(shown)` is a table defined elsewhere; dotted keys cannot add to it", at: start)
            case .value:
                throw error("`\(shown)` already holds a value; it cannot also be a table", at: start)
            }
        }
        guard let last = path.last else { throw error("expected a key", at: start) }
        if target[last] != nil {
            throw error("key `\(shown.isEmpty ? last : shown + "." + last)` is defined twice", at: start)
        }
        let value = try value(depth: target.depth + 1)
        target.set(last, .value(value), line: keyLine)
    }

    /// A possibly dotted key: bare, "basic" or 'literal' parts joined by dots.
    mutating func key() throws(TOMLSyntaxError) -> [String] {
        var parts: [String] = []
        while true {
            guard parts.count < Self.maximumDepth else { throw error("a key with more than \(Self.maximumDepth) dotted parts") }
            guard let byte = peek() else { throw error("expected a key") }
            switch byte {
            case UInt8(ascii: "\""):
                if bytes[position...].starts(with: [0x22, 0x22, 0x22]) { throw error("a key cannot be a multi-line string") }
                parts.append(try basicString())
            case UInt8(ascii: "'"):
                if bytes[position...].starts(with: [0x27, 0x27, 0x27]) { throw error("a key cannot be a multi-line string") }
                parts.append(try literalString())
            default:
                let start = position
                while let next = peek(), Self.isBareKeyByte(next) { position += 1 }
                guard position > start else { throw error("expected a key (letters, digits, _ and -, or a quoted string)") }
                parts.append(String(decoding: bytes[start..<position], as: UTF8.self))
            }
            skipWhitespace()
            guard consume(UInt8(ascii: ".")) else { return parts }
            skipWhitespace()
        }
    }

    static func isBareKeyByte(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
    }

    // MARK: Lines, whitespace, comments

    func peek(_ offset: Int = 0) -> UInt8? {
        position + offset < bytes.count ? bytes[position + offset] : nil
    }

    mutating func consume(_ byte: UInt8) -> Bool {
        guard peek() == byte else { return false }
        position += 1
        return true
    }

    mutating func skipWhitespace() {
        while let byte = peek(), byte == 0x20 || byte == 0x09 { position += 1 }
    }

    /// `#` to the end of the line; control characters other than tab are refused.
    mutating func skipComment() throws(TOMLSyntaxError) {
        position += 1
        while let byte = peek(), byte != 0x0A {
            if byte == 0x0D, peek(1) == 0x0A { return }
            if Self.isForbiddenControl(byte) { throw error("control character U+\(Self.hex(byte)) in a comment") }
            position += 1
        }
    }

    /// A line break (LF or CRLF).
    mutating func newline() throws(TOMLSyntaxError) {
        if consume(0x0D) {
            guard peek() == 0x0A else { throw error("a carriage return must be followed by a line feed", at: position - 1) }
        }
        guard consume(0x0A) else { throw error("expected the end of the line") }
        line += 1
        lineStart = position
    }

    /// After a key/value pair or a header: only whitespace and a comment may follow on the line.
    mutating func endOfLine() throws(TOMLSyntaxError) {
        skipWhitespace()
        if peek() == UInt8(ascii: "#") { try skipComment() }
        guard peek() != nil else { return }
        guard peek() == 0x0A || peek() == 0x0D else { throw error("expected the end of the line after the value") }
        try newline()
    }

    /// Whitespace, comments and line breaks (inside arrays).
    mutating func skipBlank() throws(TOMLSyntaxError) {
        while let byte = peek() {
            switch byte {
            case 0x20, 0x09: position += 1
            case 0x0A, 0x0D: try newline()
            case UInt8(ascii: "#"): try skipComment()
            default: return
            }
        }
    }

    static func isForbiddenControl(_ byte: UInt8) -> Bool {
        (byte < 0x20 && byte != 0x09) || byte == 0x7F
    }

    static func hex(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16, uppercase: true)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }

    // MARK: Errors

    /// An error at the current position (or at `offset`), with its 1-based line and column.
    func error(_ message: String, at offset: Int? = nil) -> TOMLSyntaxError {
        let target = min(offset ?? position, bytes.count)
        var lineNumber = line
        var start = lineStart
        if target < lineStart {
            // An offset before the current line (a multi-line value): count from the beginning.
            lineNumber = 1
            start = 0
            for index in 0..<target where bytes[index] == 0x0A {
                lineNumber += 1
                start = index + 1
            }
        }
        // Columns count characters: skip UTF-8 continuation bytes.
        var column = 1
        if start < target {
            for index in start..<target where bytes[index] & 0xC0 != 0x80 { column += 1 }
        }
        return TOMLSyntaxError(line: lineNumber, column: column, message)
    }
}
