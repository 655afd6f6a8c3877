# Strony konta: „Aktywne sesje”.
# Formy liczby mnogiej: one (1), few (2–4, 22–24, …), many (0, 5–21, …), other (ułamki).

sessions-title = Aktywne sesje
sessions-intro = To są przeglądarki i urządzenia zalogowane na Twoje konto. Jeśli któregoś nie rozpoznajesz, zakończ jego sesję.
sessions-count =
    { $count ->
        [one] { $count } aktywna sesja
        [few] { $count } aktywne sesje
        [many] { $count } aktywnych sesji
       *[other] { $count } aktywnej sesji
    }
sessions-only-one = To Twoja jedyna aktywna sesja.
sessions-empty = Brak aktywnych sesji.

session-current = Ta sesja
session-last-activity = Ostatnia aktywność
session-signed-in = Zalogowano
session-location = Lokalizacja
session-ip = Adres IP
session-user-agent = Pełna identyfikacja przeglądarki
session-details = Szczegóły
session-active-ago = Aktywność: { $ago }

device-on = { $browser } na { $platform }
device-unknown = Nieznane urządzenie
hints-mobile-yes = mobilne: tak
hints-mobile-no = mobilne: nie
# Two parts of a browser's description joined ("Chrome on Android, mobile: yes").
hints-joined = { $first }, { $second }
location-unknown = Nieznana lokalizacja
ip-unknown = Nieznany

time-just-now = przed chwilą
time-minutes-ago =
    { $count ->
        [one] minutę temu
        [few] { $count } minuty temu
        [many] { $count } minut temu
       *[other] { $count } minuty temu
    }
time-hours-ago =
    { $count ->
        [one] godzinę temu
        [few] { $count } godziny temu
        [many] { $count } godzin temu
       *[other] { $count } godziny temu
    }
time-days-ago =
    { $count ->
        [one] wczoraj
        [few] { $count } dni temu
        [many] { $count } dni temu
       *[other] { $count } dnia temu
    }
time-months-ago =
    { $count ->
        [one] miesiąc temu
        [few] { $count } miesiące temu
        [many] { $count } miesięcy temu
       *[other] { $count } miesiąca temu
    }
time-years-ago =
    { $count ->
        [one] rok temu
        [few] { $count } lata temu
        [many] { $count } lat temu
       *[other] { $count } roku temu
    }

action-end = Zakończ sesję
action-sign-out = Wyloguj się
notice-dismiss = Ukryj
action-end-others = Zakończ wszystkie inne sesje
end-others-hint = Wylogowuje Cię ze wszystkich innych przeglądarek i urządzeń. Ta przeglądarka pozostaje zalogowana.
confirm-password-label = Twoje hasło
confirm-password-hint = Wpisz hasło, aby potwierdzić.
confirm-reauthenticate = Ze względów bezpieczeństwa zaloguj się ponownie, zanim zakończysz pozostałe sesje.
confirm-reauthenticate-link = Zaloguj się ponownie

flash-ended-one = Sesja została zakończona.
flash-ended-device = Wylogowano: { $device }.
flash-ended-others =
    { $count ->
        [0] Nie było innych sesji do zakończenia.
        [one] Zakończono { $count } inną sesję.
        [few] Zakończono { $count } inne sesje.
        [many] Zakończono { $count } innych sesji.
       *[other] Zakończono { $count } innej sesji.
    }
flash-wrong-password = Hasło jest nieprawidłowe. Żadna sesja nie została zakończona.
flash-too-many-passwords = Zbyt wiele błędnych haseł. Żadna sesja nie została zakończona; spróbuj ponownie za kilka minut.

error-not-found-title = Nie znaleziono sesji
error-not-found = Ta sesja nie istnieje lub została już zakończona.
error-forbidden-title = Żądanie odrzucone
error-forbidden = Nie udało się zweryfikować żądania. Odśwież stronę i spróbuj ponownie.
error-bad-request-title = Nieprawidłowe żądanie
error-bad-request = Nie udało się odczytać wysłanego formularza. Odśwież stronę i spróbuj ponownie.
error-unavailable-title = Chwilowo niedostępne
error-unavailable = Nie można teraz wyświetlić sesji. Spróbuj ponownie za chwilę.

nav-back = Wróć do swoich sesji
nav-home = Strona główna
nav-signed-in-as = Zalogowano jako { $user }

# Strony administracyjne: wszystkie sesje wszystkich użytkowników, dla personelu.
# Zmienne: $count to liczba.

