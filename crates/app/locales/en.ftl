## Things named in messages

entity-ticket = ticket
entity-contract = contract
entity-bot = bot
entity-organization = organization
entity-user = user
entity-invitation = invitation
entity-join_request = join request
entity-requester = requester
entity-assignee = assignee
entity-member = team member
entity-plan = plan
entity-token = token
entity-route = page

channel-documentation = documentation
channel-forum = forum
channel-portal = support portal
channel-email = e-mail
channel-whatsapp = WhatsApp
channel-phone = phone

## Errors

not-found = The { $entity } was not found, or you do not have access to it.
internal = Something went wrong on our side and nothing was changed. Please try again; if it keeps happening, tell support.
rate-limited = Too many attempts. Please wait { $seconds } seconds and try again.

auth-inbound_token = The inbound e-mail token is missing or wrong: send the token of the configuration in the X-Inbound-Token header.
auth-required = Sign in first: send your token in the Authorization header as "Bearer <token>".
auth-invalid_token = Your session or API token is not valid or has expired. Sign in again to get a new one.
auth-invalid_credentials = The e-mail address or the password is not right. Check both and try again.
invitation-sign_in_first = This invitation is for an address that already has an account. Sign in with it, then accept the invitation.

forbidden-staff_only = Only the support team can do this.
forbidden-admin_only = Only an administrator can do this.
forbidden-customer_admin_only = Only your organization's administrator can see this.
forbidden-manager_only = Only your organization's administrator or the support team can manage this team.
forbidden-ticket-on_behalf_staff_only = Only the support team can open a ticket for someone else or choose its channel.
forbidden-ticket-triage_staff_only = You can mark your ticket solved or reopen it; the support team handles priority, type and assignment.
forbidden-ticket-notes_staff_only = Internal notes are for the support team. Send a public reply instead.

not_entitled-plan_not_paid = Your { $plan } plan includes the documentation and the forum; support tickets start with the Startup plan.
not_entitled-not_registered = Tickets can only be opened by registered users. Ask your organization's administrator for an invitation and register through its link.
not_entitled-contract_not_started = This contract starts on { $date }; tickets can be opened from that day on.
not_entitled-contract_ended = This contract ended on { $date }. Ask your organization's administrator to renew it.
not_entitled-not_a_member = You are not on this contract's team nor on the team of one of its bots. Ask to join the team; your organization's administrator will be asked to approve.
not_entitled-channel_not_in_plan = The { $plan } plan does not include { $channel }. Open your ticket through a channel your plan includes.
not_entitled-channel_not_contracted = On the { $plan } plan, { $channel } support depends on your contract's terms, and this contract does not include it. Use another channel, or ask about adding it.
not_entitled-language_not_chosen = Choose your language in your preferences before opening a ticket, so that we can answer you in it.
refusal-fallback = If you cannot open a ticket, write to { $email }.

validation-empty = The field "{ $field }" must not be empty.
validation-too_long = The field "{ $field }" is too long: at most { $max } characters.
validation-not_one_of = The field "{ $field }" must be one of: { $allowed }.
validation-invalid = The field "{ $field }" is not valid: { $reason }
reason-email_format = write an address such as name@example.com.
reason-time_zone_unknown = use a time zone name such as America/Sao_Paulo.
reason-password_short = use at least 10 characters.
reason-date_order = the end date must not be before the start date.
reason-plan_unknown = no plan has this code; see the list of plans.
reason-code_chars = use lower-case letters, digits, "-" and "_".

rejected-ticket-closed = This ticket is closed and cannot change. Open a new ticket to continue.
rejected-ticket-status_transition = A ticket cannot move to that status from its current one.
rejected-ticket-bot_not_in_contract = That bot does not belong to the chosen contract.
rejected-ticket-requester_is_staff = Tickets are opened for customers; choose a customer as the requester.
rejected-ticket-assignee_not_staff = Tickets can only be assigned to members of the support team.
rejected-invitation-used = This invitation has already been used. Sign in instead.
rejected-invitation-expired = This invitation has expired. Ask for a new one.
rejected-invitation-customers_only = Invitations are for customer users; support staff accounts are created by an administrator.
rejected-invitation-bot_not_in_contract = That bot does not belong to the chosen contract.
rejected-invitation-needs_target = Say what the invitation is for: an organization, a contract or a bot.
rejected-invitation-other_organization = The contract or bot belongs to another organization.
rejected-invitation-user_in_other_organization = This address belongs to a support staff account or to another organization, and cannot be invited here.
rejected-join_request-bot_not_in_contract = That bot does not belong to the chosen contract.
rejected-join_request-already_decided = This request has already been decided.
rejected-membership-other_organization = Only users of the contract's organization can join its teams.
rejected-plan-paid_needs_tier = A paid plan needs an SLA tier (standard or premium).
rejected-user-customer_admin_needs_organization = A customer administrator must belong to an organization.
rejected-user-staff_without_organization = Support staff do not belong to a customer organization.

