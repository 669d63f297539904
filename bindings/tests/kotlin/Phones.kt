// What every test class shares: a phone is one database file and one
// EquallyCore, and it belongs to one person — whoever started a group on it
// offline, or joined the charity's server on it with an invite. The real
// sync server, for the stories that need several phones, is `SyncServer`.

package org.equally.tests

import org.equally.core.EquallyCore
import org.equally.core.NewPerson
import org.equally.core.Person
import org.equally.core.PersonKind
import org.equally.core.TextVariants
import org.equally.core.Wording
import org.junit.rules.ExternalResource
import org.junit.rules.TemporaryFolder
import java.io.File
import java.net.ServerSocket
import java.net.Socket
import java.util.concurrent.TimeUnit
import kotlin.test.assertEquals

internal fun words(text: String, easyRead: String? = null) =
    TextVariants(Wording(lang = "en-GB", text = text, easyRead = easyRead))

/** Someone new, with the preferences a sign-up screen starts from. */
internal fun EquallyCore.newPerson(name: String, kind: PersonKind) =
    NewPerson(name = name, kind = kind, preferences = defaultPreferences())

/**
 * The phones a test opens, each on its own database in `folder`, all closed
 * when the test ends (uniffi's AutoCloseable frees the Rust handle now
 * rather than at GC).
 */
internal class Phones(private val folder: TemporaryFolder) {
    private val open = mutableListOf<EquallyCore>()

    /** A phone nobody has started Equally on yet. */
    suspend fun fresh(name: String): EquallyCore =
        EquallyCore.open(File(folder.root, "$name.db").path).also { open += it }

    /** A phone on which `name` starts a new group with no server. */
    suspend fun startedOffline(
        name: String,
        kind: PersonKind,
        group: String = "Riverside Mind",
    ): Pair<EquallyCore, Person> {
        val phone = fresh(name.lowercase())
        return phone to phone.startOffline(group, phone.newPerson(name, kind))
    }

    fun closeAll() {
        open.forEach { it.close() }
        open.clear()
    }
}

/**
 * The real sync server on loopback: the binary named by EQUALLY_SERVER_BIN,
 * on a SQLite file in its own temporary folder and a free port, started
 * before each test and stopped after it.
 */
class SyncServer : ExternalResource() {
    private val bin: String = System.getenv("EQUALLY_SERVER_BIN")
        ?: error("EQUALLY_SERVER_BIN names the equally-server binary (scripts/test-bindings.sh sets it)")
    private val folder = TemporaryFolder()
    private lateinit var databaseUrl: String
    private var port = 0
    private var process: Process? = null
    val url get() = "http://127.0.0.1:$port"

    /** A person the server made, and the invite code for their phone. */
    class Invite(val personId: String, val code: String)

    override fun before() {
        folder.create()
        databaseUrl = "sqlite:" + File(folder.root, "server.db").path
        port = ServerSocket(0).use { it.localPort }
        val log = File(folder.root, "server.log")
        process = ProcessBuilder(bin, "--database-url", databaseUrl, "serve", "--listen", "127.0.0.1:$port")
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(log)
            .start()
        val deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30)
        while (true) {
            check(process!!.isAlive) { "the server stopped: " + log.readText() }
            if (runCatching { Socket("127.0.0.1", port).close() }.isSuccess) break
            check(System.nanoTime() < deadline) { "the server did not start listening" }
            Thread.sleep(20)
        }
    }

    // The server shuts down gracefully on SIGTERM, which waits for the
    // phones' keep-alive connections; after two seconds, SIGKILL.
    override fun after() {
        process?.let {
            it.destroy()
            if (!it.waitFor(2, TimeUnit.SECONDS)) it.destroyForcibly().waitFor()
        }
        folder.delete()
    }

    /**
     * The digital team's one-off `init`: the organisation and its first
     * member of staff, whose invite code their phone joins with.
     */
    fun init(organisation: String, staffName: String): Invite =
        command("init", "--org-name", organisation, "--staff-name", staffName)

    // `init` prints "person:  ID" and "code:    CODE" lines.
    private fun command(vararg args: String): Invite {
        val p = ProcessBuilder(bin, "--database-url", databaseUrl, *args)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start()
        val out = p.inputStream.bufferedReader().readText()
        assertEquals(0, p.waitFor(), "equally-server ${args.toList()}")
        fun field(name: String) = out.lines().first { it.startsWith(name) }.removePrefix(name).trim()
        return Invite(personId = field("person:"), code = field("code:"))
    }
}
