## Coisas citadas nas mensagens

entity-ticket = ticket
entity-contract = contrato
entity-bot = bot
entity-organization = organização
entity-user = usuário
entity-invitation = convite
entity-join_request = pedido de entrada
entity-requester = solicitante
entity-assignee = responsável
entity-member = membro da equipe
entity-plan = plano
entity-token = token
entity-route = página

channel-documentation = documentação
channel-forum = fórum
channel-portal = portal de atendimento
channel-email = e-mail
channel-whatsapp = WhatsApp
channel-phone = telefone

## Erros

not-found = Não encontramos { $entity }, ou você não tem acesso.
internal = Algo deu errado do nosso lado e nada foi alterado. Tente de novo; se continuar acontecendo, avise o suporte.
rate-limited = Tentativas demais. Aguarde { $seconds } segundos e tente de novo.

auth-inbound_token = O token de e-mail de entrada está ausente ou errado: envie o token da configuração no cabeçalho X-Inbound-Token.
auth-required = Entre primeiro: envie seu token no cabeçalho Authorization como "Bearer <token>".
auth-invalid_token = Sua sessão ou seu token de API não é válido ou expirou. Entre de novo para obter outro.
auth-invalid_credentials = O e-mail ou a senha não estão corretos. Confira os dois e tente de novo.
invitation-sign_in_first = Este convite é para um endereço que já tem conta. Entre com ela e depois aceite o convite.

forbidden-staff_only = Só a equipe de suporte pode fazer isso.
forbidden-admin_only = Só um administrador pode fazer isso.
forbidden-customer_admin_only = Só o administrador da sua organização pode ver isso.
forbidden-manager_only = Só o administrador da sua organização ou a equipe de suporte podem gerenciar esta equipe.
forbidden-ticket-on_behalf_staff_only = Só a equipe de suporte pode abrir um ticket em nome de outra pessoa ou escolher o canal dele.
forbidden-ticket-triage_staff_only = Você pode marcar seu ticket como resolvido ou reabri-lo; prioridade, tipo e atribuição ficam com a equipe de suporte.
forbidden-ticket-notes_staff_only = Notas internas são da equipe de suporte. Envie uma resposta pública.

not_entitled-plan_not_paid = Seu plano { $plan } inclui a documentação e o fórum; os tickets de suporte começam no plano Startup.
not_entitled-not_registered = Só usuários cadastrados podem abrir tickets. Peça um convite ao administrador da sua organização e cadastre-se pelo link.
not_entitled-contract_not_started = Este contrato começa em { $date }; a partir desse dia você poderá abrir tickets.
not_entitled-contract_ended = Este contrato terminou em { $date }. Peça ao administrador da sua organização que o renove.
not_entitled-not_a_member = Você não faz parte da equipe deste contrato nem da equipe de um dos bots dele. Peça para entrar na equipe; o administrador da sua organização precisará aprovar.
not_entitled-channel_not_in_plan = O plano { $plan } não inclui { $channel }. Abra seu ticket por um canal que o seu plano inclua.
not_entitled-channel_not_contracted = No plano { $plan }, o atendimento por { $channel } depende das condições do contrato, e este contrato não o inclui. Use outro canal ou pergunte como incluí-lo.
not_entitled-language_not_chosen = Escolha seu idioma nas preferências antes de abrir um ticket, para que possamos responder nesse idioma.
refusal-fallback = Se não conseguir abrir um ticket, escreva para { $email }.

validation-empty = O campo "{ $field }" não pode ficar vazio.
validation-too_long = O campo "{ $field }" é longo demais: no máximo { $max } caracteres.
validation-not_one_of = O campo "{ $field }" deve ser um de: { $allowed }.
validation-invalid = O campo "{ $field }" não é válido: { $reason }
reason-email_format = escreva um endereço como nome@exemplo.com.
reason-time_zone_unknown = use um nome de fuso horário como America/Sao_Paulo.
reason-password_short = use pelo menos 10 caracteres.
reason-date_order = a data de término não pode ser anterior à de início.
reason-plan_unknown = nenhum plano tem este código; veja a lista de planos.
reason-code_chars = use letras minúsculas, dígitos, "-" e "_".

