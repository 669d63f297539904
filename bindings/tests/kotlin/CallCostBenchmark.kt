// What one call into the core costs from Kotlin (JNA): printed, never
// asserted, so a slow or busy CI machine cannot fail the suite.

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

    private val calls = 10_000

    // The best of a few rounds of `calls` calls, in µs per call: the first
    // rounds also warm up the JIT, and the best one is least disturbed by
    // whatever else the machine is doing.
    private inline fun microsPerCall(round: () -> Unit): Double {
        var best = Double.MAX_VALUE
        repeat(4) {
            val started = System.nanoTime()
            round()
            best = minOf(best, (System.nanoTime() - started).toDouble() / calls / 1000)
        }
        return best
    }

    @Test
    fun timePerCall() = runBlocking {
        EquallyCore.open(File(folder.root, "bench.db").path).use { core ->
            var sum = 0L
            // A sync call returning a number: the bare cost of crossing the FFI.
            val sync = microsPerCall { repeat(calls) { sum += core.now() } }
            // A suspend call that reads SQLite on the core's blocking pool.
            val async = microsPerCall { repeat(calls) { sum += core.pendingCount() } }
            println(
                "benchmark: kotlin now() %.2f µs/call; pendingCount() suspend %.2f µs/call (best of 4 x %d calls; checksum %d)"
                    .format(sync, async, calls, sum % 7),
            )
        }
    }
}
