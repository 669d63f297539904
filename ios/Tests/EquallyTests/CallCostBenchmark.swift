// What one call into the core costs from Swift: printed, never asserted, so a
// slow CI machine cannot fail the suite.

import Equally
import Foundation
import XCTest

final class CallCostBenchmark: XCTestCase {
    func testTimePerCall() async throws {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("equally-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let core = try await EquallyCore.open(databasePath: folder.appendingPathComponent("b.db").path)
        let calls = 10_000

        // A sync call returning a number: the bare cost of crossing the FFI.
        // Each loop runs once untimed first.
        var sum: Int64 = 0
        for _ in 0..<calls { sum &+= core.now() }
        var started = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<calls { sum &+= core.now() }
        let syncNanos = Double(DispatchTime.now().uptimeNanoseconds - started) / Double(calls)

        // An async call that reads SQLite on the blocking pool.
        for _ in 0..<calls { sum &+= try await core.pendingCount() }
        started = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<calls { sum &+= try await core.pendingCount() }
        let asyncNanos = Double(DispatchTime.now().uptimeNanoseconds - started) / Double(calls)

        print(String(format: "benchmark: swift now() %.2f µs/call; pendingCount() async %.2f µs/call (%d calls each, checksum %lld)",
                     syncNanos / 1000, asyncNanos / 1000, calls, sum % 7))
    }
}
