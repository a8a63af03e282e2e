import Foundation

/// Plain words for errors from Foundation and the C library (file system,
/// decoding): what a person can act on, never a type name, an error domain or
/// a build path. The network library's errors have their own describer in
/// HawserRegistry (NetworkErrorText), which falls back to this one.
public enum SystemErrorText {
    public static func describe(_ error: any Error) -> String {
        if let error = error as? POSIXError { return errnoText(error.code.rawValue) }
        if let error = error as? CocoaError { return describe(cocoa: error) }
        if let error = error as? DecodingError { return describe(decoding: error) }
        if let error = error as? EncodingError, case .invalidValue(_, let context) = error {
            return "cannot encode\(at(context.codingPath)): \(context.debugDescription)"
        }
        let nsError = error as NSError
        if nsError.domain == NSPOSIXErrorDomain { return errnoText(Int32(truncatingIfNeeded: nsError.code)) }
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? any Error { return describe(underlying) }
        return fallback(error)
    }

    /// Why a folder cannot be made at `path`, from the file system itself:
    /// Foundation reports a file in the way as "file exists", which misleads.
    /// Nil when the ancestors look fine (then the error's own text is the reason).
    public static func whyCannotCreate(_ path: String) -> String? {
        var ancestor = (path as NSString).deletingLastPathComponent
        while !ancestor.isEmpty, ancestor != "/" {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: ancestor, isDirectory: &isDirectory) {
                if !isDirectory.boolValue { return "\(ancestor) is a file, not a folder" }
                if access(ancestor, W_OK) != 0 { return "\(ancestor) is not writable (\(errnoText(errno)))" }
                return nil
            }
            ancestor = (ancestor as NSString).deletingLastPathComponent
        }
        return nil
    }

    /// The C library's text for an errno, as Go prints it (lower case): "no such file or directory".
    public static func errnoText(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "system error \(code)" }
        return lowercasedFirst(String(cString: text))
    }

    /// An error of a type this file does not know: its own description when it
    /// reads as a sentence (Hawser's errors do), else a neutral sentence.
    static func fallback(_ error: any Error) -> String {
        let text = String(describing: error)
        return looksLikeDump(text) ? "an unexpected internal error occurred" : text
    }

    /// A type dump rather than a sentence: `SomeType.case(...)`, a domain, a path into a build.
    public static func looksLikeDump(_ text: String) -> Bool {
        let markers = ["Error Domain=", "NSCocoaErrorDomain", "/.build/", "(errno:", "(error set)", "Error.", "Swift.", "CodingKeys", "Optional("]
        if markers.contains(where: text.contains) { return true }
        // `name(…)` or `Name.case` as the whole first word: an enum case printed by Swift.
        let first = text.prefix { !$0.isWhitespace }
        return first.contains("(") || (first.first?.isUppercase == true && first.contains(".") && !first.hasSuffix("."))
    }

    private static func describe(cocoa error: CocoaError) -> String {
        if let underlying = error.userInfo[NSUnderlyingErrorKey] as? any Error,
           let posix = underlying as? POSIXError ?? (underlying as NSError).posixError {
            return errnoText(posix.code.rawValue)
        }
        switch error.code {
        case .fileNoSuchFile, .fileReadNoSuchFile: return "no such file or directory"
        case .fileReadNoPermission, .fileWriteNoPermission: return "permission denied"
        case .fileWriteOutOfSpace: return "no space left on device"
        case .fileWriteVolumeReadOnly: return "read-only file system"
        case .fileWriteFileExists: return "file exists"
        case .fileReadTooLarge: return "file too large"
        case .fileReadCorruptFile: return "the file's contents are not in the expected format"
        case .fileReadInapplicableStringEncoding, .fileWriteInapplicableStringEncoding: return "the file is not valid UTF-8"
        default: return "file system error \(error.code.rawValue)"
        }
    }

    private static func describe(decoding error: DecodingError) -> String {
        switch error {
        case .typeMismatch(let type, let context):
            return "\(name(of: type)) expected\(at(context.codingPath))"
        case .valueNotFound(let type, let context):
            return "a value (\(name(of: type))) is missing\(at(context.codingPath))"
        case .keyNotFound(let key, let context):
            return "the key \"\(key.stringValue)\" is missing\(at(context.codingPath))"
        case .dataCorrupted(let context):
            return "not valid\(at(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "cannot be decoded"
        }
    }

    /// " at manifests[0].digest" for a coding path, "" at the top.
    private static func at(_ path: [any CodingKey]) -> String {
        guard !path.isEmpty else { return "" }
        var text = ""
        for key in path {
            if let index = key.intValue { text += "[\(index)]" } else { text += (text.isEmpty ? "" : ".") + key.stringValue }
        }
        return " at \(text)"
    }

    /// JSON's words for Swift's types.
    private static func name(of type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type, is Int32.Type, is UInt64.Type, is UInt.Type: "an integer"
        case is Double.Type, is Float.Type: "a number"
        case is Bool.Type: "true or false"
        default: String(describing: type).hasPrefix("Array") ? "a list" : "an object"
        }
    }

    private static func lowercasedFirst(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.lowercased() + text.dropFirst()
    }
}

extension NSError {
    fileprivate var posixError: POSIXError? {
        guard domain == NSPOSIXErrorDomain, let code = POSIXErrorCode(rawValue: Int32(truncatingIfNeeded: self.code)) else { return nil }
        return POSIXError(code)
    }
}
