# De accountpagina's: "Actieve sessies".

sessions-title = Actieve sessies
sessions-intro = Dit zijn de browsers en apparaten die op je account zijn ingelogd. Herken je er een niet, beëindig die sessie dan.
sessions-count =
    { $count ->
        [one] Eén actieve sessie
       *[other] { $count } actieve sessies
    }
sessions-only-one = Dit is je enige actieve sessie.
sessions-empty = Er zijn geen actieve sessies.

session-current = Deze sessie
session-last-activity = Laatst actief
session-signed-in = Ingelogd
session-location = Locatie
session-ip = IP-adres
session-user-agent = Volledige browseridentificatie
session-details = Details
session-active-ago = Actief { $ago }

device-on = { $browser } op { $platform }
device-unknown = Onbekend apparaat
hints-mobile-yes = mobiel: ja
hints-mobile-no = mobiel: nee
# Two parts of a browser's description joined ("Chrome on Android, mobile: yes").
hints-joined = { $first }, { $second }
location-unknown = Onbekende locatie
ip-unknown = Onbekend

time-just-now = zojuist
time-minutes-ago =
    { $count ->
        [one] een minuut geleden
       *[other] { $count } minuten geleden
    }
time-hours-ago =
    { $count ->
        [one] een uur geleden
       *[other] { $count } uur geleden
    }
time-days-ago =
    { $count ->
        [one] gisteren
       *[other] { $count } dagen geleden
    }
time-months-ago =
    { $count ->
        [one] een maand geleden
       *[other] { $count } maanden geleden
    }
time-years-ago =
    { $count ->
        [one] een jaar geleden
       *[other] { $count } jaar geleden
    }

action-end = Sessie beëindigen
action-sign-out = Uitloggen
notice-dismiss = Sluiten
action-end-others = Alle andere sessies beëindigen
end-others-hint = Logt je uit op alle andere browsers en apparaten. Deze browser blijft ingelogd.
confirm-password-label = Je wachtwoord
confirm-password-hint = Voer je wachtwoord in om te bevestigen.
confirm-reauthenticate = Log voor je veiligheid opnieuw in voordat je je andere sessies beëindigt.
confirm-reauthenticate-link = Opnieuw inloggen

flash-ended-one = De sessie is beëindigd.
flash-ended-device = { $device } is afgemeld.
flash-ended-others =
    { $count ->
        [0] Er waren geen andere sessies om te beëindigen.
        [one] Eén andere sessie is beëindigd.
       *[other] { $count } andere sessies zijn beëindigd.
    }
flash-wrong-password = Het wachtwoord was niet juist. Er is geen sessie beëindigd.
flash-too-many-passwords = Te vaak een verkeerd wachtwoord. Er is geen sessie beëindigd; probeer het over een paar minuten opnieuw.

error-not-found-title = Sessie niet gevonden
error-not-found = Deze sessie bestaat niet of is al beëindigd.
error-forbidden-title = Verzoek geweigerd
error-forbidden = Het verzoek kon niet worden gecontroleerd. Laad de pagina opnieuw en probeer het nog eens.
error-bad-request-title = Ongeldig verzoek
error-bad-request = Het verzonden formulier kon niet worden gelezen. Laad de pagina opnieuw en probeer het nog eens.
error-unavailable-title = Tijdelijk niet beschikbaar
error-unavailable = De sessies kunnen nu niet worden getoond. Probeer het zo nog eens.

nav-back = Terug naar je sessies
nav-home = Startpagina
nav-signed-in-as = Ingelogd als { $user }

# De beheerpagina's: alle sessies van alle gebruikers, voor medewerkers.
# Variabelen: $count is een getal.

