# Podsumowania wyników propozycji po polsku. Formy `-easy` to tekst łatwy
# do czytania: krótkie zdania, proste słowa.

## Stan propozycji i frekwencja
decision-open = Głosowanie trwa: dotąd { $voted } z { $eligible ->
    [one] 1 osoby
   *[other] { $eligible } osób
} { $voted ->
    [one] zagłosowała
    [few] zagłosowały
   *[other] zagłosowało
}.
decision-open-easy = Głosowanie jeszcze trwa. Zagłosowali już: { $voted } z { $eligible }.
decision-passed = Przyjęto: { $voted } z { $eligible ->
    [one] 1 osoby
   *[other] { $eligible } osób
} { $voted ->
    [one] zagłosowała
    [few] zagłosowały
   *[other] zagłosowało
}.
decision-passed-easy = Grupa podjęła decyzję. Zagłosowali: { $voted } z { $eligible }.
decision-not-passed = Nie przyjęto: { $voted } z { $eligible ->
    [one] 1 osoby
   *[other] { $eligible } osób
} { $voted ->
    [one] zagłosowała
    [few] zagłosowały
   *[other] zagłosowało
}.
decision-not-passed-easy = Nic nie zostało postanowione. Zagłosowali: { $voted } z { $eligible }.
decision-tie = Remis: { $voted } z { $eligible ->
    [one] 1 osoby
   *[other] { $eligible } osób
} { $voted ->
    [one] zagłosowała
    [few] zagłosowały
   *[other] zagłosowało
}.
decision-tie-easy = Jest remis, więc nic jeszcze nie postanowiono. Zagłosowali: { $voted } z { $eligible }.
decision-no-quorum = Brak kworum: { $voted } z { $eligible ->
    [one] 1 osoby
   *[other] { $eligible } osób
} { $voted ->
    [one] zagłosowała
    [few] zagłosowały
   *[other] zagłosowało
}, a potrzeba było { $needed }.
decision-no-quorum-easy = Za mało osób zagłosowało, więc nic nie postanowiono. Zagłosowali: { $voted } z { $eligible }. Potrzeba było { $needed }.
decision-blocked = Zablokowano: { $voted } z { $eligible ->
    [one] 1 osoby
   *[other] { $eligible } osób
} { $voted ->
    [one] zagłosowała
    [few] zagłosowały
   *[other] zagłosowało
}.
decision-blocked-easy = Ktoś chce to zatrzymać, więc zatrzymamy się i porozmawiamy. Zagłosowali: { $voted } z { $eligible }.

## Sprzeciwy i blokady
decision-nobody-objected = Nikt nie zgłosił sprzeciwu.
decision-nobody-objected-easy = Nikt nie powiedział „nie”.
decision-objections-standing = { $count ->
    [one] Jeden sprzeciw jest nadal aktualny.
    [few] { $count } sprzeciwy są nadal aktualne.
   *[other] { $count } sprzeciwów jest nadal aktualnych.
}
decision-objections-standing-easy = { $count ->
    [one] Jedna osoba powiedziała „nie”. Porozmawiamy o tym.
    [few] { $count } osoby powiedziały „nie”. Porozmawiamy o tym.
   *[other] { $count } osób powiedziało „nie”. Porozmawiamy o tym.
}
decision-objections-settled = { $count ->
    [one] Jeden sprzeciw wycofano lub rozwiązano.
    [few] { $count } sprzeciwy wycofano lub rozwiązano.
   *[other] { $count } sprzeciwów wycofano lub rozwiązano.
}
decision-objections-settled-easy = { $count ->
    [one] Jeden zgłoszony problem został rozwiązany.
    [few] { $count } zgłoszone problemy zostały rozwiązane.
   *[other] { $count } zgłoszonych problemów zostało rozwiązanych.
}
decision-nobody-blocked = Nikt nie zablokował propozycji.
decision-nobody-blocked-easy = Nikt nie chce tego zatrzymać.
decision-blocks-standing = { $count ->
    [one] Jedna blokada jest nadal aktualna.
    [few] { $count } blokady są nadal aktualne.
   *[other] { $count } blokad jest nadal aktualnych.
}
decision-blocks-standing-easy = { $count ->
    [one] Jedna osoba chce to zatrzymać. Porozmawiamy o tym.
    [few] { $count } osoby chcą to zatrzymać. Porozmawiamy o tym.
   *[other] { $count } osób chce to zatrzymać. Porozmawiamy o tym.
}
decision-blocks-settled = { $count ->
    [one] Jedną blokadę wycofano lub rozwiązano.
    [few] { $count } blokady wycofano lub rozwiązano.
   *[other] { $count } blokad wycofano lub rozwiązano.
}
decision-blocks-settled-easy = { $count ->
    [one] Jeden zgłoszony problem został rozwiązany.
    [few] { $count } zgłoszone problemy zostały rozwiązane.
   *[other] { $count } zgłoszonych problemów zostało rozwiązanych.
}
decision-agreement-counts = Za: { $agree }, przeciw: { $disagree }, wstrzymało się: { $abstain }.
decision-agreement-counts-easy = Tak: { $agree }. Nie: { $disagree }. Bez wyboru: { $abstain }.

## Opcje
decision-chosen = Wybrano: { $option }.
decision-chosen-easy = Grupa wybrała: { $option }.
decision-leading = Na razie prowadzi: { $option }.
decision-leading-easy = Na razie najwięcej osób wybrało: { $option }.
decision-tied-between = Remis między: { $options }.
decision-tied-between-easy = Te opcje mają tyle samo: { $options }. Grupa musi wybrać.
decision-best-time = Najlepszy termin: { $option }.
decision-best-time-easy = Najwięcej osób może przyjść w tym terminie: { $option }.
decision-one-to-one-winner = W porównaniu jeden na jeden { $option } wygrywa z każdą inną opcją.
decision-one-to-one-winner-easy = Gdy porównać opcje parami, ludzie najbardziej lubili: { $option }.
decision-no-one-to-one-winner = Żadna opcja nie wygrywa z każdą inną jeden na jeden; z pozostałymi wygrywają: { $options }.
decision-no-one-to-one-winner-easy = Gdy porównać opcje parami, żadna nie wygrała ze wszystkimi. Najlepiej wypadły: { $options }.

## Głosy oddane bez internetu
decision-provisional = Ten wynik może się jeszcze zmienić: głosy oddane bez internetu przed zamknięciem mogą jeszcze dotrzeć.
decision-provisional-easy = To może się jeszcze zmienić. Niektóre głosy mogą być jeszcze w drodze.