rejected-ticket-closed = Este ticket está fechado e não muda mais. Abra um novo ticket para continuar.
rejected-ticket-status_transition = Um ticket não pode passar para esse status a partir do atual.
rejected-ticket-bot_not_in_contract = Esse bot não pertence ao contrato escolhido.
rejected-ticket-requester_is_staff = Tickets são abertos para clientes; escolha um cliente como solicitante.
rejected-ticket-assignee_not_staff = Tickets só podem ser atribuídos a membros da equipe de suporte.
rejected-invitation-used = Este convite já foi usado. Entre na sua conta.
rejected-invitation-expired = Este convite expirou. Peça um novo.
rejected-invitation-customers_only = Convites são para usuários clientes; contas da equipe de suporte são criadas por um administrador.
rejected-invitation-bot_not_in_contract = Esse bot não pertence ao contrato escolhido.
rejected-invitation-needs_target = Diga para que é o convite: uma organização, um contrato ou um bot.
rejected-invitation-other_organization = O contrato ou o bot pertence a outra organização.
rejected-invitation-user_in_other_organization = Este endereço pertence a uma conta da equipe de suporte ou a outra organização, e não pode ser convidado aqui.
rejected-join_request-bot_not_in_contract = Esse bot não pertence ao contrato escolhido.
rejected-join_request-already_decided = Este pedido já foi decidido.
rejected-membership-other_organization = Só usuários da organização do contrato podem entrar nas equipes dele.
rejected-plan-paid_needs_tier = Um plano pago precisa de um nível de SLA (standard ou premium).
rejected-user-customer_admin_needs_organization = Um administrador de cliente precisa pertencer a uma organização.
rejected-user-staff_without_organization = A equipe de suporte não pertence a uma organização cliente.

conflict-organization-name_taken = Já existe uma organização com este nome.
conflict-user-email_taken = Já existe um usuário com este e-mail.
conflict-invitation-duplicate = Este convite já existe.
conflict-plan-code_taken = Já existe um plano com este código.
conflict-join_request-already_member = Você já faz parte desta equipe.
conflict-join_request-pending = Você já pediu para entrar nesta equipe; o pedido aguarda uma decisão.

request-malformed_json = O corpo da requisição não é um JSON válido: { $detail }
request-invalid_json = O corpo da requisição não corresponde a este endpoint: { $detail }
request-json_content_type = Envie o corpo como JSON, com o cabeçalho Content-Type: application/json.
request-too_large = A requisição é grande demais.
request-invalid_query = Os parâmetros da consulta não são válidos: { $detail }
request-invalid_path = O endereço não é válido: { $detail }
route-not_found = Não há nada neste endereço. A referência da API está em /api/docs.
route-method_not_allowed = Este endereço não aceita este método. A referência da API está em /api/docs.

reason-cursor = use o valor next_cursor da página anterior.

## Níveis de serviço

weekday-1 = segunda-feira
weekday-2 = terça-feira
weekday-3 = quarta-feira
weekday-4 = quinta-feira
weekday-5 = sexta-feira
weekday-6 = sábado
weekday-7 = domingo
target-first_response = Primeira resposta
target-next_response = Próxima resposta
target-periodic_update = Atualização periódica
target-resolution = Resolução
sla-explain-running = { $target } vence em { $due } ({ $zone }): { $minutes } minutos úteis desde { $start }; { $elapsed } já usados.
sla-explain-paused = { $target } está pausada enquanto o ticket aguarda; { $elapsed } de { $minutes } minutos úteis usados desde { $start } ({ $zone }).
sla-explain-achieved = { $target } cumprida: { $elapsed } de { $minutes } minutos úteis usados, contados desde { $start } ({ $zone }).
sla-explain-breached = { $target } violada: vencia em { $due } ({ $zone }), { $minutes } minutos úteis desde { $start }.
sla-closed-hours = As horas fora do expediente não foram contadas.
sla-holidays = Feriados pulados: { $holidays }.
sla-paused-time = O relógio ficou pausado por { $minutes } minutos úteis.
entity-policy = política de SLA
entity-calendar = calendário
entity-holiday = feriado
entity-notification = notificação
reason-week_shape = informe sete listas (começando na segunda) de minutos [início, fim], ordenadas, com início < fim <= 1440, com algum horário aberto.
reason-calendar_unknown = nenhum calendário tem este código; veja a lista de calendários.
reason-target_minutes = as metas são minutos úteis inteiros entre 1 e 525600.
reason-percent = use uma porcentagem entre 1 e 100.
reason-priority_or_urgency = informe a prioridade ou a urgência e o impacto, não os dois.
reason-urgency_and_impact = informe a urgência e também o impacto (low, medium ou high).
reason-cursor_with_due = a ordenação por vencimento mostra uma só página; tire o cursor.
reason-instant = use uma data (2026-01-31) ou um instante (2026-01-31T12:00:00Z).

