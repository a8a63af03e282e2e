extension TOMLParser {
    /// Integers, floats, dates and times. The token is checked against the
    /// grammar before conversion; an integer past 64 bits is an error, not a trap.
    mutating func numberOrDate() throws(TOMLSyntaxError) -> TOMLValue {
        let start = position
        while let byte = peek(), Self.isScalarByte(byte) { position += 1 }
        var token = Array(bytes[start..<position])
        guard !token.isEmpty else {
            throw error("expected a value (a string, number, boolean, date, array or inline table)")
        }
        // A date-time may separate date and time with a space.
        if Self.isDate(token[...]), peek() == 0x20, let digit = peek(1), digit >= 0x30, digit <= 0x39 {
            let timeStart = position + 1
            var end = timeStart
            while end < bytes.count, Self.isScalarByte(bytes[end]) { end += 1 }
            token += [UInt8(ascii: "T")] + bytes[timeStart..<end]
            position = end
        }
        let text = String(decoding: token, as: UTF8.self)
        if let value = Self.integer(token) {
            guard let number = value else { throw error("\(text) does not fit in a 64-bit integer", at: start) }
            return .integer(number)
        }
        if let number = Self.float(token) { return .float(number) }
        if Self.isDateTime(token) { return .datetime(String(decoding: bytes[start..<position], as: UTF8.self)) }
        throw error("`\(text)` is not a value (strings must be quoted)", at: start)
    }

    static func isScalarByte(_ byte: UInt8) -> Bool {
        isBareKeyByte(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: ":")
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// Digits of a radix with single underscores between digits; the digits without underscores.
    static func digits(_ token: ArraySlice<UInt8>, _ isDigit: (UInt8) -> Bool) -> [UInt8]? {
        guard let first = token.first, let last = token.last, isDigit(first), isDigit(last) else { return nil }
        var out: [UInt8] = []
        var previousUnderscore = false
        for byte in token {
            if byte == UInt8(ascii: "_") {
                if previousUnderscore { return nil }
                previousUnderscore = true
                continue
            }
            guard isDigit(byte) else { return nil }
            previousUnderscore = false
            out.append(byte)
        }
        return out
    }

    /// nil: not an integer; .some(nil): an integer that does not fit in Int64.
    static func integer(_ token: [UInt8]) -> Int64?? {
        if token.count > 2, token[0] == UInt8(ascii: "0") {
            let radix: Int
            let isDigit: (UInt8) -> Bool
            switch token[1] {
            case UInt8(ascii: "x"): radix = 16; isDigit = { hexValue($0) != nil }
            case UInt8(ascii: "o"): radix = 8; isDigit = { $0 >= 0x30 && $0 <= 0x37 }
            case UInt8(ascii: "b"): radix = 2; isDigit = { $0 == 0x30 || $0 == 0x31 }
            default: return decimal(token)
            }
            guard let clean = digits(token[2...], isDigit) else { return nil }
            return .some(Int64(String(decoding: clean, as: UTF8.self), radix: radix))
        }
        return decimal(token)
    }

    private static func decimal(_ token: [UInt8]) -> Int64?? {
        var body = token[...]
        var sign: [UInt8] = []
        if let first = body.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
            sign = first == UInt8(ascii: "-") ? [first] : []
            body = body.dropFirst()
        }
        guard let clean = digits(body, isDigit) else { return nil }
        if clean.count > 1, clean[0] == UInt8(ascii: "0") { return nil }
        return .some(Int64(String(decoding: sign + clean, as: UTF8.self)))
    }

    static func float(_ token: [UInt8]) -> Double? {
        var body = token[...]
        var negative = false
        if let first = body.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
            negative = first == UInt8(ascii: "-")
            body = body.dropFirst()
        }
        if body.elementsEqual("inf".utf8) { return negative ? -.infinity : .infinity }
        if body.elementsEqual("nan".utf8) { return .nan }
        let exponentAt = body.firstIndex { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
        let mantissa = body[..<(exponentAt ?? body.endIndex)]
        let dot = mantissa.firstIndex(of: UInt8(ascii: "."))
        guard dot != nil || exponentAt != nil else { return nil }
        guard let integerPart = digits(mantissa[..<(dot ?? mantissa.endIndex)], isDigit) else { return nil }
        if integerPart.count > 1, integerPart[0] == UInt8(ascii: "0") { return nil }
        var clean = (negative ? [UInt8(ascii: "-")] : []) + integerPart
        if let dot {
            guard let fraction = digits(mantissa[(dot + 1)...], isDigit) else { return nil }
            clean += [UInt8(ascii: ".")] + fraction
        }
        if let exponentAt {
            var exponent = body[(exponentAt + 1)...]
            var exponentSign: [UInt8] = []
            if let first = exponent.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
                exponentSign = [first]
                exponent = exponent.dropFirst()
            }
            guard let exponentDigits = digits(exponent, isDigit) else { return nil }
            clean += [UInt8(ascii: "e")] + exponentSign + exponentDigits
        }
        return Double(String(decoding: clean, as: UTF8.self))
    }

    // MARK: Dates and times (RFC 3339 as TOML allows it)

    /// `YYYY-MM-DD` with a real day of that month.
    static func isDate(_ token: ArraySlice<UInt8>) -> Bool {
        guard token.count == 10 else { return false }
        let text = Array(token)
        guard text[4] == UInt8(ascii: "-"), text[7] == UInt8(ascii: "-"),
              let year = number(text[0..<4]), let month = number(text[5..<7]), let day = number(text[8..<10]) else { return false }
        guard (1...12).contains(month), day >= 1 else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= days[month - 1]
    }

    /// `HH:MM:SS[.fraction]`.
    static func isTime(_ token: ArraySlice<UInt8>) -> Bool {
        let text = Array(token)
        guard text.count >= 8, text[2] == UInt8(ascii: ":"), text[5] == UInt8(ascii: ":"),
              let hour = number(text[0..<2]), let minute = number(text[3..<5]), let second = number(text[6..<8]),
              hour < 24, minute < 60, second <= 60 else { return false }
        if text.count == 8 { return true }
        return text[8] == UInt8(ascii: ".") && text.count > 9 && text[9...].allSatisfy(isDigit)
    }

    /// A local date, local time, local date-time or offset date-time.
    static func isDateTime(_ token: [UInt8]) -> Bool {
        if isDate(token[...]) { return true }
        if isTime(token[...]) { return true }
        guard token.count > 11, isDate(token[0..<10]),
              token[10] == UInt8(ascii: "T") || token[10] == UInt8(ascii: "t") else { return false }
        var time = token[11...]
        if let last = time.last, last == UInt8(ascii: "Z") || last == UInt8(ascii: "z") {
            time = time.dropLast()
        } else if time.count > 6, let signAt = time.index(time.endIndex, offsetBy: -6, limitedBy: time.startIndex),
                  time[signAt] == UInt8(ascii: "+") || time[signAt] == UInt8(ascii: "-") {
            let offset = Array(time[(signAt + 1)...])
            guard offset[2] == UInt8(ascii: ":"), let hours = number(offset[0..<2]), let minutes = number(offset[3..<5]),
                  hours < 24, minutes < 60 else { return false }
            time = time[..<signAt]
        }
        return isTime(time)
    }

    private static func number(_ digits: ArraySlice<UInt8>) -> Int? {
        guard !digits.isEmpty, digits.allSatisfy(isDigit) else { return nil }
        return digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
    }
}
