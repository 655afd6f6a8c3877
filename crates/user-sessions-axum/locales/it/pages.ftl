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

device-on = { $browser } su { $platform }
device-unknown = Dispositivo sconosciuto
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
action-end-others = Termina tutte le altre sessioni
end-others-hint = Ti disconnette da tutti gli altri browser e dispositivi. Questo browser resta connesso.
confirm-password-label = La tua password
confirm-password-hint = Inserisci la password per confermare.
confirm-reauthenticate = Per la tua sicurezza, accedi di nuovo prima di terminare le altre sessioni.
confirm-reauthenticate-link = Accedi di nuovo

flash-ended-one = La sessione è stata terminata.
flash-ended-others =
    { $count ->
        [0] Non c’erano altre sessioni da terminare.
        [one] Un’altra sessione è stata terminata.
       *[other] { $count } altre sessioni sono state terminate.
    }
flash-wrong-password = La password non è corretta. Nessuna sessione è stata terminata.

error-not-found-title = Sessione non trovata
error-not-found = Questa sessione non esiste o è già stata terminata.
error-forbidden-title = Richiesta rifiutata
error-forbidden = Non è stato possibile verificare la richiesta. Ricarica la pagina e riprova.
error-unavailable-title = Temporaneamente non disponibile
error-unavailable = Al momento non è possibile mostrare le sessioni. Riprova tra poco.

nav-back = Torna alle tue sessioni
nav-home = Pagina iniziale
