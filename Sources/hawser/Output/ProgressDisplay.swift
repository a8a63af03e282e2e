import Foundation
import HawserCore
import HawserRegistry
import Synchronization

/// Live progress of a pull or push on stderr: one line per blob in flight and a
/// total with the rate. Only on a terminal and without `--quiet`; otherwise
/// `observer` is nil and nothing is drawn.
final class ProgressDisplay: Sendable {
    private struct Blob {
        let descriptor: Descriptor
        var done: Int64 = 0
        var finished = false
    }

    private struct State {
        var blobs: [Digest: Blob] = [:]
        var order: [Digest] = []
        var skipped = 0
        var linesDrawn = 0
        var started = ContinuousClock.now
    }

    private let verb: String
    private let state = Mutex(State())
    private let renderer = Mutex<Task<Void, Never>?>(nil)

    init(verb: String) {
        self.verb = verb
    }

    /// A display when stderr is a terminal and output is wanted, else nil.
    static func make(verb: String, quiet: Bool) -> ProgressDisplay? {
        guard !quiet, Terminal.stderrIsTTY else { return nil }
        return ProgressDisplay(verb: verb)
    }

    var observer: TransferObserver {
        { [self] event in handle(event) }
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

    /// Draws the final state and stops redrawing.
    func finish() {
        renderer.withLock { task in
            task?.cancel()
            task = nil
        }
        draw()
    }

    private func handle(_ event: TransferEvent) {
        state.withLock { state in
            switch event {
            case .blobStarted(let descriptor):
                if state.blobs[descriptor.digest] == nil { state.order.append(descriptor.digest) }
                state.blobs[descriptor.digest] = Blob(descriptor: descriptor)
            case .blobProgress(let digest, let bytes):
                if let done = state.blobs[digest]?.done { state.blobs[digest]?.done = done.saturatingAdding(Int64(bytes)) }
            case .blobFinished(let digest):
                if let size = state.blobs[digest]?.descriptor.size { state.blobs[digest]?.done = size }
                state.blobs[digest]?.finished = true
            case .blobSkipped:
                state.skipped += 1
            case .attemptStarted, .attemptFinished:
                break
            }
        }
    }

    private func draw() {
        let text: String = state.withLock { state in
            var lines: [String] = []
            var done: Int64 = 0, total: Int64 = 0
            for digest in state.order {
                guard let blob = state.blobs[digest] else { continue }
                // Sizes come from the registry: added without trapping (issue 10, row 1).
                done = done.saturatingAdding(max(0, min(blob.done, blob.descriptor.size)))
                total = total.saturatingAdding(max(0, blob.descriptor.size))
                let mark = blob.finished ? "done" : ProgressFormat.percent(blob.done, of: blob.descriptor.size)
                lines.append("  \(ProgressFormat.shortDigest(digest))  \(ProgressFormat.bytes(blob.done)) / \(ProgressFormat.bytes(blob.descriptor.size))  \(mark)")
            }
            let elapsed = ContinuousClock.now - state.started
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let rate = seconds > 0 ? Double(done) / seconds : 0
            let skipped = state.skipped > 0 ? ", \(state.skipped) already there" : ""
            lines.append("\(verb): \(ProgressFormat.bytes(done)) / \(ProgressFormat.bytes(total))  \(ProgressFormat.bytes(Int64(rate)))/s\(skipped)")
            var output = state.linesDrawn > 0 ? "\u{1B}[\(state.linesDrawn)A" : ""
            output += lines.map { "\u{1B}[2K" + $0 + "\n" }.joined()
            state.linesDrawn = lines.count
            return output
        }
        Terminal.writeError(text)
    }
}
