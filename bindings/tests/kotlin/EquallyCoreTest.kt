// The Kotlin suite: the generated bindings against the real library on the
// desktop JVM, used the way the Android app will use them — a database in a
// temporary folder, the organisation, people, a project, offers,
// contributions, the home screen, change notices, typed exceptions and
// concurrent suspend calls.

package org.equally.tests

import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.equally.core.AccessFeature
import org.equally.core.AppLogger
import org.equally.core.Change
import org.equally.core.ChangeListener
import org.equally.core.EquallyCore
import org.equally.core.EquallyException
import org.equally.core.JoinPolicy
import org.equally.core.LogLevel
import org.equally.core.LogRecord
import org.equally.core.NewContribution
import org.equally.core.NewOffer
import org.equally.core.NewPerson
import org.equally.core.NewProject
import org.equally.core.OfferKind
import org.equally.core.Person
import org.equally.core.PersonKind
import org.equally.core.ProjectView
import org.equally.core.QuietHours
import org.equally.core.Recognition
import org.equally.core.ReminderPreferences
import org.equally.core.Role
import org.equally.core.Stage
import org.equally.core.TextSize
import org.equally.core.TextVariants
import org.equally.core.Unavailability
import org.equally.core.Weekday
import org.equally.core.Wording
import org.equally.core.changes
import org.equally.core.setAppLogger
import org.junit.After
import org.junit.Before
import org.junit.Rule
import org.junit.Test
import org.junit.rules.TemporaryFolder
import java.io.File
import java.util.Collections
import java.util.concurrent.atomic.AtomicBoolean
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kotlin.test.fail

class EquallyCoreTest {
    @get:Rule
    val folder = TemporaryFolder()

    private lateinit var core: EquallyCore

    @Before
    fun openTheDatabase() = runBlocking {
        core = EquallyCore.open(File(folder.root, "equally.db").path)
    }

    @After
    fun letGoOfTheDatabase() {
        // uniffi's AutoCloseable: frees the Rust handle now rather than at GC.
        core.close()
    }

    // The people of a small project.
    private class People(val priya: Person, val alex: Person, val sam: Person, val jo: Person)

    private suspend fun people(): People {
        core.createOrganisation("Riverside Mind")
        val prefs = core.defaultPreferences()
        suspend fun add(name: String, kind: PersonKind) =
            core.addPerson(null, NewPerson(name = name, kind = kind, preferences = prefs))
        return People(
            priya = add("Priya", PersonKind.STAFF),
            alex = add("Alex", PersonKind.STAFF),
            sam = add("Sam", PersonKind.SUPPORTED_PERSON),
            jo = add("Jo", PersonKind.VOLUNTEER),
        )
    }

    private fun text(words: String, easyRead: String? = null) =
        TextVariants(Wording(lang = "en-GB", text = words, easyRead = easyRead))

    private suspend fun garden(starter: Person, coFounders: List<Person>): ProjectView =
        core.startProject(
            starter.id,
            NewProject(
                title = text("Community garden", easyRead = "We grow food together"),
                purpose = text("Grow food and friendships"),
                joinPolicy = JoinPolicy.OPEN,
                coFounders = coFounders.map { it.id },
            ),
        )

    private fun skill(words: String) = NewOffer(
        kind = OfferKind.SKILL,
        description = text(words),
        howMuch = "two hours a week",
        tags = listOf("gardening"),
    )

    // Projects

    @Test
    fun aProjectCoFoundedWithAPersonSupportedIsNotFlaggedAsStaffOnly() = runBlocking {
        val p = people()
        val project = garden(p.priya, listOf(p.sam))
        assertEquals(Stage.IDEA, project.stage)
        assertFalse(project.setUpByStaffOnly)
        assertEquals(setOf("Priya", "Sam"), project.members.map { it.name }.toSet())
        assertTrue(project.members.all { it.role == Role.CO_FOUNDER })
    }

