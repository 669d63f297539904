// Several phones and the real sync server on loopback (`SyncServer`): the
// digital team's `init` makes Riverside Mind and Priya, the first member of
// staff; her phone joins with that code and invites the others from her
// phone; each of them joins on a phone of their own. Each phone acts only
// as its person, and what one person does reaches the others by syncing.

package org.equally.tests

import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.equally.core.AccessFeature
import org.equally.core.Change
import org.equally.core.ChangeListener
import org.equally.core.EquallyCore
import org.equally.core.EquallyException
import org.equally.core.JoinPolicy
import org.equally.core.NewContribution
import org.equally.core.NewOffer
import org.equally.core.NewProject
import org.equally.core.OfferKind
import org.equally.core.PersonKind
import org.equally.core.PhoneStart
import org.equally.core.ProjectView
import org.equally.core.Stage
import org.equally.core.Unavailability
import org.equally.core.Weekday
import org.junit.After
import org.junit.Rule
import org.junit.Test
import org.junit.rules.TemporaryFolder
import java.util.Collections
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue

class SyncTest {
    @get:Rule
    val folder = TemporaryFolder()

    @get:Rule
    val server = SyncServer()

    private val phones by lazy { Phones(folder) }

    @After
    fun letGoOfThePhones() = phones.closeAll()

    // Priya's phone, joined with the code `init` printed, and synced.
    private suspend fun priyasPhone(): EquallyCore {
        val invite = server.init("Riverside Mind", "Priya")
        val phone = phones.fresh("priya")
        assertEquals(invite.personId, phone.connect(server.url, invite.code).personId)
        phone.syncNow()
        return phone
    }

    // Staff invite someone from their phone; they join on their own phone,
    // and both phones sync so each knows the other.
    private suspend fun invitedBy(staff: EquallyCore, name: String, kind: PersonKind): EquallyCore {
        val invitation = staff.invitePerson(name, kind)
        val phone = phones.fresh(name.lowercase())
        phone.connect(server.url, invitation.code)
        phone.syncNow()
        staff.syncNow()
        return phone
    }