admin-title = Alle sessies
admin-intro = Alle sessies van alle gebruikers. Zoek een gebruiker of een IP-adres en beëindig de sessies die je selecteert.
admin-search-label = Zoeken
admin-search-submit = Zoeken
admin-search-clear = Zoekopdracht wissen
admin-search-hint = Een gebruikersnaam, naam of e-mailadres; of een IP-adres of het begin ervan ({ $example }).
admin-search-truncated = Te veel gebruikers gevonden; alleen de sessies van de eerste { $count } worden getoond. Zoek preciezer.
admin-filter-status = Op status
admin-filter-all = Alle
admin-filter-active = Actief
admin-filter-expired = Verlopen
admin-filter-owner = Op eigenaar
admin-filter-everyone = Iedereen
admin-filter-mine = Van mij
admin-filter-user = Alleen de sessies van deze gebruiker:
admin-filter-clear = Alle gebruikers tonen
admin-column-select = Selecteren
admin-column-user = Gebruiker
admin-column-ip = IP-adres
admin-column-location = Locatie
admin-column-device = Apparaat
admin-column-last-activity = Laatst actief
admin-column-signed-in = Ingelogd
admin-column-expires = Verloopt
admin-column-status = Status
admin-status-valid = Geldig
admin-status-expired = Verlopen
admin-anonymous = Niet ingelogd
admin-select-session = Deze sessie selecteren
admin-select-all = Alle sessies op deze pagina selecteren
admin-empty = Geen sessies gevonden.
admin-result-count =
    { $count ->
        [one] Eén sessie
       *[other] { $count } sessies
    }
admin-result-more = Meer op de volgende pagina.
admin-pages = Pagina's
admin-first-page = Eerste pagina
admin-next-page = Volgende pagina
admin-action-end-selected = Geselecteerde sessies beëindigen
admin-action-end-user = Alle sessies van deze gebruiker beëindigen
admin-end-user-hint = Logt deze gebruiker uit op elke browser en elk apparaat.
admin-action-purge = Verlopen sessies verwijderen
admin-purge-hint = Verlopen sessies zijn niet meer bruikbaar; dit verwijdert ze nu uit de database.
admin-ended =
    { $count ->
        [0] Er is geen sessie beëindigd.
        [one] Eén sessie is beëindigd.
       *[other] { $count } sessies zijn beëindigd.
    }
admin-nothing-selected = Er was geen sessie geselecteerd.
admin-confirm-title = Bevestig
admin-confirm-end-selected = 
    { $count ->
        [one] De geselecteerde sessie beëindigen?
       *[other] De { $count } geselecteerde sessies beëindigen?
    }
admin-confirm-end-selected-hint = De browsers die ze gebruiken worden bij hun volgende verzoek afgemeld.
admin-confirm-end-user = 
    { $count ->
        [0] { $user } heeft geen sessies.
        [one] De ene sessie van { $user } beëindigen?
       *[other] Alle { $count } sessies van { $user } beëindigen?
    }
admin-confirm-end-user-hint = Deze gebruiker wordt op elke browser en elk apparaat afgemeld.
admin-confirm-purge = 
    { $count ->
        [0] Er zijn geen verlopen sessies.
        [one] De ene verlopen sessie verwijderen?
       *[other] { $count } verlopen sessies verwijderen?
    }
admin-confirm-purge-hint = Verlopen sessies zijn niet meer bruikbaar; dit verwijdert ze nu uit de database.
admin-confirm-button-end = 
    { $count ->
        [one] Eén sessie beëindigen
       *[other] { $count } sessies beëindigen
    }
admin-confirm-button-purge = 
    { $count ->
        [one] Eén sessie verwijderen
       *[other] { $count } sessies verwijderen
    }
admin-confirm-cancel = Annuleren
admin-detail-title = Sessiegegevens
admin-back = Terug naar alle sessies
admin-field-user = Gebruiker
admin-field-user-id = Gebruikers-id
admin-field-public-id = Openbare id
admin-field-ip = IP-adres
admin-field-location = Locatie
admin-field-user-agent = Browseridentificatie
admin-field-client-hints = Client hints
admin-field-created = Aangemaakt
admin-field-last-activity = Laatst actief
admin-field-signed-in = Ingelogd
admin-field-expires = Verloopt
admin-data-title = Sessiedata
admin-data-key = Sleutel
admin-data-value = Waarde
admin-data-hidden = verborgen
admin-data-empty = Deze sessie bevat geen data.
admin-action-end-one = Deze sessie beëindigen
admin-forbidden-title = Alleen voor medewerkers
admin-forbidden = Alleen medewerkers mogen de sessies van alle gebruikers zien.
admin-bad-request-title = Ongeldig verzoek
admin-bad-request = Het adres van deze pagina is ongeldig. Begin opnieuw vanuit de lijst met sessies.
