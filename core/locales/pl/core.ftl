# Słowa rdzenia po polsku.

## Projects
project-set-up-by-staff-only = Założony tylko przez pracowników: zaproś osoby korzystające z usług, by go współtworzyły.
project-set-up-by-staff-only-easy = Ten projekt założyli tylko pracownicy. Zaproś osoby, które wspieramy, od samego początku.
stage-idea = Pomysł
stage-shaping = Kształtowanie
stage-doing = Działanie
stage-reviewing = Przegląd
stage-resting = Przerwa
stage-done = Zakończony

## Contributions
time-given = { $hours ->
    [one] Przekazana jedna godzina
    [few] Przekazane { $hours } godziny
   *[other] Przekazanych { $hours } godzin
}
time-given-easy = { $hours ->
    [one] Dałeś 1 godzinę. Dziękujemy!
    [few] Dałeś { $hours } godziny. Dziękujemy!
   *[other] Dałeś { $hours } godzin. Dziękujemy!
}

## Home
home-waiting-updates = { $count ->
    [one] Jedna nowa wiadomość do przeczytania
    [few] { $count } nowe wiadomości do przeczytania
   *[other] { $count } nowych wiadomości do przeczytania
}
home-waiting-actions = { $count ->
    [one] Jedno zadanie jest twoje
    [few] { $count } zadania są twoje
   *[other] { $count } zadań jest twoich
}

## Errors people may see
error-not-found = Nie znaleźliśmy tego. Mogło zostać usunięte albo jeszcze nie dotarło na ten telefon.
error-not-found-easy = Nie znaleźliśmy tego.
error-invalid = { $field }: { $reason }
error-not-allowed = Nie możesz tego tutaj zrobić: { $reason }
error-conflict = Teraz nie da się tego zrobić: { $reason }
error-storage = Coś poszło nie tak przy zapisie na telefonie. Nic nie zostało zmienione.
error-busy = Telefon jest teraz zajęty. Spróbuj ponownie za chwilę.
error-busy-easy = Telefon jest zajęty. Spróbuj za chwilę.
error-corrupt = Nie da się odczytać danych Equally zapisanych na tym telefonie. Nic nie zostało zmienione. Poproś pracownika o pomoc.
error-corrupt-easy = Nie możemy odczytać zapisanych danych. Poproś pracownika o pomoc.
error-interrupted = To zostało zatrzymane przed końcem. Nic nie zostało zmienione.
error-offline = Teraz nie ma połączenia. Twoje zmiany są zapisane na tym telefonie i zostaną wysłane później.
error-offline-easy = Teraz nie ma zasięgu. Twoje zmiany są bezpieczne na tym telefonie.
error-network = Serwer nie mógł teraz tego przyjąć: { $reason }. Twoje zmiany są zapisane na tym telefonie.

## Pola, tak jak nazywają je ludzie w komunikatach o błędach
field-time-zone = Strefa czasowa
field-invite-code = Kod zaproszenia
field-server-url = Adres serwera
field-device-token = Logowanie urządzenia
field-encryption-key = Klucz do danych tego telefonu
field-database-path = Miejsce na dane Equally
field-expenses-pence = Wydatki
field-starts-at = Godzina rozpoczęcia
field-ends-at = Godzina zakończenia
field-due-on = Termin
field-done-on = Dzień wykonania
field-review-on = Data przeglądu
field-how-much = Ile
field-what = Co
field-name = Imię lub nazwa
field-title = Tytuł
field-purpose = Cel
field-description = Opis
field-reason = Powód
field-note = Notatka
field-minutes = Czas
field-capacity = Liczba miejsc
field-languages = Języki
field-quiet-hours = Godziny ciszy
field-offsets-minutes = Godziny przypomnień
field-options = Opcje
field-code = Kod
