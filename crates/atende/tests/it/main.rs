//! Integration tests: the real server on a free port, over HTTP, on a fresh database.
//! `ATENDE_TEST_BACKEND=postgres` (with `ATENDE_TEST_POSTGRES_URL`) runs them on PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod access;
mod api_errors;
mod browser;
mod changelog;
mod chat;
mod cli;
mod crash;
mod email;
mod email_imap;
mod events;
mod forum;
mod fuzz;
mod gallery;
mod hardening;
mod help;
mod helpers;
mod ideas;
mod isolation;
mod isolation_matrix;
mod mail_servers;
mod ops;
mod pages;
mod phone;
mod process;
mod reports;
mod schema;
mod secrets;
mod sla;
mod sla_two_processes;
mod status;
mod tickets;
mod whatsapp;
