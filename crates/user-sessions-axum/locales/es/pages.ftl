# Las páginas de la cuenta: «Sesiones activas».

sessions-title = Sesiones activas
sessions-intro = Estos son los navegadores y dispositivos con sesión iniciada en tu cuenta. Si no reconoces alguno, finaliza su sesión.
sessions-count =
    { $count ->
        [one] Una sesión activa
       *[other] { $count } sesiones activas
    }
sessions-only-one = Esta es tu única sesión activa.
sessions-empty = No hay sesiones activas.

session-current = Esta sesión
session-last-activity = Última actividad
session-signed-in = Inicio de sesión
session-location = Ubicación
session-ip = Dirección IP
session-user-agent = Identificación completa del navegador

device-on = { $browser } en { $platform }
device-unknown = Dispositivo desconocido
location-unknown = Ubicación desconocida
ip-unknown = Desconocida

time-just-now = ahora mismo
time-minutes-ago =
    { $count ->
        [one] hace un minuto
       *[other] hace { $count } minutos
    }
time-hours-ago =
    { $count ->
        [one] hace una hora
       *[other] hace { $count } horas
    }
time-days-ago =
    { $count ->
        [one] ayer
       *[other] hace { $count } días
    }
time-months-ago =
    { $count ->
        [one] hace un mes
       *[other] hace { $count } meses
    }
time-years-ago =
    { $count ->
        [one] hace un año
       *[other] hace { $count } años
    }

action-end = Finalizar sesión
action-sign-out = Cerrar sesión
action-end-others = Finalizar todas las demás sesiones
end-others-hint = Cierra tu sesión en todos los demás navegadores y dispositivos. Este navegador sigue con la sesión iniciada.
confirm-password-label = Tu contraseña
confirm-password-hint = Introduce tu contraseña para confirmar.
confirm-reauthenticate = Por tu seguridad, vuelve a iniciar sesión antes de finalizar tus otras sesiones.
confirm-reauthenticate-link = Volver a iniciar sesión

flash-ended-one = La sesión se ha finalizado.
flash-ended-others =
    { $count ->
        [0] No había otras sesiones que finalizar.
        [one] Se ha finalizado otra sesión.
       *[other] Se han finalizado otras { $count } sesiones.
    }
flash-wrong-password = La contraseña no es correcta. No se ha finalizado ninguna sesión.

error-not-found-title = Sesión no encontrada
error-not-found = Esta sesión no existe o ya ha finalizado.
error-forbidden-title = Solicitud rechazada
error-forbidden = No se ha podido verificar la solicitud. Recarga la página e inténtalo de nuevo.
error-unavailable-title = No disponible temporalmente
error-unavailable = Ahora no se pueden mostrar las sesiones. Inténtalo de nuevo en un momento.

nav-back = Volver a tus sesiones
nav-home = Inicio