entity-group = grupo
entity-team = equipe
conflict-group-name_taken = Já existe um grupo com este nome.
rejected-group-member_not_staff = Só membros da equipe de suporte podem entrar em um grupo.
reason-control_chars = remova caracteres de controle como NUL; quebras de linha e tabulações podem ficar.

## E-mail

mail-reply-marker = Digite sua resposta acima desta linha
mail-ack-body = Olá { $name }, recebemos sua solicitação e abrimos o ticket #{ $ticket }. Para acrescentar algo, responda a esta mensagem. O que você enviou:
mail-reply-body = { $who } respondeu ao seu ticket #{ $ticket }:
mail-customer-replied = { $who } escreveu no ticket #{ $ticket } ({ $subject }):
mail-solved-body = Olá { $name }, o ticket #{ $ticket } foi resolvido. Se algo ainda estiver errado, responda a esta mensagem e ele será reaberto.
mail-pending-body = Olá { $name }, o ticket #{ $ticket } aguarda sua resposta. Responda a esta mensagem para continuar.
mail-footer = Veja a conversa inteira: { $link }
mail-empty-body = (a mensagem não tinha texto)
mail-no-subject = (sem assunto)
mail-access-subject = Não conseguimos abrir um ticket: { $subject }
mail-access-intro = Recebemos sua mensagem "{ $subject }", mas ela não pôde virar um ticket de suporte.
mail-access-help = Enquanto isso, talvez a central de ajuda já tenha a resposta: { $help }
mail-access-kept = Sua mensagem foi guardada: nossa equipe vai vê-la e responder se puder ajudar.
mail-sla-warning-body = Aviso de nível de serviço no ticket #{ $ticket } ({ $subject }): { $target } vence em { $due }.
mail-sla-breached-body = Nível de serviço descumprido no ticket #{ $ticket } ({ $subject }): { $target } vencia em { $due }.
mail-escalated-body = O ticket #{ $ticket } ({ $subject }) é um incidente urgente que descumpriu um nível de serviço ({ $target }); foi escalado aos supervisores.
mail-reset-subject = Escolha uma nova senha
mail-reset-body = Olá { $name }, alguém (esperamos que você) pediu para escolher uma nova senha para sua conta de suporte. Este link funciona uma única vez, por { $minutes } minutos:
mail-reset-ignore = Se não foi você, ignore esta mensagem: sua senha continua a mesma.
mail-invite-subject = Você foi convidado para o suporte de { $organization }
mail-invite-body = Olá, { $inviter } convidou você para abrir e acompanhar os tickets de suporte de { $organization }. Escolha aqui seu nome, idioma e senha (o link funciona por { $days } dias):

entity-message = mensagem recebida
entity-mailbox = caixa de correio
rejected-inbound-not_queued = Esta mensagem não está mais na fila de acesso: outro agente já cuidou dela.
rejected-inbound-sender_not_user = Quem escreveu ainda não é usuário. Convide a pessoa primeiro ou escolha o cliente para quem é o ticket.
rejected-inbound-unreadable = Não foi possível ler esta mensagem, então ela não pode virar ticket. Abra um manualmente com o conteúdo dela.
reason-host_name = escreva um nome de servidor como imap.example.com, sem porta nem esquema.
reason-port = use uma porta de 1 a 65535 (993 com TLS, 143 sem).

entity-incident = incidente
entity-component = componente
rejected-component-group_nesting = Grupos contêm componentes, não outros grupos: escolha como grupo um componente que não esteja em um grupo.
rejected-maintenance-short_notice = Uma manutenção é anunciada com pelo menos 48 horas de antecedência. Escolha um início mais tarde ou explique em short_notice por que o aviso é mais curto.
status-follow = Acompanhe na página de status: { $link }
mail-status-confirm-subject = Confirme sua inscrição em { $page }
mail-status-confirm-body = Alguém (esperamos que você) pediu para receber por e-mail os incidentes e manutenções da nossa página de status. Confirme aqui:
mail-status-confirm-ignore = Se não foi você, ignore esta mensagem: nada será enviado.
mail-status-unsubscribe = Para deixar de receber estas mensagens: { $link }
entity-subscription = inscrição
reason-url = informe um endereço que comece com https:// (ou http:// para um receptor da sua rede).
mail-maintenance-subject = Manutenção programada: { $name }
mail-maintenance-body = Olá { $name }, há uma manutenção programada que afeta o seu serviço, de { $from } até { $until }.
entity-entry = entrada do registro de mudanças
reason-one_per_language = informe uma só tradução por idioma.

