/// The parser's mutable tree of tables, turned into `TOMLTable` values once the
/// document is read. Tracks how each table came to be, for TOML's rules on
/// defining a table twice.
final class TOMLNode {
    enum Origin {
        /// Created as the parent of a `[a.b]` header or `[[a.b]]`; may still be defined by its own header.
        case implicit
        /// Defined by a `[header]` or `[[header]]`.
        case header
        /// Created by a dotted key (`a.b = 1`); more dotted keys may add to it, a header may not define it.
        case dotted
    }

    enum Entry {
        case value(TOMLValue)
        case table(TOMLNode)
        /// `[[name]]` elements: only these arrays can be appended to.
        case tableArray([TOMLNode])
    }

    var origin: Origin
    /// Tables above this one; bounded by `TOMLParser.maximumDepth`.
    let depth: Int
    private(set) var keys: [String] = []
    private var entries: [String: Entry] = [:]
    private var lines: [String: Int] = [:]

    init(origin: Origin, depth: Int) {
        self.origin = origin
        self.depth = depth
    }

    subscript(key: String) -> Entry? { entries[key] }

    func set(_ key: String, _ entry: Entry, line: Int) {
        if entries[key] == nil {
            keys.append(key)
            lines[key] = line
        }
        entries[key] = entry
    }

    /// The finished value. Recursion is bounded by the depth limit.
    func table() -> TOMLTable {
        var table = TOMLTable()
        for key in keys {
            guard let entry = entries[key] else { continue }
            let line = lines[key] ?? 0
            switch entry {
            case .value(let value): table.set(key, value, line: line)
            case .table(let node): table.set(key, .table(node.table()), line: line)
            case .tableArray(let nodes): table.set(key, .array(nodes.map { .table($0.table()) }), line: line)
            }
        }
        return table
    }
}
