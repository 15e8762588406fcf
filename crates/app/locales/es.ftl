## Cosas nombradas en los mensajes

entity-ticket = ticket
entity-contract = contrato
entity-bot = bot
entity-organization = organización
entity-user = usuario
entity-invitation = invitación
entity-join_request = solicitud de ingreso
entity-requester = solicitante
entity-assignee = responsable
entity-member = miembro del equipo
entity-plan = plan
entity-token = token
entity-route = página

channel-documentation = documentación
channel-forum = foro
channel-portal = portal de soporte
channel-email = correo electrónico
channel-whatsapp = WhatsApp
channel-phone = teléfono

## Errores

not-found = No encontramos { $entity }, o no tiene acceso.
internal = Algo falló de nuestro lado y no se cambió nada. Inténtelo de nuevo; si sigue pasando, avise a soporte.
rate-limited = Demasiados intentos. Espere { $seconds } segundos y vuelva a intentarlo.

auth-inbound_token = Falta el token de correo entrante o no es válido: envíe el token de la configuración en el encabezado X-Inbound-Token.
auth-required = Primero inicie sesión: envíe su token en el encabezado Authorization como "Bearer <token>".
auth-invalid_token = Su sesión o su token de API no es válido o venció. Inicie sesión de nuevo para obtener otro.
auth-invalid_credentials = El correo electrónico o la contraseña no son correctos. Revise ambos e inténtelo de nuevo.
invitation-sign_in_first = Esta invitación es para una dirección que ya tiene cuenta. Inicie sesión con ella y luego acepte la invitación.

forbidden-staff_only = Solo el equipo de soporte puede hacer esto.
forbidden-admin_only = Solo un administrador puede hacer esto.
forbidden-customer_admin_only = Solo el administrador de su organización puede ver esto.
forbidden-manager_only = Solo el administrador de su organización o el equipo de soporte pueden gestionar este equipo.
forbidden-ticket-on_behalf_staff_only = Solo el equipo de soporte puede abrir un ticket en nombre de otra persona o elegir su canal.
forbidden-ticket-triage_staff_only = Puede marcar su ticket como resuelto o reabrirlo; la prioridad, el tipo y la asignación los define el equipo de soporte.
forbidden-ticket-notes_staff_only = Las notas internas son del equipo de soporte. Envíe una respuesta pública.

not_entitled-plan_not_paid = Su plan { $plan } incluye la documentación y el foro; los tickets de soporte empiezan con el plan Startup.
not_entitled-not_registered = Solo los usuarios registrados pueden abrir tickets. Pida una invitación al administrador de su organización y regístrese con el enlace.
not_entitled-contract_not_started = Este contrato empieza el { $date }; desde ese día podrá abrir tickets.
not_entitled-contract_ended = Este contrato terminó el { $date }. Pida al administrador de su organización que lo renueve.
not_entitled-not_a_member = No forma parte del equipo de este contrato ni del equipo de alguno de sus bots. Solicite ingresar al equipo; el administrador de su organización deberá aprobarlo.
not_entitled-channel_not_in_plan = El plan { $plan } no incluye { $channel }. Abra su ticket por un canal que su plan incluya.
not_entitled-channel_not_contracted = En el plan { $plan }, la atención por { $channel } depende de las condiciones de su contrato, y este contrato no la incluye. Use otro canal o consulte cómo agregarla.
not_entitled-language_not_chosen = Elija su idioma en las preferencias antes de abrir un ticket, para que podamos responderle en ese idioma.
refusal-fallback = Si no puede abrir un ticket, escriba a { $email }.

validation-empty = El campo "{ $field }" no puede estar vacío.
validation-too_long = El campo "{ $field }" es demasiado largo: como máximo { $max } caracteres.
validation-not_one_of = El campo "{ $field }" debe ser uno de: { $allowed }.
validation-invalid = El campo "{ $field }" no es válido: { $reason }
reason-email_format = escriba una dirección como nombre@ejemplo.com.
reason-time_zone_unknown = use un nombre de zona horaria como America/Sao_Paulo.
reason-password_short = use al menos 10 caracteres.
reason-date_order = la fecha de fin no puede ser anterior a la de inicio.
reason-plan_unknown = ningún plan tiene este código; consulte la lista de planes.
reason-code_chars = use letras minúsculas, dígitos, "-" y "_".