conflict-organization-name_taken = An organization with this name already exists.
conflict-user-email_taken = A user with this e-mail address already exists.
conflict-invitation-duplicate = This invitation already exists.
conflict-plan-code_taken = A plan with this code already exists.
conflict-join_request-already_member = You are already on this team.
conflict-join_request-pending = You have already asked to join this team; the request is waiting for a decision.

request-malformed_json = The request body is not valid JSON: { $detail }
request-invalid_json = The request body does not fit this endpoint: { $detail }
request-json_content_type = Send the request body as JSON, with the header Content-Type: application/json.
request-too_large = The request is too large.
request-invalid_query = The query string is not valid: { $detail }
request-invalid_path = The address is not valid: { $detail }
route-not_found = There is nothing at this address. The API reference is at /api/docs.
route-method_not_allowed = This address does not accept this method. The API reference is at /api/docs.

reason-cursor = use the next_cursor value of the previous page.

## Service levels

weekday-1 = Monday
weekday-2 = Tuesday
weekday-3 = Wednesday
weekday-4 = Thursday
weekday-5 = Friday
weekday-6 = Saturday
weekday-7 = Sunday
target-first_response = First response
target-next_response = Next response
target-periodic_update = Periodic update
target-resolution = Resolution
sla-explain-running = { $target } due { $due } ({ $zone }): { $minutes } business minutes from { $start }; { $elapsed } used so far.
sla-explain-paused = { $target } is paused while the ticket waits; { $elapsed } of { $minutes } business minutes used since { $start } ({ $zone }).
sla-explain-achieved = { $target } achieved: { $elapsed } of { $minutes } business minutes used, counted from { $start } ({ $zone }).
sla-explain-breached = { $target } breached: it was due { $due } ({ $zone }), { $minutes } business minutes from { $start }.
sla-closed-hours = Closed hours were not counted.
sla-holidays = Holidays skipped: { $holidays }.
sla-paused-time = The clock was paused for { $minutes } business minutes.
entity-policy = SLA policy
entity-calendar = calendar
entity-holiday = holiday
entity-notification = notification
reason-week_shape = give seven lists (Monday first) of [start, end] minutes, sorted, with start < end <= 1440, open at some time.
reason-calendar_unknown = no calendar has this code; see the list of calendars.
reason-target_minutes = targets are whole business minutes from 1 to 525600.
reason-percent = use a percentage from 1 to 100.
reason-priority_or_urgency = give either a priority or the urgency and impact, not both.
reason-urgency_and_impact = give both the urgency and the impact (low, medium or high).
reason-cursor_with_due = sorting by due time shows one page; leave out the cursor.
reason-instant = use a date (2026-01-31) or an instant (2026-01-31T12:00:00Z).

entity-group = group
entity-team = team
conflict-group-name_taken = A group with this name already exists.
rejected-group-member_not_staff = Only members of the support staff can join a group.
reason-control_chars = remove control characters such as NUL; line breaks and tabs are fine.

## E-mail

mail-reply-marker = Type your reply above this line
mail-ack-body = Hello { $name }, we have your request and opened ticket #{ $ticket } for it. You can add anything by replying to this message. What you sent:
mail-reply-body = { $who } answered your ticket #{ $ticket }:
mail-customer-replied = { $who } wrote on ticket #{ $ticket } ({ $subject }):
mail-solved-body = Hello { $name }, ticket #{ $ticket } is now solved. If something is still wrong, reply to this message and it opens again.
mail-pending-body = Hello { $name }, ticket #{ $ticket } is waiting for your answer. Reply to this message to go on.
mail-footer = See the whole conversation: { $link }
mail-empty-body = (the message had no text)
mail-no-subject = (no subject)
mail-access-subject = We could not open a ticket: { $subject }
mail-access-intro = We received your message "{ $subject }", but it could not become a support ticket.
mail-access-help = Meanwhile, the help center may already have the answer: { $help }
mail-access-kept = Your message is kept: our team will see it and get back to you if it can help.
mail-sla-warning-body = Service level warning on ticket #{ $ticket } ({ $subject }): { $target } is due { $due }.
mail-sla-breached-body = Service level missed on ticket #{ $ticket } ({ $subject }): { $target } was due { $due }.
mail-escalated-body = Ticket #{ $ticket } ({ $subject }) is an urgent incident that missed a service level ({ $target }); it was escalated to the supervisors.
mail-reset-subject = Choose a new password
mail-reset-body = Hello { $name }, someone (we hope you) asked to choose a new password for your support account. This link works once, for { $minutes } minutes:
mail-reset-ignore = If you did not ask for it, ignore this message: your password stays as it is.
mail-invite-subject = You are invited to { $organization }'s support
mail-invite-body = Hello, { $inviter } invited you to open and follow { $organization }'s support tickets. Choose your name, language and password here (the link works for { $days } days):

