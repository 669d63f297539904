// What one call into the core costs from Swift: printed, never asserted, so a
// slow or busy CI machine cannot fail the suite.

import Equally
import Foundation
import XCTest

final class CallCostBenchmark: XCTestCase {
    private let calls = 10_000

    // The best of a few rounds of `calls` calls, in µs per call: the best
    // round is the one least disturbed by whatever else the machine is doing.
    private func microsPerCall(_ round: () async throws -> Void) async rethrows -> Double {
        var best = Double.greatestFiniteMagnitude
        for _ in 0..<4 {
            let started = DispatchTime.now().uptimeNanoseconds
            try await round()
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - started)
            best = min(best, elapsed / Double(calls) / 1000)
        }
        return best
    }

    func testTimePerCall() async throws {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("equally-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let core = try await EquallyCore.open(databasePath: folder.appendingPathComponent("b.db").path)
        let calls = self.calls
        var sum: Int64 = 0

        // A sync call returning a number: the bare cost of crossing the FFI.
        let sync = await microsPerCall { for _ in 0..<calls { sum &+= core.now() } }
        // An async call that reads SQLite on the core's blocking pool.
        let async = try await microsPerCall { for _ in 0..<calls { sum &+= try await core.pendingCount() } }

        print(String(format: "benchmark: swift now() %.2f µs/call; pendingCount() async %.2f µs/call (best of 4 x %d calls; checksum %lld)",
                     sync, async, calls, sum % 7))
    }
}
