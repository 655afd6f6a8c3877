# The demo's own pages: home, sign-in, navigation.

demo-title = Las sesiones que ves
demo-signed-in-as = Has iniciado sesión como { $user }.
demo-staff = personal
demo-intro-signed-in = Inicia sesión con el mismo usuario en otro navegador o en una ventana privada y aparecerá una segunda sesión en tu página de sesiones, donde puedes cerrarla.
demo-intro = Esta aplicación guarda cada sesión como una fila —con su usuario, dirección IP, navegador y horas— para que veas dónde has iniciado sesión y cierres las que no reconozcas.
demo-your-sessions = Tus sesiones activas
demo-all-sessions = Todas las sesiones (administración)
demo-sign-out = Cerrar sesión
demo-sign-in = Iniciar sesión
demo-signed-out-elsewhere = Se cerró tu sesión desde otro dispositivo o tu sesión caducó. Vuelve a iniciar sesión para continuar.
demo-accounts = Cuentas de esta demo
demo-simulate-title = Pruébalo: inicios de sesión desde otros dispositivos
demo-simulate-hint = Añade tres sesiones a tu cuenta —un iPhone, un teléfono Android y un PC con Windows, en direcciones públicas— como si hubieras iniciado sesión allí.
demo-simulate-button = Simular un inicio de sesión desde otro dispositivo
demo-nav-sessions = Tus sesiones
demo-username = Nombre de usuario
demo-password = Contraseña
demo-login-try = Prueba { $first } o { $second }.
demo-geoip-sample = Ubicaciones: datos de ejemplo inventados para esta demo, no geolocalización real. Apunta GEOIP_PATH a una base de datos GeoLite2 o DB-IP para ver las reales.
demo-change-password = Cambiar la contraseña
demo-current-password = Contraseña actual
demo-new-password = Nueva contraseña
demo-password-changed = Contraseña cambiada. Se cerraron tus otras sesiones; esta sigue abierta.
demo-new-sign-in = Nuevo inicio de sesión: { $device }, { $location } — { $ago }
demo-new-sign-in-unlocated = Nuevo inicio de sesión: { $device } — { $ago }
