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
session-details = Detalhes
session-active-ago = Ativa { $ago }

device-on = { $browser } em { $platform }
device-unknown = Dispositivo desconhecido
hints-mobile-yes = celular: sim
hints-mobile-no = celular: não
# Two parts of a browser's description joined ("Chrome on Android, mobile: yes").
hints-joined = { $first }, { $second }
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
notice-dismiss = Dispensar
action-end-others = Encerrar todas as outras sessões
end-others-hint = Desconecta você de todos os outros navegadores e dispositivos. Este navegador continua conectado.
confirm-password-label = Sua senha
confirm-password-hint = Digite sua senha para confirmar.
confirm-reauthenticate = Para sua segurança, entre novamente antes de encerrar suas outras sessões.
confirm-reauthenticate-link = Entrar novamente

flash-ended-one = A sessão foi encerrada.
flash-ended-device = { $device } foi desconectado.
flash-ended-others =
    { $count ->
        [0] Não havia outras sessões para encerrar.
        [1] Uma outra sessão foi encerrada.
       *[other] { $count } outras sessões foram encerradas.
    }
flash-wrong-password = A senha não está correta. Nenhuma sessão foi encerrada.
flash-too-many-passwords = Muitas senhas incorretas. Nenhuma sessão foi encerrada; tente novamente em alguns minutos.

error-not-found-title = Sessão não encontrada
error-not-found = Esta sessão não existe ou já foi encerrada.
error-forbidden-title = Solicitação recusada
error-forbidden = Não foi possível verificar a solicitação. Recarregue a página e tente novamente.
error-bad-request-title = Solicitação inválida
error-bad-request = Não foi possível ler o formulário enviado. Recarregue a página e tente novamente.
error-unavailable-title = Temporariamente indisponível
error-unavailable = Não é possível mostrar as sessões agora. Tente novamente em instantes.

nav-back = Voltar às suas sessões
nav-home = Início
nav-signed-in-as = Conectado como { $user }

# As páginas de administração: todas as sessões de todos os usuários, para a equipe.
# Variáveis: $count é um número.

admin-title = Todas as sessões
admin-intro = Todas as sessões de todos os usuários. Pesquise um usuário ou um endereço IP e encerre as sessões selecionadas.
admin-search-label = Pesquisar
admin-search-submit = Pesquisar
admin-search-clear = Limpar a busca
admin-search-hint = Um nome de usuário, nome ou e-mail; ou um endereço IP ou o seu início ({ $example }).
admin-search-truncated = Usuários demais correspondem; só as sessões dos primeiros { $count } são exibidas. Refine a pesquisa.
admin-filter-status = Por status
admin-filter-all = Todas
admin-filter-active = Ativas
admin-filter-expired = Expiradas
admin-filter-owner = Por dono
admin-filter-everyone = Todos
admin-filter-mine = Minhas
admin-filter-user = Somente as sessões deste usuário:
admin-filter-clear = Mostrar todos os usuários
admin-column-select = Selecionar
admin-column-user = Usuário
admin-column-ip = Endereço IP
admin-column-location = Localização
admin-column-device = Dispositivo
admin-column-last-activity = Última atividade
admin-column-signed-in = Login
admin-column-expires = Expira
admin-column-status = Status
admin-status-valid = Válida
admin-status-expired = Expirada
admin-anonymous = Sem login
admin-select-session = Selecionar esta sessão
admin-select-all = Selecionar todas as sessões desta página
admin-empty = Nenhuma sessão corresponde.
admin-result-count =
    { $count ->
        [one] Uma sessão
       *[other] { $count } sessões
    }
admin-result-more = Há mais na próxima página.
admin-pages = Páginas
admin-first-page = Primeira página
admin-next-page = Próxima página
admin-action-end-selected = Encerrar as sessões selecionadas
admin-action-end-user = Encerrar todas as sessões deste usuário
admin-end-user-hint = Desconecta este usuário de todos os navegadores e dispositivos.
admin-action-purge = Excluir as sessões expiradas
admin-purge-hint = Sessões expiradas não podem mais ser usadas; isto as remove agora do banco de dados.
admin-ended =
    { $count ->
        [0] Nenhuma sessão foi encerrada.
        [one] Uma sessão foi encerrada.
       *[other] { $count } sessões foram encerradas.
    }
admin-nothing-selected = Nenhuma sessão foi selecionada.
admin-confirm-title = Confirme
admin-confirm-end-selected = 
    { $count ->
        [one] Encerrar a sessão selecionada?
       *[other] Encerrar as { $count } sessões selecionadas?
    }
admin-confirm-end-selected-hint = Os navegadores que as usam saem na próxima requisição.
admin-confirm-end-user = 
    { $count ->
        [0] { $user } não tem sessões.
        [one] Encerrar a única sessão de { $user }?
       *[other] Encerrar as { $count } sessões de { $user }?
    }
admin-confirm-end-user-hint = O usuário sai de todos os navegadores e dispositivos.
admin-confirm-purge = 
    { $count ->
        [0] Não há sessões expiradas.
        [one] Excluir a única sessão expirada?
       *[other] Excluir { $count } sessões expiradas?
    }
admin-confirm-purge-hint = Sessões expiradas não podem mais ser usadas; isto as remove agora do banco de dados.
admin-confirm-button-end = 
    { $count ->
        [one] Encerrar uma sessão
       *[other] Encerrar { $count } sessões
    }
admin-confirm-button-purge = 
    { $count ->
        [one] Excluir uma sessão
       *[other] Excluir { $count } sessões
    }
admin-confirm-cancel = Cancelar
admin-detail-title = Detalhes da sessão
admin-back = Voltar para todas as sessões
admin-field-user = Usuário
admin-field-user-id = ID do usuário
admin-field-public-id = ID público
admin-field-ip = Endereço IP
admin-field-location = Localização
admin-field-user-agent = Identificação do navegador
admin-field-client-hints = Client hints
admin-field-created = Criada
admin-field-last-activity = Última atividade
admin-field-signed-in = Login
admin-field-expires = Expira
admin-data-title = Dados da sessão
admin-data-key = Chave
admin-data-value = Valor
admin-data-hidden = oculto
admin-data-empty = Esta sessão não contém dados.
admin-action-end-one = Encerrar esta sessão
admin-forbidden-title = Somente para a equipe
admin-forbidden = Somente membros da equipe podem ver as sessões de todos os usuários.
admin-bad-request-title = Solicitação inválida
admin-bad-request = O endereço desta página não é válido. Comece de novo pela lista de sessões.