rejected-ticket-closed = Este ticket está cerrado y ya no cambia. Abra un ticket nuevo para continuar.
rejected-ticket-status_transition = Un ticket no puede pasar a ese estado desde el actual.
rejected-ticket-bot_not_in_contract = Ese bot no pertenece al contrato elegido.
rejected-ticket-requester_is_staff = Los tickets se abren para clientes; elija un cliente como solicitante.
rejected-ticket-assignee_not_staff = Los tickets solo se asignan a miembros del equipo de soporte.
rejected-invitation-used = Esta invitación ya fue usada. Inicie sesión.
rejected-invitation-expired = Esta invitación venció. Pida una nueva.
rejected-invitation-customers_only = Las invitaciones son para usuarios clientes; las cuentas del equipo de soporte las crea un administrador.
rejected-invitation-bot_not_in_contract = Ese bot no pertenece al contrato elegido.
rejected-invitation-needs_target = Indique para qué es la invitación: una organización, un contrato o un bot.
rejected-invitation-other_organization = El contrato o el bot pertenece a otra organización.
rejected-invitation-user_in_other_organization = Esta dirección pertenece a una cuenta del equipo de soporte o a otra organización, y no se puede invitar aquí.
rejected-join_request-bot_not_in_contract = Ese bot no pertenece al contrato elegido.
rejected-join_request-already_decided = Esta solicitud ya fue decidida.
rejected-membership-other_organization = Solo los usuarios de la organización del contrato pueden integrar sus equipos.
rejected-plan-paid_needs_tier = Un plan pago necesita un nivel de SLA (standard o premium).
rejected-user-customer_admin_needs_organization = Un administrador de cliente debe pertenecer a una organización.
rejected-user-staff_without_organization = El equipo de soporte no pertenece a una organización cliente.

conflict-organization-name_taken = Ya existe una organización con este nombre.
conflict-user-email_taken = Ya existe un usuario con este correo electrónico.
conflict-invitation-duplicate = Esta invitación ya existe.
conflict-plan-code_taken = Ya existe un plan con este código.
conflict-join_request-already_member = Ya forma parte de este equipo.
conflict-join_request-pending = Ya pidió ingresar a este equipo; la solicitud espera una decisión.

request-malformed_json = El cuerpo de la solicitud no es JSON válido: { $detail }
request-invalid_json = El cuerpo de la solicitud no corresponde a este endpoint: { $detail }
request-json_content_type = Envíe el cuerpo como JSON, con el encabezado Content-Type: application/json.
request-too_large = La solicitud es demasiado grande.
request-invalid_query = Los parámetros de la consulta no son válidos: { $detail }
request-invalid_path = La dirección no es válida: { $detail }
route-not_found = No hay nada en esta dirección. La referencia de la API está en /api/docs.
route-method_not_allowed = Esta dirección no acepta este método. La referencia de la API está en /api/docs.

reason-cursor = use el valor next_cursor de la página anterior.

## Niveles de servicio

weekday-1 = lunes
weekday-2 = martes
weekday-3 = miércoles
weekday-4 = jueves
weekday-5 = viernes
weekday-6 = sábado
weekday-7 = domingo
target-first_response = Primera respuesta
target-next_response = Siguiente respuesta
target-periodic_update = Actualización periódica
target-resolution = Resolución
sla-explain-running = { $target } vence el { $due } ({ $zone }): { $minutes } minutos hábiles desde el { $start }; van { $elapsed }.
sla-explain-paused = { $target } está en pausa mientras el ticket espera; { $elapsed } de { $minutes } minutos hábiles usados desde el { $start } ({ $zone }).
sla-explain-achieved = { $target } cumplida: { $elapsed } de { $minutes } minutos hábiles usados, contados desde el { $start } ({ $zone }).
sla-explain-breached = { $target } incumplida: vencía el { $due } ({ $zone }), { $minutes } minutos hábiles desde el { $start }.
sla-closed-hours = No se contaron las horas fuera del horario de atención.
sla-holidays = Feriados saltados: { $holidays }.
sla-paused-time = El reloj estuvo en pausa { $minutes } minutos hábiles.
entity-policy = política de SLA
entity-calendar = calendario
entity-holiday = feriado
entity-notification = notificación
reason-week_shape = indique siete listas (empezando el lunes) de minutos [inicio, fin], ordenadas, con inicio < fin <= 1440, con algún horario abierto.
reason-calendar_unknown = ningún calendario tiene este código; consulte la lista de calendarios.
reason-target_minutes = los objetivos son minutos hábiles enteros entre 1 y 525600.
reason-percent = use un porcentaje entre 1 y 100.
reason-priority_or_urgency = indique la prioridad o la urgencia y el impacto, no ambos.
reason-urgency_and_impact = indique la urgencia y también el impacto (low, medium o high).
reason-cursor_with_due = al ordenar por vencimiento se muestra una sola página; quite el cursor.
reason-instant = use una fecha (2026-01-31) o un instante (2026-01-31T12:00:00Z).

