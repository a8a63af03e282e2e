/// SplitMix64: a small, fast, seedable generator. The same seed gives the same
/// inputs on every machine, so any failure is reproducible from its seed.
struct FuzzRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// 0..<bound (bound > 0).
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(1, bound))) }

    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }

    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    /// A size that is usually small and sometimes large: structure-aware
    /// generators use it for nesting depths and repetition counts.
    mutating func size(max: Int) -> Int {
        switch below(4) {
        case 0: below(8)
        case 1: below(64)
        case 2: below(1024)
        default: below(max)
        }
    }
}
