// The Kotlin suite: the generated bindings against the real library on the
// desktop JVM, used the way the Android app will use them — one database
// per phone in a temporary folder, and each phone someone's own. Here every
// phone is started offline: Priya (staff) starts Riverside Mind on hers and
// adds the others, acting for them only through the calls that say so; Sam
// starts his own group on his. Projects, offers, contributions, the home
// screen, change notices, typed exceptions and concurrent suspend calls.
// What needs someone else's own phone is in SyncTest.

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
import org.equally.core.NewProject
import org.equally.core.OfferKind
import org.equally.core.Person
import org.equally.core.PersonKind
import org.equally.core.PhoneStart
import org.equally.core.ProjectView
import org.equally.core.QuietHours
import org.equally.core.Recognition
import org.equally.core.ReminderPreferences
import org.equally.core.Role
import org.equally.core.Stage
import org.equally.core.TextSize
import org.equally.core.Unavailability
import org.equally.core.Weekday
import org.equally.core.changes
import org.equally.core.setAppLogger
import org.junit.After
import org.junit.Rule
import org.junit.Test
import org.junit.rules.TemporaryFolder
import java.io.File
import java.util.Collections
import java.util.concurrent.atomic.AtomicBoolean
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kotlin.test.fail

class EquallyCoreTest {
    @get:Rule
    val folder = TemporaryFolder()

    private val phones by lazy { Phones(folder) }

    @After
    fun letGoOfThePhones() = phones.closeAll()

    // Priya's phone: she started Riverside Mind on it and added the people
    // of a small project. Everything done on it is Priya's.
    private class PriyasPhone(
        val phone: EquallyCore,
        val priya: Person,
        val alex: Person,
        val sam: Person,
        val jo: Person,
    )

    private suspend fun priyasPhone(): PriyasPhone {
        val (phone, priya) = phones.startedOffline("Priya", PersonKind.STAFF)
        suspend fun add(name: String, kind: PersonKind) = phone.addPerson(phone.newPerson(name, kind))
        return PriyasPhone(
            phone,
            priya = priya,
            alex = add("Alex", PersonKind.STAFF),
            sam = add("Sam", PersonKind.SUPPORTED_PERSON),
            jo = add("Jo", PersonKind.VOLUNTEER),
        )
    }

    // Sam's phone: he started his own allotment group on it.
    private suspend fun samsPhone(): Pair<EquallyCore, Person> =
        phones.startedOffline("Sam", PersonKind.SUPPORTED_PERSON, group = "Sam's allotment group")

    private suspend fun EquallyCore.garden(coFounders: List<Person> = emptyList()): ProjectView =
        startProject(
            NewProject(
                title = words("Community garden", easyRead = "We grow food together"),
                purpose = words("Grow food and friendships"),
                joinPolicy = JoinPolicy.OPEN,
                coFounders = coFounders.map { it.id },
            ),
        )

    private fun skill(description: String) = NewOffer(
        kind = OfferKind.SKILL,
        description = words(description),
        howMuch = "two hours a week",
        tags = listOf("gardening"),
    )

    // Whose phone this is

    @Test
    fun aPhoneStartedOfflineActsOnlyAsItsPerson() = runBlocking {
        val phone = phones.fresh("priya")
        // Before anyone starts, the phone is nobody's and acts for nobody.
        assertNull(phone.thisPhone())
        assertFailsWith<EquallyException.Conflict> { phone.me() }
        assertFailsWith<EquallyException.Conflict> { phone.home() }

        val before = phone.now()
        val priya = phone.startOffline("Riverside Mind", phone.newPerson("Priya", PersonKind.STAFF))
        assertEquals("Riverside Mind", phone.organisation()!!.name)
        assertEquals(priya.id, phone.me())
        val thisPhone = assertNotNull(phone.thisPhone())
        assertEquals(priya.id, thisPhone.personId)
        assertEquals(PhoneStart.OFFLINE, thisPhone.started)
        assertTrue(thisPhone.since in before..phone.now(), "since ${thisPhone.since}")

        // Adding Sam to the group does not make the phone his.
        val sam = phone.addPerson(phone.newPerson("Sam", PersonKind.SUPPORTED_PERSON))
        assertEquals(priya.id, phone.me())

        // The work done on it is Priya's.
        val offer = phone.makeOffer(skill("I can plan vegetable beds"))
        assertEquals(priya.id, offer.personId)
        assertEquals(listOf(offer.id), phone.offersOf(priya.id).map { it.id })
        assertEquals(emptyList(), phone.offersOf(sam.id))
        val garden = phone.garden(coFounders = listOf(sam))
        val home = phone.home()
        assertEquals(priya.id, home.personId)
        assertEquals("Priya", home.name)
        assertEquals(listOf(garden.id), home.projects.map { it.id })

        // It cannot be started a second time, by her or anyone else.
        assertFailsWith<EquallyException.Conflict> {
            phone.startOffline("Another group", phone.newPerson("Jo", PersonKind.VOLUNTEER))
        }
        assertEquals(priya.id, phone.me())
        assertEquals("Riverside Mind", phone.organisation()!!.name)
        // Inviting someone goes through the server, which this phone has not joined.
        assertFailsWith<EquallyException.Conflict> { phone.invitePerson("Jo", PersonKind.VOLUNTEER) }
        Unit
    }