entity-message = received message
entity-mailbox = mailbox
rejected-inbound-not_queued = This message is no longer in the access queue: another agent has already handled it.
rejected-inbound-sender_not_user = The sender is not a user yet. Invite them first, or choose the customer the ticket is for.
rejected-inbound-unreadable = This message could not be read, so no ticket can be made from it. Open one by hand with its content.
reason-host_name = write a host name such as imap.example.com, without a port or a scheme.
reason-port = use a port number from 1 to 65535 (993 with TLS, 143 without).

entity-incident = incident
entity-component = component
rejected-component-group_nesting = Groups hold components but not other groups: choose a component without a group as the group.
rejected-maintenance-short_notice = A maintenance is announced at least 48 hours ahead. Choose a later start, or say in short_notice why customers get less notice.
status-follow = Follow it on the status page: { $link }
mail-status-confirm-subject = Confirm your subscription to { $page }
mail-status-confirm-body = Someone (we hope you) asked to hear by mail of incidents and maintenances on our status page. Confirm here:
mail-status-confirm-ignore = If it was not you, ignore this message: nothing will be sent.
mail-status-unsubscribe = To stop these messages: { $link }
entity-subscription = subscription
reason-url = give an address that starts with https:// (or http:// for a receiver on your network).
mail-maintenance-subject = Scheduled maintenance: { $name }
mail-maintenance-body = Hello { $name }, a maintenance that concerns your service is scheduled from { $from } to { $until }.
entity-entry = changelog entry
reason-one_per_language = give one translation per language.

## Community
entity-idea = idea
entity-comment = comment
rejected-idea-merged = This idea was merged into another one; vote and comment there.
rejected-idea-decided = This idea has been decided (completed or declined) and takes no more votes.
rejected-idea-merge_into_itself = An idea cannot be merged into itself; give the number of the idea that stays.
forbidden-idea-not_author = Only the idea's author or the support team can change it.
mail-community-why = You receive this because you follow, voted for or wrote this. To stop, open the page above and choose "Unfollow".
mail-idea-status-subject = Idea "{ $title }": { $status }
mail-idea-status-body = The idea "{ $title }" you follow is now: { $status }.
mail-idea-status-note = A word from the team: { $note }
mail-idea-shipped-subject = Shipped: "{ $title }"
mail-idea-shipped-body = Good news: the idea "{ $title }" you follow is now part of the product. The changelog tells what changed.
entity-topic = topic
entity-post = post
entity-category = category
entity-ban = ban
forbidden-forum-banned = A moderator has suspended your posting in the forum; you can still read it. Write to support if you think this is a mistake.
forbidden-topic-not_asker = Only the person who asked, or the support team, can do this to the topic.
forbidden-post-not_author = Only the post's author or the support team can change it.
rejected-topic-merged = This topic was merged into another one; continue the conversation there.
rejected-topic-locked = This topic is locked: it takes no more replies or changes.
rejected-post-own_vote = You cannot vote for your own post.
rejected-topic-accept_question = The question itself cannot be its answer; choose one of the replies.
rejected-topic-merge_into_itself = A topic cannot be merged into itself; give the number of the topic that stays.
rejected-forum-ban_staff = Support team members cannot be banned from the forum.
reason-in_the_past = choose a moment in the future, or none for a ban without an end.
mail-forum-reply-subject = New reply in "{ $title }"
mail-forum-reply-body = { $name } replied in the forum topic "{ $title }" that you follow.
entity-event = event
entity-question = question
rejected-event-no_session_that_day = The event has no session planned on that day; give the date a session was planned for.
rejected-event-session_not_coming = That session is not coming up (it ended, was cancelled or is not planned); ask for one of the next sessions.
reason-duration_range = give a duration from 5 minutes to 24 hours.
events-calendar-name = Events
reason-date = write a date such as 2026-12-31.
reason-local_datetime = write a local date and time such as 2026-12-31T15:00.
entity-template = template
mail-template-review-subject = Your template "{ $title }": { $status }
mail-template-review-body = The support team reviewed your template "{ $title }". It is now: { $status }.
entity-page = page
conflict-page-slug = Another page of this kind already has this address; choose another address or title.
rejected-ticket-not_solved = Only a solved ticket can become a help article: solve it first.
article-from-ticket-question = The question
article-from-ticket-answer = The answer