## Comunidade
entity-idea = ideia
entity-comment = comentário
rejected-idea-merged = Esta ideia foi mesclada com outra; vote e comente lá.
rejected-idea-decided = Esta ideia já tem decisão (concluída ou recusada) e não recebe mais votos.
rejected-idea-merge_into_itself = Uma ideia não pode ser mesclada com ela mesma; informe o número da ideia que fica.
forbidden-idea-not_author = Só quem escreveu a ideia ou a equipe de suporte podem alterá-la.
mail-community-why = Você recebe isto porque segue, votou ou escreveu este conteúdo. Para parar, abra a página acima e escolha "Deixar de seguir".
mail-idea-status-subject = Ideia "{ $title }": { $status }
mail-idea-status-body = A ideia "{ $title }" que você segue agora está: { $status }.
mail-idea-status-note = Uma palavra da equipe: { $note }
mail-idea-shipped-subject = Já disponível: "{ $title }"
mail-idea-shipped-body = Boa notícia: a ideia "{ $title }" que você segue já faz parte do produto. O registro de mudanças conta o que mudou.
entity-topic = tópico
entity-post = mensagem
entity-category = categoria
entity-ban = suspensão
forbidden-forum-banned = Um moderador suspendeu sua participação no fórum; você ainda pode lê-lo. Escreva ao suporte se achar que é um engano.
forbidden-topic-not_asker = Só quem fez a pergunta, ou a equipe de suporte, pode fazer isto no tópico.
forbidden-post-not_author = Só quem escreveu a mensagem ou a equipe de suporte podem alterá-la.
rejected-topic-merged = Este tópico foi mesclado com outro; continue a conversa lá.
rejected-topic-locked = Este tópico está trancado: não recebe mais respostas nem alterações.
rejected-post-own_vote = Você não pode votar na sua própria mensagem.
rejected-topic-accept_question = A pergunta não pode ser a própria resposta; escolha uma das respostas.
rejected-topic-merge_into_itself = Um tópico não pode ser mesclado com ele mesmo; informe o número do tópico que fica.
rejected-forum-ban_staff = Membros da equipe de suporte não podem ser suspensos do fórum.
reason-in_the_past = escolha um momento no futuro, ou nenhum para uma suspensão sem fim.
mail-forum-reply-subject = Nova resposta em "{ $title }"
mail-forum-reply-body = { $name } respondeu no tópico do fórum "{ $title }" que você segue.
entity-event = evento
entity-question = pergunta
rejected-event-no_session_that_day = O evento não tem sessão prevista nesse dia; informe a data para a qual uma sessão estava prevista.
rejected-event-session_not_coming = Essa sessão não está por vir (terminou, foi cancelada ou não está prevista); pergunte para uma das próximas sessões.
reason-duration_range = informe uma duração de 5 minutos a 24 horas.
events-calendar-name = Eventos
reason-date = escreva uma data como 2026-12-31.
reason-local_datetime = escreva uma data e hora locais como 2026-12-31T15:00.
entity-template = modelo
mail-template-review-subject = Seu modelo "{ $title }": { $status }
mail-template-review-body = A equipe de suporte revisou seu modelo "{ $title }". Agora está: { $status }.
entity-page = página
conflict-page-slug = Outra página deste tipo já tem este endereço; escolha outro endereço ou outro título.
rejected-ticket-not_solved = Só um ticket resolvido pode virar artigo de ajuda: resolva-o primeiro.
article-from-ticket-question = A pergunta
article-from-ticket-answer = A resposta

