# The demo's own pages: home, sign-in, navigation.

demo-title = Сеансы, которые вы видите
demo-signed-in-as = Вы вошли как { $user }.
demo-staff = сотрудник
demo-intro-signed-in = Войдите под тем же пользователем в другом браузере или в приватном окне — на странице сеансов появится второй сеанс, который там можно завершить.
demo-intro = Это приложение хранит каждый сеанс строкой — с пользователем, IP-адресом, браузером и временем, — чтобы вы видели, где выполнен вход, и завершали незнакомые сеансы.
demo-your-sessions = Ваши активные сеансы
demo-all-sessions = Все сеансы (администрирование)
demo-sign-out = Выйти
demo-sign-in = Войти
demo-signed-out-elsewhere = Вы вышли из системы на другом устройстве, или срок действия сеанса истёк. Войдите снова, чтобы продолжить.
demo-accounts = Учётные записи демо
demo-simulate-title = Попробуйте: входы с других устройств
demo-simulate-hint = Добавляет в вашу учётную запись три сеанса — iPhone, телефон Android и ПК с Windows с публичных адресов, — как будто вы вошли там.
demo-simulate-button = Имитировать вход с другого устройства
demo-nav-sessions = Ваши сеансы
demo-username = Имя пользователя
demo-password = Пароль
demo-login-try = Попробуйте { $first } или { $second }.
demo-geoip-sample = Местоположения: примерные данные, придуманные для этого демо, а не настоящая геолокация. Укажите в GEOIP_PATH базу GeoLite2 или DB-IP, чтобы видеть настоящие.
demo-change-password = Сменить пароль
demo-current-password = Текущий пароль
demo-new-password = Новый пароль
demo-password-changed = Пароль изменён. Другие сеансы завершены; этот остаётся активным.
demo-new-sign-in = Новый вход: { $device }, { $location } — { $ago }
demo-new-sign-in-unlocated = Новый вход: { $device } — { $ago }
