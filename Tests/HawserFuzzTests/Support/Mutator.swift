/// Byte-level mutations of valid seeds: flips, insertions, deletions,
/// duplications, splices with another seed, and the target's own tokens.
struct Mutator {
    let seeds: [[UInt8]]
    /// Fragments meaningful to the target (`[[`, `": "`, `9223372036854775808`…).
    let tokens: [[UInt8]]

    static let interestingBytes: [UInt8] = [0x00, 0x09, 0x0A, 0x0D, 0x20, 0x22, 0x27, 0x2C, 0x2D, 0x2E, 0x3A, 0x3D,
                                            0x5B, 0x5C, 0x5D, 0x7B, 0x7D, 0x23, 0x2A, 0x26, 0x7F, 0x80, 0xC3, 0xFF]

    func mutate(_ random: inout FuzzRandom) -> [UInt8] {
        var bytes = seeds.isEmpty ? [] : random.pick(seeds)
        let rounds = 1 + random.below(random.chance(20) ? 16 : 4)
        for _ in 0..<rounds { step(&bytes, &random) }
        return bytes
    }

    private func step(_ bytes: inout [UInt8], _ random: inout FuzzRandom) {
        let position = random.below(bytes.count + 1)
        switch random.below(9) {
        case 0 where !bytes.isEmpty: // flip a bit
            let index = random.below(bytes.count)
            bytes[index] ^= UInt8(1 << random.below(8))
        case 1 where !bytes.isEmpty: // replace a byte
            bytes[random.below(bytes.count)] = random.chance(50) ? random.pick(Self.interestingBytes) : UInt8(truncatingIfNeeded: random.next())
        case 2: // insert bytes
            let count = 1 + random.below(8)
            bytes.insert(contentsOf: (0..<count).map { _ in random.pick(Self.interestingBytes) }, at: position)
        case 3 where !bytes.isEmpty: // delete a range
            let length = 1 + random.below(min(bytes.count - min(position, bytes.count - 1), 32))
            let start = min(position, bytes.count - 1)
            bytes.removeSubrange(start..<min(bytes.count, start + length))
        case 4 where !bytes.isEmpty: // duplicate a range, sometimes many times
            let start = random.below(bytes.count)
            let length = 1 + random.below(min(bytes.count - start, 64))
            let chunk = Array(bytes[start..<(start + length)])
            let times = random.chance(10) ? random.size(max: 4096) : 1 + random.below(4)
            var repeated: [UInt8] = []
            for _ in 0..<times { repeated += chunk }
            bytes.insert(contentsOf: repeated, at: random.below(bytes.count + 1))
        case 5 where seeds.count > 1: // splice: our head, another seed's tail
            let other = random.pick(seeds)
            let cut = random.below(bytes.count + 1)
            let otherCut = random.below(other.count + 1)
            bytes = Array(bytes[..<cut]) + Array(other[otherCut...])
        case 6...7 where !tokens.isEmpty: // a target token
            let token = random.pick(tokens)
            let times = random.chance(5) ? random.size(max: 2048) : 1
            var inserted: [UInt8] = []
            for _ in 0..<times { inserted += token }
            bytes.insert(contentsOf: inserted, at: position)
        default: // truncate
            if !bytes.isEmpty { bytes.removeSubrange(random.below(bytes.count)...) }
        }
    }
}
