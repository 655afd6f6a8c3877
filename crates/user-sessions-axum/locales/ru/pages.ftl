# Страницы аккаунта: «Активные сеансы».
# Формы множественного числа: one (1, 21, …), few (2–4, 22–24, …), many (0, 5–20, …), other (дроби).

sessions-title = Активные сеансы
sessions-intro = Это браузеры и устройства, с которых выполнен вход в ваш аккаунт. Если какое-то из них вам незнакомо, завершите его сеанс.
sessions-count =
    { $count ->
        [one] { $count } активный сеанс
        [few] { $count } активных сеанса
        [many] { $count } активных сеансов
       *[other] { $count } активного сеанса
    }
sessions-only-one = Это ваш единственный активный сеанс.
sessions-empty = Активных сеансов нет.

session-current = Этот сеанс
session-last-activity = Последняя активность
session-signed-in = Вход выполнен
session-location = Местоположение
session-ip = IP-адрес
session-user-agent = Полная идентификация браузера
session-details = Подробности
session-active-ago = Активность: { $ago }

device-on = { $browser } на { $platform }
device-unknown = Неизвестное устройство
hints-mobile-yes = мобильное: да
hints-mobile-no = мобильное: нет
# Two parts of a browser's description joined ("Chrome on Android, mobile: yes").
hints-joined = { $first }, { $second }
location-unknown = Неизвестное местоположение
ip-unknown = Неизвестен

time-just-now = только что
time-minutes-ago =
    { $count ->
        [1] минуту назад
        [one] { $count } минуту назад
        [few] { $count } минуты назад
        [many] { $count } минут назад
       *[other] { $count } минуты назад
    }
time-hours-ago =
    { $count ->
        [1] час назад
        [one] { $count } час назад
        [few] { $count } часа назад
        [many] { $count } часов назад
       *[other] { $count } часа назад
    }
time-days-ago =
    { $count ->
        [1] вчера
        [one] { $count } день назад
        [few] { $count } дня назад
        [many] { $count } дней назад
       *[other] { $count } дня назад
    }
time-months-ago =
    { $count ->
        [1] месяц назад
        [one] { $count } месяц назад
        [few] { $count } месяца назад
        [many] { $count } месяцев назад
       *[other] { $count } месяца назад
    }
time-years-ago =
    { $count ->
        [1] год назад
        [one] { $count } год назад
        [few] { $count } года назад
        [many] { $count } лет назад
       *[other] { $count } года назад
    }

action-end = Завершить сеанс
action-sign-out = Выйти
notice-dismiss = Скрыть
action-end-others = Завершить все другие сеансы
end-others-hint = Выполняет выход во всех других браузерах и на всех других устройствах. В этом браузере вход сохранится.
confirm-password-label = Ваш пароль
confirm-password-hint = Введите пароль для подтверждения.
confirm-reauthenticate = В целях безопасности войдите снова, прежде чем завершать другие сеансы.
confirm-reauthenticate-link = Войти снова

flash-ended-one = Сеанс завершён.
flash-ended-device = Сеанс на устройстве { $device } завершён.
flash-ended-others =
    { $count ->
        [0] Других сеансов не было.
        [one] Завершён { $count } другой сеанс.
        [few] Завершено { $count } других сеанса.
        [many] Завершено { $count } других сеансов.
       *[other] Завершено { $count } другого сеанса.
    }
flash-wrong-password = Неверный пароль. Ни один сеанс не был завершён.
flash-too-many-passwords = Слишком много неверных паролей. Ни один сеанс не был завершён; попробуйте снова через несколько минут.

error-not-found-title = Сеанс не найден
error-not-found = Этот сеанс не существует или уже завершён.
error-forbidden-title = Запрос отклонён
error-forbidden = Не удалось проверить запрос. Перезагрузите страницу и попробуйте ещё раз.
error-bad-request-title = Неверный запрос
error-bad-request = Не удалось прочитать отправленную форму. Перезагрузите страницу и попробуйте ещё раз.
error-unavailable-title = Временно недоступно
error-unavailable = Сейчас не удаётся показать сеансы. Попробуйте ещё раз чуть позже.

nav-back = Назад к вашим сеансам
nav-home = Главная
nav-signed-in-as = Вы вошли как { $user }

# Страницы администрирования: все сеансы всех пользователей, для сотрудников.
# Переменные: $count — число.

