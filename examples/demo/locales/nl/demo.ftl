# The demo's own pages: home, sign-in, navigation.

demo-title = Sessies die je kunt zien
demo-signed-in-as = Je bent ingelogd als { $user }.
demo-staff = beheerder
demo-intro-signed-in = Log als dezelfde gebruiker in met een andere browser of een privévenster, en er verschijnt een tweede sessie op je sessiepagina — waar je die kunt beëindigen.
demo-intro = Deze applicatie bewaart elke sessie als rij — met gebruiker, IP-adres, browser en tijden — zodat je ziet waar je bent ingelogd en sessies die je niet herkent kunt beëindigen.
demo-your-sessions = Je actieve sessies
demo-all-sessions = Alle sessies (beheer)
demo-sign-out = Uitloggen
demo-sign-in = Inloggen
demo-signed-out-elsewhere = Je bent vanaf een ander apparaat uitgelogd, of je sessie is verlopen. Log opnieuw in om verder te gaan.
demo-accounts = Accounts van deze demo
demo-simulate-title = Probeer het: aanmeldingen vanaf andere apparaten
demo-simulate-hint = Voegt drie sessies aan je account toe — een iPhone, een Android-telefoon en een Windows-pc, op openbare adressen — alsof je daar was ingelogd.
demo-simulate-button = Aanmelding vanaf een ander apparaat simuleren
demo-nav-sessions = Je sessies
demo-username = Gebruikersnaam
demo-password = Wachtwoord
demo-login-try = Probeer { $first } of { $second }.
demo-geoip-sample = Locaties: voorbeeldgegevens, verzonnen voor deze demo, geen echte geolocatie. Zet GEOIP_PATH op een GeoLite2- of DB-IP-database voor echte.
demo-change-password = Wachtwoord wijzigen
demo-current-password = Huidig wachtwoord
demo-new-password = Nieuw wachtwoord
demo-password-changed = Wachtwoord gewijzigd. Je andere sessies zijn afgemeld; deze blijft aangemeld.
demo-new-sign-in = Nieuwe aanmelding: { $device }, { $location } — { $ago }
demo-new-sign-in-unlocated = Nieuwe aanmelding: { $device } — { $ago }