## The smart contact (WhatsApp and web chat)
bot-menu = How can I help you? Pick an option or just write what you need.
bot-menu-open = Open a ticket
bot-menu-tickets = My open tickets
bot-menu-faq = Ask a question
bot-menu-reports = My reports
bot-menu-human = Talk to a person
bot-list-button = Options
bot-choose-language = Elige tu idioma · Escolha seu idioma · Choose your language
bot-not-understood = Sorry, I did not get that.
bot-cancelled = Done, I left that aside.
bot-too-long = That is too long: { $max } characters at most, please.
bot-empty = I need a few words here.
bot-yes = Yes
bot-no = No
bot-reply = Reply
bot-back-to-menu = Back to the menu
bot-pick-contract = Which contract is it about?
bot-pick-bot = Which of your bots is it about?
bot-no-bot = None in particular
bot-pick-type = What kind of request is it?
bot-type-question = Question
bot-type-question-help = How to use the platform, or something set up on your side
bot-type-task = Task
bot-type-task-help = A change, setting or data only we can make or extract
bot-type-incident = Incident
bot-type-incident-help = The service stopped, became unstable or degraded
bot-pick-priority = How urgent is it?
bot-priority-low = Low
bot-priority-low-help = It can wait
bot-priority-normal = Normal
bot-priority-normal-help = A workaround exists
bot-priority-high = High
bot-priority-high-help = A feature is limited for many users
bot-priority-urgent = Urgent
bot-priority-urgent-help = The service is down or data is at risk
bot-write-subject = In one line, what is it about?
bot-write-description = Now tell me what happened: what you did, what you saw, since when.
bot-send-files = Send screenshots or files if they help ({ $count } so far), or tap Done.
bot-files-done = Done
bot-file-received = Got the file.
bot-too-many-files = That is ten files already; the rest can go in a reply later.
bot-confirm-ticket = Shall I open it? "{ $subject }" · { $type } · { $priority } · { $files } file(s).
bot-confirm = Open it
bot-cancel = Cancel
bot-ticket-opened = Ticket #{ $id } is open. I will tell you here when it moves.
bot-ticket-opened-due = Ticket #{ $id } is open; we will answer by { $due }. I will tell you here when it moves.
bot-no-contracts = I could not find a contract of yours with support. Ask your organization's administrator.
bot-refusal-fallback = You can also write to { $email }.
bot-no-open-tickets = You have no open tickets.
bot-your-tickets = Your open tickets: pick one to see it.
bot-due = due { $due }
bot-ticket-detail = Ticket #{ $id }
    { $lines }
bot-you = You
bot-support = Support
bot-ticket-next = What next?
bot-write-reply = Write your reply; it goes to the ticket.
bot-reply-added = Your reply is on ticket #{ $id }.
bot-ticket-gone = That ticket is not one you can see.
bot-ask-question = What is your question?
bot-faq-found = This may help:
    { $articles }
bot-did-it-help = Did it answer your question?
bot-glad = Glad it helped!
bot-faq-nothing = I found nothing about that in the help center. Shall we open a ticket?
bot-open-ticket-instead = Open a ticket
bot-faq-to-ticket = Let's open a ticket with your question.
bot-reports = Your figures:
    { $lines }
bot-report-overall = All your tickets: { $open } open, { $solved } solved in the last 30 days.
bot-report-bot = { $bot }: { $open } open, { $solved } solved in the last 30 days.
bot-human-joined = A person from support will answer here (ticket #{ $id }). Write "menu" to go back to the bot.
bot-human-waiting = Your messages go to the support team.
bot-handoff-subject = Talk to a person (chat)
bot-handoff-description = The customer asked for a person in the chat. The conversation so far:
bot-file-on-ticket = (a file)
bot-unknown-number = Hello! This number is not linked to an account yet. Sign in at { $url } and add your WhatsApp number in your preferences, or write to { $email }.
bot-sign-in-first = Hello! Sign in at { $url } to use the chat, or write to { $email }.
whatsapp-signature = The notification's signature does not match: only Meta, with the app's secret, can send it.
forbidden-whatsapp-verify_token = The verify token is not the one configured for this server.
conflict-whatsapp-number_taken = This WhatsApp number is linked to another account; write to support if it is yours.
reason-whatsapp_number = write the number with its country code, such as +55 11 98765 4321 (8 to 15 digits).
entity-whatsapp_number = WhatsApp number
