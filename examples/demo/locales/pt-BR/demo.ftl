# The demo's own pages: home, sign-in, navigation.

demo-title = Sessões que você vê
demo-signed-in-as = Você entrou como { $user }.
demo-staff = equipe
demo-intro-signed-in = Entre com o mesmo usuário em outro navegador ou numa janela anônima, e uma segunda sessão aparece na sua página de sessões — onde você pode encerrá-la.
demo-intro = Esta aplicação guarda cada sessão como uma linha — com usuário, endereço IP, navegador e horários — para você ver onde está conectado e encerrar as sessões que não reconhece.
demo-your-sessions = Suas sessões ativas
demo-all-sessions = Todas as sessões (administração)
demo-sign-out = Sair
demo-sign-in = Entrar
demo-signed-out-elsewhere = Você foi desconectado em outro dispositivo ou sua sessão expirou. Entre novamente para continuar.
demo-accounts = Contas desta demonstração
demo-simulate-title = Experimente: acessos de outros dispositivos
demo-simulate-hint = Adiciona três sessões à sua conta — um iPhone, um celular Android e um PC com Windows, em endereços públicos — como se você tivesse entrado neles.
demo-simulate-button = Simular um acesso de outro dispositivo
demo-nav-sessions = Suas sessões
demo-username = Nome de usuário
demo-password = Senha
demo-login-try = Experimente { $first } ou { $second }.
demo-geoip-sample = Locais: dados de exemplo inventados para esta demonstração, não geolocalização real. Aponte GEOIP_PATH para um banco GeoLite2 ou DB-IP para ver os reais.
demo-change-password = Alterar senha
demo-current-password = Senha atual
demo-new-password = Nova senha
demo-password-changed = Senha alterada. Suas outras sessões foram encerradas; esta continua conectada.
demo-new-sign-in = Novo acesso: { $device }, { $location } — { $ago }
demo-new-sign-in-unlocated = Novo acesso: { $device } — { $ago }