admin-title = Wszystkie sesje
admin-intro = Wszystkie sesje wszystkich użytkowników. Wyszukaj użytkownika lub adres IP i zakończ wybrane sesje.
admin-search-label = Szukaj
admin-search-submit = Szukaj
admin-search-clear = Wyczyść wyszukiwanie
admin-search-hint = Nazwa użytkownika, imię i nazwisko lub adres e-mail; albo adres IP lub jego początek ({ $example }).
admin-search-truncated = Pasuje zbyt wielu użytkowników; pokazano tylko sesje pierwszych { $count }. Doprecyzuj wyszukiwanie.
admin-filter-status = Według stanu
admin-filter-all = Wszystkie
admin-filter-active = Aktywne
admin-filter-expired = Wygasłe
admin-filter-owner = Według właściciela
admin-filter-everyone = Wszyscy
admin-filter-mine = Moje
admin-filter-user = Tylko sesje tego użytkownika:
admin-filter-clear = Pokaż wszystkich użytkowników
admin-column-select = Zaznacz
admin-column-user = Użytkownik
admin-column-ip = Adres IP
admin-column-location = Lokalizacja
admin-column-device = Urządzenie
admin-column-last-activity = Ostatnia aktywność
admin-column-signed-in = Zalogowano
admin-column-expires = Wygasa
admin-column-status = Stan
admin-status-valid = Ważna
admin-status-expired = Wygasła
admin-anonymous = Niezalogowany
admin-select-session = Zaznacz tę sesję
admin-select-all = Zaznacz wszystkie sesje na tej stronie
admin-empty = Brak pasujących sesji.
admin-result-count =
    { $count ->
        [one] Jedna sesja
        [few] { $count } sesje
       *[many] { $count } sesji
    }
admin-result-more = Więcej na następnej stronie.
admin-pages = Strony
admin-first-page = Pierwsza strona
admin-next-page = Następna strona
admin-action-end-selected = Zakończ zaznaczone sesje
admin-action-end-user = Zakończ wszystkie sesje tego użytkownika
admin-end-user-hint = Wylogowuje tego użytkownika we wszystkich przeglądarkach i na wszystkich urządzeniach.
admin-action-purge = Usuń wygasłe sesje
admin-purge-hint = Wygasłych sesji nie można już użyć; to usuwa je teraz z bazy danych.
admin-ended =
    { $count ->
        [0] Nie zakończono żadnej sesji.
        [one] Zakończono { $count } sesję.
        [few] Zakończono { $count } sesje.
        [many] Zakończono { $count } sesji.
       *[other] Zakończono { $count } sesji.
    }
admin-nothing-selected = Nie zaznaczono żadnej sesji.
admin-confirm-title = Potwierdź
admin-confirm-end-selected = 
    { $count ->
        [one] Zakończyć wybraną sesję?
        [few] Zakończyć { $count } wybrane sesje?
       *[many] Zakończyć { $count } wybranych sesji?
    }
admin-confirm-end-selected-hint = Przeglądarki, które ich używają, zostaną wylogowane przy następnym żądaniu.
admin-confirm-end-user = 
    { $count ->
        [0] { $user } nie ma sesji.
        [one] Zakończyć jedyną sesję { $user }?
        [few] Zakończyć wszystkie { $count } sesje { $user }?
       *[many] Zakończyć wszystkie { $count } sesji { $user }?
    }
admin-confirm-end-user-hint = Użytkownik zostanie wylogowany ze wszystkich przeglądarek i urządzeń.
admin-confirm-purge = 
    { $count ->
        [0] Nie ma wygasłych sesji.
        [one] Usunąć jedyną wygasłą sesję?
        [few] Usunąć { $count } wygasłe sesje?
       *[many] Usunąć { $count } wygasłych sesji?
    }
admin-confirm-purge-hint = Wygasłych sesji nie można już używać; to usuwa je teraz z bazy danych.
admin-confirm-button-end = 
    { $count ->
        [one] Zakończ jedną sesję
        [few] Zakończ { $count } sesje
       *[many] Zakończ { $count } sesji
    }
admin-confirm-button-purge = 
    { $count ->
        [one] Usuń jedną sesję
        [few] Usuń { $count } sesje
       *[many] Usuń { $count } sesji
    }
admin-confirm-cancel = Anuluj
admin-detail-title = Szczegóły sesji
admin-back = Wróć do wszystkich sesji
admin-field-user = Użytkownik
admin-field-user-id = ID użytkownika
admin-field-public-id = Publiczny ID
admin-field-ip = Adres IP
admin-field-location = Lokalizacja
admin-field-user-agent = Identyfikacja przeglądarki
admin-field-client-hints = Client hints
admin-field-created = Utworzono
admin-field-last-activity = Ostatnia aktywność
admin-field-signed-in = Zalogowano
admin-field-expires = Wygasa
admin-data-title = Dane sesji
admin-data-key = Klucz
admin-data-value = Wartość
admin-data-hidden = ukryte
admin-data-empty = Ta sesja nie zawiera danych.
admin-action-end-one = Zakończ tę sesję
admin-forbidden-title = Tylko dla personelu
admin-forbidden = Sesje wszystkich użytkowników może oglądać tylko personel.
admin-bad-request-title = Nieprawidłowe żądanie
admin-bad-request = Adres tej strony jest nieprawidłowy. Zacznij od nowa od listy sesji.
