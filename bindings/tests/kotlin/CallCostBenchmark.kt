// What one call into the core costs from Kotlin (JNA): printed, never
// asserted, so a slow CI machine cannot fail the suite.

package org.equally.tests

import kotlinx.coroutines.runBlocking
import org.equally.core.EquallyCore
import org.junit.Rule
import org.junit.Test
import org.junit.rules.TemporaryFolder
import java.io.File

class CallCostBenchmark {
    @get:Rule
    val folder = TemporaryFolder()

    @Test
    fun timePerCall() = runBlocking {
        EquallyCore.open(File(folder.root, "bench.db").path).use { core ->
            val calls = 10_000
            var sum = 0L

            // A sync call returning a number: the bare cost of crossing the FFI. Each
            // loop runs once untimed first, so the JIT has compiled it.
            repeat(calls) { sum += core.now() }
            var started = System.nanoTime()
            repeat(calls) { sum += core.now() }
            val syncNanos = (System.nanoTime() - started).toDouble() / calls

            // A suspend call that reads SQLite on the core's blocking pool.
            repeat(calls) { sum += core.pendingCount() }
            started = System.nanoTime()
            repeat(calls) { sum += core.pendingCount() }
            val asyncNanos = (System.nanoTime() - started).toDouble() / calls

            println(
                "benchmark: kotlin now() %.2f µs/call; pendingCount() suspend %.2f µs/call (%d calls each, checksum %d)"
                    .format(syncNanos / 1000, asyncNanos / 1000, calls, sum % 7),
            )
        }
    }
}
