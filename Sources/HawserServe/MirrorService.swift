import Foundation
import HawserCore
import HawserRegistry
import HawserTransfer
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// Answers the distribution API's read side from the store, and from upstream
/// (through the plan, once per blob however many clients ask) for what the store
/// does not hold yet.
public struct MirrorService: Sendable {
    public struct Options: Sendable {
        /// How long a tag's digest is trusted before upstream is asked again.
        public var tagTTL: Duration
        /// Largest manifest fetched or served (containerd's own limit is 4 MiB).
        public var maximumManifestSize: Int
        public var htpasswd: Htpasswd?
        /// The registries clients may name (nil: any). Without a list, a client can make
        /// the mirror connect to any host it names in `ns`.
        public var allowedRegistries: Set<String>?

        public init(tagTTL: Duration = .seconds(300), maximumManifestSize: Int = 4 << 20, htpasswd: Htpasswd? = nil,
                    allowedRegistries: Set<String>? = nil) {
            self.tagTTL = tagTTL
            self.maximumManifestSize = maximumManifestSize
            self.htpasswd = htpasswd
            self.allowedRegistries = allowedRegistries
        }

        /// Refuses a registry outside `allowedRegistries` (403, DENIED).
        func check(_ route: MirrorRoute) throws(MirrorError) {
            guard let allowedRegistries else { return }
            let registry: String
            switch route {
            case .manifest(let image): registry = image.registry
            case .blob(let repository, _): registry = repository.registry
            case .base, .metrics: return
            }
            guard allowedRegistries.contains(registry) else {
                throw MirrorError(status: 403, .denied, "this mirror does not serve \(registry) (it serves \(allowedRegistries.sorted().joined(separator: ", ")))")
            }
        }
    }

    let store: MirrorStore
    let upstream: MirrorUpstream
    let options: Options
    public let metrics: MirrorMetrics
    let flights = BlobFlights()
    let manifestFlights = SingleFlight<ManifestContent>()
    let logger: Logger
    let accessLog: Logger

    public init(store: MirrorStore, upstream: MirrorUpstream, options: Options, metrics: MirrorMetrics = MirrorMetrics(),
                logger: Logger, accessLog: Logger) {
        self.store = store
        self.upstream = upstream
        self.options = options
        self.metrics = metrics
        self.logger = logger
        self.accessLog = accessLog
    }

    /// What was true of one request, for the access log.
    struct Outcome {
        var cache: String?
        var user: String?
    }

    public func respond(to request: Request, context: MirrorRequestContext) async -> Response {
        let started = ContinuousClock.now
        let method = request.method.rawValue
        var outcome = Outcome()
        var routeLabel = "other"
        let response: Response
        do {
            let route = try MirrorRoute.parse(method: method, path: request.uri.path, query: request.uri.query)
            routeLabel = route.label
            // Everything, /metrics too, is behind --htpasswd when it is given (Prometheus
            // scrapes with basic_auth): request counts and traffic are the operator's business.
            if let htpasswd = options.htpasswd {
                guard let user = await htpasswd.authenticate(request.headers[.authorization]) else {
                    throw MirrorError(status: 401, .unauthorized, "authentication required")
                }
                outcome.user = user
            }
            try options.check(route)
            response = try await handle(route, request: request, context: context, outcome: &outcome)
        } catch {
            let failure = MirrorFailure.response(for: error, notFound: .manifestUnknown)
            response = Self.errorResponse(failure, head: request.method == .head)
        }
        let status = response.status.code
        metrics.request(route: routeLabel, method: method, status: status)
        // The audit trail: who asked for what and what they got, written once the body
        // has gone out (or failed part-way). Never the Authorization header.
        var metadata: Logger.Metadata = ["method": "\(method)", "path": "\(request.uri.string)", "status": "\(status)"]
        if let address = context.remoteAddress?.ipAddress { metadata["client"] = "\(address)" }
        if let length = response.headers[.contentLength] { metadata["bytes"] = "\(length)" }
        if let cache = outcome.cache { metadata["cache"] = "\(cache)" }
        if let user = outcome.user { metadata["user"] = "\(user)" }
        let accessLog = accessLog
        let body = response.body
        let fields = metadata
        let logged = ResponseBody(contentLength: body.contentLength) { writer in
            var entry = fields
            do {
                try await body.write(writer)
            } catch {
                entry["ms"] = "\(Self.milliseconds(ContinuousClock.now - started))"
                entry["body"] = "failed"
                accessLog.warning("request", metadata: entry)
                throw error
            }
            entry["ms"] = "\(Self.milliseconds(ContinuousClock.now - started))"
            accessLog.info("request", metadata: entry)
        }
        return Response(status: response.status, headers: response.headers, body: logged)
    }

