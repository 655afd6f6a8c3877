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
session-details = Détails
session-active-ago = Active { $ago }

device-on = { $browser } sur { $platform }
device-unknown = Appareil inconnu
hints-mobile-yes = mobile : oui
hints-mobile-no = mobile : non
# Two parts of a browser's description joined ("Chrome on Android, mobile: yes").
hints-joined = { $first }, { $second }
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
notice-dismiss = Masquer
action-end-others = Mettre fin à toutes les autres sessions
end-others-hint = Vous déconnecte de tous les autres navigateurs et appareils. Celui-ci reste connecté.
confirm-password-label = Votre mot de passe
confirm-password-hint = Saisissez votre mot de passe pour confirmer.
confirm-reauthenticate = Pour votre sécurité, reconnectez-vous avant de mettre fin à vos autres sessions.
confirm-reauthenticate-link = Se reconnecter

flash-ended-one = La session a été fermée.
flash-ended-device = { $device } a été déconnecté.
flash-ended-others =
    { $count ->
        [0] Il n’y avait aucune autre session à fermer.
        [1] Une autre session a été fermée.
       *[other] { $count } autres sessions ont été fermées.
    }
flash-wrong-password = Le mot de passe est incorrect. Aucune session n’a été fermée.
flash-too-many-passwords = Trop de mots de passe incorrects. Aucune session n’a été fermée ; réessayez dans quelques minutes.

error-not-found-title = Session introuvable
error-not-found = Cette session n’existe pas ou a déjà été fermée.
error-forbidden-title = Requête refusée
error-forbidden = La requête n’a pas pu être vérifiée. Rechargez la page et réessayez.
error-bad-request-title = Requête invalide
error-bad-request = Le formulaire envoyé n’a pas pu être lu. Rechargez la page et réessayez.
error-unavailable-title = Momentanément indisponible
error-unavailable = Les sessions ne peuvent pas être affichées pour le moment. Réessayez dans un instant.

nav-back = Retour à vos sessions
nav-home = Accueil
nav-signed-in-as = Connecté en tant que { $user }

# Les pages d’administration : toutes les sessions de tous les utilisateurs, pour l’équipe.
# Variables : $count est un nombre.

admin-title = Toutes les sessions
admin-intro = Toutes les sessions de tous les utilisateurs. Cherchez un utilisateur ou une adresse IP, et mettez fin aux sessions sélectionnées.
admin-search-label = Rechercher
admin-search-submit = Rechercher
admin-search-clear = Effacer la recherche
admin-search-hint = Un identifiant, un nom ou une adresse e-mail ; ou une adresse IP, ou son début ({ $example }).
admin-search-truncated = Trop d’utilisateurs correspondent ; seules les sessions des { $count } premiers sont affichées. Précisez la recherche.
admin-filter-status = Par statut
admin-filter-all = Toutes
admin-filter-active = Actives
admin-filter-expired = Expirées
admin-filter-owner = Par propriétaire
admin-filter-everyone = Tout le monde
admin-filter-mine = Les miennes
admin-filter-user = Uniquement les sessions de cet utilisateur :
admin-filter-clear = Afficher tous les utilisateurs
admin-column-select = Sélectionner
admin-column-user = Utilisateur
admin-column-ip = Adresse IP
admin-column-location = Emplacement
admin-column-device = Appareil
admin-column-last-activity = Dernière activité
admin-column-signed-in = Connexion
admin-column-expires = Expiration
admin-column-status = Statut
admin-status-valid = Valide
admin-status-expired = Expirée
admin-anonymous = Non connecté
admin-select-session = Sélectionner cette session
admin-select-all = Sélectionner toutes les sessions de cette page
admin-empty = Aucune session ne correspond.
admin-result-count =
    { $count ->
        [one] Une session
       *[other] { $count } sessions
    }
admin-result-more = D’autres sur la page suivante.
admin-pages = Pages
admin-first-page = Première page
admin-next-page = Page suivante
admin-action-end-selected = Mettre fin aux sessions sélectionnées
admin-action-end-user = Mettre fin à toutes les sessions de cet utilisateur
admin-end-user-hint = Déconnecte cet utilisateur sur tous ses navigateurs et appareils.
admin-action-purge = Supprimer les sessions expirées
admin-purge-hint = Les sessions expirées ne sont plus utilisables ; ceci les retire dès maintenant de la base de données.
admin-ended =
    { $count ->
        [0] Aucune session n’a été fermée.
        [1] Une session a été fermée.
       *[other] { $count } sessions ont été fermées.
    }
admin-nothing-selected = Aucune session n’était sélectionnée.
admin-confirm-title = Confirmation
admin-confirm-end-selected = 
    { $count ->
        [one] Fermer la session sélectionnée ?
       *[other] Fermer les { $count } sessions sélectionnées ?
    }
admin-confirm-end-selected-hint = Les navigateurs qui les utilisent sont déconnectés à leur prochaine requête.
admin-confirm-end-user = 
    { $count ->
        [0] { $user } n’a aucune session.
        [one] Fermer l’unique session de { $user } ?
       *[other] Fermer les { $count } sessions de { $user } ?
    }
admin-confirm-end-user-hint = L’utilisateur est déconnecté de tous ses navigateurs et appareils.
admin-confirm-purge = 
    { $count ->
        [0] Il n’y a aucune session expirée.
        [one] Supprimer l’unique session expirée ?
       *[other] Supprimer { $count } sessions expirées ?
    }
admin-confirm-purge-hint = Les sessions expirées ne sont plus utilisables ; ceci les supprime maintenant de la base de données.
admin-confirm-button-end = 
    { $count ->
        [one] Fermer une session
       *[other] Fermer { $count } sessions
    }
admin-confirm-button-purge = 
    { $count ->
        [one] Supprimer une session
       *[other] Supprimer { $count } sessions
    }
admin-confirm-cancel = Annuler
admin-detail-title = Détails de la session
admin-back = Retour à toutes les sessions
admin-field-user = Utilisateur
admin-field-user-id = Identifiant de l’utilisateur
admin-field-public-id = Identifiant public
admin-field-ip = Adresse IP
admin-field-location = Emplacement
admin-field-user-agent = Identification du navigateur
admin-field-client-hints = Client hints
admin-field-created = Création
admin-field-last-activity = Dernière activité
admin-field-signed-in = Connexion
admin-field-expires = Expiration
admin-data-title = Données de la session
admin-data-key = Clé
admin-data-value = Valeur
admin-data-hidden = masquée
admin-data-empty = Cette session ne contient aucune donnée.
admin-action-end-one = Mettre fin à cette session
admin-forbidden-title = Réservé à l’équipe
admin-forbidden = Seuls les membres de l’équipe peuvent voir les sessions de tous les utilisateurs.
admin-bad-request-title = Requête invalide
admin-bad-request = L’adresse de cette page n’est pas valide. Repartez de la liste des sessions.
