import HawserCore

/// What a progress display shows of a pull or push, built from its
/// `TransferEvent`s: the whole size as soon as the manifest is known (not only
/// the blobs started so far), which host is being tried and why the last one
/// failed, the rate and the time left. A value type with no clock or terminal
/// of its own, so it can be tested event by event.
public struct TransferProgress: Sendable {
    /// "pull", "push" or "copy".
    public let verb: String
    /// What moves, in words: an image reference, or "SOURCE → DESTINATION".
    public let image: String

    private struct Blob: Sendable {
        let descriptor: Descriptor
        var done: Int64 = 0
        var moving = false
        var finished = false
    }

    private var blobs: [Digest: Blob] = [:]
    private var order: [Digest] = []
    private var skipped = 0
    /// Bytes that moved over the network (not blobs already there): the rate's numerator.
    private var moved: Int64 = 0
    /// Lines to print once, above the live lines (a host tried, a host failed).
    private var messages: [String] = []

    public init(verb: String, image: String) {
        self.verb = verb
        self.image = image
    }

    public mutating func apply(_ event: TransferEvent) {
        switch event {
        case .attemptStarted(let attempt, _):
            let direction = verb == "push" ? "to" : "from"
            messages.append("\(verb == "push" ? "Pushing" : "Pulling") \(image) \(direction) \(attempt.endpoint) (\(attempt.reason), \(Self.scheme(attempt.transport)))")
        case .attemptFinished(let report):
            if let error = report.error {
                messages.append("  \(report.endpoint) failed: \(error.reason)\(error.status.map { " (HTTP \($0))" } ?? ""); trying the next host")
            }
        case .blobsPlanned(let planned):
            for descriptor in planned where blobs[descriptor.digest] == nil {
                blobs[descriptor.digest] = Blob(descriptor: descriptor)
                order.append(descriptor.digest)
            }
        case .blobStarted(let descriptor):
            if blobs[descriptor.digest] == nil { order.append(descriptor.digest) }
            var blob = blobs[descriptor.digest] ?? Blob(descriptor: descriptor)
            // A retry after a failed host starts again from zero.
            blob.done = 0
            blob.moving = true
            blobs[descriptor.digest] = blob
        case .blobProgress(let digest, let bytes):
            guard var blob = blobs[digest] else { return }
            blob.done = blob.done.saturatingAdding(Int64(bytes))
            blobs[digest] = blob
            moved = moved.saturatingAdding(Int64(bytes))
        case .blobFinished(let digest):
            guard var blob = blobs[digest] else { return }
            blob.done = blob.descriptor.size
            blob.finished = true
            blob.moving = false
            blobs[digest] = blob
        case .blobSkipped(let descriptor):
            if blobs[descriptor.digest] == nil { order.append(descriptor.digest) }
            var blob = blobs[descriptor.digest] ?? Blob(descriptor: descriptor)
            blob.done = descriptor.size
            blob.finished = true
            blobs[descriptor.digest] = blob
            skipped += 1
        }
    }

    private static func scheme(_ transport: TransportMode) -> String {
        switch transport {
        case .plainHTTP: "plain HTTP"
        case .https: "HTTPS"
        case .httpsThenHTTP: "HTTPS, then plain HTTP"
        }
    }

    /// The lines to print once (and forget), in order.
    public mutating func takeMessages() -> [String] {
        defer { messages.removeAll() }
        return messages
    }

    /// The live lines: one per blob moving, then the total with rate and time left.
    /// - Parameter seconds: time since the transfer started.
    public func lines(elapsed seconds: Double) -> [String] {
        var lines: [String] = []
        var done: Int64 = 0, total: Int64 = 0
        for digest in order {
            guard let blob = blobs[digest] else { continue }
            // Sizes come from the registry: added without trapping (issue 10, row 1).
            let size = max(0, blob.descriptor.size)
            done = done.saturatingAdding(max(0, min(blob.done, size)))
            total = total.saturatingAdding(size)
            if blob.moving {
                lines.append("  \(ProgressText.shortDigest(digest))  \(ProgressText.bytes(blob.done)) / \(ProgressText.bytes(size))  \(ProgressText.percent(blob.done, of: size))")
            }
        }
        let rate = seconds > 0 ? Double(moved) / seconds : 0
        var summary = "\(verb): \(ProgressText.bytes(done)) / \(ProgressText.bytes(total))"
        summary += "  \(ProgressText.bytes(Int64(rate)))/s"
        if total > done, rate > 0 {
            summary += "  \(ProgressText.duration(Double(total - done) / rate)) left"
        }
        if skipped > 0 { summary += "  (\(skipped) already there)" }
        if blobs.isEmpty { summary = "\(verb): resolving \(image)" }
        lines.append(summary)
        return lines
    }
}
