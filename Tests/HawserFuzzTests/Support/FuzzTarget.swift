/// One parser under fuzzing: valid seeds to mutate, generators that build
/// hostile structure directly (deep nesting, huge numbers), and what to run.
struct FuzzTarget: Sendable {
    let name: String
    let seeds: [[UInt8]]
    let tokens: [[UInt8]]
    /// Structure-aware generators: each makes one input from the generator state.
    let generators: [@Sendable (inout FuzzRandom) -> [UInt8]]
    /// Runs the code under test on one input. Throwing is fine; crashing is the bug.
    let run: @Sendable ([UInt8]) -> Void

    /// Inputs are cut at 256 KiB: enough for any nesting attack, and a debug
    /// build parses it in milliseconds.
    static let maximumInputSize = 256 << 10

    /// The input for one iteration: three in four are mutated seeds, the rest generated.
    func input(_ random: inout FuzzRandom) -> [UInt8] {
        let bytes = generators.isEmpty || random.chance(75)
            ? Mutator(seeds: seeds, tokens: tokens).mutate(&random)
            : random.pick(generators)(&random)
        return bytes.count > Self.maximumInputSize ? Array(bytes.prefix(Self.maximumInputSize)) : bytes
    }
}
