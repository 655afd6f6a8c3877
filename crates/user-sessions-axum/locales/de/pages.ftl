# Die Kontoseiten: „Aktive Sitzungen“.
# „IP‑Adresse“ steht mit geschütztem Bindestrich (U+2011): Das Wort wird nie am Zeilenende getrennt.

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
session-ip = IP‑Adresse
session-user-agent = Vollständige Browserkennung
session-details = Details
session-active-ago = Aktiv { $ago }

device-on = { $browser } auf { $platform }
device-unknown = Unbekanntes Gerät
hints-mobile-yes = mobil: ja
hints-mobile-no = mobil: nein
# Two parts of a browser's description joined ("Chrome on Android, mobile: yes").
hints-joined = { $first }, { $second }
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
notice-dismiss = Ausblenden
action-end-others = Alle anderen Sitzungen beenden
end-others-hint = Meldet Sie in allen anderen Browsern und auf allen anderen Geräten ab. Dieser Browser bleibt angemeldet.
confirm-password-label = Ihr Passwort
confirm-password-hint = Geben Sie zur Bestätigung Ihr Passwort ein.
confirm-reauthenticate = Melden Sie sich zu Ihrer Sicherheit erneut an, bevor Sie Ihre anderen Sitzungen beenden.
confirm-reauthenticate-link = Erneut anmelden

flash-ended-one = Die Sitzung wurde beendet.
flash-ended-device = { $device } wurde abgemeldet.
flash-ended-others =
    { $count ->
        [0] Es gab keine anderen Sitzungen zu beenden.
        [one] Eine andere Sitzung wurde beendet.
       *[other] { $count } andere Sitzungen wurden beendet.
    }
flash-wrong-password = Das Passwort war nicht korrekt. Es wurde keine Sitzung beendet.
flash-too-many-passwords = Zu viele falsche Passwörter. Es wurde keine Sitzung beendet; versuchen Sie es in ein paar Minuten erneut.

error-not-found-title = Sitzung nicht gefunden
error-not-found = Diese Sitzung existiert nicht oder wurde bereits beendet.
error-forbidden-title = Anfrage abgelehnt
error-forbidden = Die Anfrage konnte nicht überprüft werden. Laden Sie die Seite neu und versuchen Sie es noch einmal.
error-bad-request-title = Ungültige Anfrage
error-bad-request = Das gesendete Formular konnte nicht gelesen werden. Laden Sie die Seite neu und versuchen Sie es noch einmal.
error-unavailable-title = Vorübergehend nicht verfügbar
error-unavailable = Die Sitzungen können gerade nicht angezeigt werden. Bitte versuchen Sie es gleich noch einmal.

nav-back = Zurück zu Ihren Sitzungen
nav-home = Startseite
nav-signed-in-as = Angemeldet als { $user }

# Die Verwaltungsseiten: alle Sitzungen aller Benutzer, für Mitarbeitende.
# Variablen: $count ist eine Zahl.

admin-title = Alle Sitzungen
admin-intro = Alle Sitzungen aller Benutzer. Suchen Sie nach einem Benutzer oder einer IP‑Adresse und beenden Sie die ausgewählten Sitzungen.
admin-search-label = Suche
admin-search-submit = Suchen
admin-search-clear = Suche löschen
admin-search-hint = Ein Benutzername, Name oder eine E-Mail-Adresse; oder eine IP‑Adresse oder ihr Anfang ({ $example }).
admin-search-truncated = Zu viele Benutzer gefunden; nur die Sitzungen der ersten { $count } werden angezeigt. Suchen Sie genauer.
admin-filter-status = Nach Status
admin-filter-all = Alle
admin-filter-active = Aktiv
admin-filter-expired = Abgelaufen
admin-filter-owner = Nach Besitzer
admin-filter-everyone = Alle Benutzer
admin-filter-mine = Meine
admin-filter-user = Nur die Sitzungen dieses Benutzers:
admin-filter-clear = Alle Benutzer anzeigen
admin-column-select = Auswählen
admin-column-user = Benutzer
admin-column-ip = IP‑Adresse
admin-column-location = Standort
admin-column-device = Gerät
admin-column-last-activity = Zuletzt aktiv
admin-column-signed-in = Angemeldet
admin-column-expires = Läuft ab
admin-column-status = Status
admin-status-valid = Gültig
admin-status-expired = Abgelaufen
admin-anonymous = Nicht angemeldet
admin-select-session = Diese Sitzung auswählen
admin-select-all = Alle Sitzungen dieser Seite auswählen
admin-empty = Keine passenden Sitzungen.
admin-result-count =
    { $count ->
        [one] Eine Sitzung
       *[other] { $count } Sitzungen
    }
