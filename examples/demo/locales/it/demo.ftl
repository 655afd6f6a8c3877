# The demo's own pages: home, sign-in, navigation.

demo-title = Le sessioni che vedi
demo-signed-in-as = Hai effettuato l’accesso come { $user }.
demo-staff = staff
demo-intro-signed-in = Accedi con lo stesso utente in un altro browser o in una finestra privata: nella pagina delle sessioni compare una seconda sessione, che puoi terminare.
demo-intro = Questa applicazione conserva ogni sessione come una riga — con utente, indirizzo IP, browser e orari — così vedi dove hai effettuato l’accesso e termini le sessioni che non riconosci.
demo-your-sessions = Le tue sessioni attive
demo-all-sessions = Tutte le sessioni (amministrazione)
demo-sign-out = Esci
demo-sign-in = Accedi
demo-signed-out-elsewhere = Sei stato disconnesso da un altro dispositivo oppure la sessione è scaduta. Accedi di nuovo per continuare.
demo-accounts = Account di questa demo
demo-simulate-title = Prova: accessi da altri dispositivi
demo-simulate-hint = Aggiunge tre sessioni al tuo account — un iPhone, un telefono Android e un PC Windows, da indirizzi pubblici — come se avessi effettuato l’accesso lì.
demo-simulate-button = Simula un accesso da un altro dispositivo
demo-nav-sessions = Le tue sessioni
demo-username = Nome utente
demo-password = Password
demo-login-try = Prova { $first } oppure { $second }.
demo-geoip-sample = Posizioni: dati di esempio inventati per questa demo, non una vera geolocalizzazione. Imposta GEOIP_PATH su un database GeoLite2 o DB-IP per quelle reali.
demo-change-password = Cambia password
demo-current-password = Password attuale
demo-new-password = Nuova password
demo-password-changed = Password cambiata. Le altre sessioni sono state chiuse; questa resta attiva.
demo-new-sign-in = Nuovo accesso: { $device }, { $location } — { $ago }
demo-new-sign-in-unlocated = Nuovo accesso: { $device } — { $ago }