entity-group = grupo
entity-team = equipo
conflict-group-name_taken = Ya existe un grupo con este nombre.
rejected-group-member_not_staff = Solo miembros del equipo de soporte pueden integrar un grupo.
reason-control_chars = quite los caracteres de control como NUL; los saltos de línea y tabulaciones están bien.

## Correo electrónico

mail-reply-marker = Escriba su respuesta encima de esta línea
mail-ack-body = Hola { $name }, recibimos su solicitud y abrimos el ticket #{ $ticket }. Para agregar información, responda a este mensaje. Lo que nos envió:
mail-reply-body = { $who } respondió su ticket #{ $ticket }:
mail-customer-replied = { $who } escribió en el ticket #{ $ticket } ({ $subject }):
mail-solved-body = Hola { $name }, el ticket #{ $ticket } quedó resuelto. Si algo sigue mal, responda a este mensaje y se abrirá de nuevo.
mail-pending-body = Hola { $name }, el ticket #{ $ticket } espera su respuesta. Responda a este mensaje para continuar.
mail-footer = Vea toda la conversación: { $link }
mail-empty-body = (el mensaje no tenía texto)
mail-no-subject = (sin asunto)
mail-access-subject = No pudimos abrir un ticket: { $subject }
mail-access-intro = Recibimos su mensaje "{ $subject }", pero no pudo convertirse en un ticket de soporte.
mail-access-help = Mientras tanto, quizá el centro de ayuda ya tenga la respuesta: { $help }
mail-access-kept = Guardamos su mensaje: nuestro equipo lo verá y le escribirá si puede ayudar.
mail-sla-warning-body = Aviso de nivel de servicio en el ticket #{ $ticket } ({ $subject }): { $target } vence el { $due }.
mail-sla-breached-body = Nivel de servicio incumplido en el ticket #{ $ticket } ({ $subject }): { $target } vencía el { $due }.
mail-escalated-body = El ticket #{ $ticket } ({ $subject }) es un incidente urgente que incumplió un nivel de servicio ({ $target }); se escaló a los supervisores.
mail-reset-subject = Elija una nueva contraseña
mail-reset-body = Hola { $name }, alguien (esperamos que usted) pidió elegir una nueva contraseña para su cuenta de soporte. Este enlace funciona una sola vez, durante { $minutes } minutos:
mail-reset-ignore = Si no lo pidió, ignore este mensaje: su contraseña no cambia.
mail-invite-subject = Le invitamos al soporte de { $organization }
mail-invite-body = Hola, { $inviter } le invitó a abrir y seguir los tickets de soporte de { $organization }. Elija aquí su nombre, idioma y contraseña (el enlace funciona durante { $days } días):

entity-message = mensaje recibido
entity-mailbox = buzón
rejected-inbound-not_queued = Este mensaje ya no está en la cola de acceso: otro agente ya lo atendió.
rejected-inbound-sender_not_user = Quien escribe aún no es usuario. Invítalo primero o elige el cliente para quien es el ticket.
rejected-inbound-unreadable = No se pudo leer este mensaje, así que no se puede convertir en ticket. Abre uno a mano con su contenido.
reason-host_name = escribe un nombre de servidor como imap.example.com, sin puerto ni esquema.
reason-port = usa un puerto del 1 al 65535 (993 con TLS, 143 sin él).

entity-incident = incidente
entity-component = componente
rejected-component-group_nesting = Los grupos contienen componentes, no otros grupos: elige como grupo un componente que no esté en un grupo.
rejected-maintenance-short_notice = Un mantenimiento se anuncia con al menos 48 horas de anticipación. Elige un inicio más tarde o explica en short_notice por qué se avisa con menos tiempo.
status-follow = Síguelo en la página de estado: { $link }
mail-status-confirm-subject = Confirma tu suscripción a { $page }
mail-status-confirm-body = Alguien (esperamos que tú) pidió recibir por correo los incidentes y mantenimientos de nuestra página de estado. Confirma aquí:
mail-status-confirm-ignore = Si no fuiste tú, ignora este mensaje: no se enviará nada.
mail-status-unsubscribe = Para dejar de recibir estos mensajes: { $link }
entity-subscription = suscripción
reason-url = indica una dirección que empiece por https:// (o http:// para un receptor de tu red).
mail-maintenance-subject = Mantenimiento programado: { $name }
mail-maintenance-body = Hola { $name }, hay un mantenimiento programado que afecta su servicio, del { $from } al { $until }.
entity-entry = entrada del registro de cambios
reason-one_per_language = da una sola traducción por idioma.

