# Spotkania, przypomnienia i kalendarze po polsku.

## Kiedy coś się dzieje, licząc od chwili przypomnienia
when-today = dziś o { $time }
when-tomorrow = jutro o { $time }
when-date = { $weekday }, { $day } { $month }, godz. { $time }
when-date-easy = { $weekday } { $day } { $month } o godzinie { $time }
day-today = dziś
day-tomorrow = jutro
day-date = { $weekday }, { $day } { $month }

weekday-1 = poniedziałek
weekday-2 = wtorek
weekday-3 = środa
weekday-4 = czwartek
weekday-5 = piątek
weekday-6 = sobota
weekday-7 = niedziela

# Miesiące w dopełniaczu, bo stoją zawsze po dniu („14 października”).
month-1 = stycznia
month-2 = lutego
month-3 = marca
month-4 = kwietnia
month-5 = maja
month-6 = czerwca
month-7 = lipca
month-8 = sierpnia
month-9 = września
month-10 = października
month-11 = listopada
month-12 = grudnia

## Przypomnienia
reminder-meeting-title = Spotkanie: { $title }
reminder-meeting-title-easy = Masz spotkanie: { $title }
reminder-meeting-moved-title = Nowy termin spotkania: { $title }
reminder-meeting-moved-title-easy = Twoje spotkanie ma nowy termin: { $title }
reminder-meeting-body = Początek: { $when }. Miejsce: { $place }
reminder-meeting-body-easy = Spotkanie zaczyna się: { $when }. Przyjdź tutaj: { $place }
reminder-meeting-body-online = Początek: { $when }. Online: otwórz Equally, aby dołączyć.
reminder-meeting-body-online-easy = Spotkanie zaczyna się: { $when }. Jest w internecie. Otwórz aplikację, aby dołączyć.
reminder-meeting-body-no-place = Początek: { $when }.
reminder-meeting-body-no-place-easy = Spotkanie zaczyna się: { $when }.
reminder-proposal-title = Głosowanie wkrótce się kończy: { $title }
reminder-proposal-title-easy = Prosimy, zagłosuj: { $title }
reminder-proposal-body = Głosowanie kończy się: { $when }. Twój głos liczy się tak samo jak głos każdej innej osoby.
reminder-proposal-body-easy = Głosowanie kończy się: { $when }. Zagłosuj przed tym czasem. Twój głos jest tak samo ważny jak głos innych.
reminder-action-title = Zadanie do zrobienia: { $title }
reminder-action-title-easy = Twoje zadanie: { $title }
reminder-action-body = Termin: { $when }. Jeśli się nie uda, „nie dziś” też jest odpowiedzią.
reminder-action-body-easy = Termin: { $when }. Możesz powiedzieć „nie dziś”. To jest w porządku.

## Dostępność: co zapewnia spotkanie
access-feature-step-free = Dostęp bez schodów
access-feature-hearing-loop = Pętla indukcyjna
access-feature-quiet-room = Cichy pokój
access-feature-interpreter = Tłumacz
access-feature-bsl = Tłumacz brytyjskiego języka migowego (BSL)
access-feature-childcare = Opieka nad dziećmi
access-feature-accessible-toilet = Toaleta dla osób z niepełnosprawnościami
access-feature-large-print = Materiały w dużym druku
access-feature-easy-read-papers = Materiały w wersji łatwej do czytania
access-feature-captions = Napisy na żywo

## Uwagi o dostępności, widoczne tylko dla organizatora
access-concern-need = { $need ->
    [step-free] { $name } potrzebuje dostępu bez schodów, a to spotkanie tego nie zapewnia.
    [hearing-loop] { $name } potrzebuje pętli indukcyjnej, a to spotkanie tego nie zapewnia.
    [quiet-room] { $name } potrzebuje cichego pokoju, a to spotkanie tego nie zapewnia.
    [interpreter] { $name } potrzebuje tłumacza, a to spotkanie tego nie zapewnia.
    [bsl] { $name } potrzebuje tłumacza BSL, a to spotkanie tego nie zapewnia.
    [childcare] { $name } potrzebuje opieki nad dziećmi, a to spotkanie tego nie zapewnia.
    [accessible-toilet] { $name } potrzebuje toalety dla osób z niepełnosprawnościami, a to spotkanie tego nie zapewnia.
    [large-print] { $name } potrzebuje materiałów w dużym druku, a to spotkanie tego nie zapewnia.
    [easy-read-papers] { $name } potrzebuje materiałów w wersji łatwej do czytania, a to spotkanie tego nie zapewnia.
    [captions] { $name } potrzebuje napisów na żywo, a to spotkanie tego nie zapewnia.
   *[other] { $name } ma potrzebę, której to spotkanie nie spełnia.
}
access-concern-need-easy = { $need ->
    [step-free] { $name } potrzebuje wejścia bez schodów. Na tym spotkaniu tego nie ma.
    [hearing-loop] { $name } potrzebuje pętli indukcyjnej. Na tym spotkaniu tego nie ma.
    [quiet-room] { $name } potrzebuje cichego pokoju. Na tym spotkaniu tego nie ma.
    [interpreter] { $name } potrzebuje kogoś, kto przetłumaczy. Na tym spotkaniu tego nie ma.
    [bsl] { $name } potrzebuje kogoś, kto zna język migowy BSL. Na tym spotkaniu tego nie ma.
    [childcare] { $name } potrzebuje kogoś, kto zaopiekuje się dziećmi. Na tym spotkaniu tego nie ma.
    [accessible-toilet] { $name } potrzebuje dostosowanej toalety. Na tym spotkaniu tego nie ma.
    [large-print] { $name } potrzebuje materiałów dużymi literami. Na tym spotkaniu tego nie ma.
    [easy-read-papers] { $name } potrzebuje materiałów w łatwym języku. Na tym spotkaniu tego nie ma.
    [captions] { $name } potrzebuje napisów na ekranie. Na tym spotkaniu tego nie ma.
   *[other] { $name } potrzebuje czegoś, czego na tym spotkaniu nie ma.
}
access-concern-unavailable = To spotkanie wypada w godzinach, w których { $name } nie może uczestniczyć.
access-concern-unavailable-easy = { $name } mówi, że nie może przyjść o tej porze.

## Eksport do kalendarza
calendar-my-meetings = Moje spotkania
calendar-access = Dostępność:
calendar-join-online = Dołącz online:
calendar-online = Online

## Check-iny: pięć buziek skali nastroju, czytanych na głos
mood-1 = Bardzo źle
mood-2 = Źle
mood-3 = Tak sobie
mood-4 = Dobrze
mood-5 = Bardzo dobrze

## Co czeka na ekranie głównym
home-waiting-meeting-moved = { $title }: nowy termin to { $when }.
home-waiting-meeting-moved-easy = { $title } jest w innym czasie: { $when }.
home-waiting-meeting-cancelled = { $title }: spotkanie jest odwołane.
home-waiting-meeting-cancelled-easy = { $title } się nie odbędzie. Spotkanie jest odwołane.
home-waiting-meeting-changed = { $title }: zmieniło się miejsce lub sposób dołączenia. Sprawdź szczegóły.
home-waiting-meeting-changed-easy = { $title } się zmieniło. Zobacz, gdzie jest spotkanie.
home-waiting-place = Zwolniło się dla ciebie miejsce: { $title }.
home-waiting-place-easy = Dobra wiadomość: możesz teraz przyjść na { $title }.
home-waiting-follow-up = Skontaktuj się ponownie: { $name }, do { $when }.
home-waiting-follow-up-group = Do sprawdzenia: { $title }, do { $when }.