    func handle(_ route: MirrorRoute, request: Request, context: MirrorRequestContext, outcome: inout Outcome) async throws -> Response {
        let head = request.method == .head
        switch route {
        case .base:
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            headers.set("Docker-Distribution-API-Version", "registry/2.0")
            return Response(status: .ok, headers: headers, body: head ? ResponseBody() : ResponseBody(byteBuffer: ByteBuffer(string: "{}")))
        case .metrics:
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.render())))
        case .manifest(let image):
            do {
                return try await manifest(image, head: head, outcome: &outcome)
            } catch {
                throw MirrorFailure.response(for: error, notFound: .manifestUnknown)
            }
        case .blob(let repository, let digest):
            do {
                return try await blob(repository, digest, request: request, context: context, outcome: &outcome)
            } catch {
                throw MirrorFailure.response(for: error, notFound: .blobUnknown)
            }
        }
    }

    // MARK: Manifests

    func manifest(_ image: ImageReference, head: Bool, outcome: inout Outcome) async throws -> Response {
        let limit = options.maximumManifestSize
        let content: ManifestContent
        if let digest = image.digest {
            if let stored = await store.manifest(digest, maximumSize: limit) {
                outcome.cache = "hit"
                content = stored
            } else {
                outcome.cache = "miss"
                content = try await fetchManifest(image)
            }
        } else {
            let record = store.tag(image)
            if let record, record.age(at: Date()) < options.tagTTL, let stored = await store.manifest(record.digest, maximumSize: limit) {
                outcome.cache = "hit"
                content = stored
            } else {
                do {
                    outcome.cache = "miss"
                    content = try await fetchManifest(image)
                } catch let error as AttemptsFailedError where error.isUnreachable {
                    guard let record, let stored = await store.manifest(record.digest, maximumSize: limit) else { throw error }
                    // Upstream is down: the digest the tag last had is still the content it named.
                    logger.warning("upstream unreachable; serving the cached tag stale", metadata: [
                        "image": "\(image)", "digest": "\(record.digest)",
                        "age_seconds": "\(record.age(at: Date()).components.seconds)", "error": "\(MirrorFailure.words(error))",
                    ])
                    outcome.cache = "stale"
                    content = stored
                }
            }
        }
        metrics.cache("manifest", outcome.cache ?? "miss")
        var headers = HTTPFields()
        headers[.contentType] = content.descriptor.mediaType
        headers[.contentLength] = String(content.bytes.count)
        headers.set("Docker-Content-Digest", content.descriptor.digest.description)
        headers[.eTag] = "\"\(content.descriptor.digest)\""
        if head { return Response(status: .ok, headers: headers, body: ResponseBody()) }
        metrics.served(bytes: content.bytes.count)
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: content.bytes)))
    }

    /// One upstream fetch per manifest reference at a time; stored by digest and,
    /// for a tag, recorded with the time upstream answered.
    func fetchManifest(_ image: ImageReference) async throws -> ManifestContent {
        let upstream = upstream
        let store = store
        return try await manifestFlights.run(image.description) {
            let content = try await upstream.manifest(image)
            try await store.storeManifest(content)
            if image.digest == nil {
                try store.setTag(image, to: TagRecord(image: "\(image.registry)/\(image.repository):\(image.tag ?? ImageReference.defaultTag)",
                                                      digest: content.descriptor.digest, mediaType: content.descriptor.mediaType,
                                                      size: Int64(content.bytes.count), fetched: Date()))
            }
            return content
        }
    }

    // MARK: Blobs

    func blob(_ repository: MirrorRepository, _ digest: Digest, request: Request, context: MirrorRequestContext,
              outcome: inout Outcome) async throws -> Response {
        let head = request.method == .head
        let rangeHeader = request.headers[.range]
        if let size = store.blobSize(digest) {
            outcome.cache = "hit"
            metrics.cache("blob", "hit")
            return try await storedBlob(digest, size: size, head: head, rangeHeader: rangeHeader, context: context)
        }
        if head {
            // A HEAD does not start a download: upstream's answer, nothing stored.
            outcome.cache = "miss"
            let size = try await upstream.blobSize(repository, digest)
            return Response(status: .ok, headers: Self.blobHeaders(digest, length: size), body: ResponseBody())
        }
        let store = store
        let upstream = upstream
        let metrics = metrics
        let logger = logger
        guard let flight = await flights.join(digest, isStored: { store.blobSize(digest) != nil }, start: { flight in
            await BlobFlight.download(flight, repository: repository, upstream: upstream, store: store, metrics: metrics, logger: logger)
        }) else {
            // Stored since the first look (a download just finished).
            outcome.cache = "hit"
            metrics.cache("blob", "hit")
            guard let size = store.blobSize(digest) else { throw MirrorError(status: 404, .blobUnknown, "blob unknown") }
            return try await storedBlob(digest, size: size, head: false, rangeHeader: rangeHeader, context: context)
        }
        outcome.cache = "miss"
        metrics.cache("blob", "miss")
        let (size, spool) = try await flight.head()
        let range: ByteRange
        var status = HTTPResponse.Status.ok
        var headers = Self.blobHeaders(digest, length: size)
        switch ByteRange.parse(rangeHeader, size: size) {
        case .whole:
            range = ByteRange(first: 0, last: size - 1)
        case .unsatisfiable:
            return Self.unsatisfiable(size: size)
        case .range(let requested):
            range = requested
            status = .partialContent
            headers[.contentLength] = String(requested.count)
            headers[.contentRange] = "bytes \(requested.first)-\(requested.last)/\(size)"
        }
        guard size > 0 else { return Response(status: .ok, headers: headers, body: ResponseBody()) }
        let sender = BlobBodyWriter(file: spool, eventLoop: context.eventLoop, metrics: metrics)
        let body = ResponseBody(contentLength: Int(range.count)) { writer in
            var offset = range.first
            let end = range.last + 1
            while offset < end {
                let readable = min(try await flight.readable(beyond: offset), end)
                try await sender.send(offset..<readable, into: &writer)
                offset = readable
            }
            try await writer.finish(nil)
        }
        return Response(status: status, headers: headers, body: body)
    }

    func storedBlob(_ digest: Digest, size: Int64, head: Bool, rangeHeader: String?, context: MirrorRequestContext) async throws -> Response {
        var headers = Self.blobHeaders(digest, length: size)
        if head { return Response(status: .ok, headers: headers, body: ResponseBody()) }
        switch ByteRange.parse(rangeHeader, size: size) {
        case .unsatisfiable:
            return Self.unsatisfiable(size: size)
        case .whole:
            guard size > 0 else { return Response(status: .ok, headers: headers, body: ResponseBody()) }
            return Response(status: .ok, headers: headers, body: try storedBody(digest, from: 0, through: size - 1, context: context))
        case .range(let range):
            headers[.contentLength] = String(range.count)
            headers[.contentRange] = "bytes \(range.first)-\(range.last)/\(size)"
            return Response(status: .partialContent, headers: headers,
                            body: try storedBody(digest, from: range.first, through: range.last, context: context))
        }
    }

    /// The bytes `first...last` of a stored blob (its size was just read by `lstat`),
    /// read as the client takes them. The file is opened now, so a blob gone since the
    /// look is an error answer, not a cut body.
    func storedBody(_ digest: Digest, from first: Int64, through last: Int64, context: MirrorRequestContext) throws -> ResponseBody {
        let sender = BlobBodyWriter(file: try BlobFile(path: store.layout.blobPath(digest)), eventLoop: context.eventLoop, metrics: metrics)
        return ResponseBody(contentLength: Int(last - first + 1)) { writer in
            try await sender.send(first..<last + 1, into: &writer)
            try await writer.finish(nil)
        }
    }

    static func milliseconds(_ duration: Duration) -> String {
        let value = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        return String(format: "%.1f", value)
    }

    static func blobHeaders(_ digest: Digest, length: Int64) -> HTTPFields {
        var headers = HTTPFields()
        headers[.contentType] = "application/octet-stream"
        headers[.contentLength] = String(length)
        headers[.acceptRanges] = "bytes"
        headers.set("Docker-Content-Digest", digest.description)
        headers[.eTag] = "\"\(digest)\""
        return headers
    }

    static func unsatisfiable(size: Int64) -> Response {
        var headers = HTTPFields()
        headers[.contentRange] = "bytes */\(size)"
        let error = MirrorError(status: 416, .rangeInvalid, "the range is outside the blob's \(size) bytes")
        headers[.contentType] = "application/json"
        return Response(status: .rangeNotSatisfiable, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: error.body)))
    }

    static func errorResponse(_ error: MirrorError, head: Bool) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers.set("Docker-Distribution-API-Version", "registry/2.0")
        if error.status == 401 { headers[.wwwAuthenticate] = "Basic realm=\"hawser serve\"" }
        let body = error.body
        headers[.contentLength] = String(body.count)
        return Response(status: HTTPResponse.Status(code: error.status), headers: headers,
                        body: head ? ResponseBody() : ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}

extension HTTPFields {
    /// Sets a header by name (names outside HTTPTypes' list, such as Docker-Content-Digest).
    mutating func set(_ name: String, _ value: String) {
        guard let field = HTTPField.Name(name) else { return }
        self[field] = value
    }
}
