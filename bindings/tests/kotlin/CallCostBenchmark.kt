// What one call into the core costs from Kotlin (JNA): printed, never
// asserted, so a slow or busy CI machine cannot fail the suite.
//
// Why a Kotlin call costs tens of times a Swift one: uniffi's Kotlin makes every sync
// method call two FFI calls (clone the object's handle, then the method), and
// gives each a fresh JNA `Structure` for the RustCallStatus. Each of those
// (and the RustBuffer nested in it) mallocs native memory that JNA tracks in a
// global map and frees from its one Cleaner thread after a GC, so the
// bookkeeping outlives one GC and the allocation, not the crossing, is most of
// the time. The second line splits a call that way so a change in either
// shows up in the log.

package org.equally.tests

import kotlinx.coroutines.runBlocking
import org.equally.core.EquallyCore
import org.equally.core.UniffiLib
import org.equally.core.UniffiRustCallStatus
import org.junit.Rule
import org.junit.Test
import org.junit.rules.TemporaryFolder
import java.io.File

class CallCostBenchmark {
    @get:Rule
    val folder = TemporaryFolder()

    private val calls = 10_000

    private class PerCall(val best: Double, val median: Double)

    // µs per call over `rounds` rounds of `calls` calls, after `warmUp` untimed
    // ones so the JIT has compiled the generated code and JNA's paths. The
    // median is the typical cost; the best is the one least disturbed by
    // whatever else the machine is doing.
    private inline fun microsPerCall(warmUp: Int, rounds: Int, round: () -> Unit): PerCall {
        repeat(warmUp) { round() }
        val perCall = DoubleArray(rounds) {
            val started = System.nanoTime()
            round()
            (System.nanoTime() - started).toDouble() / calls / 1000
        }
        perCall.sort()
        return PerCall(perCall[0], perCall[rounds / 2])
    }

    @Test
    fun timePerCall() = runBlocking {
        EquallyCore.open(File(folder.root, "bench.db").path).use { core ->
            var sum = 0L
            // A sync call returning a number: the bare cost of crossing the FFI.
            val sync = microsPerCall(warmUp = 3, rounds = 9) { repeat(calls) { sum += core.now() } }
            // A suspend call that reads SQLite on the core's blocking pool.
            val async = microsPerCall(warmUp = 1, rounds = 5) { repeat(calls) { sum += core.pendingCount() } }
            println(
                "benchmark: kotlin now() %.2f µs/call (best %.2f); pendingCount() suspend %.2f µs/call (best %.2f) (median of 9 and 5 x %d calls after warm-up; checksum %d)"
                    .format(sync.median, sync.best, async.median, async.best, calls, sum % 7),
            )

            // The same two FFI calls now() makes, with one status reused: what
            // the crossing costs without JNA's per-call allocations. Each call
            // gets its own clone, as the method call consumes the handle.
            val handle = core.uniffiCloneHandle()
            val status = UniffiRustCallStatus()
            try {
                val crossing = microsPerCall(warmUp = 3, rounds = 9) {
                    repeat(calls) {
                        val clone = UniffiLib.uniffi_equally_ffi_fn_clone_equallycore(handle, status)
                        sum += UniffiLib.uniffi_equally_ffi_fn_method_equallycore_now(clone, status)
                    }
                }
                val statuses = microsPerCall(warmUp = 3, rounds = 9) {
                    repeat(calls) { sum += UniffiRustCallStatus().code + UniffiRustCallStatus().code }
                }
                println(
                    "benchmark: kotlin now() split: 2 FFI calls with a reused status %.2f µs; 2 new RustCallStatus %.2f µs (medians; checksum %d)"
                        .format(crossing.median, statuses.median, sum % 7),
                )
            } finally {
                UniffiLib.uniffi_equally_ffi_fn_free_equallycore(handle, status)
            }
        }
    }
}
