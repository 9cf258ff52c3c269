import Foundation

/// The documentation the tests hold to the code: README.md and every article of the DocC
/// catalogue, read as fenced code blocks with the HTML comment that annotates each.
///
/// An annotation is the comment on the lines just above a block's opening fence (invisible on
/// a forge and in the built site), one `key: value` per line:
///
///     <!-- snippet: Sources/ExampleEnvironments/Chain.swift -->
///
///     <!--
///     mask: [0-9.]+ s$
///     status: 2
///     -->
///
/// * `snippet: PATH` or `snippet: PATH#NAME` — the block is the file (or its region between
///   `// snippet.begin NAME` and `// snippet.end`, indentation removed). Every `swift` and
///   `python` block must have one, and so names a file that is compiled (the Swift sources of
///   the package and of this test target) or checked (Python's byte compiler).
/// * `skip: REASON` — a command block that is not run (the test suite itself, a cluster, minutes
///   of work); the reason is required.
/// * `status: N` — every command of the block exits with N (default 0).
/// * `mask: REGEX` — in a `console` block, what matches is replaced by `…` in the printed and
///   the expected output before they are compared (timings).
/// * `replace: A => B` — the command run has B where the document says A (a smaller size, or a
///   build the tests have already made).
/// * `output: not compared` — a `console` block whose output is an example, not a rendering.
struct DocumentBlock {
    /// The document, relative to the repository.
    var document: String
    /// The line of the opening fence (1-based).
    var line: Int
    /// The fence's info string (`swift`, `console`, `sh`, …).
    var language: String
    /// The lines between the fences, each ending in a newline.
    var text: String
    /// The annotation: values by key, in order.
    var annotation: [String: [String]]

    /// Where the block is, for messages.
    var place: String { "\(document):\(line)" }

    /// The annotation's single value for `key`, if any.
    func value(_ key: String) -> String? { annotation[key]?.first }
}

enum Documents {
    /// The repository.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The catalogue, relative to the repository.
    static let catalogue = "Sources/PolicyGradient/PolicyGradient.docc"

    /// README.md and the catalogue's articles, relative to the repository.
    static var all: [String] {
        let articles = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(catalogue).path)) ?? []
        return ["README.md"] + articles.filter { $0.hasSuffix(".md") }.sorted().map { catalogue + "/" + $0 }
    }

    /// The text of a repository file.
    static func read(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    /// Every fenced block of `document`, with its annotation.
    static func blocks(_ document: String) throws -> [DocumentBlock] {
        let lines = try read(document).components(separatedBy: "\n")
        var blocks: [DocumentBlock] = []
        var i = 0
        while i < lines.count {
            let line = lines[i]
            guard line.hasPrefix("```") else { i += 1; continue }
            let language = String(line.dropFirst(3)).trimmingCharacters(in: .whitespaces)
            var body: [String] = []
            var j = i + 1
            while j < lines.count, !lines[j].hasPrefix("```") { body.append(lines[j]); j += 1 }
            blocks.append(DocumentBlock(document: document, line: i + 1, language: language,
                                        text: body.map { $0 + "\n" }.joined(), annotation: annotation(before: i, in: lines)))
            i = j + 1
        }
        return blocks
    }

    /// The `key: value` lines of the HTML comment that ends on the last non-blank line before `index`.
    static func annotation(before index: Int, in lines: [String]) -> [String: [String]] {
        var end = index - 1
        while end >= 0, lines[end].trimmingCharacters(in: .whitespaces).isEmpty { end -= 1 }
        guard end >= 0, lines[end].hasSuffix("-->") else { return [:] }
        var start = end
        while start >= 0, !lines[start].hasPrefix("<!--") { start -= 1 }
        guard start >= 0 else { return [:] }
        var text = lines[start...end].joined(separator: "\n")
        text = String(text.dropFirst(4).dropLast(3))
        var result: [String: [String]] = [:]
        for entry in text.components(separatedBy: "\n") {
            let trimmed = entry.trimmingCharacters(in: .whitespaces)
            guard let colon = trimmed.range(of: ": ") else { continue }
            result[String(trimmed[..<colon.lowerBound]), default: []].append(String(trimmed[colon.upperBound...]))
        }
        return result
    }

    /// The file or region a `snippet:` annotation names: a whole file, or the lines between
    /// `// snippet.begin NAME` and `// snippet.end` with their common indentation removed.
    static func snippet(_ reference: String) throws -> String {
        let parts = reference.components(separatedBy: "#")
        let text = try read(parts[0])
        guard parts.count == 2 else { return text }
        let lines = text.components(separatedBy: "\n")
        guard let begin = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "// snippet.begin \(parts[1])" }),
              let end = lines[begin...].firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "// snippet.end" }) else {
            throw SnippetError(message: "\(parts[0]) has no region '\(parts[1])' (// snippet.begin \(parts[1]) … // snippet.end)")
        }
        let region = Array(lines[(begin + 1)..<end])
        let indent = region.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            .map { $0.prefix { $0 == " " }.count }.min() ?? 0
        return region.map { $0.count >= indent ? String($0.dropFirst(indent)) + "\n" : "\n" }.joined()
    }

    /// Rewrites every block of `document` that has a `snippet:` annotation with its file's text.
    static func refreshSnippets(_ document: String) throws {
        var lines = try read(document).components(separatedBy: "\n")
        for block in try blocks(document).reversed() {
            guard let reference = block.value("snippet") else { continue }
            let start = block.line, count = block.text.components(separatedBy: "\n").count - 1
            var body = try snippet(reference).components(separatedBy: "\n")
            if body.last == "" { body.removeLast() }
            lines.replaceSubrange(start..<(start + count), with: body)
        }
        try lines.joined(separator: "\n").write(to: root.appendingPathComponent(document), atomically: true, encoding: .utf8)
    }

    struct SnippetError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}
