import Foundation
import HawserTestSupport

/// A containerd daemon of its own: root, state and socket under a temporary
/// folder, the CRI plugin (and plugins that need kernel features or write
/// outside that folder) disabled. It runs in a private mount namespace and
/// gets SIGKILL when the test process dies (setpriv --pdeathsig, unshare
/// --kill-child); `stop()` ends it earlier, and every wait is bounded.
final class ContainerdDaemon: @unchecked Sendable {
    let binaries: ContainerdBinaries
    let socket: String
    let directory: TemporaryDirectory
    /// `ctr version`'s server version, e.g. `1.6.20~ds1` or `v2.1.9`.
    let version: String
    private let process: Process
    private let parent: ParentThread
    private let lock = NSLock()
    private var stopped = false

    private init(binaries: ContainerdBinaries, socket: String, directory: TemporaryDirectory, version: String, process: Process,
                 parent: ParentThread) {
        self.binaries = binaries
        self.socket = socket
        self.directory = directory
        self.version = version
        self.process = process
        self.parent = parent
    }

    static let disabledPlugins = [
        "io.containerd.grpc.v1.cri", "io.containerd.cri.v1.images", "io.containerd.cri.v1.runtime",
        "io.containerd.podsandbox.controller.v1.podsandbox", "io.containerd.sandbox.controller.v1.shim",
        "io.containerd.internal.v1.opt", "io.containerd.nri.v1.nri",
        "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper",
        "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.blockfile", "io.containerd.snapshotter.v1.erofs",
        "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing",
    ]

    static func start(_ binaries: ContainerdBinaries) async throws -> ContainerdDaemon {
        guard getuid() == 0 else {
            throw TestSupportError("the containerd oracle needs root (containerd mounts and owns its root folder); run scripts/test as root")
        }
        let directory = try TemporaryDirectory("hawser-ctrd")
        let socket = directory.file("containerd.sock")
        // 1.x reads version 2; 2.x reads 3 (and would migrate 2).
        let configVersion = binaries.major >= 2 ? 3 : 2
        let config = """
        version = \(configVersion)
        root = "\(directory.file("root"))"
        state = "\(directory.file("state"))"
        disabled_plugins = [\(disabledPlugins.map { "\"\($0)\"" }.joined(separator: ", "))]

        [grpc]
          address = "\(socket)"

        [ttrpc]
          address = "\(socket).ttrpc"

        """ + (binaries.major >= 2 ? """

        # The transfer service (ctr without --local) unpacks only where configured.
        [[plugins."io.containerd.transfer.v1.local".unpack_config]]
          platform = "linux/amd64"
          snapshotter = "native"

        """ : "")
        let configPath = directory.file("config.toml")
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)
        let logPath = directory.file("containerd.log")
        FileManager.default.createFile(atPath: logPath, contents: nil)
        guard let logHandle = FileHandle(forWritingAtPath: logPath) else { throw TestSupportError("cannot write \(logPath)") }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        process.arguments = ["--pdeathsig", "KILL", "--", "/usr/bin/unshare", "--mount", "--propagation", "private", "--fork",
                             "--kill-child=SIGKILL", "--", binaries.containerd, "--config", configPath]
        process.standardOutput = logHandle
        process.standardError = logHandle
        process.standardInput = FileHandle.nullDevice
        let parent = ParentThread()
        try parent.spawn(process)
        try? logHandle.close()

        // Up when `ctr version` answers: at most 40 tries, 10 s.
        var version: String?
        for _ in 0..<40 {
            if !process.isRunning { break }
            if FileManager.default.fileExists(atPath: socket),
               let result = try? await BoundedProcess.run(binaries.ctr, ["--address", socket, "version"], timeout: 5), result.status == 0 {
                version = Self.serverVersion(result.stdout)
                break
            }
            try await Task.sleep(for: .milliseconds(250))
        }
        guard let version else {
            process.terminate()
            parent.finish()
            let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            throw TestSupportError("containerd (\(binaries.containerd)) did not come up within 10 s; its log:\n\(log.suffix(3000))")
        }
        return ContainerdDaemon(binaries: binaries, socket: socket, directory: directory, version: version, process: process, parent: parent)
    }

    /// `Server:\n  Version:  1.6.20~ds1` -> `1.6.20~ds1`.
    static func serverVersion(_ output: String) -> String? {
        guard let server = output.range(of: "Server:") else { return nil }
        for line in output[server.upperBound...].split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("Version:") {
                return trimmed.dropFirst("Version:".count).trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }

    /// `ctr images pull` of `image`, client-side resolution with `--hosts-dir` (2.x: `--local`).
    /// - Parameter transfer: 2.x only: through the daemon's transfer service (no `--local`), the
    ///   path CRI takes by default since 2.1; the hosts folder is then read by the daemon.
    func pull(image: String, hostsDir: String, namespace: String, transfer: Bool = false, timeout: TimeInterval = 30) async throws -> BoundedProcess.Result {
        var arguments = ["--address", socket, "--namespace", namespace, "images", "pull", "--snapshotter", "native", "--hosts-dir", hostsDir]
        if binaries.major >= 2, !transfer { arguments.append("--local") }
        arguments.append(image)
        return try await BoundedProcess.run(binaries.ctr, arguments, timeout: timeout)
    }

    func stop() {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { return }
        stopped = true
        if process.isRunning {
            process.terminate()
            let deadline = Date().addingTimeInterval(5)
            while process.isRunning, Date() < deadline { usleep(50_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        parent.finish()
        directory.remove()
    }

    deinit { stop() }
}

/// Where containerd and ctr come from: Debian's package, or a folder of upstream builds (HAWSER_ORACLE_BIN).
struct ContainerdBinaries: Sendable {
    let containerd: String
    let ctr: String
    /// From `containerd --version`, e.g. 1 for `1.6.20~ds1`, 2 for `v2.1.9`.
    let major: Int

    static func fromEnvironment() throws -> ContainerdBinaries {
        let folder = ProcessInfo.processInfo.environment["HAWSER_ORACLE_BIN"]
        let containerd = folder.map { "\($0)/containerd" } ?? "/usr/bin/containerd"
        let ctr = folder.map { "\($0)/ctr" } ?? "/usr/bin/ctr"
        for path in [containerd, ctr] where !FileManager.default.isExecutableFile(atPath: path) {
            throw TestSupportError(folder == nil
                ? "\(path) is missing: install it with `apt-get install -y containerd` (the oracle suite runs real containerd)"
                : "\(path) is missing (HAWSER_ORACLE_BIN=\(folder ?? ""))")
        }
        let output = try Tools.run(containerd, ["--version"])
        // "containerd github.com/containerd/containerd 1.6.20~ds1 ..." / "containerd github.com/containerd/containerd/v2 v2.1.9 <rev>"
        let words = output.split(separator: " ")
        let versionWord = words.count >= 3 ? String(words[2]) : ""
        let digits = versionWord.drop { $0 == "v" }
        guard let major = Int(digits.prefix { $0.isNumber }) else { throw TestSupportError("cannot read the version in: \(output)") }
        return ContainerdBinaries(containerd: containerd, ctr: ctr, major: major)
    }
}
