//! The public REST API under `/api/v1`, documented by the OpenAPI document it is built with.

mod auth;
mod changelog;
pub(crate) mod chat;
mod directory;
mod events;
pub(crate) mod feedback;
pub(crate) mod forum;
mod forum_moderation;
mod groups;
mod help;
mod ideas;
mod invitations;
mod mail;
mod mailboxes;
mod phone;
mod profile;
pub(crate) mod reports;
pub(crate) mod site_pages;
pub(crate) mod sla;
mod status;
mod teams;
mod templates;
mod tickets;
mod whatsapp;

use atende_domain::entities::User;
use jiff::Timestamp;
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::{
    Modify, OpenApi, ToSchema,
    openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
};
use utoipa_axum::router::OpenApiRouter;

use crate::AppState;

#[derive(OpenApi)]
#[openapi(
    info(title = "atende API", description = "Customer support: contracts and plans, tickets, teams. Errors are `{\"error\": {\"code\", \"message\"}}` in the caller's language."),
    modifiers(&BearerAuth),
    components(schemas(crate::error::ErrorBody)),
    tags(
        (name = "auth", description = "Signing in, the current user, API tokens"),
        (name = "tickets", description = "Questions, tasks and incidents"),
        (name = "organizations", description = "Customer organizations and their users"),
        (name = "contracts", description = "Contracts, bots and their teams"),
        (name = "profile", description = "Plans, channel matrix and ticket types"),
        (name = "access", description = "Invitations and requests to join a team"),
        (name = "groups", description = "Groups (queues) of support staff"),
        (name = "help", description = "The help center's articles and search over articles and tickets"),
        (name = "phone", description = "Phone support: call-back requests and logged calls"),
        (name = "email", description = "The e-mail channel: mailboxes read over IMAP, messages piped in by a mail server, and the access queue"),
        (name = "changelog", description = "What changed in the product, in three languages (Atom at /changelog/{lang}.atom)"),
        (name = "status", description = "The status page: components, incidents and scheduled maintenances (the public Statuspage-compatible JSON is at /status/api/v2)"),
        (name = "reports", description = "Figures of a period (created, solved, backlog, response times, service levels) and the tickets behind them"),
        (name = "chat", description = "The web chat: the smart contact in a widget, over a WebSocket or long polling"),
        (name = "whatsapp", description = "The WhatsApp Cloud API webhook: the smart contact's messages and delivery statuses"),
        (name = "community", description = "Ideas, the forum, events (the weekly AMA), templates, cases and policies"),
        (name = "sla", description = "Service levels: due times, policies, calendars, notifications, the SLA report"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The `/api/v1` routes with their documentation.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(auth::routes())
        .merge(tickets::routes())
        .merge(directory::routes())
        .merge(teams::routes())
        .merge(profile::routes())
        .merge(invitations::routes())
        .merge(sla::routes())
        .merge(groups::routes())
        .merge(feedback::routes())
        .merge(phone::routes())
        .merge(mail::routes())
        .merge(mailboxes::routes())
        .merge(status::routes())
        .merge(changelog::routes())
        .merge(help::routes())
        .merge(ideas::routes())
        .merge(forum::routes())
        .merge(events::routes())
        .merge(templates::routes())
        .merge(site_pages::routes())
        .merge(whatsapp::routes())
        .merge(chat::routes())
        .merge(reports::routes())
}

/// Lets a PATCH body tell "absent" (`None`) from "set to null" (`Some(None)`).
pub(crate) fn double_option<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

pub(crate) fn rfc3339(t: Timestamp) -> String {
    t.to_string()
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserOut {
    pub id: i64,
    pub email: String,
    pub name: String,
    #[schema(schema_with = schemas::role)]
    pub role: atende_domain::Role,
    pub organization_id: Option<i64>,
    /// `null` until the user chooses one; tickets need it (the manual's fourth access rule).
    #[schema(schema_with = schemas::lang_nullable)]
    pub language: Option<atende_domain::Lang>,
    pub time_zone: String,
    pub registered: bool,
    #[schema(format = DateTime)]
    pub created_at: String,
}

impl From<User> for UserOut {
    fn from(u: User) -> Self {
        UserOut {
            id: u.id,
            email: u.email,
            name: u.name,
            role: u.role,
            organization_id: u.organization_id,
            language: u.language,
            time_zone: u.time_zone,
            registered: u.registered_at.is_some(),
            created_at: rfc3339(u.created_at),
        }
    }
}

/// OpenAPI schemas of the domain's code enums, listed from the domain itself so they cannot drift.
pub(crate) mod schemas {
    use atende_domain::{
        Availability, Channel, Lang, Priority, Role, SlaTier, TicketChannel, TicketStatus, TicketType, Visibility,
        community::{IdeaStatus, PostState, TemplateState},
        status::{ComponentStatus, Impact},
    };
    use utoipa::openapi::{
        Object, ObjectBuilder,
        schema::{SchemaType, Type},
    };

    fn codes(values: Vec<&'static str>, nullable: bool) -> Object {
        let kind = if nullable {
            SchemaType::from_iter([Type::String, Type::Null])
        } else {
            SchemaType::new(Type::String)
        };
        let mut values: Vec<Option<&'static str>> = values.into_iter().map(Some).collect();
        if nullable {
            values.push(None);
        }
        ObjectBuilder::new().schema_type(kind).enum_values(Some(values)).build()
    }

    pub fn ticket_type() -> Object {
        codes(TicketType::ALL.iter().map(|t| t.code()).collect(), false)
    }
    pub fn ticket_type_nullable() -> Object {
        codes(TicketType::ALL.iter().map(|t| t.code()).collect(), true)
    }
    pub fn priority() -> Object {
        codes(Priority::ALL.iter().map(|t| t.code()).collect(), false)
    }
    pub fn priority_nullable() -> Object {
        codes(Priority::ALL.iter().map(|t| t.code()).collect(), true)
    }
    pub fn status() -> Object {
        codes(TicketStatus::ALL.iter().map(|t| t.code()).collect(), false)
    }
    pub fn status_nullable() -> Object {
        codes(TicketStatus::ALL.iter().map(|t| t.code()).collect(), true)
    }
    pub fn ticket_channel() -> Object {
        codes(TicketChannel::ALL.iter().map(|t| t.code()).collect(), false)
    }
    pub fn ticket_channel_nullable() -> Object {
        codes(TicketChannel::ALL.iter().map(|t| t.code()).collect(), true)
    }
    pub fn visibility_nullable() -> Object {
        codes(Visibility::ALL.iter().map(|t| t.code()).collect(), true)
    }
    pub fn visibility() -> Object {
        codes(Visibility::ALL.iter().map(|t| t.code()).collect(), false)
    }
    pub fn role() -> Object {
        codes(Role::ALL.iter().map(|t| t.code()).collect(), false)
    }
    pub fn role_nullable() -> Object {
        codes(Role::ALL.iter().map(|t| t.code()).collect(), true)
    }
    pub fn lang() -> Object {
        codes(Lang::ALL.iter().map(|t| t.code()).collect(), false)
    }
    pub fn lang_nullable() -> Object {
        codes(Lang::ALL.iter().map(|t| t.code()).collect(), true)
    }
    pub fn component_status() -> Object {
        codes(ComponentStatus::ALL.iter().map(|t| t.code()).collect(), false)
    }
    pub fn impact() -> Object {
        codes(Impact::ALL.iter().map(|t| t.code()).collect(), false)
    }
    pub fn impact_nullable() -> Object {
        codes(Impact::ALL.iter().map(|t| t.code()).collect(), true)
    }
    pub fn post_state() -> Object {
        codes(PostState::ALL.iter().map(|t| t.code()).collect(), false)
    }
    pub fn template_state() -> Object {
        codes(TemplateState::ALL.iter().map(|t| t.code()).collect(), false)
    }
    pub fn idea_status() -> Object {
        codes(IdeaStatus::ALL.iter().map(|t| t.code()).collect(), false)
    }
    pub fn tier_nullable() -> Object {
        codes(vec![SlaTier::Standard.code(), SlaTier::Premium.code()], true)
    }
    pub fn channel_matrix() -> Object {
        let availability = codes(
            vec![Availability::Included.code(), Availability::Conditional.code()],
            false,
        );
        let mut builder = ObjectBuilder::new().schema_type(SchemaType::new(Type::Object));
        for channel in Channel::ALL {
            builder = builder.property(channel.code(), availability.clone());
        }
        builder
            .additional_properties(Some(utoipa::openapi::schema::AdditionalProperties::FreeForm(false)))
            .build()
    }
}
