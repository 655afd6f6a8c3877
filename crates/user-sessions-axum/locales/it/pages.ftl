# Le pagine dell'account: «Sessioni attive».

sessions-title = Sessioni attive
sessions-intro = Questi sono i browser e i dispositivi collegati al tuo account. Se non ne riconosci uno, termina la sua sessione.
sessions-count =
    { $count ->
        [one] Una sessione attiva
       *[other] { $count } sessioni attive
    }
sessions-only-one = Questa è la tua unica sessione attiva.
sessions-empty = Non ci sono sessioni attive.

session-current = Questa sessione
session-last-activity = Ultima attività
session-signed-in = Accesso
session-location = Posizione
session-ip = Indirizzo IP
session-user-agent = Identificazione completa del browser
session-details = Dettagli
session-active-ago = Attiva { $ago }

device-on = { $browser } su { $platform }
device-unknown = Dispositivo sconosciuto
hints-mobile-yes = mobile: sì
hints-mobile-no = mobile: no
# Two parts of a browser's description joined ("Chrome on Android, mobile: yes").
hints-joined = { $first }, { $second }
location-unknown = Posizione sconosciuta
ip-unknown = Sconosciuto

time-just-now = proprio ora
time-minutes-ago =
    { $count ->
        [one] un minuto fa
       *[other] { $count } minuti fa
    }
time-hours-ago =
    { $count ->
        [one] un’ora fa
       *[other] { $count } ore fa
    }
time-days-ago =
    { $count ->
        [one] ieri
       *[other] { $count } giorni fa
    }
time-months-ago =
    { $count ->
        [one] un mese fa
       *[other] { $count } mesi fa
    }
time-years-ago =
    { $count ->
        [one] un anno fa
       *[other] { $count } anni fa
    }

action-end = Termina sessione
action-sign-out = Esci
notice-dismiss = Ignora
action-end-others = Termina tutte le altre sessioni
end-others-hint = Ti disconnette da tutti gli altri browser e dispositivi. Questo browser resta connesso.
confirm-password-label = La tua password
confirm-password-hint = Inserisci la password per confermare.
confirm-reauthenticate = Per la tua sicurezza, accedi di nuovo prima di terminare le altre sessioni.
confirm-reauthenticate-link = Accedi di nuovo

flash-ended-one = La sessione è stata terminata.
flash-ended-device = { $device } è stato disconnesso.
flash-ended-others =
    { $count ->
        [0] Non c’erano altre sessioni da terminare.
        [one] Un’altra sessione è stata terminata.
       *[other] { $count } altre sessioni sono state terminate.
    }
flash-wrong-password = La password non è corretta. Nessuna sessione è stata terminata.
flash-too-many-passwords = Troppe password errate. Nessuna sessione è stata terminata; riprova tra qualche minuto.

error-not-found-title = Sessione non trovata
error-not-found = Questa sessione non esiste o è già stata terminata.
error-forbidden-title = Richiesta rifiutata
error-forbidden = Non è stato possibile verificare la richiesta. Ricarica la pagina e riprova.
error-bad-request-title = Richiesta non valida
error-bad-request = Non è stato possibile leggere il modulo inviato. Ricarica la pagina e riprova.
error-unavailable-title = Temporaneamente non disponibile
error-unavailable = Al momento non è possibile mostrare le sessioni. Riprova tra poco.

nav-back = Torna alle tue sessioni
nav-home = Pagina iniziale
nav-signed-in-as = Accesso effettuato come { $user }

# Le pagine di amministrazione: tutte le sessioni di tutti gli utenti, per lo staff.
# Variabili: $count è un numero.

