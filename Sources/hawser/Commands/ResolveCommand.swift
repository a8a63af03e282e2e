import ArgumentParser
import Foundation
import HawserCore

struct ResolveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resolve",
        abstract: "Show the ordered endpoints containerd would try for an image: URL, scheme, TLS, credentials, rewrites, and why.")

    @Argument(help: "Image reference, e.g. nginx, docker.io/library/nginx:1.27, harbor.example.com:80/library/app@sha256:…")
    var image: String

    @OptionGroup var source: PlanSourceOptions

    @OptionGroup var containerd: ContainerdOptions

    @Flag(name: .long, help: "Print the plan as JSON (schema hawser.plan/v1, see docs/json.md).")
    var json = false

    func run() throws {
        let reference = try ImageReference(parsing: image)
        let configuration = try source.load()
        let plans = try configuration.plans(for: reference)
        let plan = plans.plan(try containerd.resolved(detected: source.nodeContainerd()))
        let notes = PlanNotes.notes(for: plan)
        let versionNotes = PlanVariants.notes(for: plan, planning: plans.plan)
        if json {
            try JSONOutput.print(PlanDocument(plan: plan, credentials: configuration.credentials(forKey:), notes: notes, versionNotes: versionNotes))
        } else {
            print(PlanPrinter(plan: plan, configuration: configuration, notes: notes, versionNotes: versionNotes).text, terminator: "")
        }
    }
}