    @Test
    fun aProjectStartedByStaffAloneSaysSo() = runBlocking {
        val p = people()
        val project = garden(p.priya, listOf(p.alex))
        assertTrue(project.setUpByStaffOnly)
        assertTrue(project.staffOnlyNotice!!.contains("employees only"))
    }

    @Test
    fun aDoneProjectCanBeReopened() = runBlocking {
        val p = people()
        val project = garden(p.sam, emptyList())
        core.setStage(p.sam.id, project.id, Stage.DONE)
        val reopened = core.setStage(p.sam.id, project.id, Stage.DOING)
        assertEquals(Stage.DOING, reopened.stage)
        assertEquals(1u, reopened.timesReopened)
    }

    @Test
    fun easyReadIsShownToAReaderWhoAskedForIt() = runBlocking {
        val p = people()
        val prefs = core.defaultPreferences().copy(
            easyRead = true,
            readAloud = true,
            textSize = TextSize.LARGE,
            recognition = Recognition.CERTIFICATE,
        )
        core.updatePreferences(p.sam.id, p.sam.id, prefs)
        val project = garden(p.sam, emptyList())
        assertEquals("We grow food together", project.title.text)
        assertTrue(project.title.isEasyRead)
        assertEquals("Community garden", core.project(p.priya.id, project.id).title.text)
    }

    @Test
    fun timesSomeoneCantDoAreSeenByThemButNotByOthers() = runBlocking {
        val p = people()
        val prefs = core.defaultPreferences().copy(
            languages = listOf("pl", "en-GB"),
            reminders = ReminderPreferences(offsetsMinutes = listOf(60u), quietHours = QuietHours("22:00", "07:00")),
            accessNeeds = listOf(AccessFeature.STEP_FREE, AccessFeature.CAPTIONS),
            unavailable = listOf(Unavailability(Weekday.TUESDAY, "10:00", "12:00")),
        )
        val sam = core.updatePreferences(p.sam.id, p.sam.id, prefs)
        assertEquals(prefs, core.person(p.sam.id, p.sam.id).preferences)
        assertEquals(prefs, core.preferences(p.sam.id, p.sam.id))
        assertNull(core.person(p.jo.id, p.sam.id).preferences)
        assertFailsWith<EquallyException.NotAllowed> { core.preferences(p.jo.id, p.sam.id) }
        // What an organiser needs travels on the person everyone sees; the
        // languages and quiet hours do not.
        assertEquals(listOf(AccessFeature.STEP_FREE, AccessFeature.CAPTIONS), sam.accessNeeds)
        assertEquals("Europe/London", sam.timeZone)
    }

    @Test
    fun aQuietHourThatIsNotATimeIsRefused() = runBlocking {
        val p = people()
        val prefs = core.defaultPreferences().copy(
            reminders = ReminderPreferences(offsetsMinutes = listOf(60u), quietHours = QuietHours("25:00", "07:00")),
        )
        val e = assertFailsWith<EquallyException.Invalid> { core.updatePreferences(p.sam.id, p.sam.id, prefs) }
        assertTrue(e.message!!.contains("quiet_hours.start"), e.message)
    }

    // Offers

    @Test
    fun anOfferCanBeWithdrawnAndStaysInHistory() = runBlocking {
        val p = people()
        val offer = core.makeOffer(p.sam.id, skill("I can grow tomatoes"))
        assertNull(offer.withdrawnAt)
        core.withdrawOffer(p.sam.id, offer.id)
        val offers = core.offersOf(p.sam.id, p.sam.id)
        assertEquals(1, offers.size)
        assertTrue(offers[0].withdrawn)
        assertEquals("I can grow tomatoes", offers[0].description.text)
    }

    @Test
    fun nobodyCanWithdrawSomeoneElsesOffer() = runBlocking {
        val p = people()
        val offer = core.makeOffer(p.sam.id, skill("I can grow tomatoes"))
        val e = assertFailsWith<EquallyException.NotAllowed> { core.withdrawOffer(p.priya.id, offer.id) }
        assertTrue(e.message!!.contains("only the person who made an offer"), e.message)
    }

