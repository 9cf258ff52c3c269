import Foundation
import XCTest

/// The library's folders depend on each other one way only (DESIGN §1): read from the sources,
/// every use of a name declared in another folder is an edge, and no edge may go back up the
/// declared order — environment → rollout → estimator → optimiser → policy, with the logger and
/// the reports only observing. The test prints the folder graph it found.
final class ArchitectureTests: XCTestCase {
    /// The layers, lowest first: a folder may use its own layer's folders (without a cycle) and
    /// those of lower layers, never a higher one.
    static let layers: [[String]] = [
        ["Random", "Support"],
        ["Environments"],
        ["Policies"],
        ["Analysis", "Optimization"],
        ["Estimators"],
        ["Rollout"],
        ["Training"],
        ["Experiments"],
        ["Logging", "Report"],
    ]

    static let library = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/PolicyGradient")

    func testNoFolderUsesAFolderThatUsesItBack() throws {
        let graph = try Self.folderGraph()
        print("folder graph (folder -> folders it uses, with the number of names):")
        for (folder, uses) in graph.sorted(by: { $0.key < $1.key }) {
            print("  \(folder) -> " + uses.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value.count))" }.joined(separator: ", "))
        }
        let layerOf = Dictionary(uniqueKeysWithValues: Self.layers.enumerated().flatMap { i, l in l.map { ($0, i) } })
        for folder in graph.keys { XCTAssertNotNil(layerOf[folder], "folder \(folder) is in no layer of ArchitectureTests.layers") }
        for (folder, uses) in graph {
            for (used, names) in uses {
                guard let from = layerOf[folder], let to = layerOf[used] else { continue }
                XCTAssertLessThanOrEqual(to, from, "\(folder) uses \(used), a higher layer: \(names.sorted().prefix(8).joined(separator: ", "))")
            }
        }
        XCTAssertEqual(Self.cycles(graph), [], "folders that use each other")
    }

    /// The check has teeth: a graph with a back edge is caught.
    func testACycleIsFound() {
        let graph: [String: [String: Set<String>]] = ["A": ["B": ["x"]], "B": ["C": ["y"]], "C": ["A": ["z"]], "D": ["A": ["w"]]]
        XCTAssertEqual(Self.cycles(graph), [["A", "B", "C"]])
    }

    /// For every folder, the folders whose top-level names its sources use, with those names.
    static func folderGraph() throws -> [String: [String: Set<String>]] {
        let fm = FileManager.default
        var sources: [String: [String]] = [:], owner: [String: String] = [:]
        let declaration = try NSRegularExpression(pattern:
            #"^(?:@[A-Za-z_]+(?:\([^)]*\))?\s+)*(?:(?:public|internal|private|fileprivate|final|open|indirect|nonisolated(?:\(unsafe\))?)\s+)*(?:struct|class|enum|protocol|actor|typealias|func|let|var)\s+([A-Za-z_][A-Za-z0-9_]*)"#,
            options: [.anchorsMatchLines])
        for folder in try fm.contentsOfDirectory(atPath: library.path).sorted() {
            let dir = library.appendingPathComponent(folder)
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: dir.path, isDirectory: &isDirectory), isDirectory.boolValue, !folder.hasSuffix(".docc") else { continue }
            for file in try fm.contentsOfDirectory(atPath: dir.path) where file.hasSuffix(".swift") {
                let text = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
                sources[folder, default: []].append(text)
                let range = NSRange(text.startIndex..., in: text)
                for m in declaration.matches(in: text, range: range) {
                    let name = String(text[Range(m.range(at: 1), in: text)!])
                    if owner[name] == nil { owner[name] = folder }
                }
            }
        }
        let comment = try NSRegularExpression(pattern: #"//[^\n]*"#), string = try NSRegularExpression(pattern: #""(?:\\.|[^"\\\n])*""#)
        let identifier = try NSRegularExpression(pattern: #"\b[A-Za-z_][A-Za-z0-9_]*\b"#)
        var graph: [String: [String: Set<String>]] = [:]
        for (folder, texts) in sources {
            graph[folder] = graph[folder] ?? [:]
            for text in texts {
                var t = comment.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: "")
                t = string.stringByReplacingMatches(in: t, range: NSRange(t.startIndex..., in: t), withTemplate: "\"\"")
                for m in identifier.matches(in: t, range: NSRange(t.startIndex..., in: t)) {
                    let name = String(t[Range(m.range, in: t)!])
                    if let o = owner[name], o != folder { graph[folder]![o, default: []].insert(name) }
                }
            }
        }
        return graph
    }

    /// The strongly connected components of more than one folder (Tarjan), each sorted.
    static func cycles(_ graph: [String: [String: Set<String>]]) -> [[String]] {
        var index: [String: Int] = [:], low: [String: Int] = [:], stack: [String] = [], onStack: Set<String> = []
        var next = 0, out: [[String]] = []
        func visit(_ v: String) {
            index[v] = next; low[v] = next; next += 1
            stack.append(v); onStack.insert(v)
            for w in (graph[v] ?? [:]).keys.sorted() {
                if index[w] == nil { visit(w); low[v] = min(low[v]!, low[w]!) } else if onStack.contains(w) { low[v] = min(low[v]!, index[w]!) }
            }
            if low[v] == index[v] {
                var component: [String] = []
                while true {
                    let w = stack.removeLast(); onStack.remove(w); component.append(w)
                    if w == v { break }
                }
                if component.count > 1 { out.append(component.sorted()) }
            }
        }
        for v in graph.keys.sorted() where index[v] == nil { visit(v) }
        return out.sorted { $0.lexicographicallyPrecedes($1) }
    }
}
