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

device-on = { $browser } op { $platform }
device-unknown = Onbekend apparaat
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
action-end-others = Alle andere sessies beëindigen
end-others-hint = Logt je uit op alle andere browsers en apparaten. Deze browser blijft ingelogd.
confirm-password-label = Je wachtwoord
confirm-password-hint = Voer je wachtwoord in om te bevestigen.
confirm-reauthenticate = Log voor je veiligheid opnieuw in voordat je je andere sessies beëindigt.
confirm-reauthenticate-link = Opnieuw inloggen

flash-ended-one = De sessie is beëindigd.
flash-ended-others =
    { $count ->
        [0] Er waren geen andere sessies om te beëindigen.
        [one] Eén andere sessie is beëindigd.
       *[other] { $count } andere sessies zijn beëindigd.
    }
flash-wrong-password = Het wachtwoord was niet juist. Er is geen sessie beëindigd.

error-not-found-title = Sessie niet gevonden
error-not-found = Deze sessie bestaat niet of is al beëindigd.
error-forbidden-title = Verzoek geweigerd
error-forbidden = Het verzoek kon niet worden gecontroleerd. Laad de pagina opnieuw en probeer het nog eens.
error-unavailable-title = Tijdelijk niet beschikbaar
error-unavailable = De sessies kunnen nu niet worden getoond. Probeer het zo nog eens.

nav-back = Terug naar je sessies
nav-home = Startpagina
