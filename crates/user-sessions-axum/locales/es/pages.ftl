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
session-details = Detalles
session-active-ago = Activa { $ago }

device-on = { $browser } en { $platform }
device-unknown = Dispositivo desconocido
hints-mobile-yes = móvil: sí
hints-mobile-no = móvil: no
# Two parts of a browser's description joined ("Chrome on Android, mobile: yes").
hints-joined = { $first }, { $second }
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
notice-dismiss = Descartar
action-end-others = Finalizar todas las demás sesiones
end-others-hint = Cierra tu sesión en todos los demás navegadores y dispositivos. Este navegador sigue con la sesión iniciada.
confirm-password-label = Tu contraseña
confirm-password-hint = Introduce tu contraseña para confirmar.
confirm-reauthenticate = Por tu seguridad, vuelve a iniciar sesión antes de finalizar tus otras sesiones.
confirm-reauthenticate-link = Volver a iniciar sesión

flash-ended-one = La sesión se ha finalizado.
flash-ended-device = Se cerró la sesión de { $device }.
flash-ended-others =
    { $count ->
        [0] No había otras sesiones que finalizar.
        [one] Se ha finalizado otra sesión.
       *[other] Se han finalizado otras { $count } sesiones.
    }
flash-wrong-password = La contraseña no es correcta. No se ha finalizado ninguna sesión.
flash-too-many-passwords = Demasiadas contraseñas incorrectas. No se ha finalizado ninguna sesión; vuelve a intentarlo en unos minutos.

error-not-found-title = Sesión no encontrada
error-not-found = Esta sesión no existe o ya ha finalizado.
error-forbidden-title = Solicitud rechazada
error-forbidden = No se ha podido verificar la solicitud. Recarga la página e inténtalo de nuevo.
error-bad-request-title = Solicitud no válida
error-bad-request = No se ha podido leer el formulario enviado. Recarga la página e inténtalo de nuevo.
error-unavailable-title = No disponible temporalmente
error-unavailable = Ahora no se pueden mostrar las sesiones. Inténtalo de nuevo en un momento.

nav-back = Volver a tus sesiones
nav-home = Inicio
nav-signed-in-as = Sesión iniciada como { $user }

# Las páginas de administración: todas las sesiones de todos los usuarios, para el personal.
# Variables: $count es un número.

admin-title = Todas las sesiones
admin-intro = Todas las sesiones de todos los usuarios. Busca un usuario o una dirección IP y finaliza las sesiones que selecciones.
admin-search-label = Buscar
admin-search-submit = Buscar
admin-search-clear = Borrar la búsqueda
admin-search-hint = Un nombre de usuario, nombre o correo electrónico; o una dirección IP o su comienzo ({ $example }).
admin-search-truncated = Coinciden demasiados usuarios; solo se muestran las sesiones de los primeros { $count }. Precisa la búsqueda.
admin-filter-status = Por estado
admin-filter-all = Todas
admin-filter-active = Activas
admin-filter-expired = Caducadas
admin-filter-owner = Por propietario
admin-filter-everyone = Todos
admin-filter-mine = Mías
admin-filter-user = Solo las sesiones de este usuario:
admin-filter-clear = Mostrar todos los usuarios
admin-column-select = Seleccionar
admin-column-user = Usuario
admin-column-ip = Dirección IP
admin-column-location = Ubicación
admin-column-device = Dispositivo
admin-column-last-activity = Última actividad
admin-column-signed-in = Inicio de sesión
admin-column-expires = Caduca
admin-column-status = Estado
admin-status-valid = Válida
admin-status-expired = Caducada
admin-anonymous = Sin iniciar sesión
admin-select-session = Seleccionar esta sesión
admin-select-all = Seleccionar todas las sesiones de esta página
admin-empty = Ninguna sesión coincide.
admin-result-count =
    { $count ->
        [one] Una sesión
       *[other] { $count } sesiones
    }
admin-result-more = Hay más en la página siguiente.
admin-pages = Páginas
admin-first-page = Primera página
admin-next-page = Página siguiente
admin-action-end-selected = Finalizar las sesiones seleccionadas
admin-action-end-user = Finalizar todas las sesiones de este usuario
admin-end-user-hint = Cierra la sesión de este usuario en todos sus navegadores y dispositivos.
admin-action-purge = Eliminar las sesiones caducadas
admin-purge-hint = Las sesiones caducadas ya no se pueden usar; esto las elimina ahora de la base de datos.
admin-ended =
    { $count ->
        [0] No se finalizó ninguna sesión.
        [one] Se finalizó una sesión.
       *[other] Se finalizaron { $count } sesiones.
    }
admin-nothing-selected = No se seleccionó ninguna sesión.
admin-confirm-title = Confirma
admin-confirm-end-selected = 
    { $count ->
        [one] ¿Cerrar la sesión seleccionada?
       *[other] ¿Cerrar las { $count } sesiones seleccionadas?
    }
admin-confirm-end-selected-hint = Los navegadores que las usan se desconectan en su próxima petición.
admin-confirm-end-user = 
    { $count ->
        [0] { $user } no tiene sesiones.
        [one] ¿Cerrar la única sesión de { $user }?
       *[other] ¿Cerrar las { $count } sesiones de { $user }?
    }
admin-confirm-end-user-hint = Se cierra su sesión en todos los navegadores y dispositivos.
admin-confirm-purge = 
    { $count ->
        [0] No hay sesiones caducadas.
        [one] ¿Eliminar la única sesión caducada?
       *[other] ¿Eliminar { $count } sesiones caducadas?
    }
admin-confirm-purge-hint = Las sesiones caducadas ya no se pueden usar; esto las elimina ahora de la base de datos.
admin-confirm-button-end = 
    { $count ->
        [one] Cerrar una sesión
       *[other] Cerrar { $count } sesiones
    }
admin-confirm-button-purge = 
    { $count ->
        [one] Eliminar una sesión
       *[other] Eliminar { $count } sesiones
    }
admin-confirm-cancel = Cancelar
admin-detail-title = Detalles de la sesión
admin-back = Volver a todas las sesiones
admin-field-user = Usuario
admin-field-user-id = ID de usuario
admin-field-public-id = ID público
admin-field-ip = Dirección IP
admin-field-location = Ubicación
admin-field-user-agent = Identificación del navegador
admin-field-client-hints = Client hints
admin-field-created = Creada
admin-field-last-activity = Última actividad
admin-field-signed-in = Inicio de sesión
admin-field-expires = Caduca
admin-data-title = Datos de la sesión
admin-data-key = Clave
admin-data-value = Valor
admin-data-hidden = oculto
admin-data-empty = Esta sesión no contiene datos.
admin-action-end-one = Finalizar esta sesión
admin-forbidden-title = Solo para el personal
admin-forbidden = Solo el personal puede ver las sesiones de todos los usuarios.
admin-bad-request-title = Solicitud no válida
admin-bad-request = La dirección de esta página no es válida. Vuelve a empezar desde la lista de sesiones.
