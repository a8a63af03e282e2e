/// Where the bytes of a blob being copied come from: a file (an OCI layout's
/// blob, read again for each attempt) or a one-shot stream (a source registry's
/// response body, opened again by the copier for a retry).
public enum BlobBody: Sendable {
    case file(path: String, offset: Int64, length: Int64)
    case stream(ByteStream)

    public var length: Int64 {
        switch self {
        case .file(_, _, let length): length
        case .stream(let stream): stream.length
        }
    }
}
