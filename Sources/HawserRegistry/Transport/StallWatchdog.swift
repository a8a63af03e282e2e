import Synchronization

/// Fails a transfer that stalls, as curl's `--speed-limit`/`--speed-time`: a
/// body that brings fewer than `minimumBytes` in any window of `window` is
/// stalled. A silent server is also caught by the pool's read timeout; this
/// catches the one that sends a byte now and then (issue 10, row 5: a blob at
/// 1 byte/s was still "downloading" after 100 s).
public struct StallWatchdog: Sendable {
    /// Progress below this per window is a stall: 1 KiB per 30 s is ~34 B/s.
    public static let minimumBytes: Int64 = 1024

    public let window: Duration
    private let counter = Counter()

    public init(window: Duration) {
        self.window = window
    }

    /// Bytes that arrived (called from the event loop).
    public func progressed(_ count: Int) { counter.add(count) }

    /// Returns when a window passes with too little progress (the stall), or
    /// throws CancellationError when the transfer ends first. Bounded: it gives
    /// up watching after `maximumWindows`, the whole-exchange deadline catches the rest.
    func watch(maximumWindows: Int = 100_000) async throws -> Int64 {
        var last = counter.value
        for _ in 0..<maximumWindows {
            try await Task.sleep(for: window)
            let now = counter.value
            if now - last < Self.minimumBytes { return now - last }
            last = now
        }
        try await Task.sleep(for: .seconds(86_400))
        return 0
    }

    /// Runs `transfer`, failing it with `stalled` when progress stops.
    func run<T: Sendable>(_ transfer: @escaping @Sendable () async throws -> T,
                          stalled: @escaping @Sendable (Int64) -> any Error) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await transfer() }
            group.addTask {
                let received = try await watch()
                throw stalled(received)
            }
            defer { group.cancelAll() }
            // The first to finish decides: the transfer's result, or the stall.
            guard let first = try await group.next(), let result = first else {
                throw CancellationError()
            }
            return result
        }
    }

    private final class Counter: Sendable {
        private let bytes = Atomic<Int64>(0)
        func add(_ count: Int) { bytes.add(Int64(count), ordering: .relaxed) }
        var value: Int64 { bytes.load(ordering: .relaxed) }
    }
}