    private suspend fun EquallyCore.garden(coFounders: List<String>): ProjectView =
        startProject(
            NewProject(
                title = words("Community garden", easyRead = "We grow food together"),
                purpose = words("Grow food together"),
                joinPolicy = JoinPolicy.OPEN,
                coFounders = coFounders,
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
    fun joiningAServerFromAPhoneStartedOfflineIsRefusedAndNothingIsLost() = runBlocking {
        val priya = priyasPhone()
        val invitation = priya.invitePerson("Sam", PersonKind.SUPPORTED_PERSON)

        // Sam had already started his own allotment group on his phone.
        val (phone, sam) = phones.startedOffline("Sam", PersonKind.SUPPORTED_PERSON, group = "Sam's allotment group")
        val allotment = phone.startProject(
            NewProject(title = words("Allotment"), purpose = words("Grow beans"), joinPolicy = JoinPolicy.OPEN),
        )
        val offer = phone.makeOffer(skill("I can grow beans"))
        val pending = phone.pendingCount()
        assertTrue(pending > 0)

        val e = assertFailsWith<EquallyException.Conflict> { phone.connect(server.url, invitation.code) }
        assertTrue(e.message!!.contains("without a server"), e.message)

        // Nothing on the phone changed: still Sam's, his group, his work,
        // every change still waiting, and not connected to anything.
        assertEquals(sam.id, phone.me())
        assertEquals(PhoneStart.OFFLINE, phone.thisPhone()!!.started)
        assertEquals("Sam's allotment group", phone.organisation()!!.name)
        assertEquals("Allotment", phone.project(allotment.id).title.text)
        assertEquals(listOf(allotment.id), phone.home().projects.map { it.id })
        assertEquals(listOf(offer.id), phone.offersOf(sam.id).map { it.id })
        assertEquals(pending, phone.pendingCount())
        assertFalse(phone.syncStatus().connected)
        assertFailsWith<EquallyException.Conflict> { phone.syncNow() }
        assertEquals(pending, phone.pendingCount())

        // The invite was not used up: Sam joins with it on a new profile.
        val fresh = phones.fresh("sam-joined")
        assertEquals(invitation.personId, fresh.connect(server.url, invitation.code).personId)
        assertEquals(invitation.personId, fresh.me())
        fresh.syncNow()
        assertEquals("Sam", fresh.home().name)
        assertEquals(emptyList(), fresh.home().projects)
    }

    @Test
    fun aJoinedPhoneActsAsThePersonItJoinedAs() = runBlocking {
        val priya = priyasPhone()
        val invitation = priya.invitePerson("Sam", PersonKind.SUPPORTED_PERSON)

        val phone = phones.fresh("sam")
        assertNull(phone.thisPhone())
        val connected = phone.connect(server.url, invitation.code)
        assertEquals(invitation.personId, connected.personId)
        assertTrue(connected.deviceToken.isNotEmpty())
        assertEquals(invitation.personId, phone.me())
        val thisPhone = assertNotNull(phone.thisPhone())
        assertEquals(invitation.personId, thisPhone.personId)
        assertEquals(PhoneStart.JOINED, thisPhone.started)
        phone.syncNow()

        // New people join with an invite from staff, not by being added here.
        val pending = phone.pendingCount()
        val e = assertFailsWith<EquallyException.Conflict> {
            phone.addPerson(phone.newPerson("Jo", PersonKind.CARER))
        }
        assertTrue(e.message!!.contains("invite"), e.message)
        assertFailsWith<EquallyException.Conflict> {
            phone.startOffline("Another group", phone.newPerson("Sam", PersonKind.SUPPORTED_PERSON))
        }
        assertEquals(pending, phone.pendingCount())
        assertEquals(invitation.personId, phone.me())

        // His own work is his, and the server takes all of it.
        val offer = phone.makeOffer(skill("I can grow tomatoes"))
        assertEquals(invitation.personId, offer.personId)
        val garden = phone.garden(coFounders = emptyList())
        val report = phone.syncNow()
        assertTrue(report.pushed > 0u)
        assertEquals(0u, report.rejected)
        val status = phone.syncStatus()
        assertTrue(status.rejected.isEmpty())
        assertEquals(0L, status.pending)

        // And it reaches Priya's phone as Sam's.
        priya.syncNow()
        val seen = priya.project(garden.id)
        assertEquals("Community garden", seen.title.text)
        assertFalse(seen.setUpByStaffOnly)
        assertNull(seen.myStatus, "Priya is not in Sam's garden")
        assertEquals(listOf(offer.id), priya.offersOf(invitation.personId).map { it.id })
    }

    @Test
    fun staffInviteSomeoneNewFromTheirPhone() = runBlocking {
        val priya = priyasPhone()
        val before = priya.now()
        val invitation = priya.invitePerson("Marta", PersonKind.SUPPORTED_PERSON)
        assertTrue(invitation.code.isNotBlank())
        assertTrue(invitation.expiresAt > before)
        // A QR code to scan instead of reading the code out.
        val side = invitation.qr.width.toInt()
        assertTrue(side >= 21, "a QR code is at least 21 squares a side, not $side")
        assertEquals(side * side, invitation.qr.dark.size)
        assertTrue(invitation.qr.dark.any { it } && !invitation.qr.dark.all { it })

        // Marta joins on her own phone with that code, and it is hers.
        val marta = phones.fresh("marta")
        assertEquals(invitation.personId, marta.connect(server.url, invitation.code).personId)
        assertEquals(invitation.personId, marta.me())
        marta.syncNow()
        assertEquals("Marta", marta.home().name)
        assertEquals("Marta", marta.person(invitation.personId).name)

        // The code was for one phone only.
        val another = phones.fresh("another")
        assertFailsWith<EquallyException> { another.connect(server.url, invitation.code) }
        assertNull(another.thisPhone())

        // Someone who is not staff cannot invite: the server says no.
        assertFailsWith<EquallyException.NotAllowed> { marta.invitePerson("Someone", PersonKind.VOLUNTEER) }
        Unit
    }

    // A project made on one phone, seen on another

    @Test
    fun aProjectStartedOnOnePhoneArrivesOnAnother() = runBlocking {
        val priya = priyasPhone()
        val invitation = priya.invitePerson("Sam", PersonKind.SUPPORTED_PERSON)
        priya.syncNow()

        val garden = priya.garden(coFounders = listOf(invitation.personId))
        assertTrue(priya.syncStatus().pending > 0)
        val pushed = priya.syncNow()
        assertTrue(pushed.pushed > 0u)
        assertEquals(0u, pushed.rejected)
        assertEquals(0L, priya.syncStatus().pending)

        val sam = phones.fresh("sam")
        sam.connect(server.url, invitation.code)
        // Not synced yet: the project is not on Sam's phone.
        assertFailsWith<EquallyException> { sam.project(garden.id) }
        // Sam's screens listen: they hear the project arrive and the
        // sync's status change, so a "syncing…" line can follow it.
        val heard = Collections.synchronizedList(mutableListOf<Change>())
        val handle = sam.subscribe(object : ChangeListener {
            override fun onChange(changes: List<Change>) {
                heard.addAll(changes)
            }
        })
        sam.syncNow()
        withTimeout(3_000) {
            while (heard.toList().none { it.entity == "sync_status" }) delay(10)
        }
        assertTrue(heard.toList().any { it.entity == "project" && it.id == garden.id })
        handle.close()

        val seen = sam.project(garden.id)
        assertEquals("Community garden", seen.title.text)
        assertEquals(setOf("Priya", "Sam"), seen.members.map { it.name }.toSet())
        val status = sam.syncStatus()
        assertTrue(status.connected)
        assertNotNull(status.lastSynced)
        assertTrue(status.rejected.isEmpty())

        // Sam asks for easy read: his phone shows it; Priya's does not.
        sam.updatePreferences(sam.me(), sam.defaultPreferences().copy(easyRead = true))
        assertEquals("We grow food together", sam.project(garden.id).title.text)
        assertEquals("Community garden", priya.project(garden.id).title.text)

        // Sam reads Polish: his phone words what went wrong in Polish.
        sam.updatePreferences(sam.me(), sam.defaultPreferences().copy(languages = listOf("pl", "en-GB")))
        val missing = assertFailsWith<EquallyException.NotFound> {
            sam.project("01900000-0000-7000-8000-000000000001")
        }
        assertTrue(missing.message!!.startsWith("Nie znaleźliśmy"), missing.message)
    }

    // Offers, contributions and thanks between people

    @Test
    fun nobodyCanWithdrawSomeoneElsesOffer() = runBlocking {
        val priya = priyasPhone()
        val sam = invitedBy(priya, "Sam", PersonKind.SUPPORTED_PERSON)
        val offer = sam.makeOffer(skill("I can grow tomatoes"))
        sam.syncNow()
        priya.syncNow()
        val samId = sam.me()
        assertEquals(listOf(offer.id), priya.offersOf(samId).map { it.id })

        val pending = priya.pendingCount()
        val e = assertFailsWith<EquallyException.NotAllowed> { priya.withdrawOffer(offer.id) }
        assertTrue(e.message!!.contains("only the person who made an offer"), e.message)
        assertEquals(pending, priya.pendingCount())
        assertFalse(priya.offersOf(samId).single().withdrawn)

        // Sam can.
        sam.withdrawOffer(offer.id)
        assertEquals(0u, sam.syncNow().rejected)
        priya.syncNow()
        assertTrue(priya.offersOf(samId).single().withdrawn)
    }

    @Test
    fun aGardenerIsSuggestedForAGardenThatNeedsOne() = runBlocking {
        val priya = priyasPhone()
        val sam = invitedBy(priya, "Sam", PersonKind.SUPPORTED_PERSON)
        val jo = invitedBy(priya, "Jo", PersonKind.VOLUNTEER)
        val garden = priya.garden(coFounders = listOf(sam.me()))
        priya.addNeed(garden.id, OfferKind.SKILL, words("Someone to plan the vegetable beds"), listOf("gardening"))
        priya.syncNow()

        val sams = sam.makeOffer(skill("I know vegetable growing"))
        jo.makeOffer(skill("Jo is not in the project"))
        sam.syncNow()
        jo.syncNow()
        priya.syncNow()

        val matches = priya.matchOffers(garden.id)
        assertEquals(listOf(sams.id), matches.map { it.offer.id })
        assertEquals("Sam", matches[0].offer.personName)
        assertTrue("gardening" in matches[0].shared)
    }

    @Test
    fun aLoggedContributionAndItsThanksShowOnTheHomeScreen() = runBlocking {
        val priya = priyasPhone()
        val sam = invitedBy(priya, "Sam", PersonKind.SUPPORTED_PERSON)
        val garden = priya.garden(coFounders = listOf(sam.me()))
        priya.syncNow()
        sam.syncNow()

        val logged = sam.logContribution(
            NewContribution(
                personId = sam.me(),
                projectId = garden.id,
                what = "Dug the first bed",
                minutes = 150u,
                doneOn = "2026-05-02",
            ),
        )
        assertEquals(sam.me(), logged.loggedBy)
        assertEquals(0u, sam.syncNow().rejected)
        priya.syncNow()
        priya.thank(logged.id, "Brilliant work")
        assertEquals(0u, priya.syncNow().rejected)
        sam.syncNow()

        val home = sam.home()
        assertEquals("Sam", home.name)
        assertEquals(150uL, home.minutesGiven)
        assertEquals("2 hours given", home.timeGivenLabel)
        assertEquals(listOf(garden.id), home.projects.map { it.id })
        assertEquals("Idea", home.projects[0].stageLabel)

        val given = sam.timeGiven(sam.me())
        assertEquals(1uL, given.thanksReceived)
        assertEquals(listOf(150uL), given.byProject.map { it.minutes })
    }

    @Test
    fun someoneOutsideAProjectCanSeeItButNotChangeIt() = runBlocking {
        val priya = priyasPhone()
        val sam = invitedBy(priya, "Sam", PersonKind.SUPPORTED_PERSON)
        val jo = invitedBy(priya, "Jo", PersonKind.VOLUNTEER)
        val garden = priya.garden(coFounders = listOf(sam.me()))
        priya.syncNow()
        jo.syncNow()

        // An open project is seen by the whole organisation.
        assertEquals("Community garden", jo.project(garden.id).title.text)
        val pending = jo.pendingCount()
        val e = assertFailsWith<EquallyException.NotAllowed> { jo.setStage(garden.id, Stage.DOING) }
        assertFalse(e.message.isNullOrBlank())
        assertEquals(pending, jo.pendingCount())
        assertEquals(Stage.IDEA, jo.project(garden.id).stage)
    }

    @Test
    fun timesSomeoneCantDoStayWithThemAndTheStaffWhoSupportThem() = runBlocking {
        val priya = priyasPhone()
        val sam = invitedBy(priya, "Sam", PersonKind.SUPPORTED_PERSON)
        val jo = invitedBy(priya, "Jo", PersonKind.VOLUNTEER)
        val samId = sam.me()
        val prefs = sam.defaultPreferences().copy(
            languages = listOf("pl", "en-GB"),
            accessNeeds = listOf(AccessFeature.STEP_FREE),
            unavailable = listOf(Unavailability(Weekday.TUESDAY, "10:00", "12:00")),
        )
        sam.updatePreferences(samId, prefs)
        assertEquals(prefs, sam.preferences(samId))
        // Sam asks Priya to support him.
        sam.addSupporter(samId, priya.me())
        assertEquals(0u, sam.syncNow().rejected)
        priya.syncNow()
        jo.syncNow()

        assertEquals(prefs, priya.preferences(samId))
        assertEquals("Sam", jo.person(samId).name)
        assertNull(jo.person(samId).preferences)
        assertFailsWith<EquallyException.NotAllowed> { jo.preferences(samId) }
        Unit
    }
}
