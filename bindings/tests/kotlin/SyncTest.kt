// Two phones and the real sync server on loopback: the server binary named
// by EQUALLY_SERVER_BIN on a temporary SQLite file and a free port, two
// cores on two databases, a project made on one and seen on the other.

package org.equally.tests

import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.equally.core.Change
import org.equally.core.ChangeListener
import org.equally.core.EquallyCore
import org.equally.core.EquallyException
import org.equally.core.JoinPolicy
import org.equally.core.NewProject
import org.equally.core.TextVariants
import org.equally.core.Wording
import org.junit.After
import org.junit.Before
import org.junit.Rule
import org.junit.Test
import org.junit.rules.TemporaryFolder
import java.io.File
import java.net.ServerSocket
import java.net.Socket
import java.util.Collections
import java.util.concurrent.TimeUnit
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNotNull
import kotlin.test.assertTrue

class SyncTest {
    @get:Rule
    val folder = TemporaryFolder()

    private val serverBin: String = System.getenv("EQUALLY_SERVER_BIN")
        ?: error("EQUALLY_SERVER_BIN names the equally-server binary (scripts/test-bindings.sh sets it)")
    private lateinit var databaseUrl: String
    private var port = 0
    private var server: Process? = null
    private val url get() = "http://127.0.0.1:$port"

    private class Invite(val personId: String, val code: String)

    // `init` and `invite` print "person:  ID" and "code:    CODE" lines.
    private fun command(vararg args: String): Invite {
        val process = ProcessBuilder(serverBin, "--database-url", databaseUrl, *args)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start()
        val out = process.inputStream.bufferedReader().readText()
        assertEquals(0, process.waitFor(), "equally-server ${args.toList()}")
        fun field(name: String) = out.lines().first { it.startsWith(name) }.removePrefix(name).trim()
        return Invite(personId = field("person:"), code = field("code:"))
    }

    @Before
    fun startTheServer() {
        databaseUrl = "sqlite:" + File(folder.root, "server.db").path
        port = ServerSocket(0).use { it.localPort }
        server = ProcessBuilder(serverBin, "--database-url", databaseUrl, "serve", "--listen", "127.0.0.1:$port")
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(File(folder.root, "server.log"))
            .start()
        val deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30)
        while (true) {
            check(server!!.isAlive) { "the server stopped: " + File(folder.root, "server.log").readText() }
            if (runCatching { Socket("127.0.0.1", port).close() }.isSuccess) break
            check(System.nanoTime() < deadline) { "the server did not start listening" }
            Thread.sleep(20)
        }
    }

    // The server shuts down gracefully on SIGTERM, which waits for the
    // phones' keep-alive connections; after two seconds, SIGKILL.
    @After
    fun stopTheServer() {
        server?.let {
            it.destroy()
            if (!it.waitFor(2, TimeUnit.SECONDS)) it.destroyForcibly().waitFor()
        }
    }

    private fun text(words: String) = TextVariants(Wording(lang = "en-GB", text = words))

    @Test
    fun aProjectStartedOnOnePhoneArrivesOnAnother() = runBlocking {
        // `init` works on the server's database before the first phone connects.
        val priyaInvite = command("init", "--org-name", "Riverside Mind", "--staff-name", "Priya")
        val samInvite = command("invite", "--by", priyaInvite.personId, "--name", "Sam", "--kind", "supported_person")

        val phoneA = EquallyCore.open(File(folder.root, "priya.db").path)
        val phoneB = EquallyCore.open(File(folder.root, "sam.db").path)
        try {
            val priya = phoneA.connect(url, priyaInvite.code)
            assertEquals(priyaInvite.personId, priya.personId)
            assertTrue(priya.deviceToken.isNotEmpty())
            phoneA.syncNow()

            val garden = phoneA.startProject(
                priya.personId,
                NewProject(
                    title = text("Community garden"),
                    purpose = text("Grow food together"),
                    joinPolicy = JoinPolicy.OPEN,
                    coFounders = listOf(samInvite.personId),
                ),
            )
            assertTrue(phoneA.syncStatus().pending > 0)
            val pushed = phoneA.syncNow()
            assertTrue(pushed.pushed > 0u)
            assertEquals(0u, pushed.rejected)
            assertEquals(0L, phoneA.syncStatus().pending)

            val sam = phoneB.connect(url, samInvite.code)
            assertEquals(samInvite.personId, sam.personId)
            // Not synced yet: the project is not on Sam's phone.
            assertFailsWith<EquallyException> { phoneB.project(sam.personId, garden.id) }
            // Sam's screens listen: they hear the project arrive and the
            // sync's status change, so a "syncing…" line can follow it.
            val heard = Collections.synchronizedList(mutableListOf<Change>())
            val handle = phoneB.subscribe(object : ChangeListener {
                override fun onChange(changes: List<Change>) {
                    heard.addAll(changes)
                }
            })
            phoneB.syncNow()
            withTimeout(3_000) {
                while (heard.toList().none { it.entity == "sync_status" }) delay(10)
            }
            assertTrue(heard.toList().any { it.entity == "project" && it.id == garden.id })
            handle.close()

            val seen = phoneB.project(sam.personId, garden.id)
            assertEquals("Community garden", seen.title.text)
            assertEquals(setOf("Priya", "Sam"), seen.members.map { it.name }.toSet())
            val status = phoneB.syncStatus()
            assertTrue(status.connected)
            assertNotNull(status.lastSynced)
            assertTrue(status.rejected.isEmpty())

            // Sam reads Polish: his phone words what went wrong in Polish.
            phoneB.updatePreferences(
                sam.personId,
                sam.personId,
                phoneB.defaultPreferences().copy(languages = listOf("pl", "en-GB")),
            )
            val missing = assertFailsWith<EquallyException.NotFound> {
                phoneB.project(sam.personId, "01900000-0000-7000-8000-000000000001")
            }
            assertTrue(missing.message!!.startsWith("Nie znaleźliśmy"), missing.message)
        } finally {
            phoneA.close()
            phoneB.close()
        }
    }
}
