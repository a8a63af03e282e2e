import ArgumentParser

/// A size on the command line: bytes, or with a binary suffix (`64MiB`, `64M`, `512K`, `1G`).
struct ByteSize: ExpressibleByArgument, Sendable {
    let bytes: Int64

    var defaultValueDescription: String {
        bytes % (1 << 20) == 0 ? "\(bytes >> 20)MiB" : "\(bytes)"
    }

    init(bytes: Int64) {
        self.bytes = bytes
    }

    init?(argument: String) {
        let text = argument.trimmingCharacters(in: .whitespaces)
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, let value = Int64(digits), value > 0 else { return nil }
        let shift: Int64
        switch text.dropFirst(digits.count).lowercased() {
        case "", "b": shift = 0
        case "k", "kib", "kb": shift = 10
        case "m", "mib", "mb": shift = 20
        case "g", "gib", "gb": shift = 30
        default: return nil
        }
        guard value <= Int64.max >> shift else { return nil }
        bytes = value << shift
    }
}