admin-title = Tutte le sessioni
admin-intro = Tutte le sessioni di tutti gli utenti. Cerca un utente o un indirizzo IP e termina le sessioni selezionate.
admin-search-label = Cerca
admin-search-submit = Cerca
admin-search-clear = Cancella la ricerca
admin-search-hint = Un nome utente, un nome o un indirizzo e-mail; oppure un indirizzo IP o la sua parte iniziale ({ $example }).
admin-search-truncated = Troppi utenti corrispondono; sono elencate solo le sessioni dei primi { $count }. Restringi la ricerca.
admin-filter-status = Per stato
admin-filter-all = Tutte
admin-filter-active = Attive
admin-filter-expired = Scadute
admin-filter-owner = Per proprietario
admin-filter-everyone = Tutti
admin-filter-mine = Mie
admin-filter-user = Solo le sessioni di questo utente:
admin-filter-clear = Mostra tutti gli utenti
admin-column-select = Seleziona
admin-column-user = Utente
admin-column-ip = Indirizzo IP
admin-column-location = Posizione
admin-column-device = Dispositivo
admin-column-last-activity = Ultima attività
admin-column-signed-in = Accesso
admin-column-expires = Scadenza
admin-column-status = Stato
admin-status-valid = Valida
admin-status-expired = Scaduta
admin-anonymous = Non autenticato
admin-select-session = Seleziona questa sessione
admin-select-all = Seleziona tutte le sessioni di questa pagina
admin-empty = Nessuna sessione corrisponde.
admin-result-count =
    { $count ->
        [one] Una sessione
       *[other] { $count } sessioni
    }
admin-result-more = Altre nella pagina successiva.
admin-pages = Pagine
admin-first-page = Prima pagina
admin-next-page = Pagina successiva
admin-action-end-selected = Termina le sessioni selezionate
admin-action-end-user = Termina tutte le sessioni di questo utente
admin-end-user-hint = Disconnette questo utente da ogni browser e dispositivo.
admin-action-purge = Elimina le sessioni scadute
admin-purge-hint = Le sessioni scadute non sono più utilizzabili; questo le rimuove subito dal database.
admin-ended =
    { $count ->
        [0] Nessuna sessione è stata terminata.
        [one] Una sessione è stata terminata.
       *[other] { $count } sessioni sono state terminate.
    }
admin-nothing-selected = Nessuna sessione era selezionata.
admin-confirm-title = Conferma
admin-confirm-end-selected = 
    { $count ->
        [one] Terminare la sessione selezionata?
       *[other] Terminare le { $count } sessioni selezionate?
    }
admin-confirm-end-selected-hint = I browser che le usano vengono disconnessi alla prossima richiesta.
admin-confirm-end-user = 
    { $count ->
        [0] { $user } non ha sessioni.
        [one] Terminare l’unica sessione di { $user }?
       *[other] Terminare tutte le { $count } sessioni di { $user }?
    }
admin-confirm-end-user-hint = L’utente viene disconnesso da ogni browser e dispositivo.
admin-confirm-purge = 
    { $count ->
        [0] Non ci sono sessioni scadute.
        [one] Eliminare l’unica sessione scaduta?
       *[other] Eliminare { $count } sessioni scadute?
    }
admin-confirm-purge-hint = Le sessioni scadute non sono più utilizzabili; questo le elimina ora dal database.
admin-confirm-button-end = 
    { $count ->
        [one] Termina una sessione
       *[other] Termina { $count } sessioni
    }
admin-confirm-button-purge = 
    { $count ->
        [one] Elimina una sessione
       *[other] Elimina { $count } sessioni
    }
admin-confirm-cancel = Annulla
admin-detail-title = Dettagli della sessione
admin-back = Torna a tutte le sessioni
admin-field-user = Utente
admin-field-user-id = ID utente
admin-field-public-id = ID pubblico
admin-field-ip = Indirizzo IP
admin-field-location = Posizione
admin-field-user-agent = Identificazione del browser
admin-field-client-hints = Client hints
admin-field-created = Creata
admin-field-last-activity = Ultima attività
admin-field-signed-in = Accesso
admin-field-expires = Scadenza
admin-data-title = Dati della sessione
admin-data-key = Chiave
admin-data-value = Valore
admin-data-hidden = nascosto
admin-data-empty = Questa sessione non contiene dati.
admin-action-end-one = Termina questa sessione
admin-forbidden-title = Solo per lo staff
admin-forbidden = Solo i membri dello staff possono vedere le sessioni di tutti gli utenti.
admin-bad-request-title = Richiesta non valida
admin-bad-request = L’indirizzo di questa pagina non è valido. Ricomincia dall’elenco delle sessioni.
