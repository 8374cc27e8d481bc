//! The integration tests: one binary; every test runs on SQLite and on PostgreSQL.

// A test that cannot go on should stop right there, with the value that stopped it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

mod access_request;
mod api;
mod authorization;
mod cli;
mod contact;
mod demo;
mod email_first;
mod finance;
mod import;
mod mail;
mod notifications;
mod pages;
mod password_reset;
mod point_and_prices;
mod profile;
mod queries;
mod reading_entry;
mod readings;
mod registration;
mod sign_in;
mod staff;
mod staff_accounts;
mod staff_import;
mod staff_readings;
mod staff_routes;
mod staff_tokens;
mod staff_users;
mod storage;