## O contato inteligente (WhatsApp e chat web)
bot-menu = Como posso ajudar? Escolha uma opção ou escreva o que você precisa.
bot-menu-open = Abrir um ticket
bot-menu-tickets = Meus tickets abertos
bot-menu-faq = Fazer uma pergunta
bot-menu-reports = Meus relatórios
bot-menu-human = Falar com alguém
bot-list-button = Opções
bot-choose-language = Elige tu idioma · Escolha seu idioma · Choose your language
bot-not-understood = Desculpe, não entendi.
bot-cancelled = Pronto, deixei isso de lado.
bot-too-long = Está longo demais: no máximo { $max } caracteres, por favor.
bot-empty = Preciso de algumas palavras aqui.
bot-yes = Sim
bot-no = Não
bot-reply = Responder
bot-back-to-menu = Voltar ao menu
bot-pick-contract = É sobre qual contrato?
bot-pick-bot = É sobre qual dos seus bots?
bot-no-bot = Nenhum em especial
bot-pick-type = Que tipo de solicitação é?
bot-type-question = Pergunta
bot-type-question-help = Como usar a plataforma, ou algo configurado do seu lado
bot-type-task = Tarefa
bot-type-task-help = Uma mudança, ajuste ou dado que só nós podemos fazer ou extrair
bot-type-incident = Incidente
bot-type-incident-help = O serviço parou, ficou instável ou degradado
bot-pick-priority = Qual a urgência?
bot-priority-low = Baixa
bot-priority-low-help = Pode esperar
bot-priority-normal = Normal
bot-priority-normal-help = Existe uma alternativa
bot-priority-high = Alta
bot-priority-high-help = Uma função limitada para muitos usuários
bot-priority-urgent = Urgente
bot-priority-urgent-help = O serviço caiu ou há dados em risco
bot-write-subject = Em uma linha, do que se trata?
bot-write-description = Agora conte o que aconteceu: o que você fez, o que viu, desde quando.
bot-send-files = Envie capturas ou arquivos se ajudarem ({ $count } até agora), ou toque em Pronto.
bot-files-done = Pronto
bot-file-received = Recebi o arquivo.
bot-too-many-files = Já são dez arquivos; o resto pode ir depois em uma resposta.
bot-confirm-ticket = Posso abrir? "{ $subject }" · { $type } · { $priority } · { $files } arquivo(s).
bot-confirm = Abrir
bot-cancel = Cancelar
bot-ticket-opened = O ticket #{ $id } está aberto. Aviso você por aqui quando ele andar.
bot-ticket-opened-due = O ticket #{ $id } está aberto; responderemos até { $due }. Aviso você por aqui quando ele andar.
bot-no-contracts = Não encontrei um contrato seu com suporte. Fale com o administrador da sua organização.
bot-refusal-fallback = Você também pode escrever para { $email }.
bot-no-open-tickets = Você não tem tickets abertos.
bot-your-tickets = Seus tickets abertos: escolha um para ver.
bot-due = vence { $due }
bot-ticket-detail = Ticket #{ $id }
    { $lines }
bot-you = Você
bot-support = Suporte
bot-ticket-next = E agora?
bot-write-reply = Escreva sua resposta; ela vai para o ticket.
bot-reply-added = Sua resposta está no ticket #{ $id }.
bot-ticket-gone = Esse ticket não é um que você possa ver.
bot-ask-question = Qual é a sua pergunta?
bot-faq-found = Isto pode ajudar:
    { $articles }
bot-did-it-help = Respondeu à sua pergunta?
bot-glad = Que bom que ajudou!
bot-faq-nothing = Não encontrei nada sobre isso na central de ajuda. Vamos abrir um ticket?
bot-open-ticket-instead = Abrir um ticket
bot-faq-to-ticket = Vamos abrir um ticket com a sua pergunta.
bot-reports = Seus números:
    { $lines }
bot-report-overall = Todos os seus tickets: { $open } abertos, { $solved } resolvidos nos últimos 30 dias.
bot-report-bot = { $bot }: { $open } abertos, { $solved } resolvidos nos últimos 30 dias.
bot-human-joined = Uma pessoa do suporte vai responder aqui (ticket #{ $id }). Escreva "menu" para voltar ao bot.
bot-human-waiting = Suas mensagens vão para a equipe de suporte.
bot-handoff-subject = Falar com uma pessoa (chat)
bot-handoff-description = O cliente pediu para falar com uma pessoa no chat. A conversa até agora:
bot-file-on-ticket = (um arquivo)
bot-unknown-number = Olá! Este número ainda não está vinculado a uma conta. Entre em { $url } e adicione seu número de WhatsApp nas suas preferências, ou escreva para { $email }.
bot-sign-in-first = Olá! Entre em { $url } para usar o chat, ou escreva para { $email }.
whatsapp-signature = A assinatura da notificação não confere: só a Meta, com o segredo do aplicativo, pode enviá-la.
forbidden-whatsapp-verify_token = O token de verificação não é o configurado neste servidor.
conflict-whatsapp-number_taken = Este número de WhatsApp está vinculado a outra conta; escreva ao suporte se ele for seu.
reason-whatsapp_number = escreva o número com o código do país, como +55 11 98765 4321 (de 8 a 15 dígitos).
entity-whatsapp_number = número de WhatsApp