admin-title = Все сеансы
admin-intro = Все сеансы всех пользователей. Найдите пользователя или IP-адрес и завершите выбранные сеансы.
admin-search-label = Поиск
admin-search-submit = Найти
admin-search-clear = Сбросить поиск
admin-search-hint = Имя пользователя, имя или адрес электронной почты; или IP-адрес либо его начало ({ $example }).
admin-search-truncated = Найдено слишком много пользователей; показаны только сеансы первых { $count }. Уточните запрос.
admin-filter-status = По состоянию
admin-filter-all = Все
admin-filter-active = Активные
admin-filter-expired = Истёкшие
admin-filter-owner = По владельцу
admin-filter-everyone = Все пользователи
admin-filter-mine = Мои
admin-filter-user = Только сеансы этого пользователя:
admin-filter-clear = Показать всех пользователей
admin-column-select = Выбрать
admin-column-user = Пользователь
admin-column-ip = IP-адрес
admin-column-location = Местоположение
admin-column-device = Устройство
admin-column-last-activity = Последняя активность
admin-column-signed-in = Вход выполнен
admin-column-expires = Истекает
admin-column-status = Состояние
admin-status-valid = Действует
admin-status-expired = Истёк
admin-anonymous = Вход не выполнен
admin-select-session = Выбрать этот сеанс
admin-select-all = Выбрать все сеансы на этой странице
admin-empty = Подходящих сеансов нет.
admin-result-count =
    { $count ->
        [one] { $count } сеанс
        [few] { $count } сеанса
       *[many] { $count } сеансов
    }
admin-result-more = Остальные — на следующей странице.
admin-pages = Страницы
admin-first-page = Первая страница
admin-next-page = Следующая страница
admin-action-end-selected = Завершить выбранные сеансы
admin-action-end-user = Завершить все сеансы этого пользователя
admin-end-user-hint = Выполняет выход этого пользователя во всех браузерах и на всех устройствах.
admin-action-purge = Удалить истёкшие сеансы
admin-purge-hint = Истёкшими сеансами уже нельзя воспользоваться; это сразу удалит их из базы данных.
admin-ended =
    { $count ->
        [0] Ни один сеанс не был завершён.
        [one] Завершён { $count } сеанс.
        [few] Завершено { $count } сеанса.
        [many] Завершено { $count } сеансов.
       *[other] Завершено { $count } сеанса.
    }
admin-nothing-selected = Ни один сеанс не был выбран.
admin-confirm-title = Подтвердите
admin-confirm-end-selected = 
    { $count ->
        [one] Завершить { $count } выбранный сеанс?
        [few] Завершить { $count } выбранных сеанса?
       *[many] Завершить { $count } выбранных сеансов?
    }
admin-confirm-end-selected-hint = Браузеры, которые их используют, выйдут при следующем запросе.
admin-confirm-end-user = 
    { $count ->
        [0] У { $user } нет сеансов.
        [one] Завершить { $count } сеанс { $user }?
        [few] Завершить все { $count } сеанса { $user }?
       *[many] Завершить все { $count } сеансов { $user }?
    }
admin-confirm-end-user-hint = Пользователь выйдет на всех браузерах и устройствах.
admin-confirm-purge = 
    { $count ->
        [0] Истёкших сеансов нет.
        [one] Удалить { $count } истёкший сеанс?
        [few] Удалить { $count } истёкших сеанса?
       *[many] Удалить { $count } истёкших сеансов?
    }
admin-confirm-purge-hint = Истёкшими сеансами уже нельзя пользоваться; это сразу удалит их из базы данных.
admin-confirm-button-end = 
    { $count ->
        [one] Завершить { $count } сеанс
        [few] Завершить { $count } сеанса
       *[many] Завершить { $count } сеансов
    }
admin-confirm-button-purge = 
    { $count ->
        [one] Удалить { $count } сеанс
        [few] Удалить { $count } сеанса
       *[many] Удалить { $count } сеансов
    }
admin-confirm-cancel = Отмена
admin-detail-title = Сведения о сеансе
admin-back = Назад ко всем сеансам
admin-field-user = Пользователь
admin-field-user-id = ID пользователя
admin-field-public-id = Публичный ID
admin-field-ip = IP-адрес
admin-field-location = Местоположение
admin-field-user-agent = Идентификация браузера
admin-field-client-hints = Client hints
admin-field-created = Создан
admin-field-last-activity = Последняя активность
admin-field-signed-in = Вход выполнен
admin-field-expires = Истекает
admin-data-title = Данные сеанса
admin-data-key = Ключ
admin-data-value = Значение
admin-data-hidden = скрыто
admin-data-empty = В этом сеансе нет данных.
admin-action-end-one = Завершить этот сеанс
admin-forbidden-title = Только для сотрудников
admin-forbidden = Сеансы всех пользователей могут видеть только сотрудники.
admin-bad-request-title = Неверный запрос
admin-bad-request = Адрес этой страницы недействителен. Начните заново со списка сеансов.
