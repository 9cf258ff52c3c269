import Foundation

extension FileTarget {
    /// The most `-N` names tried for a default output name.
    static let suffixLimit = 100_000

    /// `path` itself for n = 1, else `STEM-n.EXT` (`STEM-n` without an extension): the names
    /// a default output takes in turn when the earlier ones exist.
    static func name(_ path: String, suffix n: Int) -> String {
        guard n > 1 else { return path }
        let ext = (path as NSString).pathExtension
        let stem = ext.isEmpty ? path : String(path.dropLast(ext.count + 1))
        return stem + "-\(n)" + (ext.isEmpty ? "" : "." + ext)
    }

    /// Moves the finished file `temp` to `path`. Without `replacing`, never over an existing
    /// entry (atomically: `renameat2(RENAME_NOREPLACE)`, else `link(2)`). With `replacing`,
    /// only over a regular file not among `inputs` or a symbolic link (the link itself): on
    /// Linux the entries are swapped atomically (`RENAME_EXCHANGE`) and swapped back if what
    /// was there turns out to be anything else, so even a file changed at that very moment is
    /// never replaced by mistake.
    /// - Throws: ``InputError`` saying what is in the way (`temp` is then removed).
    static func commit(_ temp: String, to path: String, replacing: Bool, inputs: Set<FileIdentity>, advice: String) throws {
        do {
            try moveNew(temp, to: path, replacing: replacing, inputs: inputs, advice: advice)
        } catch {
            unlink(temp)
            throw error
        }
    }

    private static func moveNew(_ temp: String, to path: String, replacing: Bool, inputs: Set<FileIdentity>,
                                advice: String) throws {
        for _ in 0..<8 {
            try check(path, replacing: replacing, inputs: inputs, advice: advice)
            if entry(at: path) == .absent {
                if try moveIfAbsent(temp, to: path) { return }
                continue // something appeared there meanwhile: look again
            }
            if try exchange(temp, path, inputs: inputs, advice: advice) { return }
            if rename(temp, path) == 0 { return } // no atomic exchange here: checked just before
            throw InputError("cannot replace \(path): \(OutputError.describe(errno))")
        }
        throw InputError("cannot write \(path): it keeps changing")
    }

    /// Renames `temp` to `path` unless an entry exists there; false if one does.
    static func moveIfAbsent(_ temp: String, to path: String) throws -> Bool {
        if let renameat2 = Rename.at2 {
            if renameat2(AT_FDCWD, temp, AT_FDCWD, path, Rename.noReplace) == 0 { return true }
            if errno == EEXIST { return false }
        }
        if link(temp, path) == 0 { unlink(temp); return true }
        if errno == EEXIST { return false }
        if rename(temp, path) == 0 { return true } // no hard links on this file system: checked just before
        throw InputError("cannot create \(path): \(OutputError.describe(errno))")
    }

    /// Swaps `temp` and `path` atomically, then removes what was at `path` if it may be
    /// replaced, else swaps back and throws. False when the system cannot swap.
    private static func exchange(_ temp: String, _ path: String, inputs: Set<FileIdentity>, advice: String) throws -> Bool {
        guard let renameat2 = Rename.at2, renameat2(AT_FDCWD, temp, AT_FDCWD, path, Rename.exchange) == 0 else {
            return false
        }
        do {
            try check(temp, replacing: true, inputs: inputs, advice: advice) // what was at `path`
        } catch {
            _ = renameat2(AT_FDCWD, temp, AT_FDCWD, path, Rename.exchange)
            try check(path, replacing: true, inputs: inputs, advice: advice)
            throw error
        }
        unlink(temp)
        return true
    }
}

/// Linux's `renameat2(2)`, looked up at run time (glibc declares it only for `_GNU_SOURCE`).
private enum Rename {
    typealias Function = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
    static let noReplace: UInt32 = 1 // RENAME_NOREPLACE
    static let exchange: UInt32 = 2 // RENAME_EXCHANGE

    static let at2: Function? = {
        #if os(Linux)
        guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "renameat2") else { return nil }
        return unsafeBitCast(symbol, to: Function.self)
        #else
        return nil
        #endif
    }()
}
