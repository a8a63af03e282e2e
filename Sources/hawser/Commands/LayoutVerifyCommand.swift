import ArgumentParser
import Foundation
import HawserRegistry

struct LayoutVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Hash every blob of a layout, check every index.json entry resolves, list what killed pulls left.",
        discussion: """
        Exit status: 0 when the layout is sound (or --repair fixed all it found), 1 when problems remain, 2 when \
        DIR is not a layout. --repair removes what is corrupt (blobs whose bytes do not match their digest, symlinks \
        and folders in blobs/, stray files, leftovers of killed pulls); an image that then misses a blob is listed, \
        and pulling it again restores it.
        """)

    @Argument(help: "The OCI image layout directory.")
    var directory: String

    @Flag(name: .long, help: "Remove what is corrupt (see above).")
    var repair = false

    func run() async throws {
        let layout: OCILayout
        do {
            layout = try OCILayout(openingAt: directory)
        } catch {
            Terminal.error("hawser layout verify: \(UserFacingError.text(error) ?? "\(error)")")
            throw ExitCode(2)
        }
        let report = try await layout.verifyAll(repair: repair)
        var text = ""
        for problem in report.problems {
            text += "\(problem.path): \(problem.kind.rawValue): \(problem.detail)\(problem.repaired ? " (removed)" : "")\n"
        }
        text += "\(report.blobsChecked) blob(s) hashed (\(ProgressText.bytes(report.bytesHashed))), \(report.entriesChecked) index entr\(report.entriesChecked == 1 ? "y" : "ies") checked: "
        let remaining = report.problems.filter { !$0.repaired }.count
        let repaired = report.problems.count - remaining
        text += report.problems.isEmpty ? "clean\n" : "\(report.problems.count) problem(s)\(repaired > 0 ? ", \(repaired) repaired" : "")\(remaining > 0 ? ", \(remaining) left" : "")\n"
        print(text, terminator: "")
        if !report.isClean {
            if !repair { Terminal.error("hawser layout verify: problems found; --repair removes what is corrupt, then pull the images again") }
            throw ExitCode(1)
        }
    }
}
