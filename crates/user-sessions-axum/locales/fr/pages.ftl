# Les pages du compte : « Sessions actives ».
# En français, la catégorie « one » couvre 0 et 1.

sessions-title = Sessions actives
sessions-intro = Voici les navigateurs et appareils connectés à votre compte. Si vous n’en reconnaissez pas un, mettez fin à sa session.
sessions-count =
    { $count ->
        [one] { $count } session active
       *[other] { $count } sessions actives
    }
sessions-only-one = C’est votre seule session active.
sessions-empty = Aucune session active.

session-current = Cette session
session-last-activity = Dernière activité
session-signed-in = Connexion
session-location = Emplacement
session-ip = Adresse IP
session-user-agent = Identification complète du navigateur

device-on = { $browser } sur { $platform }
device-unknown = Appareil inconnu
location-unknown = Emplacement inconnu
ip-unknown = Inconnue

time-just-now = à l’instant
time-minutes-ago =
    { $count ->
        [1] il y a une minute
       *[other] il y a { $count } minutes
    }
time-hours-ago =
    { $count ->
        [1] il y a une heure
       *[other] il y a { $count } heures
    }
time-days-ago =
    { $count ->
        [1] hier
       *[other] il y a { $count } jours
    }
time-months-ago =
    { $count ->
        [1] il y a un mois
       *[other] il y a { $count } mois
    }
time-years-ago =
    { $count ->
        [1] il y a un an
       *[other] il y a { $count } ans
    }

action-end = Mettre fin à la session
action-sign-out = Se déconnecter
action-end-others = Mettre fin à toutes les autres sessions
end-others-hint = Vous déconnecte de tous les autres navigateurs et appareils. Celui-ci reste connecté.
confirm-password-label = Votre mot de passe
confirm-password-hint = Saisissez votre mot de passe pour confirmer.
confirm-reauthenticate = Pour votre sécurité, reconnectez-vous avant de mettre fin à vos autres sessions.
confirm-reauthenticate-link = Se reconnecter

flash-ended-one = La session a été fermée.
flash-ended-others =
    { $count ->
        [0] Il n’y avait aucune autre session à fermer.
        [1] Une autre session a été fermée.
       *[other] { $count } autres sessions ont été fermées.
    }
flash-wrong-password = Le mot de passe est incorrect. Aucune session n’a été fermée.

error-not-found-title = Session introuvable
error-not-found = Cette session n’existe pas ou a déjà été fermée.
error-forbidden-title = Requête refusée
error-forbidden = La requête n’a pas pu être vérifiée. Rechargez la page et réessayez.
error-unavailable-title = Momentanément indisponible
error-unavailable = Les sessions ne peuvent pas être affichées pour le moment. Réessayez dans un instant.

nav-back = Retour à vos sessions
nav-home = Accueil