## Comunidad
entity-idea = idea
entity-comment = comentario
rejected-idea-merged = Esta idea se fusionó con otra; vota y comenta allí.
rejected-idea-decided = Esta idea ya tiene decisión (completada o rechazada) y no admite más votos.
rejected-idea-merge_into_itself = Una idea no puede fusionarse consigo misma; indica el número de la idea que se queda.
forbidden-idea-not_author = Solo quien escribió la idea o el equipo de soporte pueden cambiarla.
mail-community-why = Recibes esto porque sigues, votaste o escribiste este contenido. Para dejar de recibirlo, abre la página de arriba y elige «Dejar de seguir».
mail-idea-status-subject = Idea «{ $title }»: { $status }
mail-idea-status-body = La idea «{ $title }» que sigues ahora está: { $status }.
mail-idea-status-note = Un comentario del equipo: { $note }
mail-idea-shipped-subject = Ya disponible: «{ $title }»
mail-idea-shipped-body = Buenas noticias: la idea «{ $title }» que sigues ya forma parte del producto. El registro de cambios cuenta qué cambió.
entity-topic = tema
entity-post = mensaje
entity-category = categoría
entity-ban = suspensión
forbidden-forum-banned = Un moderador suspendió tu participación en el foro; puedes seguir leyéndolo. Escribe a soporte si crees que es un error.
forbidden-topic-not_asker = Solo quien hizo la pregunta, o el equipo de soporte, puede hacer esto en el tema.
forbidden-post-not_author = Solo quien escribió el mensaje o el equipo de soporte pueden cambiarlo.
rejected-topic-merged = Este tema se fusionó con otro; continúa la conversación allí.
rejected-topic-locked = Este tema está cerrado: no admite más respuestas ni cambios.
rejected-post-own_vote = No puedes votar por tu propio mensaje.
rejected-topic-accept_question = La pregunta no puede ser su propia respuesta; elige una de las respuestas.
rejected-topic-merge_into_itself = Un tema no puede fusionarse consigo mismo; indica el número del tema que se queda.
rejected-forum-ban_staff = No se puede suspender en el foro a miembros del equipo de soporte.
reason-in_the_past = elige un momento futuro, o ninguno para una suspensión sin fin.
mail-forum-reply-subject = Nueva respuesta en «{ $title }»
mail-forum-reply-body = { $name } respondió en el tema del foro «{ $title }» que sigues.
entity-event = evento
entity-question = pregunta
rejected-event-no_session_that_day = El evento no tiene una sesión prevista ese día; indica la fecha para la que estaba prevista una sesión.
rejected-event-session_not_coming = Esa sesión no está por venir (terminó, se canceló o no está prevista); pregunta para una de las próximas sesiones.
reason-duration_range = indica una duración de 5 minutos a 24 horas.
events-calendar-name = Eventos
reason-date = escribe una fecha como 2026-12-31.
reason-local_datetime = escribe una fecha y hora locales como 2026-12-31T15:00.
entity-template = plantilla
mail-template-review-subject = Tu plantilla «{ $title }»: { $status }
mail-template-review-body = El equipo de soporte revisó tu plantilla «{ $title }». Ahora está: { $status }.
entity-page = página
conflict-page-slug = Otra página de este tipo ya tiene esta dirección; elige otra dirección u otro título.
rejected-ticket-not_solved = Solo un ticket resuelto puede convertirse en artículo de ayuda: resuélvelo primero.
article-from-ticket-question = La pregunta
article-from-ticket-answer = La respuesta

