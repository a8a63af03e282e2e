extension ImageReference {
    /// Parses and normalises a reference with docker's grammar:
    /// `[registry[:port]/]path[:tag][@digest]`.
    public init(parsing input: String) throws(ReferenceError) {
        guard !input.isEmpty else {
            throw ReferenceError(.empty, input: input, reason: "an image reference cannot be empty")
        }
        var remainder = Substring(input)

        var digest: Digest?
        if let at = remainder.firstIndex(of: "@") {
            digest = try Digest(parsing: String(remainder[remainder.index(after: at)...]))
            remainder = remainder[..<at]
        }

        var tag: String?
        let lastSlash = remainder.lastIndex(of: "/")
        let tagSearchStart = lastSlash.map { remainder.index(after: $0) } ?? remainder.startIndex
        if let colon = remainder[tagSearchStart...].lastIndex(of: ":") {
            let candidate = String(remainder[remainder.index(after: colon)...])
            try Self.validateTag(candidate, in: input)
            tag = candidate
            remainder = remainder[..<colon]
        }

        guard remainder.count <= Self.maximumNameLength else {
            throw ReferenceError(.nameTooLong, input: input, reason: "the repository name is longer than \(Self.maximumNameLength) characters")
        }

        var registry = Self.dockerHub
        var path = remainder
        if let slash = remainder.firstIndex(of: "/") {
            let first = remainder[..<slash]
            // docker's rule: the first component names a registry only if it has a dot,
            // a colon, is "localhost", or has upper-case letters (never valid in a path).
            if first.contains(".") || first.contains(":") || first == "localhost" || first.contains(where: \.isUppercase) {
                registry = String(first)
                path = remainder[remainder.index(after: slash)...]
            }
        }
        if registry == "index.docker.io" { registry = Self.dockerHub }
        try Self.validateRegistry(registry, in: input)

        var repository = String(path)
        try Self.validateRepository(repository, in: input)
        if registry == Self.dockerHub && !repository.contains("/") {
            repository = "library/" + repository
        }
        if tag == nil && digest == nil { tag = Self.defaultTag }
        self.init(registry: registry, repository: repository, tag: tag, digest: digest)
    }

    static func validateTag(_ tag: String, in input: String) throws(ReferenceError) {
        guard !tag.isEmpty else {
            throw ReferenceError(.invalidTag, input: input, reason: "the tag after ':' is empty")
        }
        guard tag.utf8.count <= maximumTagLength else {
            throw ReferenceError(.invalidTag, input: input, reason: "the tag is \(tag.utf8.count) characters long; at most \(maximumTagLength) are allowed")
        }
        for (offset, byte) in tag.utf8.enumerated() {
            let isWord = byte.isASCIIAlphanumeric || byte == UInt8(ascii: "_")
            let allowed = offset == 0 ? isWord : (isWord || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-"))
            if !allowed {
                let what = offset == 0 ? "a tag must start with a letter, digit or '_'" : "a tag may only contain letters, digits, '_', '.' and '-'"
                throw ReferenceError(.invalidTag, input: input, reason: "\(what) (tag '\(tag)', character \(offset + 1))")
            }
        }
    }

    static func validateRegistry(_ registry: String, in input: String) throws(ReferenceError) {
        let parts = HostPort(registry)
        if let port = parts.port, port.isEmpty || !port.utf8.allSatisfy(\.isASCIIDigit) {
            throw ReferenceError(.invalidRegistry, input: input, reason: "the port of registry '\(registry)' is not a number")
        }
        let host = parts.host
        guard !host.isEmpty else {
            throw ReferenceError(.invalidRegistry, input: input, reason: "the registry name is empty")
        }
        if parts.isBracketedIPv6 { return }
        for component in host.split(separator: ".", omittingEmptySubsequences: false) {
            let valid = !component.isEmpty
                && component.utf8.allSatisfy { $0.isASCIIAlphanumeric || $0 == UInt8(ascii: "-") }
                && component.first != "-" && component.last != "-"
            if !valid {
                throw ReferenceError(.invalidRegistry, input: input, reason: "'\(registry)' is not a valid registry host (letters, digits, '-' and '.' only)")
            }
        }
    }

    static func validateRepository(_ repository: String, in input: String) throws(ReferenceError) {
        guard !repository.isEmpty else {
            throw ReferenceError(.invalidRepository, input: input, reason: "the repository name is empty")
        }
        if repository.contains(where: \.isUppercase) {
            throw ReferenceError(.uppercaseRepository, input: input, reason: "repository name '\(repository)' must be lower-case")
        }
        for component in repository.split(separator: "/", omittingEmptySubsequences: false) {
            if !isValidPathComponent(component) {
                throw ReferenceError(
                    .invalidRepository, input: input,
                    reason: "path component '\(component)' of '\(repository)' is invalid: use lower-case letters and digits, separated by '.', '_', '__' or dashes")
            }
        }
    }

    /// `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*`
    static func isValidPathComponent(_ component: Substring) -> Bool {
        let bytes = Array(component.utf8)
        guard let first = bytes.first, let last = bytes.last, first.isLowerAlphanumeric, last.isLowerAlphanumeric else { return false }
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte.isLowerAlphanumeric { index += 1; continue }
            // A separator run: one '.', one or two '_', or any number of '-'.
            var end = index
            while end < bytes.count && !bytes[end].isLowerAlphanumeric { end += 1 }
            let separator = bytes[index..<end]
            let valid = separator.elementsEqual([UInt8(ascii: ".")])
                || separator.elementsEqual([UInt8(ascii: "_")])
                || separator.elementsEqual([UInt8(ascii: "_"), UInt8(ascii: "_")])
                || separator.allSatisfy { $0 == UInt8(ascii: "-") }
            if !valid { return false }
            index = end
        }
        return true
    }
}

extension UInt8 {
    var isASCIIDigit: Bool { self >= 0x30 && self <= 0x39 }
    var isASCIILetter: Bool { (self >= 0x41 && self <= 0x5A) || (self >= 0x61 && self <= 0x7A) }
    var isASCIIAlphanumeric: Bool { isASCIIDigit || isASCIILetter }
    var isLowerAlphanumeric: Bool { isASCIIDigit || (self >= 0x61 && self <= 0x7A) }
}