admin-result-more = Weitere auf der nächsten Seite.
admin-pages = Seiten
admin-first-page = Erste Seite
admin-next-page = Nächste Seite
admin-action-end-selected = Ausgewählte Sitzungen beenden
admin-action-end-user = Alle Sitzungen dieses Benutzers beenden
admin-end-user-hint = Meldet diesen Benutzer in jedem Browser und auf jedem Gerät ab.
admin-action-purge = Abgelaufene Sitzungen löschen
admin-purge-hint = Abgelaufene Sitzungen sind nicht mehr nutzbar; dies entfernt sie jetzt aus der Datenbank.
admin-ended =
    { $count ->
        [0] Es wurde keine Sitzung beendet.
        [one] Eine Sitzung wurde beendet.
       *[other] { $count } Sitzungen wurden beendet.
    }
admin-nothing-selected = Es wurde keine Sitzung ausgewählt.
admin-confirm-title = Bitte bestätigen
admin-confirm-end-selected = 
    { $count ->
        [one] Die ausgewählte Sitzung beenden?
       *[other] Die { $count } ausgewählten Sitzungen beenden?
    }
admin-confirm-end-selected-hint = Die Browser, die sie verwenden, werden bei ihrer nächsten Anfrage abgemeldet.
admin-confirm-end-user = 
    { $count ->
        [0] { $user } hat keine Sitzungen.
        [one] Die eine Sitzung von { $user } beenden?
       *[other] Alle { $count } Sitzungen von { $user } beenden?
    }
admin-confirm-end-user-hint = Die Person wird auf allen Browsern und Geräten abgemeldet.
admin-confirm-purge = 
    { $count ->
        [0] Es gibt keine abgelaufenen Sitzungen.
        [one] Die eine abgelaufene Sitzung löschen?
       *[other] { $count } abgelaufene Sitzungen löschen?
    }
admin-confirm-purge-hint = Abgelaufene Sitzungen sind nicht mehr nutzbar; dies entfernt sie jetzt aus der Datenbank.
admin-confirm-button-end = 
    { $count ->
        [one] Eine Sitzung beenden
       *[other] { $count } Sitzungen beenden
    }
admin-confirm-button-purge = 
    { $count ->
        [one] Eine Sitzung löschen
       *[other] { $count } Sitzungen löschen
    }
admin-confirm-cancel = Abbrechen
admin-detail-title = Sitzungsdetails
admin-back = Zurück zu allen Sitzungen
admin-field-user = Benutzer
admin-field-user-id = Benutzer-ID
admin-field-public-id = Öffentliche ID
admin-field-ip = IP‑Adresse
admin-field-location = Standort
admin-field-user-agent = Browserkennung
admin-field-client-hints = Client Hints
admin-field-created = Erstellt
admin-field-last-activity = Zuletzt aktiv
admin-field-signed-in = Angemeldet
admin-field-expires = Läuft ab
admin-data-title = Sitzungsdaten
admin-data-key = Schlüssel
admin-data-value = Wert
admin-data-hidden = verborgen
admin-data-empty = Diese Sitzung enthält keine Daten.
admin-action-end-one = Diese Sitzung beenden
admin-forbidden-title = Nur für Mitarbeitende
admin-forbidden = Nur Mitarbeitende dürfen die Sitzungen aller Benutzer sehen.
admin-bad-request-title = Ungültige Anfrage
admin-bad-request = Die Adresse dieser Seite ist ungültig. Beginnen Sie erneut bei der Liste der Sitzungen.
