// Runs the Kotlin suite with JUnit 4's text output (a new test class is
// added to the list below), then prints one plain
// "kotlin: N passed, M failed" line for CI, and exits non-zero on failure.

package org.equally.tests

import org.junit.internal.TextListener
import org.junit.runner.JUnitCore
import kotlin.system.exitProcess

fun main() {
    val junit = JUnitCore()
    junit.addListener(TextListener(System.out))
    val result = junit.run(
        EquallyCoreTest::class.java,
        DecisionsAndMeetingsTest::class.java,
        SyncTest::class.java,
        CallCostBenchmark::class.java,
    )
    val failed = result.failureCount
    println("kotlin: ${result.runCount - failed} passed, $failed failed")
    exitProcess(if (result.wasSuccessful() && result.runCount > 0) 0 else 1)
}
