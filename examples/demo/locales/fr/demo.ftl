# The demo's own pages: home, sign-in, navigation.

demo-title = Les sessions que vous voyez
demo-signed-in-as = Vous êtes connecté en tant que { $user }.
demo-staff = équipe
demo-intro-signed-in = Connectez-vous avec le même utilisateur dans un autre navigateur ou une fenêtre privée : une deuxième session apparaît sur votre page de sessions, où vous pouvez la fermer.
demo-intro = Cette application conserve chaque session comme une ligne — avec son utilisateur, son adresse IP, son navigateur et ses dates — pour que vous voyiez où vous êtes connecté et fermiez les sessions que vous ne reconnaissez pas.
demo-your-sessions = Vos sessions actives
demo-all-sessions = Toutes les sessions (administration)
demo-sign-out = Se déconnecter
demo-sign-in = Se connecter
demo-signed-out-elsewhere = Vous avez été déconnecté depuis un autre appareil, ou votre session a expiré. Reconnectez-vous pour continuer.
demo-accounts = Comptes de cette démo
demo-simulate-title = Essayez : des connexions depuis d’autres appareils
demo-simulate-hint = Ajoute trois sessions à votre compte — un iPhone, un téléphone Android et un PC Windows, à des adresses publiques — comme si vous vous y étiez connecté.
demo-simulate-button = Simuler une connexion depuis un autre appareil
demo-nav-sessions = Vos sessions
demo-username = Identifiant
demo-password = Mot de passe
demo-login-try = Essayez { $first } ou { $second }.
demo-geoip-sample = Lieux : données d’exemple inventées pour cette démo, pas une vraie géolocalisation. Définissez GEOIP_PATH vers une base GeoLite2 ou DB-IP pour de vrais lieux.
demo-change-password = Changer le mot de passe
demo-current-password = Mot de passe actuel
demo-new-password = Nouveau mot de passe
demo-password-changed = Mot de passe changé. Vos autres sessions ont été déconnectées ; celle-ci reste connectée.
demo-new-sign-in = Nouvelle connexion : { $device }, { $location } — { $ago }
demo-new-sign-in-unlocated = Nouvelle connexion : { $device } — { $ago }