    @Test
    fun aGardenerIsSuggestedForAGardenThatNeedsOne() = runBlocking {
        val p = people()
        val project = garden(p.priya, listOf(p.sam))
        core.addNeed(p.priya.id, project.id, OfferKind.SKILL, text("Someone to plan the vegetable beds"), listOf("gardening"))
        val sams = core.makeOffer(p.sam.id, skill("I know vegetable growing"))
        core.makeOffer(p.jo.id, skill("Jo is not in the project"))
        val matches = core.matchOffers(p.priya.id, project.id)
        assertEquals(listOf(sams.id), matches.map { it.offer.id })
        assertEquals("Sam", matches[0].offer.personName)
        assertTrue("gardening" in matches[0].shared)
    }

    // Contributions and the home screen

    @Test
    fun aLoggedContributionAndItsThanksShowOnTheHomeScreen() = runBlocking {
        val p = people()
        val project = garden(p.priya, listOf(p.sam))
        val logged = core.logContribution(
            p.sam.id,
            NewContribution(
                personId = p.sam.id,
                projectId = project.id,
                what = "Dug the first bed",
                minutes = 150u,
                doneOn = "2026-05-02",
            ),
        )
        assertEquals(Recognition.THANKS, logged.recognition)
        core.thank(p.priya.id, logged.id, "Brilliant work")

        val home = core.home(p.sam.id)
        assertEquals("Sam", home.name)
        assertEquals(150uL, home.minutesGiven)
        assertEquals("2 hours given", home.timeGivenLabel)
        assertEquals(listOf(project.id), home.projects.map { it.id })
        assertEquals("Idea", home.projects[0].stageLabel)

        val given = core.timeGiven(p.sam.id, p.sam.id)
        assertEquals(1uL, given.thanksReceived)
        assertEquals(listOf(150uL), given.byProject.map { it.minutes })
    }

    @Test
    fun anActionTakenOnShowsAsMineAtHome() = runBlocking {
        val p = people()
        val project = garden(p.priya, listOf(p.sam))
        core.addAction(p.sam.id, project.id, text("Buy seeds"), "2026-06-01", true)
        val home = core.home(p.sam.id)
        assertEquals(listOf("Buy seeds"), home.myActions.map { it.what.text })
        assertEquals("2026-06-01", home.myActions[0].dueOn)
    }

    @Test
    fun changesWaitInTheOutboxUntilSynced() = runBlocking {
        val before = core.pendingCount()
        people()
        assertTrue(core.pendingCount() > before)
    }

    // Change notices

    private class Recorder : ChangeListener {
        val heard: MutableList<Change> = Collections.synchronizedList(mutableListOf())
        override fun onChange(changes: List<Change>) {
            heard.addAll(changes)
        }
    }

    @Test
    fun aListenerHearsAboutAnOfferAndNothingAfterCancel() = runBlocking {
        val p = people()
        val recorder = Recorder()
        val handle = core.subscribe(recorder)
        val offer = core.makeOffer(p.sam.id, skill("I can fix bikes"))
        withTimeout(3_000) {
            while (recorder.heard.toList().none { it.entity == "offer" && it.id == offer.id }) delay(10)
        }

        handle.cancel()
        recorder.heard.clear()
        core.makeOffer(p.sam.id, skill("And mend fences"))
        delay(200)
        assertEquals(emptyList(), recorder.heard.toList())
        handle.close()
    }

    @Test
    fun aListenerThatThrowsIsNotDroppedAndWritesStillSucceed() = runBlocking {
        val p = people()
        val heard = Collections.synchronizedList(mutableListOf<Change>())
        val threw = AtomicBoolean(false)
        val handle = core.subscribe(object : ChangeListener {
            override fun onChange(changes: List<Change>) {
                if (threw.compareAndSet(false, true)) throw IllegalStateException("a bug in a screen")
                heard.addAll(changes)
            }
        })
        // uniffi prints a panic for the exception below to stderr: expected.
        core.makeOffer(p.sam.id, skill("I can fix bikes"))
        withTimeout(3_000) { while (!threw.get()) delay(10) }
        val second = core.makeOffer(p.sam.id, skill("I can mend fences"))
        withTimeout(3_000) {
            while (heard.toList().none { it.id == second.id }) delay(10)
        }
        handle.close()
    }

