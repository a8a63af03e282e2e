// libyaml itself, through Yams's C module: its event parser is iterative
// (explicit stacks on the heap), unlike Yams's composer.
internal import CYaml

/// Bounds how deeply a registries.yaml nests before Yams composes it.
///
/// Yams builds the node tree recursively (and Swift releases it recursively),
/// so a small file nested thousands of levels deep (`[[[[…`, `- - - …`)
/// overflows the stack and kills the process. This check runs libyaml's event
/// parser, which keeps its state on the heap, and counts the collections open:
/// exact, and with no recursion. A syntax error stops the count: Yams then
/// reports that error, having nested no deeper than the count reached.
enum YAMLNestingCheck {
    struct Excess: Equatable, Sendable {
        /// 1-based.
        let line: Int
        /// 1-based.
        let column: Int
    }

    /// Where nesting first goes past `limit` (the collection that opens one
    /// level too many), or nil.
    static func firstExcess(in text: String, limit: Int) -> Excess? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return Excess(line: 1, column: 1) }
        defer { yaml_parser_delete(&parser) }
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { buffer -> Excess? in
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var depth = 0
            // Every event consumes input, and no construct yields more than a few
            // events per byte: the bound is never reached by real text. If it were,
            // refusing is the safe answer.
            for _ in 0..<(bytes.count * 4 + 64) {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
                defer { yaml_event_delete(&event) }
                switch event.type {
                case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                    depth += 1
                    if depth > limit {
                        return Excess(line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
                    }
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    depth -= 1
                case YAML_STREAM_END_EVENT:
                    return nil
                default:
                    break
                }
            }
            return Excess(line: 1, column: 1)
        }
    }
}