## El contacto inteligente (WhatsApp y chat web)
bot-menu = ¿En qué puedo ayudarte? Elige una opción o escribe lo que necesitas.
bot-menu-open = Abrir un ticket
bot-menu-tickets = Mis tickets abiertos
bot-menu-faq = Hacer una pregunta
bot-menu-reports = Mis reportes
bot-menu-human = Hablar con alguien
bot-list-button = Opciones
bot-choose-language = Elige tu idioma · Escolha seu idioma · Choose your language
bot-not-understood = Perdón, no lo entendí.
bot-cancelled = Listo, lo dejé de lado.
bot-too-long = Es demasiado largo: como máximo { $max } caracteres, por favor.
bot-empty = Necesito algunas palabras aquí.
bot-yes = Sí
bot-no = No
bot-reply = Responder
bot-back-to-menu = Volver al menú
bot-pick-contract = ¿Sobre qué contrato es?
bot-pick-bot = ¿Sobre cuál de tus bots es?
bot-no-bot = Ninguno en particular
bot-pick-type = ¿Qué tipo de solicitud es?
bot-type-question = Pregunta
bot-type-question-help = Cómo usar la plataforma, o algo configurado de tu lado
bot-type-task = Tarea
bot-type-task-help = Un cambio, ajuste o dato que solo nosotros podemos hacer o extraer
bot-type-incident = Incidente
bot-type-incident-help = El servicio se detuvo, se volvió inestable o se degradó
bot-pick-priority = ¿Qué tan urgente es?
bot-priority-low = Baja
bot-priority-low-help = Puede esperar
bot-priority-normal = Normal
bot-priority-normal-help = Hay una alternativa
bot-priority-high = Alta
bot-priority-high-help = Una función limitada para muchos usuarios
bot-priority-urgent = Urgente
bot-priority-urgent-help = El servicio está caído o hay datos en riesgo
bot-write-subject = En una línea, ¿de qué se trata?
bot-write-description = Ahora cuéntame qué pasó: qué hiciste, qué viste, desde cuándo.
bot-send-files = Envía capturas o archivos si ayudan ({ $count } hasta ahora), o toca Listo.
bot-files-done = Listo
bot-file-received = Recibí el archivo.
bot-too-many-files = Ya son diez archivos; el resto puede ir después en una respuesta.
bot-confirm-ticket = ¿Lo abro? «{ $subject }» · { $type } · { $priority } · { $files } archivo(s).
bot-confirm = Abrirlo
bot-cancel = Cancelar
bot-ticket-opened = El ticket #{ $id } está abierto. Te aviso por aquí cuando avance.
bot-ticket-opened-due = El ticket #{ $id } está abierto; responderemos antes de { $due }. Te aviso por aquí cuando avance.
bot-no-contracts = No encontré un contrato tuyo con soporte. Consulta al administrador de tu organización.
bot-refusal-fallback = También puedes escribir a { $email }.
bot-no-open-tickets = No tienes tickets abiertos.
bot-your-tickets = Tus tickets abiertos: elige uno para verlo.
bot-due = vence { $due }
bot-ticket-detail = Ticket #{ $id }
    { $lines }
bot-you = Tú
bot-support = Soporte
bot-ticket-next = ¿Qué sigue?
bot-write-reply = Escribe tu respuesta; va al ticket.
bot-reply-added = Tu respuesta está en el ticket #{ $id }.
bot-ticket-gone = Ese ticket no es uno que puedas ver.
bot-ask-question = ¿Cuál es tu pregunta?
bot-faq-found = Esto puede ayudarte:
    { $articles }
bot-did-it-help = ¿Respondió tu pregunta?
bot-glad = ¡Qué bueno que ayudó!
bot-faq-nothing = No encontré nada sobre eso en el centro de ayuda. ¿Abrimos un ticket?
bot-open-ticket-instead = Abrir un ticket
bot-faq-to-ticket = Abramos un ticket con tu pregunta.
bot-reports = Tus números:
    { $lines }
bot-report-overall = Todos tus tickets: { $open } abiertos, { $solved } resueltos en los últimos 30 días.
bot-report-bot = { $bot }: { $open } abiertos, { $solved } resueltos en los últimos 30 días.
bot-human-joined = Una persona de soporte te responderá aquí (ticket #{ $id }). Escribe «menú» para volver al bot.
bot-human-waiting = Tus mensajes van al equipo de soporte.
bot-handoff-subject = Hablar con una persona (chat)
bot-handoff-description = El cliente pidió hablar con una persona en el chat. La conversación hasta ahora:
bot-file-on-ticket = (un archivo)
bot-unknown-number = ¡Hola! Este número todavía no está vinculado a una cuenta. Inicia sesión en { $url } y agrega tu número de WhatsApp en tus preferencias, o escribe a { $email }.
bot-sign-in-first = ¡Hola! Inicia sesión en { $url } para usar el chat, o escribe a { $email }.
whatsapp-signature = La firma de la notificación no coincide: solo Meta, con el secreto de la aplicación, puede enviarla.
forbidden-whatsapp-verify_token = El token de verificación no es el configurado en este servidor.
conflict-whatsapp-number_taken = Este número de WhatsApp está vinculado a otra cuenta; escribe a soporte si es tuyo.
reason-whatsapp_number = escribe el número con su código de país, como +55 11 98765 4321 (de 8 a 15 dígitos).
entity-whatsapp_number = número de WhatsApp
