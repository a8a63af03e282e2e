import Foundation
import HawserCore
import HawserRegistry
import Synchronization

/// Live progress of a pull or push on stderr, redrawn five times a second:
/// the host being tried (and why the one before failed) as lines that stay,
/// then one line per blob moving and the total with rate and time left
/// (`TransferProgress`). The final state stays on screen. Only on a terminal
/// and without `--quiet`; otherwise `observer` is nil and nothing is drawn.
final class ProgressDisplay: Sendable {
    private struct State {
        var progress: TransferProgress
        var linesDrawn = 0
        let started = ContinuousClock.now
    }

    private let state: Mutex<State>
    private let renderer = Mutex<Task<Void, Never>?>(nil)

    init(verb: String, image: String) {
        state = Mutex(State(progress: TransferProgress(verb: verb, image: image)))
    }

    /// A display when stderr is a terminal and output is wanted, else nil.
    static func make(verb: String, image: String, quiet: Bool) -> ProgressDisplay? {
        guard !quiet, Terminal.stderrIsTTY else { return nil }
        return ProgressDisplay(verb: verb, image: image)
    }

    var observer: TransferObserver {
        { [self] event in state.withLock { $0.progress.apply(event) } }
    }

    func start() {
        let task = Task { [self] in
            while !Task.isCancelled {
                draw()
                try? await Task.sleep(for: .milliseconds(200))
            }
        }
        renderer.withLock { $0 = task }
    }

    /// Draws the final state and stops redrawing; the last lines stay.
    func finish() {
        renderer.withLock { task in
            task?.cancel()
            task = nil
        }
        draw()
    }

    private func draw() {
        let text: String = state.withLock { state in
            let elapsed = ContinuousClock.now - state.started
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let messages = state.progress.takeMessages()
            let live = state.progress.lines(elapsed: seconds)
            // Up over the live lines, then the messages (they stay), then the live lines again.
            var output = state.linesDrawn > 0 ? "\u{1B}[\(state.linesDrawn)A" : ""
            output += (messages + live).map { "\u{1B}[2K" + $0 + "\n" }.joined()
            // Lines left over from a taller block before are cleared.
            let leftover = state.linesDrawn - messages.count - live.count
            if leftover > 0 {
                output += String(repeating: "\u{1B}[2K\n", count: leftover) + "\u{1B}[\(leftover)A"
            }
            state.linesDrawn = live.count
            return output
        }
        Terminal.writeError(text)
    }
}
