//! A customer as staff see them (`/agent/customers/{id}`): who they are, their tickets, and every
//! conversation they had with the smart contact, on WhatsApp or in the web chat.

use askama::Template;
use atende_app::{
    TicketQuery,
    bot::{self, Conversation, Said},
    directory, tickets,
};
use atende_domain::entities::{Ticket, User};

use axum::{
    Router,
    extract::{Path, State},
    response::Response,
    routing::get,
};

use super::{PageError, Staff, chrome::Chrome, page};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/agent/customers/{id}", get(show))
}

#[derive(Template)]
#[template(path = "agent_customer.html")]
struct CustomerPage {
    c: Chrome,
    person: User,
    tickets: Vec<Ticket>,
    conversations: Vec<(Conversation, Vec<Said>)>,
}

async fn show(State(state): State<AppState>, Staff(signed): Staff, Path(id): Path<i64>) -> Result<Response, PageError> {
    let actor = &signed.actor;
    let person = directory::get_user(&state.app, actor, id).await?;
    let query = TicketQuery {
        requester_id: Some(id),
        limit: 50,
        ..TicketQuery::default()
    };
    let (tickets, _) = tickets::list(&state.app, actor, query).await?;
    let conversations = bot::conversations_of(&state.app, actor, id).await?;
    page(&CustomerPage {
        c: signed.ctx.chrome(&state, "agent"),
        person,
        tickets,
        conversations,
    })
}
