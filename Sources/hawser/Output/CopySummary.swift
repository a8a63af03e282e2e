import HawserCore
import HawserRegistry
import HawserTransfer

/// The `--json` document of `hawser copy` (`hawser.copy/v1`, docs/json.md).
struct CopySummary: Encodable {
    struct Blobs: Encodable {
        let uploaded: Int
        let mounted: Int
        let present: Int
    }

    struct ErrorEntry: Encodable {
        let code: String
        let message: String
        /// `source` or `destination`, when the failure is on one side.
        let side: String?
        /// The registry host or layout folder of that side.
        let location: String?
        let status: Int?
        let url: String?

        init(_ error: any Error) {
            var place: TransferPlace?
            var underlying: any Error = error
            if let transfer = error as? TransferError {
                place = transfer.place
                underlying = transfer.underlying
            }
            side = place?.side.rawValue
            location = place?.location
            switch underlying {
            case let registry as RegistryError:
                code = registry.code.rawValue
                status = registry.status
                url = registry.url
            case let content as ContentError:
                code = content.code.rawValue
                status = nil
                url = nil
            case let store as StoreError:
                code = store.code.rawValue
                status = nil
                url = nil
            case let config as ConfigError:
                code = config.code.rawValue
                status = nil
                url = nil
            case let reference as ReferenceError:
                code = reference.code.rawValue
                status = nil
                url = nil
            default:
                code = "hawser.error"
                status = nil
                url = nil
            }
            message = "\(error)"
        }
    }

    let schema = "hawser.copy/v1"
    let source: String
    let destination: String
    var digest: String?
    var mediaType: String?
    var manifests: Int?
    var size: Int64?
    var transferredBytes: Int64?
    var blobs: Blobs?
    var referrers: Int?
    var error: ErrorEntry?

    init(source: String, destination: String, result: CopyResult) {
        self.source = source
        self.destination = destination
        digest = result.manifest.digest.description
        mediaType = result.manifest.mediaType
        manifests = result.manifests
        size = result.totalSize
        transferredBytes = result.transferredBytes
        blobs = Blobs(uploaded: result.uploadedBlobs, mounted: result.mountedBlobs, present: result.presentBlobs)
        referrers = result.referrers
    }

    init(source: String, destination: String, error: any Error) {
        self.source = source
        self.destination = destination
        self.error = ErrorEntry(error)
    }
}
