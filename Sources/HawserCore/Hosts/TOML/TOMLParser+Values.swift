extension TOMLParser {
    /// One value; `depth` is its nesting level, bounded by `maximumDepth`.
    mutating func value(depth: Int) throws(TOMLSyntaxError) -> TOMLValue {
        guard depth <= Self.maximumDepth else { throw error("values nested more than \(Self.maximumDepth) levels deep") }
        guard let byte = peek() else { throw error("expected a value after =") }
        switch byte {
        case UInt8(ascii: "\""):
            if bytes[position...].starts(with: [0x22, 0x22, 0x22]) { return .string(try multilineBasicString()) }
            return .string(try basicString())
        case UInt8(ascii: "'"):
            if bytes[position...].starts(with: [0x27, 0x27, 0x27]) { return .string(try multilineLiteralString()) }
            return .string(try literalString())
        case UInt8(ascii: "["):
            return try array(depth: depth)
        case UInt8(ascii: "{"):
            return try inlineTable(depth: depth)
        case UInt8(ascii: "t") where bytes[position...].starts(with: Array("true".utf8)):
            return try keyword(.boolean(true), length: 4)
        case UInt8(ascii: "f") where bytes[position...].starts(with: Array("false".utf8)):
            return try keyword(.boolean(false), length: 5)
        default:
            return try numberOrDate()
        }
    }

    private mutating func keyword(_ value: TOMLValue, length: Int) throws(TOMLSyntaxError) -> TOMLValue {
        position += length
        if let next = peek(), Self.isBareKeyByte(next) { throw error("unexpected text after the value") }
        return value
    }

    /// `[ v, v, ]`: line breaks and comments allowed between items, a trailing comma too.
    mutating func array(depth: Int) throws(TOMLSyntaxError) -> TOMLValue {
        position += 1
        var items: [TOMLValue] = []
        while true {
            try skipBlank()
            if consume(UInt8(ascii: "]")) { return .array(items) }
            items.append(try value(depth: depth + 1))
            try skipBlank()
            if consume(UInt8(ascii: ",")) { continue }
            guard consume(UInt8(ascii: "]")) else { throw error(peek() == nil ? "the array is not closed with ]" : "expected , or ] in the array") }
            return .array(items)
        }
    }

    /// `{ a = 1, b.c = 2 }`: on one line, no trailing comma; complete once closed.
    mutating func inlineTable(depth: Int) throws(TOMLSyntaxError) -> TOMLValue {
        position += 1
        let node = TOMLNode(origin: .dotted, depth: depth)
        skipWhitespace()
        if consume(UInt8(ascii: "}")) { return .table(node.table()) }
        while true {
            skipWhitespace()
            if peek() == 0x0A || peek() == 0x0D { throw error("an inline table must be written on one line") }
            try keyValue(into: node)
            skipWhitespace()
            if consume(UInt8(ascii: "}")) { return .table(node.table()) }
            guard consume(UInt8(ascii: ",")) else {
                if peek() == 0x0A || peek() == 0x0D { throw error("an inline table must be written on one line") }
                throw error(peek() == nil ? "the inline table is not closed with }" : "expected , or } in the inline table")
            }
            skipWhitespace()
            if peek() == UInt8(ascii: "}") { throw error("a trailing comma is not allowed in an inline table") }
        }
    }

    // MARK: Strings

    /// `"…"` with escapes, on one line.
    mutating func basicString() throws(TOMLSyntaxError) -> String {
        position += 1
        var out: [UInt8] = []
        while let byte = peek() {
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try escape(into: &out)
            case 0x0A, 0x0D:
                throw error("a \"…\" string must end on the line it starts (use \"\"\" for several lines)")
            default:
                if Self.isForbiddenControl(byte) { throw error("control character U+\(Self.hex(byte)) in a string; write it as an escape") }
                out.append(byte)
                position += 1
            }
        }
        throw error("the string is not closed with \"")
    }

    /// `'…'`, taken literally, on one line.
    mutating func literalString() throws(TOMLSyntaxError) -> String {
        position += 1
        let start = position
        while let byte = peek() {
            if byte == UInt8(ascii: "'") {
                position += 1
                return String(decoding: bytes[start..<(position - 1)], as: UTF8.self)
            }
            if byte == 0x0A || byte == 0x0D { throw error("a '…' string must end on the line it starts (use ''' for several lines)") }
            if Self.isForbiddenControl(byte) { throw error("control character U+\(Self.hex(byte)) in a string") }
            position += 1
        }
        throw error("the string is not closed with '")
    }

    /// `"""…"""`: escapes, line breaks, a backslash at the end of a line joins lines.
    mutating func multilineBasicString() throws(TOMLSyntaxError) -> String {
        position += 3
        try skipFirstNewline()
        var out: [UInt8] = []
        while let byte = peek() {
            switch byte {
            case UInt8(ascii: "\""):
                if let closing = try closingQuotes(0x22) {
                    out += Array(repeating: 0x22, count: closing)
                    return String(decoding: out, as: UTF8.self)
                }
                out.append(byte)
                position += 1
            case UInt8(ascii: "\\"):
                if try lineEndingBackslash() { continue }
                try escape(into: &out)
            case 0x0A, 0x0D:
                try newline()
                out.append(0x0A)
            default:
                if Self.isForbiddenControl(byte) { throw error("control character U+\(Self.hex(byte)) in a string; write it as an escape") }
                out.append(byte)
                position += 1
            }
        }
        throw error("the string is not closed with \"\"\"")
    }

    /// `'''…'''`: taken literally, line breaks allowed.
    mutating func multilineLiteralString() throws(TOMLSyntaxError) -> String {
        position += 3
        try skipFirstNewline()
        var out: [UInt8] = []
        while let byte = peek() {
            switch byte {
            case UInt8(ascii: "'"):
                if let closing = try closingQuotes(0x27) {
                    out += Array(repeating: 0x27, count: closing)
                    return String(decoding: out, as: UTF8.self)
                }
                out.append(byte)
                position += 1
            case 0x0A, 0x0D:
                try newline()
                out.append(0x0A)
            default:
                if Self.isForbiddenControl(byte) { throw error("control character U+\(Self.hex(byte)) in a string") }
                out.append(byte)
                position += 1
            }
        }
        throw error("the string is not closed with '''")
    }

    /// A line break right after the opening delimiter is not part of the string.
    private mutating func skipFirstNewline() throws(TOMLSyntaxError) {
        if peek() == 0x0A || peek() == 0x0D { try newline() }
    }

    /// At a quote in a multi-line string: nil when it does not close the string;
    /// else the quotes (0 to 2) that belong to the content before the closing three.
    private mutating func closingQuotes(_ quote: UInt8) throws(TOMLSyntaxError) -> Int? {
        var count = 0
        while peek(count) == quote { count += 1 }
        guard count >= 3 else { return nil }
        guard count <= 5 else { throw error("too many quotes: a multi-line string closes with three") }
        position += count
        return count - 3
    }

    /// `\` then only whitespace up to the line break: the break and the
    /// whitespace after it are dropped. Returns false for an ordinary escape.
    private mutating func lineEndingBackslash() throws(TOMLSyntaxError) -> Bool {
        var offset = 1
        while let byte = peek(offset), byte == 0x20 || byte == 0x09 { offset += 1 }
        guard peek(offset) == 0x0A || peek(offset) == 0x0D else { return false }
        position += offset
        while let byte = peek() {
            switch byte {
            case 0x20, 0x09: position += 1
            case 0x0A, 0x0D: try newline()
            default: return true
            }
        }
        return true
    }

    /// `\b \t \n \f \r \" \\ \uXXXX \UXXXXXXXX`.
    private mutating func escape(into out: inout [UInt8]) throws(TOMLSyntaxError) {
        let start = position
        position += 1
        guard let byte = peek() else { throw error("the string ends in the middle of an escape") }
        position += 1
        switch byte {
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "\""): out.append(0x22)
        case UInt8(ascii: "\\"): out.append(0x5C)
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            let length = byte == UInt8(ascii: "u") ? 4 : 8
            guard position + length <= bytes.count,
                  bytes[position..<(position + length)].allSatisfy({ Self.hexValue($0) != nil }) else {
                throw error("\\\(Character(Unicode.Scalar(byte))) must be followed by \(length) hexadecimal digits", at: start)
            }
            var code: UInt32 = 0
            for digit in bytes[position..<(position + length)] { code = code << 4 | UInt32(Self.hexValue(digit) ?? 0) }
            position += length
            guard let scalar = Unicode.Scalar(code) else {
                throw error("\\\(Character(Unicode.Scalar(byte))) escape names no Unicode character", at: start)
            }
            out += Array(String(Character(scalar)).utf8)
        default:
            let shown = byte < 0x80 && !Self.isForbiddenControl(byte) ? String(Character(Unicode.Scalar(byte))) : "U+\(Self.hex(byte))"
            throw error("invalid escape \\\(shown) in a string (a regex's \\ must be written \\\\ in a \"…\" string, or use a '…' string)", at: start)
        }
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }
}