    @Test
    fun onlyStaffAddPeopleToAGroupStartedOnTheirPhone() = runBlocking {
        val (phone, sam) = samsPhone()
        val pending = phone.pendingCount()
        assertFailsWith<EquallyException.NotAllowed> {
            phone.addPerson(phone.newPerson("Jo", PersonKind.VOLUNTEER))
        }
        assertEquals(pending, phone.pendingCount())
        assertEquals(sam.id, phone.me())
        // He is still free to do everything with his own group.
        assertEquals(Stage.IDEA, phone.garden().stage)
    }

    // Projects

    @Test
    fun aProjectCoFoundedWithAPersonSupportedIsNotFlaggedAsStaffOnly() = runBlocking {
        val p = priyasPhone()
        val project = p.phone.garden(coFounders = listOf(p.sam))
        assertEquals(Stage.IDEA, project.stage)
        assertFalse(project.setUpByStaffOnly)
        assertEquals(setOf("Priya", "Sam"), project.members.map { it.name }.toSet())
        assertTrue(project.members.all { it.role == Role.CO_FOUNDER })
    }

    @Test
    fun aProjectStartedByStaffAloneSaysSo() = runBlocking {
        val p = priyasPhone()
        val project = p.phone.garden(coFounders = listOf(p.alex))
        assertTrue(project.setUpByStaffOnly)
        assertTrue(project.staffOnlyNotice!!.contains("employees only"))
    }

    @Test
    fun aDoneProjectCanBeReopened() = runBlocking {
        val (phone, _) = samsPhone()
        val project = phone.garden()
        phone.setStage(project.id, Stage.DONE)
        val reopened = phone.setStage(project.id, Stage.DOING)
        assertEquals(Stage.DOING, reopened.stage)
        assertEquals(1u, reopened.timesReopened)
    }

    @Test
    fun easyReadIsShownToAReaderWhoAskedForIt() = runBlocking {
        val (phone, sam) = samsPhone()
        val project = phone.garden()
        assertEquals("Community garden", project.title.text)
        assertFalse(project.title.isEasyRead)

        val prefs = phone.defaultPreferences().copy(
            easyRead = true,
            readAloud = true,
            textSize = TextSize.LARGE,
            recognition = Recognition.CERTIFICATE,
        )
        phone.updatePreferences(sam.id, prefs)
        val seen = phone.project(project.id)
        assertEquals("We grow food together", seen.title.text)
        assertTrue(seen.title.isEasyRead)
    }

    @Test
    fun timesSomeoneCantDoAreSeenByThemButNotByOthers() = runBlocking {
        val p = priyasPhone()
        val prefs = p.phone.defaultPreferences().copy(
            languages = listOf("pl", "en-GB"),
            reminders = ReminderPreferences(offsetsMinutes = listOf(60u), quietHours = QuietHours("22:00", "07:00")),
            accessNeeds = listOf(AccessFeature.STEP_FREE, AccessFeature.CAPTIONS),
            unavailable = listOf(Unavailability(Weekday.TUESDAY, "10:00", "12:00")),
        )
        // Priya sees all of her own.
        val priya = p.phone.updatePreferences(p.priya.id, prefs)
        assertEquals(prefs, p.phone.person(p.priya.id).preferences)
        assertEquals(prefs, p.phone.preferences(p.priya.id))
        // What an organiser needs travels on the person everyone sees; the
        // languages and quiet hours do not.
        assertEquals(listOf(AccessFeature.STEP_FREE, AccessFeature.CAPTIONS), priya.accessNeeds)
        assertEquals(listOf(Unavailability(Weekday.TUESDAY, "10:00", "12:00")), priya.unavailable)
        assertEquals("Europe/London", priya.timeZone)

        // Sam's are his: not Priya's to read until she supports him.
        assertNull(p.phone.person(p.sam.id).preferences)
        assertFailsWith<EquallyException.NotAllowed> { p.phone.preferences(p.sam.id) }
        p.phone.addSupporter(p.sam.id, p.priya.id)
        assertEquals(p.phone.defaultPreferences(), p.phone.preferences(p.sam.id))
        // And Jo's stay Jo's.
        assertNull(p.phone.person(p.jo.id).preferences)
        assertFailsWith<EquallyException.NotAllowed> { p.phone.preferences(p.jo.id) }
        Unit
    }

