/// The encoding of a commit's author and message, from its `encoding` header (`i18n.commitEncoding`). Git writes
/// no header for UTF-8; an encoding eskit does not know is read as UTF-8, invalid bytes becoming U+FFFD.
enum CommitTextEncoding: Equatable {
    case utf8
    case latin1

    init(name: String?) {
        let key = (name ?? "").lowercased().filter { $0.isLetter || $0.isNumber }
        switch key {
        case "iso88591", "latin1", "l1", "isoir100", "cp819", "ibm819": self = .latin1
        default: self = .utf8
        }
    }

    func decode(_ pointer: UnsafePointer<CChar>?) -> String {
        guard let pointer else { return "" }
        switch self {
        case .utf8:
            return String(cString: pointer)
        case .latin1:
            var scalars = String.UnicodeScalarView()
            var p = UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self)
            while p.pointee != 0 {
                scalars.append(Unicode.Scalar(p.pointee))
                p += 1
            }
            return String(scalars)
        }
    }
}
