import NIOCore
import Synchronization
import HawserTestSupport

/// Holds the requests it matches unanswered until `count` of them wait at once
/// (or `timeout` passes since the first), then answers them all and lets later
/// ones through. `peak` is then how many requests the client really had in
/// flight at the same time.
final class RequestGate: Sendable {
    private struct State {
        var held: [@Sendable () -> Void] = []
        var peak = 0
        var open = false
    }

    let count: Int
    let timeout: TimeAmount
    let matches: @Sendable (TestHTTPServer.Request) -> Bool
    private let state = Mutex(State())

    init(count: Int, timeout: TimeAmount = .seconds(2), matching matches: @escaping @Sendable (TestHTTPServer.Request) -> Bool) {
        self.count = count
        self.timeout = timeout
        self.matches = matches
    }

    var peak: Int { state.withLock { $0.peak } }

    /// Holds `respond` (or runs it at once when the gate has opened).
    func hold(on loop: any EventLoop, _ respond: @escaping @Sendable () -> Void) {
        let (release, isFirst): ([@Sendable () -> Void], Bool) = state.withLock { state in
            if state.open { return ([respond], false) }
            state.held.append(respond)
            state.peak = max(state.peak, state.held.count)
            guard state.held.count >= count else { return ([], state.held.count == 1) }
            return (openAll(&state), false)
        }
        release.forEach { $0() }
        if isFirst {
            loop.scheduleTask(in: timeout) { [self] in
                state.withLock { openAll(&$0) }.forEach { $0() }
            }
        }
    }

    private func openAll(_ state: inout State) -> [@Sendable () -> Void] {
        state.open = true
        defer { state.held = [] }
        return state.held
    }
}