    @Test
    fun changesArriveAsAFlow() = runBlocking {
        val p = people()
        val seen = async(Dispatchers.Default) {
            withTimeout(5_000) { core.changes().first { batch -> batch.any { it.entity == "offer" } } }
        }
        // The collector subscribes on its own thread at its own pace: keep
        // making offers until it has heard one.
        while (!seen.isCompleted) {
            core.makeOffer(p.jo.id, skill("I can drive the van"))
            delay(20)
        }
        assertTrue(seen.await().any { it.entity == "offer" })
    }

    @Test
    fun aBackgroundWorkerOnTheSameFileIsHeardByTheOpenScreen() = runBlocking {
        val p = people()
        val screen = Recorder()
        val handle = core.subscribe(screen)
        // A WorkManager worker opens its own handle on the same file.
        val worker = EquallyCore.open(File(folder.root, "equally.db").path)
        val offer = worker.makeOffer(p.sam.id, skill("I can fix bikes"))
        withTimeout(3_000) {
            while (screen.heard.toList().none { it.entity == "offer" && it.id == offer.id }) delay(10)
        }
        worker.close()
        handle.close()
    }

    // The core's log in the app's logger

    private class Logcat : AppLogger {
        val lines: MutableList<LogRecord> = Collections.synchronizedList(mutableListOf())
        override fun log(record: LogRecord) {
            lines.add(record)
        }
    }

    @Test
    fun aDatabaseThatCannotBeOpenedShowsUpInTheAppsLog() = runBlocking {
        val logcat = Logcat()
        setAppLogger(logcat, LogLevel.INFO)
        try {
            val notADatabase = File(folder.root, "broken.db").apply { writeBytes(ByteArray(8192) { 7 }) }
            assertFailsWith<EquallyException.Storage> { EquallyCore.open(notADatabase.path) }
            val line = logcat.lines.toList().first { it.target == "equally_core::error" }
            assertEquals(LogLevel.ERROR, line.level)
            assertTrue(line.message.startsWith("sqlite error"), line.message)
        } finally {
            setAppLogger(null, LogLevel.INFO)
        }
    }

    // Errors

    @Test
    fun anEmptyTitleIsATypedExceptionWithAReadableMessage() = runBlocking {
        val p = people()
        val e = assertFailsWith<EquallyException.Invalid> {
            core.startProject(p.sam.id, NewProject(title = text("   "), purpose = text("Anything"), joinPolicy = JoinPolicy.OPEN))
        }
        assertEquals("title is empty", e.message)
    }

    @Test
    fun aMangledIdIsRefusedAsInvalidNotACrash() = runBlocking {
        val e = assertFailsWith<EquallyException.Invalid> { core.home("not-an-id") }
        assertEquals("person_id is not a valid id", e.message)
    }

    @Test
    fun someoneOutsideAProjectIsNotAllowedToChangeIt() = runBlocking {
        val p = people()
        val project = garden(p.priya, listOf(p.sam))
        try {
            core.setStage(p.jo.id, project.id, Stage.DOING)
            fail("an outsider changed the project")
        } catch (e: EquallyException) {
            assertTrue(e is EquallyException.NotAllowed, "wrong kind: $e")
            assertFalse(e.message.isNullOrBlank())
        }
    }

    // Concurrency

    @Test
    fun manyCallsAtOnceAllComplete() = runBlocking {
        val p = people()
        (0 until 24).map { n ->
            async(Dispatchers.Default) {
                core.makeOffer(p.sam.id, NewOffer(kind = OfferKind.TIME, description = text("Saturday morning $n")))
                core.home(p.sam.id)
            }
        }.awaitAll()
        assertEquals(24, core.offersOf(p.sam.id, p.sam.id).size)
    }
}
