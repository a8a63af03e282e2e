import HawserCore
import HawserRegistry

/// Opens both sides of a copy from what the user wrote.
public enum TransferSides {
    /// The source and the reference to resolve there (a tag, a digest, or a layout name).
    /// A registry source feeding a registry destination does not hash the blobs
    /// it streams: the destination checks each digest on the closing PUT.
    public static func source(_ reference: TransferReference, to destination: TransferReference,
                              endpoints: RegistryEndpoints) throws -> (source: any ImageSource, reference: String) {
        switch reference {
        case .registry(let image):
            let toRegistry = if case .registry = destination { true } else { false }
            return (try endpoints.source(image, verifiesStreams: !toRegistry), image.manifestReference)
        case .layout(let path, let name):
            let layout = try OCILayout(openingAt: path)
            if let name { return (LayoutSource(layout: layout), name) }
            // No name: the layout's only image.
            return (LayoutSource(layout: layout), "")
        }
    }

    /// The destination and the tag the copied image gets there (nil: by digest only).
    /// A registry reference without a tag means `latest`, as everywhere; a layout
    /// without a name takes the source's tag, and needs one when there is none.
    public static func destination(_ reference: TransferReference, source: TransferReference,
                                   endpoints: RegistryEndpoints) throws -> (destination: any ImageDestination, tag: String?) {
        switch reference {
        case .registry(let image):
            return (try endpoints.destination(image), image.digest == nil ? image.tag : nil)
        case .layout(let path, let name):
            let layout = try OCILayout(creatingAt: path)
            var imageName: String?
            var sourceTag: String?
            switch source {
            case .registry(let image):
                imageName = image.description
                sourceTag = image.tag
            case .layout(_, let name):
                sourceTag = name
            }
            guard let tag = name ?? sourceTag else {
                throw ReferenceError(.empty, input: reference.description,
                                     reason: "the source names no tag, so name the image in the layout: oci:\(path):NAME")
            }
            return (LayoutDestination(layout: layout, imageName: imageName), tag)
        }
    }
}
