# Die Kontoseiten: „Aktive Sitzungen“.

sessions-title = Aktive Sitzungen
sessions-intro = Das sind die Browser und Geräte, die bei Ihrem Konto angemeldet sind. Wenn Sie eine Sitzung nicht erkennen, beenden Sie sie.
sessions-count =
    { $count ->
        [one] Eine aktive Sitzung
       *[other] { $count } aktive Sitzungen
    }
sessions-only-one = Dies ist Ihre einzige aktive Sitzung.
sessions-empty = Es gibt keine aktiven Sitzungen.

session-current = Diese Sitzung
session-last-activity = Zuletzt aktiv
session-signed-in = Angemeldet
session-location = Standort
session-ip = IP-Adresse
session-user-agent = Vollständige Browserkennung

device-on = { $browser } auf { $platform }
device-unknown = Unbekanntes Gerät
location-unknown = Unbekannter Standort
ip-unknown = Unbekannt

time-just-now = gerade eben
time-minutes-ago =
    { $count ->
        [one] vor einer Minute
       *[other] vor { $count } Minuten
    }
time-hours-ago =
    { $count ->
        [one] vor einer Stunde
       *[other] vor { $count } Stunden
    }
time-days-ago =
    { $count ->
        [one] gestern
       *[other] vor { $count } Tagen
    }
time-months-ago =
    { $count ->
        [one] vor einem Monat
       *[other] vor { $count } Monaten
    }
time-years-ago =
    { $count ->
        [one] vor einem Jahr
       *[other] vor { $count } Jahren
    }

action-end = Sitzung beenden
action-sign-out = Abmelden
action-end-others = Alle anderen Sitzungen beenden
end-others-hint = Meldet Sie in allen anderen Browsern und auf allen anderen Geräten ab. Dieser Browser bleibt angemeldet.
confirm-password-label = Ihr Passwort
confirm-password-hint = Geben Sie zur Bestätigung Ihr Passwort ein.
confirm-reauthenticate = Melden Sie sich zu Ihrer Sicherheit erneut an, bevor Sie Ihre anderen Sitzungen beenden.
confirm-reauthenticate-link = Erneut anmelden

flash-ended-one = Die Sitzung wurde beendet.
flash-ended-others =
    { $count ->
        [0] Es gab keine anderen Sitzungen zu beenden.
        [one] Eine andere Sitzung wurde beendet.
       *[other] { $count } andere Sitzungen wurden beendet.
    }
flash-wrong-password = Das Passwort war nicht korrekt. Es wurde keine Sitzung beendet.

error-not-found-title = Sitzung nicht gefunden
error-not-found = Diese Sitzung existiert nicht oder wurde bereits beendet.
error-forbidden-title = Anfrage abgelehnt
error-forbidden = Die Anfrage konnte nicht überprüft werden. Laden Sie die Seite neu und versuchen Sie es noch einmal.
error-unavailable-title = Vorübergehend nicht verfügbar
error-unavailable = Die Sitzungen können gerade nicht angezeigt werden. Bitte versuchen Sie es gleich noch einmal.

nav-back = Zurück zu Ihren Sitzungen
nav-home = Startseite
