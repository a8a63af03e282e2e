import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A crash kills the test process, so the harness cannot report it afterwards.
/// Before each input runs, its bytes and a line naming target, seed and
/// iteration are copied into memory set aside here; on SIGSEGV, SIGBUS,
/// SIGILL, SIGTRAP, SIGFPE or SIGABRT a handler (on its own stack, so a stack
/// overflow can report too) writes the line to stderr and the input to a file,
/// with only async-signal-safe calls, then restores the previous handler and
/// returns, so the fault repeats and the usual crash report follows.
enum CrashReporter {
    static let signals: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE, SIGABRT]

    /// Where the input that crashed is written.
    static let inputPath = FileManager.default.temporaryDirectory.appendingPathComponent("hawser-fuzz-crash-\(getpid()).bin").path

    /// Installs the handlers and an alternate stack for this thread; `body`
    /// runs the fuzz loop (synchronously, on this thread). The previous
    /// handlers and stack are restored afterwards.
    static func guarding<T>(_ body: () throws -> T) rethrows -> T {
        let stackSize = 1 << 16
        let stack = UnsafeMutableRawPointer.allocate(byteCount: stackSize, alignment: 16)
        var alternate = stack_t()
        alternate.ss_sp = stack
        alternate.ss_size = stackSize
        alternate.ss_flags = 0
        var previousStack = stack_t()
        sigaltstack(&alternate, &previousStack)
        CrashState.prepare(path: inputPath)
        for signal in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = crashHandler
            action.sa_flags = Int32(SA_ONSTACK)
            sigemptyset(&action.sa_mask)
            sigaction(signal, &action, CrashState.previous + Int(signal))
        }
        defer {
            for signal in signals { sigaction(signal, CrashState.previous + Int(signal), nil) }
            sigaltstack(&previousStack, nil)
            stack.deallocate()
        }
        return try body()
    }

    /// Records what is about to run: the line printed on a crash, and the input.
    static func willRun(target: String, seed: UInt64, iteration: Int, input: [UInt8]) {
        let line = "\nhawser fuzz: CRASH in target \(target), seed 0x\(String(seed, radix: 16)), iteration \(iteration); "
            + "the input is saved in \(inputPath). Reproduce: HAWSER_FUZZ_SEED=0x\(String(seed, radix: 16)) HAWSER_FUZZ_ITERATIONS=\(iteration + 1) "
            + "scripts/test --filter HawserFuzzTests; then copy the file to Tests/HawserFuzzTests/Fixtures/crashes/\(target)/\n"
        CrashState.record(line: Array(line.utf8), input: input)
    }
}

/// Memory the signal handler reads: written only between inputs, by the one
/// thread running the (serialized) fuzz loop.
enum CrashState {
    nonisolated(unsafe) static var line = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 1024)
    nonisolated(unsafe) static var lineLength = 0
    nonisolated(unsafe) static var input = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: FuzzTarget.maximumInputSize)
    nonisolated(unsafe) static var inputLength = 0
    nonisolated(unsafe) static var path = UnsafeMutableBufferPointer<CChar>.allocate(capacity: 1024)
    nonisolated(unsafe) static var previous: UnsafeMutablePointer<sigaction> = {
        let actions = UnsafeMutablePointer<sigaction>.allocate(capacity: 65)
        actions.initialize(repeating: sigaction(), count: 65)
        return actions
    }()
    nonisolated(unsafe) static var armed = false

    static func prepare(path text: String) {
        let bytes = Array(text.utf8CString.prefix(path.count - 1)) + [0]
        for (index, byte) in bytes.enumerated() { path[index] = byte }
    }

    static func record(line text: [UInt8], input bytes: [UInt8]) {
        armed = false
        lineLength = min(text.count, line.count)
        text.withUnsafeBytes { source in
            if let base = source.baseAddress, let target = line.baseAddress { target.update(from: base.assumingMemoryBound(to: UInt8.self), count: lineLength) }
        }
        inputLength = min(bytes.count, input.count)
        bytes.withUnsafeBytes { source in
            if let base = source.baseAddress, let target = input.baseAddress { target.update(from: base.assumingMemoryBound(to: UInt8.self), count: inputLength) }
        }
        armed = true
    }
}

nonisolated(unsafe) private let crashHandler: @convention(c) (Int32) -> Void = { signal in
    if CrashState.armed {
        CrashState.armed = false
        _ = write(2, CrashState.line.baseAddress, CrashState.lineLength)
        if let path = CrashState.path.baseAddress, case let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644), descriptor >= 0 {
            _ = write(descriptor, CrashState.input.baseAddress, CrashState.inputLength)
            close(descriptor)
        }
    }
    sigaction(signal, CrashState.previous + Int(signal), nil)
}