    @Test
    fun aQuietHourThatIsNotATimeIsRefused() = runBlocking {
        val (phone, sam) = samsPhone()
        val prefs = phone.defaultPreferences().copy(
            reminders = ReminderPreferences(offsetsMinutes = listOf(60u), quietHours = QuietHours("25:00", "07:00")),
        )
        val e = assertFailsWith<EquallyException.Invalid> { phone.updatePreferences(sam.id, prefs) }
        assertTrue(e.message!!.contains("quiet hours"), e.message)
        assertEquals(phone.defaultPreferences(), phone.preferences(sam.id))
    }

    // Offers

    @Test
    fun anOfferCanBeWithdrawnAndStaysInHistory() = runBlocking {
        val (phone, sam) = samsPhone()
        val offer = phone.makeOffer(skill("I can grow tomatoes"))
        assertNull(offer.withdrawnAt)
        phone.withdrawOffer(offer.id)
        val offers = phone.offersOf(sam.id)
        assertEquals(1, offers.size)
        assertTrue(offers[0].withdrawn)
        assertEquals("I can grow tomatoes", offers[0].description.text)
    }

    @Test
    fun aGardenThatNeedsAGardenerIsShownTheOffersThatFit() = runBlocking {
        val p = priyasPhone()
        val project = p.phone.garden(coFounders = listOf(p.sam))
        p.phone.addNeed(project.id, OfferKind.SKILL, words("Someone to plan the vegetable beds"), listOf("gardening"))
        val fits = p.phone.makeOffer(skill("I know vegetable growing"))
        p.phone.makeOffer(NewOffer(kind = OfferKind.SKILL, description = words("I can drive the van"), tags = listOf("driving")))
        val matches = p.phone.matchOffers(project.id)
        assertEquals(listOf(fits.id), matches.map { it.offer.id })
        assertEquals("Priya", matches[0].offer.personName)
        assertTrue("gardening" in matches[0].shared)
    }

    // Contributions and the home screen

    @Test
    fun aContributionWrittenDownForSomeoneIsTheirsAndTheirSupporterSeesTheThanks() = runBlocking {
        val p = priyasPhone()
        val project = p.phone.garden(coFounders = listOf(p.sam))
        // Sam told Priya what he did; she writes it down for him, by name.
        val logged = p.phone.logContribution(
            NewContribution(
                personId = p.sam.id,
                projectId = project.id,
                what = "Dug the first bed",
                minutes = 150u,
                doneOn = "2026-05-02",
            ),
        )
        assertEquals(p.sam.id, logged.personId)
        assertEquals(p.priya.id, logged.loggedBy)
        assertEquals(Recognition.THANKS, logged.recognition)
        p.phone.thank(logged.id, "Brilliant work")
        // It is his time, not hers.
        assertEquals(0uL, p.phone.home().minutesGiven)
        // His summary is for him and the staff who support him.
        assertFailsWith<EquallyException.NotAllowed> { p.phone.timeGiven(p.sam.id) }
        p.phone.addSupporter(p.sam.id, p.priya.id)
        val given = p.phone.timeGiven(p.sam.id)
        assertEquals(1uL, given.thanksReceived)
        assertEquals(listOf(150uL), given.byProject.map { it.minutes })
    }

    @Test
    fun myOwnTimeShowsOnMyHomeScreenButICannotThankMyself() = runBlocking {
        val (phone, sam) = samsPhone()
        val project = phone.garden()
        val logged = phone.logContribution(
            NewContribution(personId = sam.id, projectId = project.id, what = "Watered the beds", minutes = 150u, doneOn = "2026-05-02"),
        )
        val home = phone.home()
        assertEquals("Sam", home.name)
        assertEquals(150uL, home.minutesGiven)
        assertEquals("2 hours given", home.timeGivenLabel)
        assertEquals(listOf(project.id), home.projects.map { it.id })
        assertEquals("Idea", home.projects[0].stageLabel)
        assertFailsWith<EquallyException.NotAllowed> { phone.thank(logged.id, "Well done me") }
        assertEquals(0uL, phone.timeGiven(sam.id).thanksReceived)
    }

    @Test
    fun anActionTakenOnShowsAsMineAtHome() = runBlocking {
        val (phone, _) = samsPhone()
        val project = phone.garden()
        phone.addAction(project.id, words("Buy seeds"), "2026-06-01", true)
        val home = phone.home()
        assertEquals(listOf("Buy seeds"), home.myActions.map { it.what.text })
        assertEquals("2026-06-01", home.myActions[0].dueOn)
    }

