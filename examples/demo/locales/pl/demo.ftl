# The demo's own pages: home, sign-in, navigation.

demo-title = Sesje, które widzisz
demo-signed-in-as = Zalogowano jako { $user }.
demo-staff = personel
demo-intro-signed-in = Zaloguj się jako ten sam użytkownik w innej przeglądarce lub oknie prywatnym, a na stronie sesji pojawi się druga sesja — którą możesz tam zakończyć.
demo-intro = Ta aplikacja przechowuje każdą sesję jako wiersz — z użytkownikiem, adresem IP, przeglądarką i czasami — abyś widział, gdzie jesteś zalogowany, i kończył sesje, których nie rozpoznajesz.
demo-your-sessions = Twoje aktywne sesje
demo-all-sessions = Wszystkie sesje (administracja)
demo-sign-out = Wyloguj się
demo-sign-in = Zaloguj się
demo-signed-out-elsewhere = Wylogowano Cię z innego urządzenia lub Twoja sesja wygasła. Zaloguj się ponownie, aby kontynuować.
demo-accounts = Konta tego demo
demo-simulate-title = Wypróbuj: logowania z innych urządzeń
demo-simulate-hint = Dodaje do Twojego konta trzy sesje — iPhone’a, telefon z Androidem i komputer z Windows, z publicznych adresów — jakbyś się tam zalogował.
demo-simulate-button = Symuluj logowanie z innego urządzenia
demo-nav-sessions = Twoje sesje
demo-username = Nazwa użytkownika
demo-password = Hasło
demo-login-try = Spróbuj { $first } lub { $second }.
demo-geoip-sample = Lokalizacje: przykładowe dane wymyślone na potrzeby tego demo, nie prawdziwa geolokalizacja. Ustaw GEOIP_PATH na bazę GeoLite2 lub DB-IP, aby zobaczyć prawdziwe.
demo-change-password = Zmień hasło
demo-current-password = Obecne hasło
demo-new-password = Nowe hasło
demo-password-changed = Hasło zmienione. Pozostałe sesje zostały wylogowane; ta pozostaje zalogowana.
demo-new-sign-in = Nowe logowanie: { $device }, { $location } — { $ago }
demo-new-sign-in-unlocated = Nowe logowanie: { $device } — { $ago }
