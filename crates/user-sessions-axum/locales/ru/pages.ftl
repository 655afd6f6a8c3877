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

device-on = { $browser } на { $platform }
device-unknown = Неизвестное устройство
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
action-end-others = Завершить все другие сеансы
end-others-hint = Выполняет выход во всех других браузерах и на всех других устройствах. В этом браузере вход сохранится.
confirm-password-label = Ваш пароль
confirm-password-hint = Введите пароль для подтверждения.
confirm-reauthenticate = В целях безопасности войдите снова, прежде чем завершать другие сеансы.
confirm-reauthenticate-link = Войти снова

flash-ended-one = Сеанс завершён.
flash-ended-others =
    { $count ->
        [0] Других сеансов не было.
        [one] Завершён { $count } другой сеанс.
        [few] Завершено { $count } других сеанса.
        [many] Завершено { $count } других сеансов.
       *[other] Завершено { $count } другого сеанса.
    }
flash-wrong-password = Неверный пароль. Ни один сеанс не был завершён.

error-not-found-title = Сеанс не найден
error-not-found = Этот сеанс не существует или уже завершён.
error-forbidden-title = Запрос отклонён
error-forbidden = Не удалось проверить запрос. Перезагрузите страницу и попробуйте ещё раз.
error-unavailable-title = Временно недоступно
error-unavailable = Сейчас не удаётся показать сеансы. Попробуйте ещё раз чуть позже.

nav-back = Назад к вашим сеансам
nav-home = Главная