    @Test
    fun changesWaitInTheOutboxUntilSynced() = runBlocking {
        val phone = phones.fresh("priya")
        assertEquals(0L, phone.pendingCount())
        phone.startOffline("Riverside Mind", phone.newPerson("Priya", PersonKind.STAFF))
        val started = phone.pendingCount()
        assertTrue(started > 0)
        phone.addPerson(phone.newPerson("Sam", PersonKind.SUPPORTED_PERSON))
        assertTrue(phone.pendingCount() > started)
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
        val (phone, _) = samsPhone()
        val recorder = Recorder()
        val handle = phone.subscribe(recorder)
        val offer = phone.makeOffer(skill("I can fix bikes"))
        withTimeout(3_000) {
            while (recorder.heard.toList().none { it.entity == "offer" && it.id == offer.id }) delay(10)
        }

        handle.cancel()
        recorder.heard.clear()
        phone.makeOffer(skill("And mend fences"))
        delay(200)
        assertEquals(emptyList(), recorder.heard.toList())
        handle.close()
    }

    @Test
    fun aListenerThatThrowsIsNotDroppedAndWritesStillSucceed() = runBlocking {
        val (phone, _) = samsPhone()
        val heard = Collections.synchronizedList(mutableListOf<Change>())
        val threw = AtomicBoolean(false)
        val handle = phone.subscribe(object : ChangeListener {
            override fun onChange(changes: List<Change>) {
                if (threw.compareAndSet(false, true)) throw IllegalStateException("a bug in a screen")
                heard.addAll(changes)
            }
        })
        // uniffi prints a panic for the exception below to stderr: expected.
        phone.makeOffer(skill("I can fix bikes"))
        withTimeout(3_000) { while (!threw.get()) delay(10) }
        val second = phone.makeOffer(skill("I can mend fences"))
        withTimeout(3_000) {
            while (heard.toList().none { it.id == second.id }) delay(10)
        }
        handle.close()
    }

    @Test
    fun changesArriveAsAFlow() = runBlocking {
        val (phone, _) = samsPhone()
        val seen = async(Dispatchers.Default) {
            withTimeout(5_000) { phone.changes().first { batch -> batch.any { it.entity == "offer" } } }
        }
        // The collector subscribes on its own thread at its own pace: keep
        // making offers until it has heard one.
        while (!seen.isCompleted) {
            phone.makeOffer(skill("I can drive the van"))
            delay(20)
        }
        assertTrue(seen.await().any { it.entity == "offer" })
    }

    @Test
    fun aBackgroundWorkerOnTheSameFileIsHeardByTheOpenScreen() = runBlocking {
        val (screenPhone, sam) = phones.startedOffline("Sam", PersonKind.SUPPORTED_PERSON)
        val screen = Recorder()
        val handle = screenPhone.subscribe(screen)
        // A WorkManager worker opens its own handle on the same file: the
        // same phone, so the same person.
        val worker = EquallyCore.open(File(folder.root, "sam.db").path)
        assertEquals(sam.id, worker.me())
        val offer = worker.makeOffer(skill("I can fix bikes"))
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
            assertFailsWith<EquallyException.Corrupt> { EquallyCore.open(notADatabase.path) }
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
        val (phone, _) = samsPhone()
        val e = assertFailsWith<EquallyException.Invalid> {
            phone.startProject(NewProject(title = words("   "), purpose = words("Anything"), joinPolicy = JoinPolicy.OPEN))
        }
        assertEquals("The title is empty", e.message)
        assertEquals(emptyList(), phone.home().projects)
    }

    @Test
    fun aMangledIdIsRefusedAsInvalidNotACrash() = runBlocking {
        val (phone, _) = samsPhone()
        val e = assertFailsWith<EquallyException.Invalid> { phone.project("not-an-id") }
        assertTrue(e.message!!.endsWith("is not a valid id"), e.message)
        assertFalse(e.message!!.contains('_'), "a sentence, not a field name: ${e.message}")
    }

    @Test
    fun someoneOutsideAProjectIsNotAllowedToChangeIt() = runBlocking {
        // Priya starts a garden with Sam, then steps out of it: it is no
        // longer hers to move on.
        val p = priyasPhone()
        val project = p.phone.garden(coFounders = listOf(p.sam))
        p.phone.leaveProject(project.id)
        try {
            p.phone.setStage(project.id, Stage.DOING)
            fail("someone outside the project changed it")
        } catch (e: EquallyException) {
            assertTrue(e is EquallyException.NotAllowed, "wrong kind: $e")
            assertFalse(e.message.isNullOrBlank())
        }
    }

    // Concurrency

    @Test
    fun manyCallsAtOnceAllComplete() = runBlocking {
        val (phone, sam) = samsPhone()
        (0 until 24).map { n ->
            async(Dispatchers.Default) {
                phone.makeOffer(NewOffer(kind = OfferKind.TIME, description = words("Saturday morning $n")))
                phone.home()
            }
        }.awaitAll()
        assertEquals(24, phone.offersOf(sam.id).size)
    }
}
