/// Runs one piece of work per key at a time: callers asking for a key already
/// being worked on wait for that work's result instead of starting their own
/// (one upstream request for N clients asking the same manifest at once).
actor SingleFlight<Value: Sendable> {
    private var running: [String: Task<Value, any Error>] = [:]

    func run(_ key: String, _ work: @escaping @Sendable () async throws -> Value) async throws -> Value {
        if let task = running[key] { return try await task.value }
        let task = Task { try await work() }
        running[key] = task
        defer { running[key] = nil }
        return try await task.value
    }
}
