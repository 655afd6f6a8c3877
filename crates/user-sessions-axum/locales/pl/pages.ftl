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

device-on = { $browser } na { $platform }
device-unknown = Nieznane urządzenie
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
action-end-others = Zakończ wszystkie inne sesje
end-others-hint = Wylogowuje Cię ze wszystkich innych przeglądarek i urządzeń. Ta przeglądarka pozostaje zalogowana.
confirm-password-label = Twoje hasło
confirm-password-hint = Wpisz hasło, aby potwierdzić.
confirm-reauthenticate = Ze względów bezpieczeństwa zaloguj się ponownie, zanim zakończysz pozostałe sesje.
confirm-reauthenticate-link = Zaloguj się ponownie

flash-ended-one = Sesja została zakończona.
flash-ended-others =
    { $count ->
        [0] Nie było innych sesji do zakończenia.
        [one] Zakończono { $count } inną sesję.
        [few] Zakończono { $count } inne sesje.
        [many] Zakończono { $count } innych sesji.
       *[other] Zakończono { $count } innej sesji.
    }
flash-wrong-password = Hasło jest nieprawidłowe. Żadna sesja nie została zakończona.

error-not-found-title = Nie znaleziono sesji
error-not-found = Ta sesja nie istnieje lub została już zakończona.
error-forbidden-title = Żądanie odrzucone
error-forbidden = Nie udało się zweryfikować żądania. Odśwież stronę i spróbuj ponownie.
error-unavailable-title = Chwilowo niedostępne
error-unavailable = Nie można teraz wyświetlić sesji. Spróbuj ponownie za chwilę.

nav-back = Wróć do swoich sesji
nav-home = Strona główna
