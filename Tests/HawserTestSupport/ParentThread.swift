import Foundation

/// A thread that spawns a child process and then lives until told to finish.
/// `setpriv --pdeathsig` kills the child when the *thread* that forked it exits,
/// not the process, and the concurrency pool's threads come and go: a registry
/// spawned from one was killed a few seconds later, mid-test, when that thread
/// was reaped (seen under load as "connection refused" from a registry whose
/// log said it was listening). This thread lives as long as the child should.
public final class ParentThread: @unchecked Sendable {
    private let spawned = DispatchSemaphore(value: 0)
    private let release = DispatchSemaphore(value: 0)
    private var error: (any Error)?

    public init() {}

    /// Runs `process` from this thread; returns once it has started.
    public func spawn(_ process: Process) throws {
        let thread = Thread { [self] in
            do { try process.run() } catch { self.error = error }
            spawned.signal()
            if self.error == nil { release.wait() }
        }
        thread.start()
        spawned.wait()
        if let error { throw error }
    }

    /// Lets the thread end (after the child was stopped).
    public func finish() { release.signal() }
}
