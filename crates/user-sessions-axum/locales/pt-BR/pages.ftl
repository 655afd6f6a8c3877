# As páginas da conta: "Sessões ativas".
# Em português, a categoria "one" cobre 0 e 1.

sessions-title = Sessões ativas
sessions-intro = Estes são os navegadores e dispositivos conectados à sua conta. Se não reconhecer algum, encerre a sessão dele.
sessions-count =
    { $count ->
        [1] Uma sessão ativa
        [one] { $count } sessão ativa
       *[other] { $count } sessões ativas
    }
sessions-only-one = Esta é sua única sessão ativa.
sessions-empty = Não há sessões ativas.

session-current = Esta sessão
session-last-activity = Última atividade
session-signed-in = Login
session-location = Localização
session-ip = Endereço IP
session-user-agent = Identificação completa do navegador

device-on = { $browser } em { $platform }
device-unknown = Dispositivo desconhecido
location-unknown = Localização desconhecida
ip-unknown = Desconhecido

time-just-now = agora mesmo
time-minutes-ago =
    { $count ->
        [1] há um minuto
       *[other] há { $count } minutos
    }
time-hours-ago =
    { $count ->
        [1] há uma hora
       *[other] há { $count } horas
    }
time-days-ago =
    { $count ->
        [1] ontem
       *[other] há { $count } dias
    }
time-months-ago =
    { $count ->
        [1] há um mês
       *[other] há { $count } meses
    }
time-years-ago =
    { $count ->
        [1] há um ano
       *[other] há { $count } anos
    }

action-end = Encerrar sessão
action-sign-out = Sair
action-end-others = Encerrar todas as outras sessões
end-others-hint = Desconecta você de todos os outros navegadores e dispositivos. Este navegador continua conectado.
confirm-password-label = Sua senha
confirm-password-hint = Digite sua senha para confirmar.
confirm-reauthenticate = Para sua segurança, entre novamente antes de encerrar suas outras sessões.
confirm-reauthenticate-link = Entrar novamente

flash-ended-one = A sessão foi encerrada.
flash-ended-others =
    { $count ->
        [0] Não havia outras sessões para encerrar.
        [1] Uma outra sessão foi encerrada.
       *[other] { $count } outras sessões foram encerradas.
    }
flash-wrong-password = A senha não está correta. Nenhuma sessão foi encerrada.

error-not-found-title = Sessão não encontrada
error-not-found = Esta sessão não existe ou já foi encerrada.
error-forbidden-title = Solicitação recusada
error-forbidden = Não foi possível verificar a solicitação. Recarregue a página e tente novamente.
error-unavailable-title = Temporariamente indisponível
error-unavailable = Não é possível mostrar as sessões agora. Tente novamente em instantes.

nav-back = Voltar às suas sessões
nav-home = Início
