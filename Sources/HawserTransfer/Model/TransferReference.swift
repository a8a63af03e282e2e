import Foundation
import HawserCore

/// One side of `hawser copy` as written: a registry reference
/// (`host/repo:tag`, `…@sha256:…`) or an OCI layout, `oci:DIR[:NAME]`.
public enum TransferReference: Sendable, Hashable, CustomStringConvertible {
    case registry(ImageReference)
    case layout(path: String, name: String?)

    public init(parsing text: String) throws(ReferenceError) {
        guard text.hasPrefix("oci:") else {
            self = .registry(try ImageReference(parsing: text))
            return
        }
        let rest = String(text.dropFirst(4))
        guard !rest.isEmpty else {
            throw ReferenceError(.empty, input: text, reason: "oci: needs a folder, as oci:DIR or oci:DIR:NAME")
        }
        // An existing folder whose name holds a colon is taken whole.
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: rest, isDirectory: &isDirectory), isDirectory.boolValue {
            self = .layout(path: rest, name: nil)
            return
        }
        if let colon = rest.lastIndex(of: ":") {
            let name = String(rest[rest.index(after: colon)...])
            if !name.isEmpty, !name.contains("/") {
                self = .layout(path: String(rest[..<colon]), name: name)
                return
            }
        }
        self = .layout(path: rest, name: nil)
    }

    public var description: String {
        switch self {
        case .registry(let image): image.description
        case .layout(let path, let name): "oci:\(path)" + (name.map { ":\($0)" } ?? "")
        }
    }
}
