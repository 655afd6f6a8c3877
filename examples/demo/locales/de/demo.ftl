# The demo's own pages: home, sign-in, navigation.

demo-title = Sitzungen, die Sie sehen
demo-signed-in-as = Sie sind angemeldet als { $user }.
demo-staff = Personal
demo-intro-signed-in = Melden Sie sich in einem anderen Browser oder einem privaten Fenster als derselbe Benutzer an: Auf Ihrer Sitzungsseite erscheint eine zweite Sitzung, die Sie dort beenden können.
demo-intro = Diese Anwendung speichert jede Sitzung als Zeile – mit Benutzer, IP-Adresse, Browser und Zeiten –, damit Sie sehen, wo Sie angemeldet sind, und Sitzungen beenden können, die Sie nicht kennen.
demo-your-sessions = Ihre aktiven Sitzungen
demo-all-sessions = Alle Sitzungen (Verwaltung)
demo-sign-out = Abmelden
demo-sign-in = Anmelden
demo-signed-out-elsewhere = Sie wurden von einem anderen Gerät abgemeldet oder Ihre Sitzung ist abgelaufen. Melden Sie sich erneut an, um fortzufahren.
demo-accounts = Konten dieser Demo
demo-simulate-title = Ausprobieren: Anmeldungen von anderen Geräten
demo-simulate-hint = Fügt Ihrem Konto drei Sitzungen hinzu – ein iPhone, ein Android-Telefon und einen Windows-PC an öffentlichen Adressen –, als hätten Sie sich dort angemeldet.
demo-simulate-button = Anmeldung von einem anderen Gerät simulieren
demo-nav-sessions = Ihre Sitzungen
demo-username = Benutzername
demo-password = Passwort
demo-login-try = Probieren Sie { $first } oder { $second }.
demo-geoip-sample = Standorte: Beispieldaten, für diese Demo erfunden, keine echte Geolokalisierung. Für echte Standorte GEOIP_PATH auf eine GeoLite2- oder DB-IP-Datenbank setzen.
demo-change-password = Passwort ändern
demo-current-password = Aktuelles Passwort
demo-new-password = Neues Passwort
demo-password-changed = Passwort geändert. Ihre anderen Sitzungen wurden abgemeldet; diese bleibt angemeldet.
demo-new-sign-in = Neue Anmeldung: { $device }, { $location } — { $ago }
demo-new-sign-in-unlocated = Neue Anmeldung: { $device } — { $ago }
