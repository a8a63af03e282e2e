import Hummingbird
import NIOCore

/// The request context: Hummingbird's core storage and the client's address (for the access log).
public struct MirrorRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
