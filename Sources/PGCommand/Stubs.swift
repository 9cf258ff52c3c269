import PolicyGradient

enum CompareCommand { static func run(_ a: [String], _ o: Output) throws -> Int32 { throw InputError("pg compare is not built yet") } }
enum VarianceCommand { static func run(_ a: [String], _ o: Output) throws -> Int32 { throw InputError("pg variance is not built yet") } }
enum PlotCommand { static func run(_ a: [String], _ o: Output) throws -> Int32 { throw InputError("pg plot is not built yet") } }
