//! The integration tests: one binary; every test runs on SQLite and on PostgreSQL.

mod support;

mod access_request;
mod authorization;
mod cli;
mod contact;
mod email_first;
mod finance;
mod import;
mod mail;
mod pages;
mod password_reset;
mod point_and_prices;
mod profile;
mod reading_entry;
mod readings;
mod registration;
mod sign_in;
mod storage;
