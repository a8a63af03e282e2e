import HawserCore

/// Progress of a pull or push, for a display. Sent from many tasks at once.
public enum TransferEvent: Sendable {
    /// An attempt is about to be made.
    case attemptStarted(Attempt, url: String)
    case attemptFinished(AttemptReport)
    /// The manifest is known: these blobs make up the image (or, for an index
    /// being pushed, one of its images). Sent before any of them moves, so a
    /// display can show the whole size from the start.
    case blobsPlanned([Descriptor])
    /// A blob (config, layer or manifest) will be transferred.
    case blobStarted(Descriptor)
    /// `bytes` more bytes of the blob moved.
    case blobProgress(Digest, bytes: Int)
    case blobFinished(Digest)
    /// Already present at the destination: not transferred.
    case blobSkipped(Descriptor)
}

/// Receives `TransferEvent`s; must be cheap (it is called per received chunk).
public typealias TransferObserver = @Sendable (TransferEvent) -> Void
